"""JL602 exit-auth-gate (see ``rules/JL602-exit-auth-gate.md``)."""
from ..api import Finding, Option, rule


@rule(code="JL602", name="exit-auth-gate", severity="error",
      summary="Every way to cancel passes a login",
      default_enabled=False,
      options={
          "auth_items": Option("items", ["password", "login"], "items whose asking is a login"),
          "auth_requires": Option("items", ["account_access"], "preconditions that mean a login"),
      })
def exit_auth_gate(journey, analysis, options):
    if journey.kind != "cancellation" or not analysis.resolution_reachable:
        return
    asked, required = set(options["auth_items"]), set(options["auth_requires"])

    def gate_reason(state):
        reasons = [f"asks for {i}" for i in state.asks if i in asked]
        reasons += [f"requires {i}" for i in state.requires if i in required]
        return ", ".join(reasons)

    reachable = analysis.reachable_states()
    gates = {s.id: gate_reason(s) for s in reachable if gate_reason(s)}
    if not gates:
        return
    # gates are entered but not passed: a resolution still reached is a way round them
    around = analysis.reach(blocked=frozenset(gates))
    if any(around.reached(r) and analysis.ids[r] not in gates for r in analysis.resolutions):
        return
    can_resolve = analysis.can_resolve
    on_the_way = [sid for sid in gates if can_resolve[analysis.index[sid]]]
    resolution = next(analysis.ids[r] for r in analysis.resolutions if analysis.reachable.reached(r))
    names = ", ".join(f"'{sid}' ({gates[sid]})" for sid in on_the_way)
    yield Finding.at(
        journey,
        f"every way to cancel passes a login: {names}; a customer who lost the password "
        "cannot leave",
        path=analysis.path_to(resolution),
        related=tuple(journey.states[sid].location.with_note(gates[sid]) for sid in on_the_way),
    )
