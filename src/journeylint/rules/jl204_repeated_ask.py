"""JL204 repeated-ask (see ``rules/JL204-repeated-ask.md``)."""
from ..api import Finding, rule


@rule(code="JL204", name="repeated-ask", severity="warning",
      summary="The customer is asked again for what they already gave or were told")
def repeated_ask(journey, analysis, options):
    reach = analysis.reachable
    askers: dict[str, list] = {}
    for state in analysis.reachable_states():
        for item in dict.fromkeys(state.asks):
            askers.setdefault(item, []).append(state)
    if not askers:
        return
    # Where what the customer said is forgotten: the start states and the
    # targets of new contacts (a redirect, or a drop nobody calls back).
    # Transfers never reset: if the context travels there is no reason to ask again.
    fresh = list(analysis.starts)
    for u, edges in enumerate(analysis.out):
        if reach.reached(u):
            fresh.extend(v for v, t in edges if t.is_new_contact)
    fresh = tuple(dict.fromkeys(fresh))
    states = journey.states
    bit = {item: k for k, item in enumerate(askers)}
    knows = analysis.item_masks(bit, lambda s: s.asks + s.discloses)
    index = analysis.index
    # reaching an asker from a fresh point without passing a knower is a way
    # on which its question is the first since the last new contact; one
    # search per item, every item at once (one bit each), so that a journey
    # naming an item per state stays linear
    first_ask = analysis.reach_items({f: (1 << len(bit)) - 1 for f in fresh}, knows)
    transfers_from: dict[str, frozenset] = {}

    def transfer_targets(sid):
        # made once per state: a hub's many transitions are not read again for every finding
        if sid not in transfers_from:
            transfers_from[sid] = frozenset(t.target for t in states[sid].transitions if t.kind == "transfer")
        return transfers_from[sid]

    for item, asking in askers.items():
        k = bit[item]
        for state in asking:
            if first_ask.reached(state.id, k):
                continue
            path = analysis.path_to(state.id)
            # the nearest knower before it on this path comes after the last new contact:
            # otherwise a fresh point followed by no knower would lead here
            at = len(path) - 2
            while not knows[index[path[at]]] >> k & 1:
                at -= 1
            earlier = states[path[at]]
            if item in earlier.asks:
                when, note = f"the customer already gave at '{earlier.id}'", f"asked for '{item}' first"
            else:
                when, note = f"the customer was already told at '{earlier.id}'", f"told '{item}' first"
            transfers = [(a, b) for a, b in zip(path[at:], path[at + 1:]) if b in transfer_targets(a)]
            since = ""
            if transfers:
                a, b = transfers[-1]
                since = f" (the transfer from '{a}' to '{b}' does not reset that)"
            yield Finding.at(
                state,
                f"'{state.id}' asks again for '{item}', which {when}: every way here has asked for it "
                f"or told it since the last new contact{since}, so the customer repeats themselves",
                path=path, related=(earlier.location.with_note(note),), key=item,
            )
