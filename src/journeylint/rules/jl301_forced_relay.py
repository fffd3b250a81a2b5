"""JL301 forced-relay (see ``rules/JL301-forced-relay.md``)."""
from ..api import Finding, rule


def _first_staff(analysis) -> list[tuple]:
    """For every state, up to two staff actors the customer can meet first
    from there (passing over customer, system, bot and actor-less states),
    each with the next state on a way to it: ``((actor, via), ...)``.

    Two are enough: a redirect is a forced relay when some team other than
    the redirecting one is met, and of two distinct teams one always
    differs. The sets only grow and are capped at two, so the backward
    propagation touches each state at most twice (linear), and following
    ``via`` from any state reaches that actor's staff state, since an entry
    is only copied from a successor that already had it.
    """
    states = analysis.states
    found: list[tuple] = [()] * len(states)
    stack = []
    for i in range(len(states) - 1, -1, -1):  # popped in file order
        if states[i].is_staff:
            found[i] = ((states[i].actor, None),)
            stack.append(i)
    pred = analysis.pred
    while stack:
        v = stack.pop()
        for u in pred[v]:
            if states[u].is_staff:
                continue
            current = found[u]
            grown = current
            for actor, _ in found[v]:
                if len(grown) < 2 and all(actor != a for a, _ in grown):
                    grown = grown + ((actor, v),)
            if grown is not current:
                found[u] = grown
                stack.append(u)
    return found


@rule(code="JL301", name="forced-relay", severity="error",
      summary="Staff redirect the customer to another team to contact themselves")
def forced_relay(journey, analysis, options):
    redirects = [(state, t) for state in analysis.reachable_states() if state.is_staff
                 for t in state.transitions if t.kind == "redirect"]
    if not redirects:
        return
    first_staff = _first_staff(analysis)
    ids, index = analysis.ids, analysis.index
    for state, t in redirects:
        entries = first_staff[index[t.target]]
        other = next((actor for actor, _ in entries if actor != state.actor), None)
        if other is None:
            continue
        onward = [index[t.target]]
        while True:
            via = dict(entries)[other]
            if via is None:
                break
            onward.append(via)
            entries = first_staff[via]
        met = analysis.states[onward[-1]]
        at = "" if met.id == t.target else f" (at '{met.id}')"
        yield Finding.at(
            t,
            f"forced relay: '{state.id}' ({state.actor}) redirects the customer to '{t.target}', "
            f"where they must contact team '{other}'{at} themselves; the company's internal "
            "communication is left to the customer",
            path=analysis.path_to(state.id) + tuple(ids[i] for i in onward),
            related=(met.location.with_note(f"team '{other}' met after the redirect"),),
            key=f"{state.id}->{t.target}",
        )
