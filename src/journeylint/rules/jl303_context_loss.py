"""JL303 context-loss (see ``rules/JL303-context-loss.md``)."""
from ..api import Finding, rule


@rule(code="JL303", name="context-loss", severity="error",
      summary="A dropped contact sends the customer back to start again")
def context_loss(journey, analysis, options):
    comp = analysis.components
    index = analysis.index
    for state in analysis.reachable_states():
        for t in state.transitions:
            if t.kind != "drop" or t.callback:
                continue
            # the target leads back to the dropped state exactly when both
            # lie in one strongly connected component (the drop itself closes the cycle)
            if t.target in journey.start:
                how = f"back to the start '{t.target}'"
            elif comp[index[t.target]] == comp[index[state.id]]:
                how = (f"to '{t.target}', from which '{state.id}' is reached again" if t.target != state.id
                       else f"back into '{state.id}' itself")
            else:
                continue
            yield Finding.at(
                t,
                f"context loss: when the contact in '{state.id}' is cut off, nobody calls back and the customer "
                f"goes {how}: they start again from the beginning and repeat what they already said",
                path=analysis.path_to(state.id) + (t.target,),
                related=(journey.states[t.target].location.with_note("where the customer starts again"),),
                key=f"{state.id}->{t.target}",
            )
