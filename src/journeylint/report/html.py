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


def build_view(report, *, layout=True) -> dict:
    """Everything the template shows, computed once."""
    from ..loading.durations import format_duration
    from .layout import layout_journey

    result = report.result
    grouped = findings_by_journey(result)
    views: list[JourneyView] = []
    anchors: dict[tuple[str, str], str] = {}
    for n, journey in enumerate(result.journeys):
        anchors[(journey.file, journey.id)] = f"j{n}"
    for n, journey in enumerate(result.journeys):
        own = grouped.get((journey.file, journey.id), [])
        analysis = Analysis(journey)
        metrics = journey_metrics(journey, own, analysis)
        diagram = layout_journey(journey, own, analysis) if layout else None
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
    drawn = view.diagram.drawn if view.diagram is not None else range(len(ids))
    return {ids[i]: i for i in drawn}


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


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("journeylint.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from ..loading.durations import format_duration

    env.filters["num"] = lambda v: "" if v is None else v
    env.filters["duration"] = format_duration
    env.globals["path_d"] = path_d
    env.globals["loop_d"] = loop_d
    return env


def path_d(points) -> str:
    """An SVG path through ``points`` with its corners rounded."""
    if not points:
        return ""
    f = lambda p: f"{p[0]:.1f},{p[1]:.1f}"  # noqa: E731
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


def loop_d(box) -> str:
    x, y, h = box.x + box.width, box.y, box.height
    return f"M{x:.1f},{y + h * 0.3:.1f} C{x + 34:.1f},{y + h * 0.1:.1f} {x + 34:.1f},{y + h * 0.9:.1f} {x:.1f},{y + h * 0.7:.1f}"


def render_report(report, **_) -> str:
    """The report as one HTML document (a ``render(report)`` like the outputs')."""
    view = build_view(report)
    css, js = _asset("report.css"), _asset("report.js")
    data = script_json(view.pop("data"))
    csp = ("default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; "
           f"style-src {_sha256(css)}; script-src {_sha256(js)}")
    from markupsafe import Markup

    return _environment().get_template("report.html.j2").render(
        css=Markup(css), js=Markup(js), data=Markup(data), csp=csp, severities=SEVERITIES, **view)


render = render_report
