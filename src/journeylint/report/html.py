"""The HTML report: one self-contained file, nothing fetched from anywhere.

Data flows one way: the run's ``Report`` (findings, journeys, rule
metadata) -> a view model built here (metrics, diagrams, findings with the
state indices of their witness paths) -> the Jinja2 template (autoescape on
for everything) with its stylesheet and script inlined. The script and the
stylesheet are allowed by their SHA-256 in the Content-Security-Policy, so
even markup that slipped through escaping could run nothing; the data the
script needs is JSON in a ``<script type="application/json">`` block with
``<``, ``>`` and ``&`` written as ``\\u`` escapes, so no text from a journey
can close that block.
"""
from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ..analysis import Analysis
from ..findings import Severity
from ..model import Journey
from .metrics import COLUMNS, JourneyMetrics, findings_by_journey, journey_metrics

SEVERITIES = ("error", "warning", "info")
NO_TEAM = "(no owner)"
NO_KIND = "(no kind)"


@dataclass
class FindingView:
    id: str
    finding: object
    journey_anchor: str | None
    kind: str
    team: str
    #: state indices of the witness path that the diagram draws
    path_indices: list[int] = field(default_factory=list)
    state_index: int | None = None


@dataclass
class JourneyView:
    anchor: str
    journey: Journey
    metrics: JourneyMetrics
    diagram: object
    findings: list[FindingView]
    worst: dict[int, str]            # state index -> worst severity label
    counts: dict[int, int]           # state index -> number of findings
    kind: str
    team: str
    #: measure -> (highlight id, figure, path) for the "cheapest ways" list
    ways: list = field(default_factory=list)

    @property
    def severities(self) -> str:
        return " ".join(sorted({f.finding.severity.label for f in self.findings}))

    @property
    def rules(self) -> str:
        return " ".join(sorted({f.finding.code for f in self.findings}))


def friction_key(view: JourneyView):
    m = view.metrics
    return (-m.errors, -m.warnings, -m.infos, m.file, m.journey)


def build_view(report, *, jobs=1) -> dict:
    """Everything the template shows, computed once."""
    from ..loading.durations import format_duration
    from .layout import layout_many

    result = report.result
    grouped = findings_by_journey(result)
    views: list[JourneyView] = []
    anchors: dict[tuple[str, str], str] = {}
    for n, journey in enumerate(result.journeys):
        anchors[(journey.file, journey.id)] = f"j{n}"
    diagrams = layout_many([(j, grouped.get((j.file, j.id), [])) for j in result.journeys], jobs)
    for n, (journey, diagram) in enumerate(zip(result.journeys, diagrams)):
        own = grouped.get((journey.file, journey.id), [])
        analysis = Analysis(journey)
        metrics = journey_metrics(journey, own, analysis)
        views.append(JourneyView(
            anchor=f"j{n}", journey=journey, metrics=metrics, diagram=diagram, findings=[],
            worst={}, counts={}, kind=journey.kind or NO_KIND, team=journey.owner or NO_TEAM))
    by_anchor = {v.anchor: v for v in views}

    findings: list[FindingView] = []
    highlights: dict[str, dict] = {}
    for n, finding in enumerate(result.findings):
        anchor = anchors.get((finding.file, finding.journey)) if finding.journey is not None else None
        view = by_anchor.get(anchor)
        fv = FindingView(f"f{n}", finding, anchor,
                         view.kind if view else NO_KIND, view.team if view else NO_TEAM)
        if view is not None:
            index = _drawn_index(view)
            fv.path_indices = [index[s] for s in finding.path if s in index]
            state = finding.location.state
            fv.state_index = index.get(state) if state is not None else None
            if fv.state_index is not None:
                i = fv.state_index
                view.counts[i] = view.counts.get(i, 0) + 1
                if view.worst.get(i) is None or Severity.parse(view.worst[i]) < finding.severity:
                    view.worst[i] = finding.severity.label
            view.findings.append(fv)
            highlights[fv.id] = {"d": f"{anchor}-d", "s": fv.state_index, "p": fv.path_indices}
        findings.append(fv)

    labels = {"steps": "Fewest steps", "wait": "Least total wait", "cost": "Least cost",
              "handoffs": "Fewest hand-offs", "switches": "Fewest channel switches",
              "offers": "Fewest retention offers"}
    for view in views:
        index = _drawn_index(view)
        for measure, (path, counted) in view.metrics.paths.items():
            if measure == "offers" and view.metrics.offers is None:
                continue
            value = getattr(view.metrics, measure)
            figure = format_duration(value) if measure == "wait" else (
                f"{value:.2f}" if measure == "cost" else str(value))
            hid = f"{view.anchor}-{measure}"
            highlights[hid] = {"d": f"{view.anchor}-d", "s": None, "p": [index[s] for s in path if s in index]}
            view.ways.append((hid, labels[measure], figure, path, counted))

    ordered = sorted(views, key=friction_key)
    severity_counts = Counter(f.severity.label for f in result.findings)
    by_rule = []
    rule_counts = Counter(f.code for f in result.findings)
    for code, count in sorted(rule_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        info = report.rules.get(code)
        affected = {(f.file, f.journey) for f in result.findings if f.code == code}
        worst = max((f.severity for f in result.findings if f.code == code), default=Severity.INFO)
        by_rule.append({"code": code, "name": info.name if info else code, "severity": worst.label,
                        "count": count, "journeys": len(affected), "summary": info.summary if info else ""})
    rule_docs = [_rule_doc(report.rules[code]) for code in sorted(rule_counts) if code in report.rules]
    return {
        "title": report.title or "journeylint report",
        "version": report.version,
        "files": report.files_checked or len(result.files),
        "journeys": ordered,
        "findings": findings,
        "loose": [f for f in findings if f.journey_anchor is None],
        "severity_counts": {s: severity_counts.get(s, 0) for s in SEVERITIES},
        "by_rule": by_rule,
        "rule_docs": rule_docs,
        "enabled_rules": sorted((r for r in report.rules.values() if r.enabled), key=lambda r: r.code),
        "filters": {
            "rule": sorted(rule_counts),
            "kind": sorted({v.kind for v in views} | {f.kind for f in findings}),
            "team": sorted({v.team for v in views} | {f.team for f in findings}),
        },
        "columns": COLUMNS,
        "data": {"highlights": highlights},
    }


def _drawn_index(view: JourneyView) -> dict[str, int]:
    """State id -> index, for the states the diagram draws."""
    ids = list(view.journey.states)
    return {ids[i]: i for i in view.diagram.drawn}


def _rule_doc(info) -> dict:
    return {"code": info.code, "name": info.name, "severity": info.severity, "summary": info.summary,
            "description": info.description, "url": info.url, "html": markdown_html(info.help_markdown)}


@lru_cache(maxsize=None)
def markdown_html(text: str):
    """A rule page as HTML: raw HTML in it is escaped, images are not loaded
    (the report fetches nothing), and unsafe link schemes are dropped."""
    from markupsafe import Markup
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    return Markup(md.render(text or ""))


# -- the page --------------------------------------------------------------------------


def script_json(data) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _asset(name: str) -> str:
    return resources.files("journeylint.report").joinpath("assets", name).read_text("utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _shown(value):
    """Text from journey files, control characters shown (\\x1b) as in the
    text output rather than written raw: a raw one is an HTML parse error,
    and a terminal showing the file would obey it."""
    from markupsafe import Markup

    from ..outputs import clean

    return clean(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("journeylint.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, finalize=_shown)
    from ..loading.durations import format_duration

    env.filters["num"] = lambda v: "" if v is None else v
    env.filters["duration"] = format_duration
    env.globals["svg"] = svg
    return env


def path_d(points) -> str:
    """An SVG path through ``points`` with its corners rounded."""
    if not points:
        return ""
    f = lambda p: f"{p[0]:.0f},{p[1]:.0f}"  # noqa: E731
    d = [f"M{f(points[0])}"]
    if len(points) == 2:
        d.append(f"L{f(points[1])}")
        return " ".join(d)
    mid = lambda a, b: ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)  # noqa: E731
    d.append(f"L{f(mid(points[0], points[1]))}")
    for i in range(1, len(points) - 1):
        d.append(f"Q{f(points[i])} {f(mid(points[i], points[i + 1]))}")
    d.append(f"L{f(points[-1])}")
    return " ".join(d)


def _n(value: float) -> str:
    return f"{value:.0f}"


def svg(view: JourneyView):
    """The diagram as SVG markup. Written here rather than in the template:
    it is most of the page, and plain string building is several times
    faster than template filters for thousands of boxes. Every piece of
    text goes through ``escape``; the rest is numbers and fixed names."""
    from markupsafe import Markup, escape as _escape

    def escape(text):
        return _escape(_shown(str(text)))

    d, anchor = view.diagram, view.anchor
    out = [f'<svg class="diagram" id="{anchor}-d" xmlns="http://www.w3.org/2000/svg" width="{_n(d.width)}" '
           f'height="{_n(d.height)}" viewBox="0 0 {_n(d.width)} {_n(d.height)}" role="img" '
           f'aria-label="diagram of journey {escape(view.journey.id)}"><g class="arrows">']
    for a in d.arrows:
        kinds = "".join(f" k-{k}" for k in a.kinds) + (" back" if a.back else "")
        label = ""
        if a.label:
            label = f'<text x="{_n(a.label_at[0])}" y="{_n(a.label_at[1] + 4)}">{escape(a.label)}</text>'
        out.append(f'<g class="ar{kinds}" id="{anchor}-e{a.source}-{a.target}"><path d="{path_d(a.points)}"/>{label}</g>')
    out.append("</g>")
    for b in d.boxes:
        s = b.state
        sev = view.worst.get(b.index)
        count = view.counts.get(b.index, 0)
        classes = ["st"]
        if s.outcome:
            classes += ["term", f"o-{s.outcome}"]
        if s.irreversible:
            classes.append("irrev")
        if not b.reachable:
            classes.append("unreach")
        if s.type != "step":
            classes.append(f"t-{s.type}")
        if sev:
            classes.append(f"sev-{sev}")
        w, h = b.width, b.height
        tip = s.id + (f": {s.title}" if s.title else "")
        if count:
            tip += f" ({count} finding{'s' if count != 1 else ''}, worst: {sev})"
        out.append(f'<g class="{" ".join(classes)}" id="{anchor}-s{b.index}" data-i="{b.index}" '
                   f'transform="translate({_n(b.x)},{_n(b.y)})"><title>{escape(tip)}</title>')
        if sev:
            out.append(f'<rect class="mark" x="-3" y="-3" width="{_n(w + 6)}" height="{_n(h + 6)}" rx="{16 if s.outcome else 7}"/>')
        out.append(f'<rect class="box" width="{_n(w)}" height="{_n(h)}" rx="{14 if s.outcome else 4}"/>')
        if s.outcome:
            out.append(f'<rect class="inner" x="3" y="3" width="{_n(w - 6)}" height="{_n(h - 6)}" rx="11"/>')
        if s.irreversible:
            out.append(f'<path class="irrev-mark" d="M8,{_n(h - 6)} l6,-11 l6,11 z"/>')
        for n, (text, cls) in enumerate(b.lines):
            out.append(f'<text class="{cls}" x="{_n(w / 2)}" y="{18 + 15 * n}">{escape(text)}</text>')
        if sev:
            out.append(f'<circle class="badge" cx="{_n(w)}" cy="0" r="9"/><text class="badge-n" x="{_n(w)}" y="4">{count}</text>')
        if b.start:
            out.append(f'<circle class="start-dot" cx="{_n(w / 2)}" cy="-20" r="5"/><path class="start-line" d="M{_n(w / 2)},-15 V-2"/>')
        if b.self_loop is not None:
            out.append(f'<path class="loop" d="M{_n(w)},{_n(h * .3)} C{_n(w + 34)},{_n(h * .1)} {_n(w + 34)},{_n(h * .9)} {_n(w)},{_n(h * .7)}"/>')
            if b.self_loop:
                out.append(f'<text class="loop-label" x="{_n(w + 36)}" y="{_n(h / 2 + 4)}">{escape(b.self_loop)}</text>')
        if b.hidden_out:
            out.append(f'<text class="more" x="{_n(w - 2)}" y="{_n(h + 12)}">+{b.hidden_out}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


def render_report(report, *, jobs=1, **_) -> str:
    """The report as one HTML document (a ``render(report)`` like the
    outputs'); ``jobs`` worker processes lay the diagrams out."""
    view = build_view(report, jobs=jobs)
    css, js = _asset("report.css"), _asset("report.js")
    data = script_json(view.pop("data"))
    csp = ("default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
           f"style-src {_sha256(css)}; script-src {_sha256(js)}")
    from markupsafe import Markup

    return _environment().get_template("report.html.j2").render(
        css=Markup(css), js=Markup(js), data=Markup(data), csp=csp, severities=SEVERITIES, **view)


render = render_report
