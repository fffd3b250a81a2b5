"""Text output: ``file:line:col: CODE name [severity] message`` per finding,
the witness path under it, and a summary line. Colour only on a terminal."""
from __future__ import annotations

from collections import Counter

from . import Report, clean as _clean


def clean(text: str) -> str:
    """clean(), and a line break shown as \\n: one finding is one line, so a
    line break in a state name could otherwise forge a finding of its own."""
    if text.isprintable():  # the usual case: every character _clean changes is unprintable
        return text
    return _clean(text).replace("\n", "\\n")


_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


#: a witness longer than this is shown by its two ends (JSON and SARIF keep it whole)
MAX_SHOWN_PATH = 24


def _shorten(path) -> str:
    if len(path) <= MAX_SHOWN_PATH:
        return " -> ".join(path)
    half = MAX_SHOWN_PATH // 2
    hidden = len(path) - 2 * half
    return " -> ".join(path[:half]) + f" -> ... ({hidden:,} more) -> " + " -> ".join(path[-half:])


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def lines(report: Report, *, quiet=False, statistics=False):
    """(text, style) pieces per line; style None for plain."""
    out = []
    # in files with several journeys, say which one each finding is about
    several = {r.display for r in report.result.files if len(r.journeys) > 1}
    # a file is named on every line about it: cleaned once (a tenth of the
    # output's time on a journey with thousands of findings)
    files: dict[str, str] = {}

    def file_name(name):
        shown = files.get(name)
        if shown is None:
            shown = files[name] = clean(name)
        return shown

    for f in report.result.findings:
        sev = f.severity.label
        which = f" journey '{clean(f.journey)}':" if f.file in several and f.journey else ""
        out.append([
            (f"{file_name(f.file)}:{f.line}:{f.column}: ", "bold"),
            (f"{f.code} {f.name} ", None),
            (f"[{sev}]", _STYLES[sev]),
            (f"{which} {clean(f.message)}", None),
        ])
        if f.path:
            out.append([(f"    path: {clean(_shorten(f.path))}", "dim")])
        for r in f.related:
            note = f" ({clean(r.note)})" if r.note else ""
            out.append([(f"    see: {file_name(r.file)}:{r.line}:{r.column}{note}", "dim")])
    if statistics:
        counts = Counter((f.code, f.name, f.severity.label) for f in report.result.findings)
        if counts:
            out.append([("", None)])
            for (code, name, sev), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                out.append([(f"{n:>5}  {code}  {name} [{sev}]", None)])
    if report.fixed:
        out.append([("", None)])
        out.append([(f"{_plural(len(report.fixed), 'baseline entry')} no longer occur{'s' if len(report.fixed) == 1 else ''}:".replace("entrys", "entries"), "green")])
        for entry in report.fixed:
            out.append([(f"    {clean(entry.get('file', '?'))}: {entry.get('code', '?')} {clean(entry.get('message', ''))}", "dim")])
    if not quiet:
        out.append(_summary(report))
    return out


def _summary(report: Report):
    result = report.result
    files = report.files_checked or len(result.files)
    journeys = len(result.journeys)
    findings = result.findings
    if not findings:
        return [(f"No problems found in {_plural(journeys, 'journey')} ({_plural(files, 'file')} checked).", "green")]
    counts = Counter(f.severity.label for f in findings)
    parts = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info") if counts[s])
    affected = len({f.file for f in findings})
    return [(f"Found {_plural(len(findings), 'problem')} ({parts}) in {affected} of {_plural(files, 'file')} "
             f"({_plural(journeys, 'journey')} checked).", "bold")]


def render(report: Report, *, color=False, quiet=False, statistics=False, **_) -> str:
    pieces = lines(report, quiet=quiet, statistics=statistics)
    if not color:
        return "".join("".join(text for text, _ in line) + "\n" for line in pieces)
    import io

    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, color_system="standard", width=10_000,
                      soft_wrap=True, highlight=False, emoji=False, markup=False)
    for line in pieces:
        text = Text()
        for part, style in line:
            text.append(part, style=style)
        console.print(text)
    return buffer.getvalue()
