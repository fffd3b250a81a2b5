"""JL403 slow-channel (see ``rules/JL403-slow-channel.md``)."""
from ..api import Finding, Option, format_duration, rule

#: journeys whose customer cannot wait for office hours
URGENT_KINDS = ("escalation", "complaint")


@rule(code="JL403", name="slow-channel", severity="warning",
      summary="A channel the customer uses answers slowly or keeps office hours",
      options={"max_response_time": Option("duration", "1h", "longest acceptable typical time to a first reply")})
def slow_channel(journey, analysis, options):
    # a channel is "used" by a reachable state whose actor is not system; the
    # same reading serves both halves (the slow channel and the 24/7 one)
    first_use = {}
    for state in analysis.reachable_states():
        if state.channel and state.actor != "system":
            first_use.setdefault(state.channel, state)
    open_always = [name for name in first_use if journey.channel(name).always_open]
    limit = options["max_response_time"]
    for name, state in first_use.items():
        channel = journey.channel(name)
        reasons = []
        related = []
        if channel.response_time is not None and channel.response_time > limit:
            reasons.append(f"answers in {format_duration(channel.response_time)} "
                           f"(limit {format_duration(limit)})")
        if channel.hours is not None and not channel.always_open:
            if journey.kind in URGENT_KINDS:
                article = "an" if journey.kind[0] in "aeiou" else "a"
                reasons.append(f"is open only '{channel.hours}' in {article} {journey.kind} journey, which cannot wait")
            elif open_always:
                other = open_always[0]
                reasons.append(f"is open only '{channel.hours}' while '{other}' in the same journey is open 24/7")
                related.append(first_use[other].location.with_note(f"uses '{other}', open 24/7"))
        if not reasons:
            continue
        if channel.location is not None:
            related.insert(0, channel.location.with_note(f"channel '{name}' declared here"))
        yield Finding.at(
            state,
            f"slow channel: '{name}', first used in '{state.id}', " + " and ".join(reasons),
            path=analysis.path_to(state.id),
            related=tuple(related),
            key=name,
        )
