"""JL304 channel-switch (see ``rules/JL304-channel-switch.md``)."""
from ..api import Finding, Option, rule


@rule(code="JL304", name="channel-switch", severity="warning",
      summary="Even the way to a resolution with the fewest channel changes makes the customer switch too often",
      options={"max_switches": Option("int", 1, "channel changes allowed on the way to a resolution "
                                                "(the journey's budget.channel_switches takes precedence)")})
def channel_switch(journey, analysis, options):
    limit = journey.budget.channel_switches
    if limit is None:
        limit = options["max_switches"]
    best = analysis.exceeding("switches", limit)
    if best is None:
        return
    count = int(best.value)
    channels: list[str] = []
    for sid in best.path:
        state = journey.states[sid]
        if state.actor == "customer" and state.channel and (not channels or channels[-1] != state.channel):
            channels.append(state.channel)
    at = ", ".join(f"'{s}'" for s in best.counted_at)
    yield Finding.at(
        journey,
        f"channel switch: {count} channel change{'s' if count != 1 else ''} on the way to a resolution "
        f"with the fewest (limit {limit}): {' -> '.join(channels)} (changes at {at})",
        path=best.path,
        related=tuple(journey.states[s].location.with_note(f"the customer switches to '{journey.states[s].channel}'")
                      for s in best.counted_at),
    )
