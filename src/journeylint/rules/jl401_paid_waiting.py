"""JL401 paid-waiting (see ``rules/JL401-paid-waiting.md``)."""
from ..api import Finding, format_duration, rule


def money(value) -> str:
    return f"{value:.2f}"


@rule(code="JL401", name="paid-waiting", severity="warning",
      summary="The customer pays while waiting")
def paid_waiting(journey, analysis, options):
    for state in analysis.reachable_states():
        if not state.wait:
            continue
        channel = journey.channel(state.channel)
        per_minute = channel.cost_per_minute if channel else 0.0
        charges = []
        if per_minute > 0:
            charges.append(f"on '{channel.name}' at {per_minute:g} a minute "
                           f"({money(per_minute * state.wait / 60.0)} for the wait)")
        if state.cost:
            charges.append(f"and pays {money(state.cost)} in this step")
        if not charges:
            continue
        related = ()
        if per_minute > 0 and channel.location is not None:
            related = (channel.location.with_note(f"'{channel.name}' costs {per_minute:g} a minute"),)
        yield Finding.at(
            state,
            f"paid waiting: the customer waits {format_duration(state.wait)} in '{state.id}' "
            + " ".join(charges),
            path=analysis.path_to(state.id),
            related=related,
        )
