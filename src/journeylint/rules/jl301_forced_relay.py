"""JL301 forced-relay (see ``rules/JL301-forced-relay.md``)."""
from ..api import Finding, rule


def _first_staff_actors(analysis) -> list[tuple]:
    """For every state, up to two staff actors the customer can meet first
    from there (passing over customer, system, bot and actor-less states).

    Two are enough: a redirect is a forced relay when some team other than
    the redirecting one is met, and with two distinct teams one of them
    always differs. Sets only grow and are capped at two, so the backward
    propagation touches each state at most twice: linear.
    """
    states = analysis.states
    found: list[tuple] = [()] * len(states)
    queue = []

    def merge(index, actors):
        current = found[index]
        grown = current
        for actor in actors:
            if len(grown) < 2 and actor not in grown:
                grown = grown + (actor,)
        if grown != current:
            found[index] = grown
            queue.append(index)

    for i, state in enumerate(states):
        if state.is_staff:
            found[i] = (state.actor,)
            queue.append(i)
    pred = analysis.pred
    while queue:
        v = queue.pop()
        for u in pred[v]:
            if not states[u].is_staff:
                merge(u, found[v])
    return found


@rule(code="JL301", name="forced-relay", severity="error",
      summary="Staff redirect the customer to another team to contact themselves")
def forced_relay(journey, analysis, options):
    redirects = [(state, t) for state in analysis.reachable_states() if state.is_staff
                 for t in state.transitions if t.kind == "redirect"]
    if not redirects:
        return
    staff = frozenset(i for i, s in enumerate(analysis.states) if s.is_staff)
    first_staff = _first_staff_actors(analysis)
    for state, t in redirects:
        if not any(actor != state.actor for actor in first_staff[analysis.index[t.target]]):
            continue
        # only now, for a real finding, search for the other teams and a way to them
        onward = analysis.reach(sources=[t.target], blocked=staff)
        met = [analysis.states[i] for i in sorted(staff) if onward.reached(i)
               and analysis.states[i].actor != state.actor]
        other = met[0]
        teams = list(dict.fromkeys(s.actor for s in met))
        names = ", ".join(f"'{team}'" for team in teams)
        via = "" if other.id == t.target else f" (at '{other.id}')"
        yield Finding.at(
            t,
            f"forced relay: '{state.id}' ({state.actor}) redirects the customer to '{t.target}', "
            f"where they must contact team {names}{via} themselves; the company's internal "
            "communication is left to the customer",
            path=analysis.path_to(state.id) + onward.path(other.id),
            related=tuple(s.location.with_note(f"team '{s.actor}' met after the redirect") for s in met),
            key=f"{state.id}->{t.target}",
        )
