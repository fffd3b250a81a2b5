"""JL202 undisclosed-restriction (see ``rules/JL202-undisclosed-restriction.md``)."""
from ..api import Finding, SHOWN, rule, some_names


@rule(code="JL202", name="undisclosed-restriction", severity="error",
      summary="The customer can commit before a restriction is disclosed")
def undisclosed_restriction(journey, analysis, options):
    states = journey.states
    irreversible = [s.id for s in states.values() if s.irreversible]
    if not irreversible:
        return
    restricted: dict[str, list] = {}
    for state in analysis.reachable_states():
        for item in dict.fromkeys(state.restrictions):
            restricted.setdefault(item, []).append(state)
    disclosing: dict[str, list[str]] = {}
    for s in states.values():
        for item in s.discloses:
            disclosing.setdefault(item, []).append(s.id)
    # Two searches per restriction, every restriction at once (one bit each), so
    # that a journey naming a restriction per state stays linear.
    bit = {item: k for k, item in enumerate(restricted)}
    told = analysis.item_masks(bit, lambda s: s.discloses)
    # 1. irreversible steps the customer can take before anyone disclosed the item
    #    (a disclosure at the step itself is in time)
    untold = analysis.reach_items({s: (1 << len(bit)) - 1 for s in analysis.starts}, told)
    index = analysis.index
    committed = {}
    for sid in irreversible:
        i = index[sid]
        if untold.bits[i] & ~told[i]:
            committed[i] = untold.bits[i] & ~told[i]
    if not committed:
        return
    # 2. states the customer can get to after such a commitment
    after = analysis.reach_items(committed, [0] * len(told))
    for item, targets in restricted.items():
        k = bit[item]
        disclosers = disclosing.get(item, [])
        for state in targets:
            if not after.reached(state.id, k):
                continue
            tail = after.path(state.id, k)
            step = tail[0]
            path = untold.path(step, k) + tail[1:]
            if state.id == step:
                lead = f"'{state.id}' is irreversible and applies the restriction '{item}'"
                committed_at = "the customer commits here"
            else:
                lead = f"'{state.id}' applies the restriction '{item}'"
                committed_at = f"the customer can commit at the irreversible step '{step}'"
            if disclosers:
                verb = "discloses" if len(disclosers) == 1 else "disclose"
                message = (f"{lead}, but {committed_at} before any state discloses it "
                           f"({some_names(disclosers)} {verb} it only later or on another way)")
            else:
                message = f"{lead}, which no state discloses: {committed_at} without knowing it"
            related = []
            if step != state.id:
                related.append(states[step].location.with_note(f"irreversible step, before '{item}' is disclosed"))
            related += [states[d].location.with_note(f"discloses '{item}', not before the commitment")
                        for d in disclosers[:SHOWN]]
            yield Finding.at(state, message, path=path, related=tuple(related), key=item)
