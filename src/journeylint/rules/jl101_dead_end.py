"""JL101 dead-end (see ``rules/JL101-dead-end.md``)."""
from ..api import Finding, rule


@rule(code="JL101", name="dead-end", severity="error",
      summary="A non-terminal state with no way out")
def dead_end(journey, analysis, options):
    for state in analysis.reachable_states():
        if state.is_terminal or state.transitions or state.broken_next:
            continue
        yield Finding.at(
            state,
            f"state '{state.id}' is a dead end: it has no outcome and no transition out, "
            "so the customer is left waiting for nothing",
            path=analysis.path_to(state.id),
        )
