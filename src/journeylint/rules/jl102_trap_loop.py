"""JL102 trap-loop (see ``rules/JL102-trap-loop.md``)."""
from ..api import Finding, rule


@rule(code="JL102", name="trap-loop", severity="error",
      summary="A loop with no transition leaving it")
def trap_loop(journey, analysis, options):
    for members in analysis.cycles():
        first = members[0]
        if not analysis.is_reachable(first) or analysis.leaves_component(first):
            continue
        if any(journey.states[m].broken_next for m in members):
            continue
        names = ", ".join(f"'{m}'" for m in members)
        what = f"state '{first}' leads only back to itself" if len(members) == 1 else f"states {names} lead only to each other"
        yield Finding.at(
            journey.states[first],
            f"trap loop: {what}; the customer can go round forever and never reach an outcome",
            path=analysis.path_to(first),
            key=first,
        )
