"""JL404 cancellation-parity (see ``rules/JL404-cancellation-parity.md``)."""
from ..api import Finding, rule


@rule(code="JL404", name="cancellation-parity", severity="error",
      summary="Cancelling needs another channel than the one used to sign up")
def cancellation_parity(journey, analysis, options):
    if journey.kind != "cancellation" or not journey.signup_channels or not analysis.resolution_reachable:
        return
    allowed = set(journey.signup_channels)
    # channels read as in "Channels the customer uses": customer states with a channel
    outside = frozenset(i for i, s in enumerate(analysis.states)
                        if s.actor == "customer" and s.channel and s.channel not in allowed)
    within = analysis.reach(blocked=outside)
    if any(within.reached(r) and r not in outside for r in analysis.resolutions):
        return
    # the first off-channel steps every way runs into (blocked states are entered, not passed)
    doors = [analysis.states[i] for i in sorted(outside) if within.reached(i)]
    signed = ", ".join(f"'{c}'" for c in journey.signup_channels)
    steps = ", ".join(f"'{s.id}' ({s.channel})" for s in doors)
    resolution = next(r for r in analysis.resolutions if analysis.reachable.reached(r))
    yield Finding.at(
        journey,
        f"cancellation parity: the customer signed up through {signed}, but every way to a resolution "
        f"makes them use another channel, first at {steps}",
        path=analysis.path_to(analysis.ids[resolution]),
        related=tuple(s.location.with_note(f"the customer must use '{s.channel}'") for s in doors),
    )
