"""JL502 scripted-loop (see ``rules/JL502-scripted-loop.md``)."""
from collections import deque

from ..api import Finding, rule


def _tree(start, edges, inside):
    """Breadth-first parents from ``start`` along ``edges``, within ``inside``
    (dict order is the visiting order, so earlier means no farther)."""
    parent = {start: None}
    queue = deque([start])
    while queue:
        u = queue.popleft()
        for v in edges[u]:
            if v in inside and v not in parent:
                parent[v] = u
                queue.append(v)
    return parent


def _walk(parent, node):
    out = []
    while node is not None:
        out.append(node)
        node = parent[node]
    return out


class _Loops:
    """Ways round a strongly connected component, for every state in it.

    One search out of and one into a root per component (linear in the
    component); a state's loop is then its way to the root and the root's
    way back, so each witness costs its own length only. For the root
    itself the loop is a shortest cycle through it.
    """

    def __init__(self, analysis):
        self.analysis = analysis
        self.trees = {}

    def through(self, i) -> list[int]:
        a = self.analysis
        if i in a.succ[i]:
            return [i, i]
        comp = a.components[i]
        if comp not in self.trees:
            inside = frozenset(a.component_members[comp])
            self.trees[comp] = (i, _tree(i, a.succ, inside), _tree(i, a.pred, inside))
        root, out_tree, in_tree = self.trees[comp]
        if i == root:
            # the nearest state leading back to the root closes a shortest cycle
            back = next(p for p in out_tree if i in a.succ[p])
            return list(reversed(_walk(out_tree, back))) + [i]
        return _walk(in_tree, i) + list(reversed(_walk(out_tree, i)))[1:]


@rule(code="JL502", name="scripted-loop", severity="warning",
      summary="A canned reply that can come back to the same customer")
def scripted_loop(journey, analysis, options):
    loops = _Loops(analysis)
    for state in analysis.reachable_states():
        if not state.scripted or not analysis.on_cycle(state.id):
            continue
        loop = tuple(analysis.ids[i] for i in loops.through(analysis.index[state.id]))
        yield Finding.at(
            state,
            f"scripted loop: the canned reply of '{state.id}' lies on a cycle ({' -> '.join(loop)}), "
            "so the same reply can come back to the same customer",
            path=analysis.path_to(state.id) + loop[1:],
        )
