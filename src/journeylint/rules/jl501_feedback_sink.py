"""JL501 feedback-sink (see ``rules/JL501-feedback-sink.md``)."""
from ..api import Finding, rule


@rule(code="JL501", name="feedback-sink", severity="warning",
      summary="Feedback that never reaches a person who answers")
def feedback_sink(journey, analysis, options):
    feedback = [s for s in analysis.reachable_states() if s.type == "feedback"]
    if not feedback:
        return
    answers = [i for i, s in enumerate(analysis.states) if s.is_staff and s.discloses]
    answered = analysis.can_reach(answers)
    for state in feedback:
        if answered[analysis.index[state.id]]:
            continue
        yield Finding.at(
            state,
            f"feedback sink: from the feedback left in '{state.id}' no state is reachable where staff "
            "tell the customer anything; the complaint goes nowhere",
            path=analysis.path_to(state.id),
        )
