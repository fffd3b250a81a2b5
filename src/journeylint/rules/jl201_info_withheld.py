"""JL201 info-withheld (see ``rules/JL201-info-withheld.md``)."""
from ..api import Finding, rule


#: states named in one message; a big journey may have hundreds of them
SHOWN = 3


def _names(ids) -> str:
    ids = list(ids)
    shown = ", ".join(f"'{i}'" for i in ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


@rule(code="JL201", name="info-withheld", severity="error",
      summary="A decision can be reached before the information it needs is disclosed")
def info_withheld(journey, analysis, options):
    states = journey.states
    irreversible = frozenset(s.id for s in states.values() if s.irreversible)
    disclosing: dict[str, list[str]] = {}
    for s in states.values():
        for item in s.discloses:
            disclosing.setdefault(item, []).append(s.id)
    facts = {}
    for state in analysis.reachable_states():
        for item in dict.fromkeys(state.needs):
            if item in state.discloses:
                continue  # told at the decision itself: in time
            if item not in facts:
                disclosers = disclosing.get(item, [])
                facts[item] = (disclosers, analysis.reach(blocked=frozenset(disclosers)),
                               _after_commitment(analysis, disclosers, irreversible))
            disclosers, way, late = facts[item]
            if not way.reached(state.id):
                continue
            lead = f"'{state.id}' needs '{item}'"
            if not disclosers:
                message = f"{lead}, which no state discloses: the customer must decide without it"
                related = ()
            elif late is not None:
                step, discloser = late
                message = f"{lead}, which is only disclosed after the irreversible step '{step}'"
                if discloser != step:
                    message += f" (at '{discloser}')"
                message += ": the customer must commit before learning it"
                step_note = "irreversible step" + (f", discloses '{item}'" if step in disclosers else "")
                related = (states[step].location.with_note(step_note),) + tuple(
                    states[d].location.with_note(f"discloses '{item}' too late")
                    for d in [d for d in disclosers if d != step][:SHOWN])
            else:
                verb = "discloses" if len(disclosers) == 1 else "disclose"
                message = (f"{lead}, but this way reaches the decision without the customer being told: "
                           f"only {_names(disclosers)} {verb} it, and not on this way")
                related = tuple(states[d].location.with_note(f"discloses '{item}', not on this way")
                                for d in disclosers[:SHOWN])
            yield Finding.at(state, message, path=way.path(state.id), related=related, key=item)


def _after_commitment(analysis, disclosers, irreversible):
    """(the irreversible step, a discloser behind it) when every discloser the
    customer can reach lies behind an irreversible state (a disclosure at the
    irreversible state itself is behind it too); else None."""
    reachable = [d for d in disclosers if analysis.is_reachable(d)]
    if not reachable or not irreversible:
        return None
    before = analysis.reach(blocked=irreversible)
    if any(before.reached(d) and d not in irreversible for d in reachable):
        return None
    discloser = reachable[0]
    step = next(s for s in analysis.path_to(discloser) if s in irreversible)
    return step, discloser
