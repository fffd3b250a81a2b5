"""JL302 transfer-chain (see ``rules/JL302-transfer-chain.md``)."""
from ..api import Finding, Option, rule


@rule(code="JL302", name="transfer-chain", severity="warning",
      summary="Even the way to a resolution with the fewest hand-offs passes too many",
      options={"max_transfers": Option("int", 2, "hand-offs allowed on the way to a resolution "
                                                 "(the journey's budget.transfers takes precedence)")})
def transfer_chain(journey, analysis, options):
    limit = journey.budget.transfers
    if limit is None:
        limit = options["max_transfers"]
    best = analysis.exceeding("handoffs", limit)
    if best is None:
        return
    count = int(best.value)
    # the staff states where the case changes hands: a state of the same team
    # reached without a hand-off adds nothing to the chain
    counted, chain, last = set(best.counted_at), [], None
    for sid in best.path:
        state = journey.states[sid]
        if state.is_staff:
            if last is None or sid in counted or state.actor != last:
                chain.append(sid)
            last = state.actor
    chain = " -> ".join(chain)
    yield Finding.at(
        journey,
        f"transfer chain: {count} hand-off{'s' if count != 1 else ''} on the shortest way to a "
        f"resolution (limit {limit}): {chain}",
        path=best.path,
        related=tuple(journey.states[s].location.with_note(f"hand-off to '{journey.states[s].actor}'")
                      for s in best.counted_at),
    )
