"""JL305 closed-door (see ``rules/JL305-closed-door.md``)."""
from ..api import Finding, rule


@rule(code="JL305", name="closed-door", severity="error",
      summary="The customer is sent to a team that takes no customer contact")
def closed_door(journey, analysis, options):
    closed = {name for name, team in journey.teams.items() if not team.contact}
    if not closed:
        return
    for state in analysis.reachable_states():
        for t in state.transitions:
            target = journey.states[t.target]
            if target.actor not in closed or not target.is_staff:
                continue
            if state.is_staff and t.kind != "redirect":
                continue  # staff passing the case on internally is how such a team should be reached
            how = "redirects the customer to" if t.kind == "redirect" else "sends the customer to"
            team = journey.teams[target.actor]
            yield Finding.at(
                t,
                f"closed door: '{state.id}' {how} '{target.id}', handled by team '{target.actor}', "
                "which takes no customer contact (contact: false)",
                path=analysis.path_to(state.id) + (target.id,),
                related=(team.location.with_note(f"team '{team.name}' declared contact: false"),)
                if team.location else (),
                key=f"{state.id}->{target.id}",
            )
