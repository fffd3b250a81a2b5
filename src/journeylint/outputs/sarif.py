"""SARIF 2.1.0 output, as GitHub code scanning accepts it.

One run. ``tool.driver.rules`` lists every rule of the session (sorted by
code) with its summary, the first paragraph of its page, the page itself as
help, its URL and its level in this run; disabled rules are listed with
``enabled: false``. Each result carries its rule id and index, level,
message, the file relative to the repository root (``%SRCROOT%``), line and
column, the related locations, the fingerprint under
``partialFingerprints["journeylint/v1"]``, and the witness path both as a
code flow (one step per state, with the state's position) and as
``properties.path``. No ``security-severity``: these are not security
results.

Everything is derived from the report only, so the output is the same
bytes for the same findings.
"""
from __future__ import annotations

import json
import os
from pathlib import PurePosixPath
from urllib.parse import quote

from .. import DOCS_URL
from ..findings import Finding, Location, repo_path
from . import Report, clean

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = DOCS_URL.split("/blob/", 1)[0]
FINGERPRINT_KEY = "journeylint/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _text(value: str) -> str:
    """Control characters shown, not obeyed; bytes of an undecodable file
    name shown as U+FFFD rather than failing the UTF-8 encoding."""
    return clean(value).encode("utf-8", "replace").decode("utf-8")


def artifact_location(display: str, cwd: str) -> dict:
    """Relative to the repository root with forward slashes, percent-encoded;
    a file outside the repository gets an absolute ``file:`` URI."""
    path = repo_path(display, cwd)
    if path.startswith("../") or path == ".." or PurePosixPath(path).is_absolute() or os.path.isabs(path):
        absolute = os.path.abspath(os.path.join(cwd, display)).replace(os.sep, "/")
        return {"uri": "file://" + quote(("/" if not absolute.startswith("/") else "") + absolute,
                                         safe="/:", errors="replace")}
    return {"uri": quote(path, safe="/", errors="replace"), "uriBaseId": SRCROOT}


def physical(location: Location, cwd: str) -> dict:
    return {
        "artifactLocation": artifact_location(location.file, cwd),
        "region": {"startLine": max(1, location.line), "startColumn": max(1, location.column)},
    }


def rule_descriptor(info) -> dict:
    descriptor = {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": _text(info.summary)},
        "fullDescription": {"text": _text(info.description or info.summary)},
    }
    help_text = info.help_markdown or info.description or info.summary
    descriptor["help"] = {"text": _text(help_text), "markdown": _text(help_text)}
    if info.url:
        descriptor["helpUri"] = info.url
    configuration = {"level": LEVELS.get(info.severity, "warning")}
    if not info.enabled:
        configuration["enabled"] = False
    descriptor["defaultConfiguration"] = configuration
    descriptor["properties"] = {"tags": ["customer-journey"], "origin": info.origin}
    return descriptor


def _journeys(report: Report) -> dict:
    """(file, journey id) -> journey, to place the witness path's states."""
    out = {}
    for file_result in report.result.files:
        for journey in file_result.journeys:
            out.setdefault((file_result.display, journey.id), journey)
    return out


def _code_flow(finding: Finding, journeys: dict, cwd: str) -> list:
    journey = journeys.get((finding.file, finding.journey))
    if journey is None or not finding.path:
        return []
    steps = []
    for number, state_id in enumerate(finding.path, 1):
        state = journey.states.get(state_id)
        if state is None:
            return []  # a path this journey does not have: say nothing rather than point wrong
        steps.append({
            "location": {
                "physicalLocation": physical(state.location, cwd),
                "message": {"text": _text(f"{number}. state '{state_id}'")},
            },
        })
    return [{
        "message": {"text": _text("path: " + " -> ".join(finding.path))},
        "threadFlows": [{"locations": steps}],
    }]


def result_object(finding: Finding, rule_index: dict, journeys: dict, cwd: str) -> dict:
    result = {"ruleId": finding.code}
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    result["level"] = LEVELS[finding.severity.label]
    result["message"] = {"text": _text(finding.message)}
    result["locations"] = [{"physicalLocation": physical(finding.location, cwd)}]
    related = []
    for number, location in enumerate(finding.related, 1):
        item = {"id": number, "physicalLocation": physical(location, cwd)}
        if location.note:
            item["message"] = {"text": _text(location.note)}
        related.append(item)
    if related:
        result["relatedLocations"] = related
    result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    flows = _code_flow(finding, journeys, cwd)
    if flows:
        result["codeFlows"] = flows
    properties = {"name": finding.name}
    if finding.journey:
        properties["journey"] = _text(finding.journey)
    if finding.state:
        properties["state"] = _text(finding.state)
    if finding.location.transition:
        properties["transition"] = _text(finding.location.transition)
    if finding.path:
        properties["path"] = [_text(state) for state in finding.path]
    result["properties"] = properties
    return result


def document(report: Report, cwd: str | None = None) -> dict:
    cwd = cwd or os.getcwd()
    infos = [report.rules[code] for code in sorted(report.rules)]
    rule_index = {info.code: index for index, info in enumerate(infos)}
    journeys = _journeys(report)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "journeylint",
                    "version": report.version,
                    "semanticVersion": report.version,
                    "informationUri": INFORMATION_URI,
                    "rules": [rule_descriptor(info) for info in infos],
                },
            },
            "invocations": [{"executionSuccessful": True}],
            "columnKind": "unicodeCodePoints",
            "results": [result_object(f, rule_index, journeys, cwd) for f in report.result.findings],
        }],
    }


def render(report: Report, **_) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
