"""JL201 info-withheld (see ``rules/JL201-info-withheld.md``)."""
from ..api import Finding, SHOWN, rule, some_names


@rule(code="JL201", name="info-withheld", severity="error",
      summary="A decision can be reached before the information it needs is disclosed")
def info_withheld(journey, analysis, options):
    states = journey.states
    irreversible = frozenset(s.id for s in states.values() if s.irreversible)
    disclosing: dict[str, list[str]] = {}
    for s in states.values():
        for item in s.discloses:
            disclosing.setdefault(item, []).append(s.id)
    reachable = analysis.reachable_states()
    bit: dict[str, int] = {}
    for state in reachable:
        for item in state.needs:
            bit.setdefault(item, len(bit))
    if not bit:
        return
    # one search per item, all items at once (one bit each), so that a journey
    # naming an item per state stays linear: disclosing states are entered, not passed
    ways = analysis.reach_items({s: (1 << len(bit)) - 1 for s in analysis.starts},
                                analysis.item_masks(bit, lambda s: s.discloses))
    late_steps = _AfterCommitment(analysis, irreversible)
    facts = {}
    for state in reachable:
        for item in dict.fromkeys(state.needs):
            if item in state.discloses:
                continue  # told at the decision itself: in time
            k = bit[item]
            if not ways.reached(state.id, k):
                continue
            if item not in facts:
                facts[item] = _explain(item, disclosing.get(item, []), states, late_steps)
            lead = f"'{state.id}' needs '{item}'"
            tail, related = facts[item]
            message = lead + tail
            yield Finding.at(state, message, path=ways.path(state.id, k), related=related, key=item)


def _explain(item, disclosers, states, late_steps):
    """The message after the lead and the related locations: the same for
    every decision needing ``item``, so made once per item (a long list of
    disclosing states is then read once, not once per decision)."""
    if not disclosers:
        return ", which no state discloses: the customer must decide without it", ()
    late = late_steps(disclosers)
    if late is not None:
        step, discloser = late
        tail = f", which is only disclosed after the irreversible step '{step}'"
        if discloser != step:
            tail += f" (at '{discloser}')"
        tail += ": the customer must commit before learning it"
        step_note = "irreversible step" + (f", discloses '{item}'" if step in disclosers else "")
        related = (states[step].location.with_note(step_note),) + tuple(
            states[d].location.with_note(f"discloses '{item}' too late")
            for d in [d for d in disclosers if d != step][:SHOWN])
        return tail, related
    verb = "discloses" if len(disclosers) == 1 else "disclose"
    tail = (f", but this way reaches the decision without the customer being told: "
            f"only {some_names(disclosers)} {verb} it, and not on this way")
    related = tuple(states[d].location.with_note(f"discloses '{item}', not on this way")
                    for d in disclosers[:SHOWN])
    return tail, related


class _AfterCommitment:
    """(the irreversible step, a discloser behind it) when every discloser the
    customer can reach lies behind an irreversible state (a disclosure at the
    irreversible state itself is behind it too); else None.

    Asked once per item: the search that avoids irreversible states is made
    once, and the first irreversible state on the shortest way to each state
    is remembered along the breadth-first tree, so a long way to a late
    discloser is walked once, not once per item."""

    def __init__(self, analysis, irreversible):
        self.analysis = analysis
        self.irreversible = irreversible
        self.before = analysis.reach(blocked=irreversible) if irreversible else None
        self.first = {}

    def __call__(self, disclosers):
        analysis, irreversible = self.analysis, self.irreversible
        reachable = [d for d in disclosers if analysis.is_reachable(d)]
        if not reachable or not irreversible:
            return None
        if any(self.before.reached(d) and d not in irreversible for d in reachable):
            return None
        discloser = reachable[0]
        return self._first_irreversible(analysis.index[discloser]), discloser

    def _first_irreversible(self, i):
        """The first irreversible state on ``path_to`` the state ``i``."""
        a, first = self.analysis, self.first
        parent = a.reachable.parent
        chain = []
        while i is not None and i not in first:
            chain.append(i)
            i = parent[i]
        known = first.get(i) if i is not None else None
        for v in reversed(chain):
            if known is None and a.ids[v] in self.irreversible:
                known = a.ids[v]
            first[v] = known
        return known
