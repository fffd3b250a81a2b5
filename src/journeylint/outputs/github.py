"""GitHub Actions output: one workflow command per finding, which GitHub
shows as an annotation on the file and line::

    ::error file=journeys/card.yaml,line=16,col=3,title=JL101 dead-end::state 'wait-for-letter' is ...

Levels: error -> ``error``, warning -> ``warning``, info -> ``notice``. The
witness path and related places follow the message on lines of their own
(``%0A``). Data is escaped as GitHub's toolkit does (``%``, CR, LF), property
values also ``:`` and ``,``. Paths are relative to the repository root,
which is what GitHub resolves them against.

GitHub shows at most 10 annotations of each level per step, so
:func:`step_summary` gives the full list as Markdown for
``$GITHUB_STEP_SUMMARY`` (the CLI appends it when this format is used).
"""
from __future__ import annotations

import os
from urllib.parse import quote

from ..findings import repo_path
from . import Report, clean

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
#: GitHub refuses a step summary over 1 MiB; stay well below with room for other steps' text
SUMMARY_LIMIT = 900_000


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _text(value: str) -> str:
    """clean() shows control characters (CR included) as escapes; newlines
    stay, for escape_data. Undecodable file-name bytes become U+FFFD."""
    return clean(value).encode("utf-8", "replace").decode("utf-8")


def command(finding, cwd: str | None = None) -> str:
    cwd = cwd or os.getcwd()
    message = [finding.message]
    if finding.path:
        message.append("path: " + " -> ".join(finding.path))
    for location in finding.related:
        note = f" ({location.note})" if location.note else ""
        message.append(f"see: {repo_path(location.file, cwd)}:{location.line}:{location.column}{note}")
    properties = ",".join(f"{key}={escape_property(_text(str(value)))}" for key, value in (
        ("file", repo_path(finding.file, cwd)),
        ("line", finding.line),
        ("col", finding.column),
        ("title", f"{finding.code} {finding.name}"),
    ))
    return f"::{COMMANDS[finding.severity.label]} {properties}::{escape_data(_text(chr(10).join(message)))}"


def render(report: Report, *, quiet=False, **_) -> str:
    cwd = os.getcwd()
    lines = [command(f, cwd) for f in report.result.findings]
    if not quiet:
        # plain lines (they never begin with '::'): the log shows them as they
        # are, GitHub makes no annotation of them
        from .text import _summary

        for entry in report.fixed:
            lines.append(_text(f"baseline entry no longer occurs: {entry.get('file', '?')}: "
                               f"{entry.get('code', '?')} {entry.get('message', '')}").replace("\n", " "))
        lines.append(_text("".join(text for text, _ in _summary(report))))
    return "".join(line + "\n" for line in lines)


def _cell(text: str) -> str:
    """Safe in a Markdown table cell: no HTML, no column breaks, one line."""
    text = _text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def step_summary(report: Report, env=None, cwd: str | None = None) -> str:
    """Markdown: a heading, the counts, and a table of every finding (links
    to the lines when the GitHub context is in the environment)."""
    env = os.environ if env is None else env
    cwd = cwd or os.getcwd()
    from .text import _summary

    findings = report.result.findings
    out = ["## journeylint", "", _cell("".join(text for text, _ in _summary(report))), ""]
    base = None
    if env.get("GITHUB_SERVER_URL") and env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        base = f"{env['GITHUB_SERVER_URL']}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}/"
    if findings:
        out += ["| Severity | Rule | Location | Message |", "|---|---|---|---|"]
        size = sum(len(line) + 1 for line in out)
        for shown, finding in enumerate(findings):
            path = repo_path(finding.file, cwd)
            where = _cell(f"{path}:{finding.line}:{finding.column}")
            if base and not path.startswith("../") and not os.path.isabs(path):
                where = f"[{where}]({base}{quote(_text(path), safe='/')}#L{finding.line})"
            message = finding.message + (" (path: " + " -> ".join(finding.path) + ")" if finding.path else "")
            row = (f"| {finding.severity.label} | {finding.code} {_cell(finding.name)} | {where} | "
                   f"{_cell(message)} |")
            if size + len(row.encode("utf-8")) + 200 > SUMMARY_LIMIT:
                out += ["", f"... and {len(findings) - shown} more findings, left out to stay under "
                            "GitHub's size limit for a step summary: see the full report."]
                break
            out.append(row)
            size += len(row.encode("utf-8")) + 1
    if report.fixed:
        out += ["", f"{len(report.fixed)} baseline "
                    f"{'entry no longer occurs' if len(report.fixed) == 1 else 'entries no longer occur'}:", ""]
        for entry in report.fixed[:1000]:
            out.append(f"- {_cell(str(entry.get('file', '?')))}: {_cell(str(entry.get('code', '?')))} "
                       f"{_cell(str(entry.get('message', '')))}")
    return "\n".join(out) + "\n"
