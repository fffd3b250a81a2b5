"""Graph analyses shared by the rules, computed once per journey on demand.

Every question the rules ask reduces to a handful of linear passes over the
journey's graph: breadth-first search (forward, backward, with states that
may be entered but not passed through), strongly connected components, and
Dijkstra on the states (or on states paired with a small label, for
hand-offs and channel switches). Each result is cached on the ``Analysis``,
so ten rules asking "what is reachable from start" cost one search.

The passes run on integer adjacency lists rather than on the networkx graph
(``Journey.graph``): they are the hot path of every run, and plain lists are
several times faster to build and walk for the same linear algorithms.
Witness paths are rebuilt from predecessor maps only when a finding asks.
"""
from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from functools import cached_property

from .findings import ELIDED
from .model import Journey, State, Transition

#: witness states a journey may spend, per state it has (and at least the floor);
#: past it a witness keeps its last WITNESS_TAIL states (findings.Elided)
WITNESS_BUDGET_PER_STATE = 20
WITNESS_BUDGET_FLOOR = 200_000
WITNESS_TAIL = 16

#: transitions that hand the customer to another person or door
HANDOVER_KINDS = frozenset({"transfer", "redirect"})


@dataclass(frozen=True)
class Cheapest:
    """The best way from start to a resolution under one measure."""

    value: float
    path: tuple[str, ...]
    #: for hand-offs and switches: the states on ``path`` where one was counted
    counted_at: tuple[str, ...] = ()


def strongly_connected(succ: list[list[int]], inside: list[bool] | None = None) -> list[int]:
    """Component id of each node (-1 outside ``inside``), by Tarjan's algorithm
    without recursion, so that a 50,000-state chain does not exhaust the stack."""
    n = len(succ)
    index_of = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    comp = [-1] * n
    stack: list[int] = []
    counter = comp_count = 0
    for root in range(n):
        if index_of[root] != -1 or (inside is not None and not inside[root]):
            continue
        work = [(root, 0)]
        index_of[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            edges = succ[v]
            if i < len(edges):
                work[-1] = (v, i + 1)
                w = edges[i]
                if inside is not None and not inside[w]:
                    continue
                if index_of[w] == -1:
                    index_of[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and index_of[w] < low[v]:
                    low[v] = index_of[w]
                continue
            work.pop()
            if work and low[v] < low[work[-1][0]]:
                low[work[-1][0]] = low[v]
            if low[v] == index_of[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = comp_count
                    if w == v:
                        break
                comp_count += 1
    return comp


class Reach:
    """States reached by a search from ``sources``, with a way to each."""

    __slots__ = ("_analysis", "parent", "_sources")

    def __init__(self, analysis: "Analysis", parent: list[int | None], sources):
        self._analysis = analysis
        self.parent = parent          # -1: not reached; None: a source
        self._sources = sources

    def reached(self, state: str | int) -> bool:
        index = self._analysis.index[state] if isinstance(state, str) else state
        return self.parent[index] != -1

    def path(self, state: str | int) -> tuple[str, ...] | None:
        """State ids from a source to ``state``, or None if not reached."""
        a = self._analysis
        index = a.index[state] if isinstance(state, str) else state
        if self.parent[index] == -1:
            return None
        parent = self.parent
        chain = a.bounded_chain(index, parent.__getitem__)
        return a.ids_of(reversed(chain))

    def reached_ids(self) -> list[str]:
        a = self._analysis
        return [a.ids[i] for i, p in enumerate(self.parent) if p != -1]


class Analysis:
    """Lazily computed facts about one journey's graph."""

    def __init__(self, journey: Journey):
        self.journey = journey
        self.ids: list[str] = list(journey.states)
        self.index: dict[str, int] = {sid: i for i, sid in enumerate(self.ids)}
        self.states: list[State] = list(journey.states.values())
        index = self.index
        self.out: list[list[tuple[int, Transition]]] = [
            [(index[t.target], t) for t in s.transitions] for s in self.states
        ]
        self.succ: list[list[int]] = [[v for v, _ in edges] for edges in self.out]
        self.starts: tuple[int, ...] = tuple(index[s] for s in journey.start)
        self._reach_cache: dict = {}
        self._witness_budget = max(WITNESS_BUDGET_FLOOR, WITNESS_BUDGET_PER_STATE * len(self.ids))
        self._coreach_cache: dict = {}
        self._cheapest_cache: dict = {}

    # -- reachability -----------------------------------------------------

    def reach(self, sources=None, blocked: frozenset = frozenset()) -> Reach:
        """Breadth-first search from ``sources`` (default: the start states).

        States in ``blocked`` are entered but not passed through, which
        answers "is T reachable when the states of B are removed" for every
        T at once (T itself may be in B: reaching it is then allowed).
        """
        sources = self.starts if sources is None else tuple(
            self.index[s] if isinstance(s, str) else s for s in sources)
        blocked_idx = frozenset(self.index[b] if isinstance(b, str) else b for b in blocked)
        key = (sources, blocked_idx)
        cached = self._reach_cache.get(key)
        if cached is not None:
            return cached
        parent: list[int | None] = [-1] * len(self.ids)
        queue = deque()
        for s in sources:
            if parent[s] == -1:
                parent[s] = None
                queue.append(s)
        succ = self.succ
        while queue:
            u = queue.popleft()
            if u in blocked_idx:
                continue
            for v in succ[u]:
                if parent[v] == -1:
                    parent[v] = u
                    queue.append(v)
        result = Reach(self, parent, sources)
        self._reach_cache[key] = result
        return result

    @cached_property
    def reachable(self) -> Reach:
        """What the customer can get to from start."""
        return self.reach()

    def is_reachable(self, state: str) -> bool:
        return self.reachable.reached(state)

    def reachable_states(self) -> tuple[State, ...]:
        """Reachable states in file order (most rules start here: made once)."""
        return self._reachable_states

    @cached_property
    def _reachable_states(self) -> tuple[State, ...]:
        parent = self.reachable.parent
        return tuple(s for i, s in enumerate(self.states) if parent[i] != -1)

    def path_to(self, state: str) -> tuple[str, ...] | None:
        """A shortest path from start to ``state``."""
        return self.reachable.path(state)

    def bounded_chain(self, index: int, step) -> list[int]:
        """``[index, step(index), ...]`` until ``step`` gives None, within the
        journey's witness budget; past it, the first WITNESS_TAIL states and
        -1 where the rest was. Every witness is built through here, so the
        witness work of a journey is bounded whatever its findings."""
        limit = self._witness_budget if self._witness_budget > 0 else WITNESS_TAIL
        out = [index]
        while True:
            index = step(index)
            if index is None:
                break
            if len(out) >= limit:
                out.append(-1)
                break
            out.append(index)
        self._witness_budget = max(0, self._witness_budget - len(out))
        return out

    def ids_of(self, indices) -> tuple[str, ...]:
        ids = self.ids
        return tuple(ELIDED if i < 0 else ids[i] for i in indices)

    def can_reach(self, targets) -> list[bool]:
        """For every state: can it reach one of ``targets``? (one backward search)"""
        target_idx = frozenset(self.index[t] if isinstance(t, str) else t for t in targets)
        cached = self._coreach_cache.get(target_idx)
        if cached is not None:
            return cached
        result = [False] * len(self.ids)
        queue = deque(target_idx)
        for t in target_idx:
            result[t] = True
        pred = self.pred
        while queue:
            v = queue.popleft()
            for u in pred[v]:
                if not result[u]:
                    result[u] = True
                    queue.append(u)
        self._coreach_cache[target_idx] = result
        return result

    @cached_property
    def pred(self) -> list[list[int]]:
        pred: list[list[int]] = [[] for _ in self.ids]
        for u, vs in enumerate(self.succ):
            for v in vs:
                pred[v].append(u)
        return pred

    @cached_property
    def resolutions(self) -> list[int]:
        return [i for i, s in enumerate(self.states) if s.outcome == "resolved"]

    @cached_property
    def can_resolve(self) -> list[bool]:
        """Which states can still lead to a resolution."""
        return self.can_reach(self.resolutions)

    @cached_property
    def resolution_reachable(self) -> bool:
        parent = self.reachable.parent
        return any(parent[r] != -1 for r in self.resolutions)

    # -- cycles -------------------------------------------------------------

    @cached_property
    def components(self) -> list[int]:
        """Strongly connected component id of each state (iterative Tarjan)."""
        return strongly_connected(self.succ)

    @cached_property
    def component_members(self) -> dict[int, list[int]]:
        members: dict[int, list[int]] = {}
        for i, c in enumerate(self.components):
            members.setdefault(c, []).append(i)
        return members

    @cached_property
    def _self_loops(self) -> frozenset[int]:
        return frozenset(u for u, vs in enumerate(self.succ) if u in vs)

    def on_cycle(self, state: str | int) -> bool:
        """The customer can come back to this state."""
        i = self.index[state] if isinstance(state, str) else state
        return len(self.component_members[self.components[i]]) > 1 or i in self._self_loops

    def cycles(self) -> list[list[str]]:
        """Each cyclic component's states, in file order, components ordered
        by their first state in file order."""
        return [list(members) for members in self._cycles]

    @cached_property
    def _cycles(self) -> tuple[tuple[str, ...], ...]:
        components, members, ids = self.components, self.component_members, self.ids
        self_loops = self._self_loops
        out = []
        seen = set()
        for i, c in enumerate(components):
            if c in seen:
                continue
            seen.add(c)
            group = members[c]
            if len(group) > 1 or i in self_loops:
                out.append(tuple(ids[m] for m in group))
        return tuple(out)

    def leaves_component(self, state: str | int) -> bool:
        """Some transition leaves this state's component."""
        i = self.index[state] if isinstance(state, str) else state
        comp = self.components
        c = comp[i]
        return any(comp[v] != c for m in self.component_members[c] for v in self.succ[m])

    # -- cheapest ways to a resolution ----------------------------------------

    def cheapest(self, measure: str) -> Cheapest | None:
        """The least value of ``measure`` from start to a resolution, with its path.

        Measures: ``steps`` (states with an actor), ``wait`` (seconds),
        ``cost`` (money, waiting on priced channels included), ``offers``
        (retention states), ``handoffs`` and ``switches`` (as rules.md defines
        them). None when no resolution is reachable.
        """
        if measure in self._cheapest_cache:
            return self._cheapest_cache[measure]
        if measure in ("handoffs", "switches"):
            result = self._labelled_dijkstra(measure)
        else:
            result = self._node_dijkstra(self.node_costs(measure))
        self._cheapest_cache[measure] = result
        return result

    def node_costs(self, measure: str) -> list[float]:
        journey = self.journey
        if measure == "steps":
            return [1 if s.actor is not None else 0 for s in self.states]
        if measure == "wait":
            return [s.wait or 0 for s in self.states]
        if measure == "offers":
            return [1 if s.type == "retention" else 0 for s in self.states]
        if measure == "cost":
            costs = []
            for s in self.states:
                channel = journey.channel(s.channel)
                per_minute = channel.cost_per_minute if channel else 0.0
                costs.append((s.cost or 0) + per_minute * (s.wait or 0) / 60.0)
            return costs
        raise ValueError(f"unknown measure {measure!r}")

    def _node_dijkstra(self, cost: list[float]) -> Cheapest | None:
        n = len(self.ids)
        dist = [float("inf")] * n
        parent: list[int | None] = [-1] * n
        heap = []
        for s in self.starts:
            if cost[s] < dist[s]:
                dist[s] = cost[s]
                parent[s] = None
                heapq.heappush(heap, (cost[s], s))
        targets = set(self.resolutions)
        succ = self.succ
        while heap:
            d, u = heapq.heappop(heap)
            if d > dist[u]:
                continue
            if u in targets:
                path = []
                i = u
                while i is not None:
                    path.append(self.ids[i])
                    i = parent[i]
                return Cheapest(d, tuple(reversed(path)))
            for v in succ[u]:
                nd = d + cost[v]
                if nd < dist[v]:
                    dist[v] = nd
                    parent[v] = u
                    heapq.heappush(heap, (nd, v))
        return None

    def exceeding(self, measure: str, limit: float) -> Cheapest | None:
        """``cheapest(measure)`` when its value is over ``limit``, else None.

        For hand-offs and switches, the count along any way from start to a
        resolution bounds the least count from above: when one of the
        shortest paths to the first few resolutions stays within ``limit``,
        so does the best way, and the labelled search (the dearest analysis
        on most journeys) is not needed."""
        if measure in ("handoffs", "switches") and measure not in self._cheapest_cache:
            bound = self._count_along_shortest(measure)
            if bound is None or bound <= limit:
                return None
        best = self.cheapest(measure)
        return best if best is not None and best.value > limit else None

    def _count_along_shortest(self, measure: str) -> int | None:
        """The least count of ``measure`` (hand-offs, switches) along the
        shortest paths from start to the first ``_BOUND_PATHS`` reachable
        resolutions in file order; None if none is reachable."""
        walks = self._shortest_walks
        if not walks:
            return None
        states = self.states
        initial, step, _ = self._label_rules(measure, None)
        least = None
        for first, steps in walks:
            label = initial(states[first])
            total = 0
            for t, v in steps:
                label, cost = step(label, t, states[v])
                total += cost
            if least is None or total < least:
                least = total
        return least

    @cached_property
    def _shortest_walks(self) -> list[tuple[int, list[tuple[Transition, int]]]]:
        """(first state, [(transition, state entered), ...]) of a shortest
        path from start to each of the first ``_BOUND_PATHS`` reachable
        resolutions in file order."""
        parent = self.reachable.parent
        out = self.out
        walks = []
        for target in [r for r in self.resolutions if parent[r] != -1][:_BOUND_PATHS]:
            steps = []
            v = target
            while parent[v] is not None:
                u = parent[v]
                steps.append((next(t for w, t in out[u] if w == v), v))
                v = u
            steps.reverse()
            walks.append((v, steps))
        return walks

    def _label_rules(self, measure: str, useful):
        """``(initial, step, merge)`` of the labelled search for ``measure``:
        the label a start state gets, the next label and the count a
        transition adds, and how a label is simplified where what it holds
        can no longer matter (``useful``: see ``_next_counted``)."""
        states = self.states
        if measure == "handoffs":
            def initial(s):
                return (s.actor, False, False) if s.is_staff else (None, False, False)

            def step(label, t: Transition, s: State):
                last, handed, escalated = label
                handed = handed or t.kind in HANDOVER_KINDS
                escalated = escalated or t.kind == "escalate"
                if not s.is_staff:
                    return (last, handed, escalated), 0
                if last is None or (escalated and not handed):
                    cost = 0
                else:
                    cost = 1 if handed or last != s.actor else 0
                return (s.actor, False, False), cost

            def merge(v, label):
                last, handed, escalated = label
                if last is None or states[v].is_staff:
                    return label
                # after a hand-over or an escalation the next step's count no longer
                # depends on who came last; before, only a team met next can matter
                if handed or escalated or (useful[v] is not None and last not in useful[v]):
                    return (_OTHER, handed, escalated)
                return label
        else:
            def uses(s):
                return s.channel if s.actor == "customer" and s.channel else None

            def initial(s):
                return uses(s)

            def step(label, t: Transition, s: State):
                channel = uses(s)
                if channel is None:
                    return label, 0
                return channel, (1 if label is not None and label != channel else 0)

            def merge(v, label):
                if label is None or uses(states[v]) is not None:
                    return label
                return _OTHER if useful[v] is not None and label not in useful[v] else label
        return initial, step, merge

    def _labelled_dijkstra(self, measure: str) -> Cheapest | None:
        """Dijkstra on (state, label) pairs, where the label carries what the
        count depends on: the last staff actor and the kinds of transitions
        since (hand-offs), or the last channel the customer used (switches).
        Labels are few (teams, channels), so the search stays near-linear.

        A last actor (channel) that no next counted state can match along the
        way is kept only as "another one" (``_OTHER``): many teams feeding one
        long run of customer steps would otherwise make a label per team on
        every step of it."""
        states = self.states
        initial, step, merge = self._label_rules(measure, self._next_counted(measure))
        targets = set(self.resolutions)
        dist: dict = {}
        parent: dict = {}
        heap = []
        counter = 0
        for s in self.starts:
            key = (s, initial(states[s]))
            if key not in dist:
                dist[key] = 0
                parent[key] = None
                heap.append((0, counter, key))
                counter += 1
        heapq.heapify(heap)
        out = self.out
        while heap:
            d, _, key = heapq.heappop(heap)
            if d > dist[key]:
                continue
            u, label = key
            if u in targets:
                path, counted = [], []
                k = key
                while k is not None:
                    previous = parent[k]
                    path.append(self.ids[k[0]])
                    if previous is not None and dist[k] > dist[previous]:
                        counted.append(self.ids[k[0]])
                    k = previous
                return Cheapest(d, tuple(reversed(path)), tuple(reversed(counted)))
            for v, t in out[u]:
                new_label, c = step(label, t, states[v])
                nk = (v, merge(v, new_label))
                nd = d + c
                if nd < dist.get(nk, float("inf")):
                    dist[nk] = nd
                    parent[nk] = key
                    heapq.heappush(heap, (nd, counter, nk))
                    counter += 1
        return None

    # -- loops ----------------------------------------------------------------

    def loop_through(self, state: str | int) -> tuple[str, ...] | None:
        """A way round the loop through ``state``: ids from ``state`` back to
        itself (``(s, s)`` for a self-loop), or None if it lies on no cycle.

        Linear per component, however many of its states are asked about: two
        searches inside the component from and to its first state ``r`` give
        every state ``s`` a way s -> ... -> r -> ... -> s (for ``r`` itself, the
        shortest way back through one of its successors)."""
        i = self.index[state] if isinstance(state, str) else state
        if not self.on_cycle(i):
            return None
        if i in self._self_loops:
            return (self.ids[i], self.ids[i])
        c = self.components[i]
        trees = self._loop_trees.get(c)
        if trees is None:
            trees = self._loop_trees[c] = self._component_trees(c)
        root, from_root, to_root, distance = trees

        def down(v):  # v -> ... -> root
            return self.bounded_chain(v, lambda u: None if u == root else to_root[u])

        def up(v):  # root -> ... -> v
            return self.bounded_chain(v, lambda u: None if u == root else from_root[u])[::-1]

        if i == root:
            inside = [v for v in self.succ[i] if self.components[v] == c]
            walk = [i] + down(min(inside, key=lambda v: (distance[v], v)))
        else:
            walk = down(i) + up(i)[1:]
        return self.ids_of(walk)

    @cached_property
    def _loop_trees(self) -> dict:
        return {}

    def _component_trees(self, c: int):
        """Breadth-first trees inside component ``c``, from and to its first state."""
        comp = self.components
        root = self.component_members[c][0]
        from_root = {root: None}
        queue = deque([root])
        while queue:
            u = queue.popleft()
            for v in self.succ[u]:
                if comp[v] == c and v not in from_root:
                    from_root[v] = u
                    queue.append(v)
        to_root = {root: None}
        distance = {root: 0}
        queue = deque([root])
        while queue:
            v = queue.popleft()
            for u in self.pred[v]:
                if comp[u] == c and u not in to_root:
                    to_root[u] = v
                    distance[u] = distance[v] + 1
                    queue.append(u)
        return root, from_root, to_root, distance

    # -- states every way must pass, and loops inside a set of states (JL6xx) --

    def unavoidable(self, targets) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The states every path from start to one of ``targets`` passes, in
        the order a path meets them, with a witness path; ``((), ())`` when no
        target is reachable. A path ends at the first target it reaches.

        Every such state lies on any one path, so one witness P from a
        breadth-first search is enough: P[i] is unavoidable when nothing
        reached from start and P[0..i-1] (without passing P[i]) gets beyond
        it, that is to a later state of P or to a target off P. Walking P in
        order and extending one search as each P[i] is passed visits every
        state and transition once: linear, where removing each candidate in
        turn would be quadratic."""
        target_idx = frozenset(self.index[t] if isinstance(t, str) else t for t in targets)
        parent = self.reachable.parent
        reached = [t for t in target_idx if parent[t] != -1]
        if not reached:
            return (), ()
        # a path ends at its first target: cut the witness there
        order = [self.index[s] for s in self.reachable.path(min(reached))]
        first = next(i for i, v in enumerate(order) if v in target_idx)
        order = order[:first + 1]
        path = [self.ids[v] for v in order]
        position = {v: i for i, v in enumerate(order)}
        beyond_all = len(order)
        seen = set(order)
        furthest = 0
        succ = self.succ

        def extend(sources):
            nonlocal furthest
            stack = list(sources)
            while stack:
                u = stack.pop()
                for v in succ[u]:
                    p = position.get(v)
                    if p is not None:
                        furthest = max(furthest, p)
                    elif v in target_idx:
                        furthest = beyond_all
                    elif v not in seen:
                        seen.add(v)
                        stack.append(v)

        # the entry: every start, as if one virtual source led to all of them
        starts = []
        for s in self.starts:
            if s in position:
                furthest = max(furthest, position[s])
            elif s in target_idx:
                furthest = beyond_all
            elif s not in seen:
                seen.add(s)
                starts.append(s)
        extend(starts)
        out = []
        for i, v in enumerate(order):
            if furthest <= i:
                out.append(self.ids[v])
            if v not in target_idx:
                extend([v])
        return tuple(out), tuple(path)

    def cycles_within(self, allowed) -> list[list[str]]:
        """The loops that stay inside ``allowed`` (a set of state ids or
        indices): each strongly connected component of the subgraph they
        induce that holds a cycle, its states in file order, components
        ordered by their first state in file order (iterative Tarjan)."""
        inside = [False] * len(self.ids)
        for a in allowed:
            inside[self.index[a] if isinstance(a, str) else a] = True
        n = len(self.ids)
        succ = self.succ
        comp = strongly_connected(succ, inside)
        members: dict[int, list[int]] = {}
        for i in range(n):
            if comp[i] != -1:
                members.setdefault(comp[i], []).append(i)
        out = []
        done = set()
        for i in range(n):
            c = comp[i]
            if c == -1 or c in done:
                continue
            done.add(c)
            group = members[c]
            if len(group) > 1 or i in succ[i]:
                out.append([self.ids[m] for m in group])
        return out

    # -- one search per item, all items at once (JL105, JL201, JL202, JL204) ----

    def reach_items(self, seeds, blocks, reverse: bool = False) -> "ItemReach":
        """What ``reach(sources, blocked)`` answers for many items at once,
        one bit per item: bit k of ``seeds[i]`` makes state i a source of
        item k's search, bit k of ``blocks[i]`` makes it entered but not
        passed in that search. ``seeds`` maps state indices to ints (in the
        order the sources should be tried), ``blocks`` is a list with one int
        per state. With ``reverse``, the searches follow transitions
        backwards ("which states can reach a target of item k").

        A per-item search costs items x (states + transitions), which a
        journey naming an item per state makes quadratic. Here the searches
        advance together, breadth-first by rounds: a state passes on only the
        items it gained in the round before, so each transition is followed
        once per round in which its source gained something (a handful of
        times, however many items there are), never more often than the
        per-item searches together would follow it."""
        n = len(self.ids)
        adjacency = self.pred if reverse else self.succ
        bits = [0] * n
        # for each state, the items it gained and from where: the first state
        # of the round before (in visiting order) that passed them on, which is
        # what a breadth-first search's parent is; None for a source
        # (a list only for the states reached: most are, but each list costs)
        origin: list[list[tuple[int, int | None]] | None] = [None] * n
        frontier: dict[int, int] = {}
        for s, items in seeds.items():
            i = self.index[s] if isinstance(s, str) else s
            new = items & ~bits[i]
            if new:
                bits[i] |= new
                if origin[i] is None:
                    origin[i] = []
                origin[i].append((new, None))
                frontier[i] = frontier.get(i, 0) | new
        # the big-int operations are the cost: each is skipped where an
        # operand is 0 (no block, a state not reached yet)
        while frontier:
            following: dict[int, int] = {}
            for v, new in frontier.items():
                blocked = blocks[v]
                passed = new & ~blocked if blocked else new
                if not passed:
                    continue
                for w in adjacency[v]:
                    held = bits[w]
                    if not held:
                        bits[w] = passed
                        origin[w] = [(passed, v)]
                        following[w] = following.get(w, 0) | passed
                        continue
                    add = passed & ~held
                    if add:
                        bits[w] = held | add
                        origin[w].append((add, v))
                        following[w] = following.get(w, 0) | add
            frontier = following
        return ItemReach(self, bits, origin, reverse)

    def can_reach_items(self, targets: list[int]) -> list[int]:
        """``can_reach`` for many items at once: bit k of ``targets[i]`` makes
        state i a target of item k; bit k of the result's entry for a state
        is set when it can reach a target of item k. One pass over the
        strongly connected components, sinks first (Tarjan numbers them so),
        where one backward search per item would follow every transition
        once per item."""
        comp = self.components
        members = self.component_members
        succ = self.succ
        bits = [0] * len(self.ids)
        for c in range(len(members)):
            group = members[c]
            acc = 0
            for u in group:
                acc |= targets[u]
                for v in succ[u]:
                    if comp[v] != c:
                        acc |= bits[v]
            for u in group:
                bits[u] = acc
        return bits

    def item_masks(self, bit: dict[str, int], items_of) -> list[int]:
        """One int per state for :meth:`reach_items`: the bits ``bit[x]`` of
        the items ``items_of(state)`` names (items without a bit are left out)."""
        masks = []
        for state in self.states:
            mask = 0
            for item in items_of(state):
                k = bit.get(item)
                if k is not None:
                    mask |= 1 << k
            masks.append(mask)
        return masks


    def _next_counted(self, measure: str) -> list:
        """For ``cheapest("handoffs")`` ("switches"): for each state that
        passes the label on (not staff; not a customer step with a channel),
        the actors (channels) of the counted states it can meet next along
        transitions that keep the label meaningful (for hand-offs, no
        transfer, redirect or escalate), or None when there are more than
        ``_USEFUL_CAP`` of them (every label is then kept). One backward
        propagation; each set grows at most ``_USEFUL_CAP`` + 1 times, so it
        is linear."""
        states = self.states
        if measure == "handoffs":
            def counted(s):
                return s.actor if s.is_staff else None

            def plain(t):
                return t.kind not in HANDOVER_KINDS and t.kind != "escalate"
        else:
            def counted(s):
                return s.channel if s.actor == "customer" and s.channel else None

            def plain(t):
                return True
        n = len(self.ids)
        carrier = [counted(s) is None for s in states]
        useful: list = [frozenset()] * n
        into: list[list[int]] = [[] for _ in range(n)]
        stack = []
        for u in range(n):
            if not carrier[u]:
                continue
            found = set()
            for v, t in self.out[u]:
                if not plain(t):
                    continue
                if carrier[v]:
                    into[v].append(u)
                else:
                    found.add(counted(states[v]))
            if found:
                useful[u] = frozenset(found) if len(found) <= _USEFUL_CAP else None
                stack.append(u)
        while stack:
            v = stack.pop()
            for u in into[v]:
                current = useful[u]
                if current is None:
                    continue
                grown = None if useful[v] is None else current | useful[v]
                if grown is not None and len(grown) > _USEFUL_CAP:
                    grown = None
                if grown is None or len(grown) > len(current):
                    useful[u] = grown
                    stack.append(u)
        return useful


#: a last actor or channel that nothing met next can match (see ``_labelled_dijkstra``)
_OTHER = object()
#: how many actors (channels) met next are told apart before every label is kept
_USEFUL_CAP = 8
#: resolutions whose shortest path bounds a count before the labelled search
_BOUND_PATHS = 4


class ItemReach:
    """The result of :meth:`Analysis.reach_items`: which states each item's
    search reached, and a shortest way to each (as ``Reach.path`` gives)."""

    __slots__ = ("_analysis", "bits", "_origin", "_reverse")

    def __init__(self, analysis: Analysis, bits, origin, reverse):
        self._analysis = analysis
        self.bits = bits
        self._origin = origin
        self._reverse = reverse

    def reached(self, state: str | int, item: int) -> bool:
        i = self._analysis.index[state] if isinstance(state, str) else state
        return bool(self.bits[i] >> item & 1)

    def path(self, state: str | int, item: int) -> tuple[str, ...] | None:
        """State ids from a source of ``item`` to ``state`` (with ``reverse``:
        from ``state`` to a source), or None if the search did not reach it."""
        a = self._analysis
        i = a.index[state] if isinstance(state, str) else state
        bit = 1 << item
        if not self.bits[i] & bit:
            return None
        origin = self._origin

        def step(v):
            for items, parent in origin[v] or ():
                if items & bit:
                    return parent
            return None

        out = a.bounded_chain(i, step)
        return a.ids_of(out if self._reverse else reversed(out))
