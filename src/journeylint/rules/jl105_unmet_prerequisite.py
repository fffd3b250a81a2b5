"""JL105 unmet-prerequisite (see ``rules/JL105-unmet-prerequisite.md``)."""
from ..api import Finding, rule


def _names(ids) -> str:
    return ", ".join(f"'{i}'" for i in ids)


@rule(code="JL105", name="unmet-prerequisite", severity="error",
      summary="A state requires something the customer may arrive without")
def unmet_prerequisite(journey, analysis, options):
    states = journey.states
    reach = analysis.reachable
    for state in analysis.reachable_states():
        for item in dict.fromkeys(state.requires):
            # its own grants come after it lets the customer through, so they do not count
            granters = [s.id for s in states.values() if item in s.grants and s.id != state.id]
            way = analysis.reach(blocked=frozenset(granters))
            if not way.reached(state.id):
                continue
            path = way.path(state.id)
            related = [states[g].location.with_note(f"grants '{item}'") for g in granters]
            lead = f"'{state.id}' requires '{item}'"
            stuck = ": the customer arrives without what is demanded and is stuck"
            reachable_granters = [g for g in granters if reach.reached(g)]
            if not granters:
                own = " (only its own grants, which come too late)" if item in state.grants else ""
                message = f"{lead}, but no state grants it{own}{stuck}"
            elif not reachable_granters:
                message = f"{lead}, but no state the customer can reach grants it ({_names(granters)} cannot be reached){stuck}"
            else:
                blockers = _circular_blockers(journey, analysis, item, reachable_granters)
                grant_word = "grants" if len(granters) == 1 else "grant"
                if blockers:
                    them = "it" if len(reachable_granters) == 1 else "them"
                    grant_word = "grants" if len(reachable_granters) == 1 else "grant"
                    message = (f"{lead}, which only {_names(reachable_granters)} {grant_word}, and the customer can get to {them} "
                               f"only through {'a state' if len(blockers) == 1 else 'states'} requiring '{item}' "
                               f"({_names(blockers)}): the requirement is circular, nobody can meet it")
                    related += [states[b].location.with_note(f"requires '{item}' before it can be granted")
                                for b in blockers if b != state.id]
                else:
                    message = f"{lead}, but this way reaches it without passing {_names(granters)}, which {grant_word} it{stuck}"
            yield Finding.at(state, message, path=path, related=tuple(related), key=item)


def _circular_blockers(journey, analysis, item, granters) -> list[str]:
    """When every granter lies behind (or at) a state requiring ``item``: the
    first such state on the way to each granter; else an empty list."""
    requirers = frozenset(s.id for s in journey.states.values() if item in s.requires)
    free = analysis.reach(blocked=requirers)
    if any(free.reached(g) and g not in requirers for g in granters):
        return []
    blockers = []
    for g in granters:
        first = next(s for s in analysis.path_to(g) if s in requirers)
        if first not in blockers:
            blockers.append(first)
    return blockers
