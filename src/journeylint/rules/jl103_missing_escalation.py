"""JL103 missing-escalation (see ``rules/JL103-missing-escalation.md``)."""
from ..api import Finding, SHOWN, rule, some_names

#: outcomes where the journey failed the customer
FAILED_OUTCOMES = ("unresolved", "abandoned")


@rule(code="JL103", name="missing-escalation", severity="warning",
      summary="A state where the journey can fail has no way to an escalation")
def missing_escalation(journey, analysis, options):
    escalations = [i for i, s in enumerate(analysis.states) if s.type == "escalation"]
    can_escalate = analysis.can_reach(escalations)
    if escalations:
        names = [analysis.ids[i] for i in escalations]
        nobody = (f"no escalation state ({some_names(names)}) is reachable from it" if len(names) > 1
                  else f"the escalation state {some_names(names)} is not reachable from it")
        related_escalations = tuple(
            analysis.states[i].location.with_note("escalation, not reachable from here") for i in escalations[:SHOWN])
    else:
        nobody = "the journey has no escalation state"
        related_escalations = ()
    tail = ": the customer has no way to someone with the authority to put things right"
    reach = analysis.reachable
    index = analysis.index

    covered = set()
    for members in analysis.cycles():
        first = members[0]
        if not reach.reached(first):
            continue
        covered.update(members)
        # one member reaching an escalation means every member does (they reach each other)
        if can_escalate[index[first]]:
            continue
        if any(journey.states[m].broken_next for m in members):
            continue  # the missing way out may be the broken transition (JL001/JL002)
        if len(members) == 1:
            what = f"state '{first}' can come back to itself, so the customer may go round it"
        else:
            what = f"states {some_names(members)} form a loop the customer may go round"
        yield Finding.at(
            journey.states[first], f"{what}, but {nobody.replace('from it', 'from the loop')}{tail}",
            path=analysis.path_to(first) + analysis.loop_through(first)[1:],
            related=related_escalations, key=first,
        )

    for state in analysis.reachable_states():
        if state.id in covered or can_escalate[index[state.id]] or state.broken_next:
            continue
        reasons = []
        related = []
        if state.adverse:
            reasons.append("it is adverse")
        failed = [t.target for t in state.transitions if journey.states[t.target].outcome in FAILED_OUTCOMES]
        if failed:
            ends = [f"'{t}' ({journey.states[t].outcome})" for t in dict.fromkeys(failed)]
            reasons.append("it leads straight to " + (ends[0] if len(ends) == 1 else ", ".join(ends[:-1]) + " and " + ends[-1]))
            related += [journey.states[t].location.with_note(f"{journey.states[t].outcome} outcome")
                        for t in dict.fromkeys(failed)]
        if not reasons:
            continue
        path = analysis.path_to(state.id)
        if failed:
            path = path + (failed[0],)
        yield Finding.at(
            state,
            f"state '{state.id}' is where the journey can fail ({'; '.join(reasons)}), but {nobody}{tail}",
            path=path, related=tuple(related) + related_escalations, key=state.id,
        )
