"""JL502 scripted-loop (see ``rules/JL502-scripted-loop.md``)."""
from ..api import Finding, rule


@rule(code="JL502", name="scripted-loop", severity="warning",
      summary="A canned reply that can come back to the same customer")
def scripted_loop(journey, analysis, options):
    for state in analysis.reachable_states():
        if not state.scripted or not analysis.on_cycle(state.id):
            continue
        # linear per component however many scripted states it holds
        loop = analysis.loop_through(state.id)
        yield Finding.at(
            state,
            f"scripted loop: the canned reply of '{state.id}' lies on a cycle ({' -> '.join(loop)}), "
            "so the same reply can come back to the same customer",
            path=analysis.path_to(state.id) + loop[1:],
        )
