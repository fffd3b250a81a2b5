"""Baselines: adopt journeylint on journeys that already have findings.

``journeylint check --write-baseline FILE`` records today's findings;
``--baseline FILE`` then reports only findings that are not in it (matched
by fingerprint, which survives unrelated edits) and lists the entries that
no longer occur, so the file can be shrunk as journeys get fixed.

The file is JSON, meant to be committed::

    {"version": 1, "findings": [{"fingerprint": "...", "code": "JL101",
      "name": "dead-end", "file": "journeys/card.yaml", "journey": "card",
      "state": "wait-for-letter", "message": "..."}, ...]}

Only ``fingerprint`` is used for matching; the rest is for the people
reading the diff. Line numbers are left out so that rewriting the baseline
after an unrelated edit changes nothing.

JL000 (a rule crashed) and JL001 (a broken file) are never recorded and
never matched: a baseline must not hide a journey journeylint could not
check.
"""
from __future__ import annotations

import json

from .engine import UNSUPPRESSIBLE, FileResult, RunResult
from .findings import Finding, repo_path

VERSION = 1
FIELDS = ("fingerprint", "code", "name", "file", "journey", "state", "message")


class BaselineError(Exception):
    """A baseline file that cannot be used (exit code 2); one line, with file:line:col."""


def recordable(finding: Finding) -> bool:
    return finding.code not in UNSUPPRESSIBLE


def entry(finding: Finding, cwd: str | None = None) -> dict:
    return {
        "fingerprint": finding.fingerprint,
        "code": finding.code,
        "name": finding.name,
        "file": repo_path(finding.file, cwd),
        "journey": finding.journey,
        "state": finding.state,
        "message": finding.message,
    }


def document(result: RunResult, cwd: str | None = None) -> dict:
    return {
        "version": VERSION,
        "findings": [entry(f, cwd) for f in result.findings if recordable(f)],
    }


def write(path: str, result: RunResult, cwd: str | None = None) -> int:
    """Record the recordable findings of ``result``; returns how many."""
    doc = document(result, cwd)
    try:
        data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # a file name with bytes that are not UTF-8: escaped, it still round-trips
        data = (json.dumps(doc, indent=2) + "\n").encode("ascii")
    try:
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror or error}") from None
    return len(doc["findings"])


def load(path: str) -> list[dict]:
    """The entries of the baseline at ``path``; BaselineError says what is wrong."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BaselineError(f"{path}:1:1: the baseline is not UTF-8 text ({error.reason} at byte {error.start})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}:{error.lineno}:{error.colno}: the baseline is not valid JSON: {error.msg}") from None
    if not isinstance(doc, dict) or "findings" not in doc:
        raise BaselineError(
            f'{path}:1:1: not a journeylint baseline (expected {{"version": 1, "findings": [...]}}, '
            "as written by 'journeylint check --write-baseline')")
    if doc.get("version") != VERSION:
        raise BaselineError(
            f"{path}:1:1: baseline version {json.dumps(doc.get('version'))} is not supported; "
            f"this journeylint reads version {VERSION}: write the baseline again with --write-baseline")
    entries = doc["findings"]
    if not isinstance(entries, list):
        raise BaselineError(f'{path}:1:1: "findings" must be a list of entries')
    out = []
    for number, item in enumerate(entries, 1):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str) or not item["fingerprint"]:
            raise BaselineError(f'{path}:1:1: entry {number} of "findings" has no "fingerprint" string')
        # a hand-edited entry may hold anything: the outputs get text or null
        out.append({key: str(item[key]) if item.get(key) is not None else (None if key in ("journey", "state") else "")
                    for key in FIELDS})
    return out


def apply(result: RunResult, entries: list[dict], cwd: str | None = None) -> tuple[RunResult, list[dict]]:
    """(the run with only new findings, the baseline entries that no longer occur).

    Entries are matched by fingerprint, each at most once. An entry counts
    as gone only when its file was checked in this run: a pre-commit run on
    two staged files says nothing about the journeys in the others.
    """
    remaining: dict[str, int] = {}
    for item in entries:
        remaining[item["fingerprint"]] = remaining.get(item["fingerprint"], 0) + 1

    files = []
    for file_result in result.files:
        kept = []
        for finding in file_result.findings:
            if recordable(finding) and remaining.get(finding.fingerprint, 0) > 0:
                remaining[finding.fingerprint] -= 1
            else:
                kept.append(finding)
        files.append(FileResult(file_result.display, file_result.journeys, kept))

    checked = {repo_path(f.display, cwd) for f in result.files}
    fixed = []
    for item in entries:
        fingerprint = item["fingerprint"]
        if remaining.get(fingerprint, 0) > 0 and item.get("file") in checked:
            remaining[fingerprint] -= 1
            fixed.append(item)
    findings = sorted((f for file_result in files for f in file_result.findings), key=Finding.sort_key)
    return RunResult(files, findings), fixed

