"""Effort metrics: the figures ``journeylint metrics`` prints and the HTML
report tabulates, one row per journey.

Every path figure is ``Analysis.cheapest(measure)``, the very search the
rules use (JL302 reads ``handoffs``, JL304 ``switches``, JL402 ``steps``,
``wait`` and ``cost``, JL104 ``offers``), so a figure here and a finding
there can never disagree on what a hand-off or a channel switch is. Each
figure is minimised on its own: the fewest steps and the least wait may be
two different paths, as in JL402.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..analysis import Analysis
from ..findings import Severity
from ..model import Journey

#: (attribute, column header, Analysis measure or None)
COLUMNS = (
    ("journey", "journey", None),
    ("kind", "kind", None),
    ("states", "states", None),
    ("entry_points", "entries", None),
    ("resolutions", "resolutions", None),
    ("steps", "steps", "steps"),
    ("wait", "wait", "wait"),
    ("cost", "cost", "cost"),
    ("handoffs", "hand-offs", "handoffs"),
    ("switches", "switches", "switches"),
    ("offers", "offers", "offers"),
    ("errors", "errors", None),
    ("warnings", "warnings", None),
    ("infos", "infos", None),
)
MEASURES = tuple(measure for _, _, measure in COLUMNS if measure)


@dataclass(frozen=True)
class JourneyMetrics:
    journey: str
    file: str
    kind: str | None
    owner: str | None
    title: str | None
    states: int
    entry_points: int
    #: states with ``outcome: resolved``, reachable or not (as ``states`` counts them all)
    resolutions: int
    #: None when no resolution is reachable from start
    steps: int | None
    wait: int | None                 # seconds
    cost: float | None
    handoffs: int | None
    switches: int | None
    #: retention offers on the way to a resolution with the fewest of them;
    #: cancellation journeys only (None elsewhere), as JL104 counts them
    offers: int | None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    #: the witness path of each figure, by measure (for the report)
    paths: dict = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        """The stable JSON shape (``journeylint metrics --format json``)."""
        return {
            "journey": self.journey,
            "file": self.file,
            "kind": self.kind,
            "owner": self.owner,
            "states": self.states,
            "entry_points": self.entry_points,
            "resolutions": self.resolutions,
            "steps": self.steps,
            "wait_seconds": self.wait,
            "cost": self.cost,
            "handoffs": self.handoffs,
            "switches": self.switches,
            "offers": self.offers,
            "findings": {"error": self.errors, "warning": self.warnings, "info": self.infos},
        }


def _whole(value):
    """Dijkstra sums floats; counts and seconds are whole numbers."""
    return None if value is None else int(round(value))


def journey_metrics(journey: Journey, findings=(), analysis: Analysis | None = None) -> JourneyMetrics:
    """The figures of one journey; ``findings`` are that journey's findings."""
    analysis = analysis or Analysis(journey)
    best = {measure: analysis.cheapest(measure) for measure in MEASURES}
    if journey.kind != "cancellation":
        best["offers"] = None

    def value(measure):
        found = best[measure]
        return None if found is None else found.value

    cost = value("cost")
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    return JourneyMetrics(
        journey=journey.id,
        file=journey.file,
        kind=journey.kind,
        owner=journey.owner,
        title=journey.title,
        states=len(journey.states),
        entry_points=len(journey.start),
        resolutions=sum(1 for s in journey.states.values() if s.is_resolution),
        steps=_whole(value("steps")),
        wait=_whole(value("wait")),
        cost=None if cost is None else round(cost, 2),
        handoffs=_whole(value("handoffs")),
        switches=_whole(value("switches")),
        offers=_whole(value("offers")),
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARNING],
        infos=counts[Severity.INFO],
        paths={m: (b.path, b.counted_at) for m, b in best.items() if b is not None},
    )


def findings_by_journey(result) -> dict[tuple[str, str], list]:
    """Findings keyed by (file, journey id): ids repeat across files only by
    mistake (JL001), and the file keeps their figures apart."""
    out: dict[tuple[str, str], list] = {}
    for finding in result.findings:
        if finding.journey is not None:
            out.setdefault((finding.file, finding.journey), []).append(finding)
    return out


def run_metrics(result) -> list[JourneyMetrics]:
    """One row per journey of a run, in the order the files were checked."""
    grouped = findings_by_journey(result)
    return [journey_metrics(j, grouped.get((j.file, j.id), ())) for j in result.journeys]


# -- formats ------------------------------------------------------------------------


def _cell(row: JourneyMetrics, attribute: str) -> str:
    from ..loading.durations import format_duration

    value = getattr(row, attribute)
    if value is None:
        return "-"
    if attribute == "wait":
        return format_duration(value)
    if attribute == "cost":
        return f"{value:.2f}"
    return str(value)


def format_table(rows: list[JourneyMetrics]) -> str:
    """Aligned columns: text left, figures right; ``-`` where there is no figure."""
    from ..outputs import clean

    header = [title for _, title, _ in COLUMNS]
    body = [[clean(_cell(row, attribute)) for attribute, _, _ in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    numeric = [attribute not in ("journey", "kind") for attribute, _, _ in COLUMNS]
    out = []
    for line in [header] + body:
        cells = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(line, widths, numeric)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def format_json(rows: list[JourneyMetrics]) -> str:
    import json

    return json.dumps({"version": 1, "journeys": [r.to_dict() for r in rows]}, indent=2, ensure_ascii=False) + "\n"


CSV_FIELDS = ("journey", "file", "kind", "owner", "states", "entry_points", "resolutions", "steps",
              "wait_seconds", "cost", "handoffs", "switches", "offers", "errors", "warnings", "infos")


def format_csv(rows: list[JourneyMetrics]) -> str:
    """RFC 4180 CSV with a header; an empty cell where there is no figure."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for row in rows:
        data = row.to_dict()
        data.update(errors=row.errors, warnings=row.warnings, infos=row.infos)
        writer.writerow(["" if data[name] is None else _csv_safe(data[name]) for name in CSV_FIELDS])
    return buffer.getvalue()


def _csv_safe(value):
    """A spreadsheet runs a cell that starts with = + - @ as a formula; text
    from journey files must not (figures are numbers, never affected)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


FORMATTERS = {"table": format_table, "json": format_json, "csv": format_csv}
