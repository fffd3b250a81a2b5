"""JL105 unmet-prerequisite (see ``rules/JL105-unmet-prerequisite.md``)."""
from ..api import Finding, rule

#: states named in one message; a big journey may have hundreds of them
SHOWN = 3


def _names(ids) -> str:
    ids = list(ids)
    shown = ", ".join(f"'{i}'" for i in ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


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
    ways = {}
    facts = {}  # the granting states' situation, per item
    stuck = ": the customer arrives without what is demanded and is stuck"
    for state in analysis.reachable_states():
        for item in dict.fromkeys(state.requires):
            if item not in ways:
                # one search per item: blocking the requiring state too (when it
                # grants the item) changes neither whether it is reached nor the way
                ways[item] = analysis.reach(blocked=frozenset(granting.get(item, ())))
            way = ways[item]
            if not way.reached(state.id):
                continue
            # its own grants come after it lets the customer through, so they do not count
            if item not in facts:
                granters = granting.get(item, [])
                reachable_granters = [g for g in granters if analysis.is_reachable(g)]
                # whether it is circular does not depend on the requiring state: a
                # state that requires the item is never a way round the requirement
                blockers = _circular(analysis, requiring[item], reachable_granters) if reachable_granters else []
                facts[item] = granters, reachable_granters, blockers
            granters, reachable_granters, blockers = facts[item]
            own_grant = item in state.grants
            if own_grant:
                granters = [g for g in granters if g != state.id]
                reachable_granters = [g for g in reachable_granters if g != state.id]
            lead = f"'{state.id}' requires '{item}'"
            related = [states[g].location.with_note(f"grants '{item}'") for g in granters[:SHOWN]]
            if not granters:
                own = " (only its own grants, which come too late)" if own_grant else ""
                message = f"{lead}, but no state grants it{own}{stuck}"
            elif not reachable_granters:
                message = (f"{lead}, but no state the customer can reach grants it "
                           f"({_names(granters)} cannot be reached){stuck}")
            else:
                if blockers:
                    one = len(reachable_granters) == 1
                    message = (f"{lead}, which only {_names(reachable_granters)} {'grants' if one else 'grant'}, "
                               f"and the customer can get to {'it' if one else 'them'} only through "
                               f"{'a state' if len(blockers) == 1 else 'states'} requiring '{item}' "
                               f"({_names(blockers)}): the requirement is circular, nobody can meet it")
                    related += [states[b].location.with_note(f"requires '{item}' before it can be granted")
                                for b in blockers[:SHOWN] if b != state.id]
                else:
                    grant_word = "grants" if len(granters) == 1 else "grant"
                    message = f"{lead}, but this way reaches it without passing {_names(granters)}, which {grant_word} it{stuck}"
            yield Finding.at(state, message, path=way.path(state.id), related=tuple(related), key=item)


def _circular(analysis, requirers, granters) -> list[str]:
    """When no granting state can be reached without passing a state that
    requires the item (or requiring it itself): the requiring states the
    customer meets first on the way to one (every way to a granting state
    passes one of them). Otherwise an empty list."""
    blocked = frozenset(requirers)
    free = analysis.reach(blocked=blocked)
    if any(free.reached(g) and g not in blocked for g in granters):
        return []
    leads_on = analysis.can_reach(granters)
    index = analysis.index
    return [r for r in requirers if free.reached(r) and leads_on[index[r]]]
