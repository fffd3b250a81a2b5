"""JL003 unreachable-state (see ``rules/JL003-unreachable-state.md``)."""
from ..api import Finding, rule


@rule(code="JL003", name="unreachable-state", severity="warning",
      summary="A state no path from start reaches")
def unreachable_state(journey, analysis, options):
    reach = analysis.reachable
    starts = ", ".join(f"'{s}'" for s in journey.start)
    for state in journey.states.values():
        if reach.reached(state.id):
            continue
        if analysis.pred[analysis.index[state.id]]:
            why = "only unreachable states lead to it"
        else:
            why = "no transition leads to it"
        yield Finding.at(state, f"state '{state.id}' cannot be reached from start ({starts}): {why}")
