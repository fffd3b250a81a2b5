"""JL502 scripted-loop (see ``rules/JL502-scripted-loop.md``)."""
from ..api import Finding, rule


@rule(code="JL502", name="scripted-loop", severity="warning",
      summary="A canned reply that can come back to the same customer")
def scripted_loop(journey, analysis, options):
    comp = analysis.components
    for state in analysis.reachable_states():
        if not state.scripted or not analysis.on_cycle(state.id):
            continue
        i = analysis.index[state.id]
        # the way round: from a successor in the same component back to the state
        # (a shortest such path stays inside the component)
        if i in analysis.succ[i]:
            loop = (state.id,)
        else:
            nxt = next(v for v in analysis.succ[i] if comp[v] == comp[i])
            loop = analysis.reach(sources=[nxt]).path(state.id)
        round_trip = " -> ".join((state.id,) + loop)
        yield Finding.at(
            state,
            f"scripted loop: the canned reply of '{state.id}' lies on a cycle ({round_trip}), "
            "so the same reply can come back to the same customer",
            path=analysis.path_to(state.id) + loop,
        )
