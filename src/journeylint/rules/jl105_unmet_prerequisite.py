"""JL105 unmet-prerequisite (see ``rules/JL105-unmet-prerequisite.md``)."""
from ..api import Finding, SHOWN, rule, some_names


@rule(code="JL105", name="unmet-prerequisite", severity="error",
      summary="A state requires something the customer may arrive without")
def unmet_prerequisite(journey, analysis, options):
    states = journey.states
    granting: dict[str, list[str]] = {}
    requiring: dict[str, list[str]] = {}
    for s in states.values():
        for item in s.grants:
            granting.setdefault(item, []).append(s.id)
        for item in s.requires:
            requiring.setdefault(item, []).append(s.id)
    reachable = analysis.reachable_states()
    bit: dict[str, int] = {}
    for state in reachable:
        for item in state.requires:
            bit.setdefault(item, len(bit))
    if not bit:
        return
    # one search per item, all items at once (one bit each), so that a journey
    # naming an item per state stays linear: granting states are entered, not
    # passed; blocking the requiring state too (when it grants the item)
    # changes neither whether it is reached nor the way
    seeds = {s: (1 << len(bit)) - 1 for s in analysis.starts}
    ways = analysis.reach_items(seeds, analysis.item_masks(bit, lambda s: s.grants))
    searches = []  # the circular check's two searches, made on first need
    facts = {}  # the granting states' situation, per item
    stuck = ": the customer arrives without what is demanded and is stuck"
    for state in reachable:
        for item in dict.fromkeys(state.requires):
            k = bit[item]
            if not ways.reached(state.id, k):
                continue
            # its own grants come after it lets the customer through, so they do not count
            if item not in facts:
                granters = granting.get(item, [])
                reachable_granters = [g for g in granters if analysis.is_reachable(g)]
                # whether it is circular does not depend on the requiring state: a
                # state that requires the item is never a way round the requirement
                if reachable_granters and not searches:
                    searches += _circular_searches(analysis, bit, seeds)
                blockers = (_circular(analysis, k, requiring[item], reachable_granters, *searches)
                            if reachable_granters else [])
                facts[item] = granters, reachable_granters, blockers, set(granters)
            granters, reachable_granters, blockers, granter_set = facts[item]
            own_grant = item in state.grants
            n_granters, n_reachable = len(granters), len(reachable_granters)
            if own_grant and state.id in granter_set:
                # only the first few are named: dropping itself from the head is enough,
                # where filtering the whole list for every finding would be quadratic
                # (the state is reachable, so it is among the reachable granters too)
                n_granters -= 1
                n_reachable -= 1
                granters = [g for g in granters[:SHOWN + 1] if g != state.id][:SHOWN]
                reachable_granters = [g for g in reachable_granters[:SHOWN + 1] if g != state.id][:SHOWN]
            lead = f"'{state.id}' requires '{item}'"
            related = [states[g].location.with_note(f"grants '{item}'") for g in granters[:SHOWN]]
            if not n_granters:
                own = " (only its own grants, which come too late)" if own_grant else ""
                message = f"{lead}, but no state grants it{own}{stuck}"
            elif not n_reachable:
                message = (f"{lead}, but no state the customer can reach grants it "
                           f"({some_names(granters, n_granters)} cannot be reached){stuck}")
            else:
                if blockers:
                    one = n_reachable == 1
                    message = (f"{lead}, which only {some_names(reachable_granters, n_reachable)} {'grants' if one else 'grant'}, "
                               f"and the customer can get to {'it' if one else 'them'} only through "
                               f"{'a state' if len(blockers) == 1 else 'states'} requiring '{item}' "
                               f"({some_names(blockers)}): the requirement is circular, nobody can meet it")
                    related += [states[b].location.with_note(f"requires '{item}' before it can be granted")
                                for b in blockers[:SHOWN] if b != state.id]
                else:
                    grant_word = "grants" if n_granters == 1 else "grant"
                    message = (f"{lead}, but this way reaches it without passing {some_names(granters, n_granters)}, "
                               f"which {grant_word} it{stuck}")
            yield Finding.at(state, message, path=ways.path(state.id, k), related=tuple(related), key=item)


def _circular_searches(analysis, bit, seeds):
    """For every item at once: what the customer reaches from start without
    passing a state that requires it, and which states lead on to a state
    that grants it."""
    requires = analysis.item_masks(bit, lambda s: s.requires)
    grants = analysis.item_masks(bit, lambda s: s.grants)
    free = analysis.reach_items(seeds, requires)
    leads_on = analysis.can_reach_items(grants)
    return free, leads_on, requires


def _circular(analysis, k, requirers, granters, free, leads_on, requires) -> list[str]:
    """When no granting state can be reached without passing a state that
    requires the item (bit ``k``), or requiring it itself: the requiring
    states the customer meets first on the way to one (every way to a
    granting state passes one of them). Otherwise an empty list."""
    index = analysis.index
    if any(free.reached(g, k) and not requires[index[g]] >> k & 1 for g in granters):
        return []
    return [r for r in requirers if free.reached(r, k) and leads_on[index[r]] >> k & 1]
