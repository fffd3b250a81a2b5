"""JL104 retention-gauntlet (see ``rules/JL104-retention-gauntlet.md``)."""
from ..api import Finding, Option, SHOWN, rule, some_names


@rule(code="JL104", name="retention-gauntlet", severity="error",
      summary="Leaving takes more retention offers than allowed, or an offer comes back",
      options={"max_offers": Option("int", 1, "retention offers allowed on the way to a resolution")})
def retention_gauntlet(journey, analysis, options):
    # Both halves are about letting a customer leave: other journeys may make offers freely.
    if journey.kind != "cancellation":
        return
    limit = options["max_offers"]
    if analysis.resolution_reachable:
        best = analysis.cheapest("offers")
        if best is not None and best.value > limit:
            offers = [s for s in best.path if journey.states[s].type == "retention"]
            count = len(offers)
            yield Finding.at(
                journey,
                f"every way to a resolution passes at least {count} retention offers, more than "
                f"max_offers ({limit}); the way with the fewest passes {some_names(offers)}: the customer "
                "must turn down offer after offer to leave",
                path=best.path,
                related=tuple(journey.states[s].location.with_note("retention offer") for s in offers),
                key="offers",
            )
    for state in analysis.reachable_states():
        if state.type != "retention" or not analysis.on_cycle(state.id):
            continue
        loop = analysis.loop_through(state.id)
        if len(loop) == 2:
            how = "it leads straight back to itself"
        else:
            how = "it lies on the loop " + " -> ".join(f"'{s}'" for s in loop)
        yield Finding.at(
            state,
            f"retention offer '{state.id}' comes back after a 'no': {how}, so the customer "
            "is asked to stay again and again",
            path=analysis.path_to(state.id) + loop[1:],
            key="loop",
        )
