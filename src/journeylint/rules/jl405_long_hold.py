"""JL405 long-hold (see ``rules/JL405-long-hold.md``)."""
from ..api import Finding, Option, format_duration, rule


@rule(code="JL405", name="long-hold", severity="warning",
      summary="The customer is held too long in one step on a live channel",
      options={"max_hold": Option("duration", "10m", "longest acceptable wait in one state on a live channel")})
def long_hold(journey, analysis, options):
    limit = options["max_hold"]
    for state in analysis.reachable_states():
        if not state.wait or state.wait <= limit:
            continue
        channel = journey.channel(state.channel)
        if channel is None or not channel.is_live:
            continue
        yield Finding.at(
            state,
            f"long hold: '{state.id}' keeps the customer waiting {format_duration(state.wait)} "
            f"on the live channel '{channel.name}' (limit {format_duration(limit)})",
            path=analysis.path_to(state.id),
        )
