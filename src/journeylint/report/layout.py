"""Diagram layout for the HTML report: a layered (Sugiyama) drawing computed
by grandalf when the report is written, so the page carries finished SVG
(readable with JavaScript off, printable, nothing to compute on opening).

Why grandalf rather than dagre or Graphviz is in the README's design notes (HTML report section). This
module only decides what to draw and how big each box is, feeds grandalf,
and turns its coordinates into plain data (``Diagram``); the HTML module
draws that data. grandalf is imported here and nowhere else, and this
module is imported only by the ``report`` command.

Readability rules:

* transitions between the same two states are drawn as one arrow whose
  label joins their ``when`` labels; a state's transitions to itself as a
  loop on its right side;
* up to ``LABEL_NODES_UP_TO`` states, each labelled arrow runs through a
  label box that takes part in the layout, so labels never overlap boxes
  or each other (what Graphviz does with its label nodes); above that the
  label sits at the arrow's middle (layout cost grows with the boxes);
* above ``FULL_UP_TO`` states the diagram shows the neighbourhood of the
  findings only: each finding's witness path, its state and the states one
  step before and after it, up to ``FULL_UP_TO`` states in all.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import Analysis
from ..model import Journey, State

FULL_UP_TO = 250
LABEL_NODES_UP_TO = 120
#: characters shown of a title / a detail line / an arrow label before "..."
TITLE_CHARS, DETAIL_CHARS, LABEL_CHARS = 30, 38, 48
TITLE_CHAR_WIDTH = 7.4    # average px of a bold 12px sans-serif character
CHAR_WIDTH = 6.4          # ... of an 11px one (details, arrow labels)
LINE_HEIGHT = 15
BOX_MIN_WIDTH, BOX_MAX_WIDTH = 110, 250
X_SPACE, Y_SPACE = 28, 24
COMPONENT_GAP = 48
MARGIN = 24


@dataclass
class Box:
    index: int                   # the state's position in file order
    state: State
    x: float = 0.0               # top-left corner
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    lines: tuple[tuple[str, str], ...] = ()  # (text, "t" title or "d" detail)
    start: bool = False
    reachable: bool = True
    #: transitions to states the diagram leaves out (neighbourhood view)
    hidden_out: int = 0
    self_loop: str | None = None  # label of a transition to itself, "" if none


@dataclass
class Arrow:
    source: int
    target: int
    points: list[tuple[float, float]]
    label: str = ""
    label_at: tuple[float, float] | None = None
    kinds: tuple[str, ...] = ("normal",)
    back: bool = False           # drawn against the flow (a loop back)


@dataclass
class Diagram:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    #: states of the journey the diagram leaves out (0: the whole journey)
    omitted: int = 0

    @property
    def drawn(self) -> set[int]:
        return {b.index for b in self.boxes}


def short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def box_lines(state: State) -> tuple[tuple[str, str], ...]:
    """(text, class) per line: the title on up to two lines, then who and
    where ("actor · channel"), then tags (outcome, type, irreversible, wait)."""
    import textwrap

    title = textwrap.wrap(" ".join(state.label.split()), TITLE_CHARS, break_long_words=True) or [state.id]
    if len(title) > 2:
        title = [title[0], short(" ".join(title[1:]), TITLE_CHARS)]
    lines = [(t, "t") for t in title]
    who = " \u00b7 ".join(x for x in (state.actor, state.channel) if x)
    lines.append((short(who, DETAIL_CHARS) if who else "\u2014", "d"))
    tags = []
    if state.outcome:
        tags.append(f"outcome: {state.outcome}")
    if state.type != "step":
        tags.append(state.type)
    if state.irreversible:
        tags.append("irreversible")
    if state.adverse:
        tags.append("adverse")
    if state.wait:
        from ..loading.durations import format_duration

        tags.append(f"wait {format_duration(state.wait)}")
    if tags:
        lines.append((short(" \u00b7 ".join(tags), DETAIL_CHARS), "d"))
    return tuple(lines)


def text_width(text: str, cls: str = "d") -> float:
    return len(text) * (TITLE_CHAR_WIDTH if cls == "t" else CHAR_WIDTH)


def choose_states(journey: Journey, analysis: Analysis, findings) -> list[int]:
    """Indices of the states to draw, in file order."""
    n = len(analysis.ids)
    if n <= FULL_UP_TO:
        return list(range(n))
    chosen: dict[int, None] = {}

    def add(indices):
        for i in indices:
            if len(chosen) >= FULL_UP_TO:
                return False
            chosen.setdefault(i, None)
        return True

    index = analysis.index
    for finding in findings:
        around = [index[s] for s in finding.path if s in index]
        state = finding.location.state
        if state in index:
            i = index[state]
            around += [i] + analysis.pred[i] + analysis.succ[i]
        if not add(around):
            break
    if not chosen:
        # nothing to focus on: the first steps from start, breadth first
        add(_breadth_first(analysis))
    return sorted(chosen)


def _breadth_first(analysis: Analysis) -> list[int]:
    order = list(dict.fromkeys(analysis.starts))
    seen = set(order)
    for u in order:                      # grows while it is read: a queue
        for v in analysis.succ[u]:
            if v not in seen:
                seen.add(v)
                order.append(v)
    return order


def layout_journey(journey: Journey, findings=(), analysis: Analysis | None = None) -> Diagram:
    """Lay out the journey (or the neighbourhood of its findings, when large)."""
    from grandalf.graphs import Edge, Vertex, graph_core
    from grandalf.layouts import SugiyamaLayout, VertexViewer
    from grandalf.routing import EdgeViewer

    analysis = analysis or Analysis(journey)
    shown = choose_states(journey, analysis, findings)
    shown_set = set(shown)
    starts = set(analysis.starts)
    reachable = analysis.reachable.parent

    boxes: dict[int, Box] = {}
    for i in shown:
        state = analysis.states[i]
        lines = box_lines(state)
        width = max(BOX_MIN_WIDTH, min(BOX_MAX_WIDTH, max(text_width(*line) for line in lines) + 20))
        boxes[i] = Box(i, state, width=width, height=len(lines) * LINE_HEIGHT + 14, lines=lines,
                       start=i in starts, reachable=reachable[i] != -1)

    # one arrow per ordered pair of states, in file order of the transitions
    pairs: dict[tuple[int, int], list] = {}
    for u in shown:
        for v, t in analysis.out[u]:
            if v not in shown_set:
                boxes[u].hidden_out += 1
                continue
            pairs.setdefault((u, v), []).append(t)
    for (u, v), ts in list(pairs.items()):
        if u == v:
            boxes[u].self_loop = _label(ts)
            del pairs[(u, v)]

    with_label_nodes = len(shown) <= LABEL_NODES_UP_TO
    vertices: dict[object, Vertex] = {}
    order: list[Vertex] = []

    def vertex(key, width, height):
        v = Vertex(key)
        v.view = VertexViewer(w=width, h=height)
        vertices[key] = v
        order.append(v)
        return v

    for i in shown:
        vertex(i, boxes[i].width, boxes[i].height)
    edges: list[Edge] = []
    routes: dict[tuple[int, int], list[Edge]] = {}
    labels: dict[tuple[int, int], str] = {}
    for (u, v), ts in pairs.items():
        label = _label(ts)
        labels[(u, v)] = label
        if label and with_label_nodes:
            middle = vertex(("label", u, v), text_width(label) + 8, LINE_HEIGHT + 2)
            chain = [Edge(vertices[u], middle), Edge(middle, vertices[v])]
        else:
            chain = [Edge(vertices[u], vertices[v])]
        for e in chain:
            e.view = EdgeViewer()
        edges.extend(chain)
        routes[(u, v)] = chain

    back = _feedback_edges(order, edges, [vertices[s] for s in analysis.starts if s in shown_set])
    _place_components(order, edges, back)

    # grandalf centres boxes on (0, 0)-based coordinates: move everything so
    # the drawing starts at the margin
    xs = [v.view.xy[0] - v.view.w / 2 for v in order] or [0]
    ys = [v.view.xy[1] - v.view.h / 2 for v in order] or [0]
    dx, dy = MARGIN - min(xs), MARGIN - min(ys)
    # room on the left for the start markers
    if any(b.start for b in boxes.values()):
        dy += 22
    for i, box in boxes.items():
        cx, cy = vertices[i].view.xy
        box.x, box.y = cx - box.width / 2 + dx, cy - box.height / 2 + dy
    arrows = []
    back_set = set(back)
    for (u, v), chain in routes.items():
        points: list[tuple[float, float]] = []
        for e in chain:
            path = [(x + dx, y + dy) for x, y in e.view._pts]
            points.extend(path if not points else path[1:])
        label_at = None
        if labels[(u, v)]:
            if len(chain) == 2:
                mx, my = vertices[("label", u, v)].view.xy
                label_at = (mx + dx, my + dy)
            else:
                label_at = _middle(points)
        points = _clip(points, boxes[u], boxes[v])
        kinds = tuple(dict.fromkeys(t.kind for t in pairs[(u, v)]))
        arrows.append(Arrow(u, v, points, labels[(u, v)], label_at, kinds, any(e in back_set for e in chain)))

    right = [b.x + b.width + (40 if b.self_loop is not None else 0) for b in boxes.values()]
    bottom = [b.y + b.height + (14 if b.hidden_out else 0) for b in boxes.values()]
    for v in order:
        x, y = v.view.xy
        right.append(x + dx + v.view.w / 2)
        bottom.append(y + dy + v.view.h / 2)
    for (u, v), label in labels.items():
        if label and len(routes[(u, v)]) == 1:
            x, y = next(a.label_at for a in arrows if (a.source, a.target) == (u, v))
            right.append(x + text_width(label) / 2)
    for box in boxes.values():
        if box.self_loop:
            right.append(box.x + box.width + 36 + text_width(box.self_loop))
    width = max(right, default=0) + MARGIN
    height = max(bottom, default=0) + MARGIN
    return Diagram(width, height, [boxes[i] for i in shown], arrows, len(analysis.ids) - len(shown))


def _label(transitions) -> str:
    parts = []
    for t in transitions:
        text = t.when or ""
        if t.kind != "normal":
            text = f"{text} [{t.kind}]" if text else f"[{t.kind}]"
        if text and text not in parts:
            parts.append(text)
    return short("; ".join(parts), LABEL_CHARS)


def _feedback_edges(order, edges, starts) -> list:
    """Edges that close a cycle, found by one depth-first search from the
    start states (then from any state not yet seen, in file order).
    grandalf turns them round to layer the graph; choosing them here,
    from start, keeps the customer's way forward pointing down, and keeps
    the drawing the same from one run to the next."""
    out = {v: [] for v in order}
    for e in edges:
        out[e.v[0]].append(e)
    status = {v: 0 for v in order}          # 0 unseen, 1 on the path, 2 done
    back = []
    for root in list(starts) + order:
        if status[root]:
            continue
        status[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            v, pending = stack[-1]
            for e in pending:
                w = e.v[1]
                if status[w] == 0:
                    status[w] = 1
                    stack.append((w, iter(out[w])))
                    break
                if status[w] == 1:
                    back.append(e)
            else:
                status[v] = 2
                stack.pop()
    return back


def _place_components(order, edges, back):
    """Lay out each connected part on its own and set them side by side.
    (grandalf's ``Graph`` gathers a component's edges in a set, whose order
    changes from run to run; building each ``graph_core`` from ordered lists
    keeps the output deterministic.)"""
    from grandalf.graphs import graph_core
    from grandalf.layouts import SugiyamaLayout

    parent = {v: v for v in order}

    def find(v):
        while parent[v] is not v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for e in edges:
        a, b = find(e.v[0]), find(e.v[1])
        if a is not b:
            parent[b] = a
    components: dict = {}
    for v in order:
        components.setdefault(find(v), ([], []))[0].append(v)
    for e in edges:
        components[find(e.v[0])][1].append(e)
    back_set = set(back)
    offset = 0.0
    for vs, es in components.values():
        if len(vs) == 1:
            vs[0].view.xy = (vs[0].view.w / 2, vs[0].view.h / 2)
        else:
            core = graph_core(vs, es)
            layout = SugiyamaLayout(core)
            layout.xspace, layout.yspace = X_SPACE, Y_SPACE
            # the bends of long arrows need little room; grandalf's default
            # (the median box) makes drawings with many long arrows very wide
            layout.dw, layout.dh = 12, 12
            inverted = [e for e in es if e in back_set]
            incoming = {v: 0 for v in vs}
            for e in es:
                incoming[e.v[0] if e in back_set else e.v[1]] += 1
            layout.init_all(roots=[v for v in vs if incoming[v] == 0], inverted_edges=inverted)
            layout.draw()
        left = min(v.view.xy[0] - v.view.w / 2 for v in vs)
        right = max(v.view.xy[0] + v.view.w / 2 for v in vs)
        top = min(v.view.xy[1] - v.view.h / 2 for v in vs)
        for v in vs:
            x, y = v.view.xy
            v.view.xy = (x - left + offset, y - top)
        for e in es:
            e.view.setpath([(x - left + offset, y - top) for x, y in getattr(e.view, "_pts", ())])
        offset += right - left + COMPONENT_GAP


def _middle(points):
    if len(points) % 2 == 1:
        return points[len(points) // 2]
    a, b = points[len(points) // 2 - 1], points[len(points) // 2]
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _clip(points, source: Box, target: Box):
    """Start and end the line on the borders of its boxes, not their centres."""
    if len(points) < 2:
        return points
    points = list(points)
    points[0] = _border(source, points[1])
    points[-1] = _border(target, points[-2])
    return points


def _border(box: Box, toward):
    cx, cy = box.x + box.width / 2, box.y + box.height / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    sx = (box.width / 2) / abs(dx) if dx else float("inf")
    sy = (box.height / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy, 1.0)
    return cx + dx * s, cy + dy * s


# -- many journeys at once ---------------------------------------------------------------

_pending: list = []


def _layout_at(index: int) -> Diagram:
    journey, findings = _pending[index]
    diagram = layout_journey(journey, findings)
    for box in diagram.boxes:
        box.state = None          # the parent has it; no need to send it back
    return diagram


def layout_many(items, jobs: int = 1) -> list[Diagram]:
    """``layout_journey`` for each (journey, findings), on ``jobs`` worker
    processes when there are enough journeys to gain from it (layout is
    most of the time a report takes)."""
    import multiprocessing

    if jobs <= 1 or len(items) < 16 or "fork" not in multiprocessing.get_all_start_methods():
        return [layout_journey(journey, findings) for journey, findings in items]
    global _pending
    _pending = list(items)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            diagrams = pool.map(_layout_at, range(len(items)), chunksize=max(1, len(items) // (jobs * 8)))
    finally:
        _pending = []
    for (journey, _), diagram in zip(items, diagrams):
        states = list(journey.states.values())
        for box in diagram.boxes:
            box.state = states[box.index]
    return diagrams
