"""GitLab Code Quality output (``artifacts:reports:codequality``).

A JSON array with one object per finding: ``description`` (code, name and
message), ``check_name`` (the rule code), ``fingerprint`` (unique in the
report, stable across unrelated edits), ``severity`` and
``location.path`` / ``location.lines.begin``. Paths are relative to the
repository root, as GitLab requires. Severities follow the usual mapping
of linters to GitLab's scale: error -> ``major``, warning -> ``minor``,
info -> ``info``.
"""
from __future__ import annotations

import json
import os

from ..findings import repo_path
from . import Report, clean

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def _text(value: str) -> str:
    return clean(value).encode("utf-8", "replace").decode("utf-8")


def issue(finding, cwd: str) -> dict:
    description = f"{finding.code} {finding.name}: {finding.message}"
    if finding.path:
        description += " (path: " + " -> ".join(finding.path) + ")"
    return {
        "description": _text(description),
        "check_name": finding.code,
        "fingerprint": finding.fingerprint,
        "severity": SEVERITIES[finding.severity.label],
        "location": {
            "path": _text(repo_path(finding.file, cwd)),
            "lines": {"begin": finding.line},
        },
    }


def render(report: Report, **_) -> str:
    cwd = os.getcwd()
    return json.dumps([issue(f, cwd) for f in report.result.findings], indent=2, ensure_ascii=False) + "\n"
