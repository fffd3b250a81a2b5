"""JL202 undisclosed-restriction (see ``rules/JL202-undisclosed-restriction.md``)."""
from ..api import Finding, rule


#: states named in one message; a big journey may have hundreds of them
SHOWN = 3


def _names(ids) -> str:
    ids = list(ids)
    shown = ", ".join(f"'{i}'" for i in ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


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
    for item, targets in restricted.items():
        disclosers = disclosing.get(item, [])
        # 1. irreversible steps the customer can take before anyone disclosed the item
        #    (a disclosure at the step itself is in time)
        untold = analysis.reach(blocked=frozenset(disclosers))
        told = frozenset(disclosers)
        committed = [i for i in irreversible if untold.reached(i) and i not in told]
        if not committed:
            continue
        # 2. states the customer can get to after such a commitment
        after = analysis.reach(sources=committed)
        for state in targets:
            if not after.reached(state.id):
                continue
            tail = after.path(state.id)
            step = tail[0]
            path = untold.path(step) + tail[1:]
            if state.id == step:
                lead = f"'{state.id}' is irreversible and applies the restriction '{item}'"
                committed_at = "the customer commits here"
            else:
                lead = f"'{state.id}' applies the restriction '{item}'"
                committed_at = f"the customer can commit at the irreversible step '{step}'"
            if disclosers:
                verb = "discloses" if len(disclosers) == 1 else "disclose"
                message = (f"{lead}, but {committed_at} before any state discloses it "
                           f"({_names(disclosers)} {verb} it only later or on another way)")
            else:
                message = f"{lead}, which no state discloses: {committed_at} without knowing it"
            related = []
            if step != state.id:
                related.append(states[step].location.with_note(f"irreversible step, before '{item}' is disclosed"))
            related += [states[d].location.with_note(f"discloses '{item}', not before the commitment")
                        for d in disclosers[:SHOWN]]
            yield Finding.at(state, message, path=path, related=tuple(related), key=item)
