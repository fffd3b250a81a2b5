"""JSON output: a stable, documented structure (``version`` 1).

``{"version": 1, "tool": {...}, "summary": {...}, "findings": [...],
"files": [...], "fixed": [...]}``; each finding has code, name, severity,
file, line, column, journey, state, transition, message, path, related and
fingerprint (see the README).
"""
from __future__ import annotations

import json

from . import Report


def document(report: Report) -> dict:
    result = report.result
    findings = result.findings
    return {
        "version": 1,
        "tool": {"name": "journeylint", "version": report.version},
        "summary": {
            "files": report.files_checked or len(result.files),
            "journeys": len(result.journeys),
            "findings": len(findings),
            "errors": sum(1 for f in findings if f.severity.label == "error"),
            "warnings": sum(1 for f in findings if f.severity.label == "warning"),
            "infos": sum(1 for f in findings if f.severity.label == "info"),
        },
        "findings": [f.to_dict() for f in findings],
        "files": [
            {"file": r.display, "journeys": [j.id for j in r.journeys], "findings": len(r.findings)}
            for r in result.files
        ],
        "fixed": report.fixed,
    }


def render(report: Report, **_) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
