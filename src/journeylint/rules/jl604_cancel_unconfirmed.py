"""JL604 cancel-unconfirmed (see ``rules/JL604-cancel-unconfirmed.md``)."""
from ..api import Finding, Option, rule


@rule(code="JL604", name="cancel-unconfirmed", severity="error",
      summary="A cancellation ends without a confirmation",
      default_enabled=False,
      options={"item": Option("str", "confirmation", "the item a confirmation discloses")})
def cancel_unconfirmed(journey, analysis, options):
    if journey.kind != "cancellation":
        return
    item = options["item"]
    states = analysis.states
    confirming = frozenset(i for i, s in enumerate(states) if item in s.discloses)
    irreversible = frozenset(i for i, s in enumerate(states) if s.irreversible)
    reachable = analysis.reachable
    # a way with no irreversible step: nothing on it may confirm
    plain = analysis.reach(blocked=irreversible | confirming)
    # a way whose last irreversible step is x: nothing from x on may confirm
    sources = [i for i in irreversible if reachable.reached(i) and i not in confirming]
    after = analysis.reach(sources=sorted(sources), blocked=confirming) if sources else None
    for r in analysis.resolutions:
        if not reachable.reached(r) or r in confirming:
            continue
        resolution = states[r]
        if after is not None and after.reached(r):
            tail = after.path(r)
            step = tail[0]
            path = analysis.path_to(step)[:-1] + tail
            message = (f"the cancellation ends at '{resolution.id}' without a confirmation: no state "
                       f"from the irreversible step '{step}' on discloses '{item}'")
            related = (journey.states[step].location.with_note("irreversible step"),)
        elif plain.reached(r) and r not in irreversible:
            path = plain.path(r)
            message = (f"the cancellation ends at '{resolution.id}' without a confirmation: no state "
                       f"on the way discloses '{item}'")
            related = ()
        else:
            continue
        yield Finding.at(resolution, message + "; the customer has no proof it was done",
                         path=path, related=related)
