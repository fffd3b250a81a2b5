"""JUnit XML output, as Jenkins (junit step) and GitLab (``artifacts:reports:junit``) read it.

One ``<testsuite>`` per checked file (named by its path), one ``<testcase>``
per journey in it (named by the journey id; ``classname`` is the file path
without its extension, so Jenkins groups by folder), one ``<failure>`` per
finding, whatever its severity. Findings that belong to no journey (a file
that is not valid YAML, for instance) go to a test case named ``(file)``.
Times are always 0 so that the same findings give the same bytes.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from . import Report, clean

#: characters XML 1.0 cannot carry even escaped (clean() has shown the control characters already)
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
FILE_CASE = "(file)"


def _text(value) -> str:
    return _NOT_XML.sub("\ufffd", clean(str(value)))


def _details(finding) -> str:
    lines = [f"{finding.file}:{finding.line}:{finding.column}: {finding.code} {finding.name} "
             f"[{finding.severity.label}] {finding.message}"]
    if finding.path:
        lines.append("path: " + " -> ".join(finding.path))
    for location in finding.related:
        note = f" ({location.note})" if location.note else ""
        lines.append(f"see: {location.file}:{location.line}:{location.column}{note}")
    return "\n".join(lines)


def _classname(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return path[: len(path) - len(name)] + stem


def cases_of(file_result) -> list[tuple[str, list]]:
    """[(test case name, findings)] in file order: the journeys, then ``(file)`` if needed."""
    cases: dict[str, list] = {}
    for journey in file_result.journeys:
        cases.setdefault(journey.id or FILE_CASE, [])
    loose = []
    for finding in file_result.findings:
        if finding.journey and finding.journey in cases:
            cases[finding.journey].append(finding)
        else:
            loose.append(finding)
    if loose or not cases:
        cases.setdefault(FILE_CASE, []).extend(loose)
    return list(cases.items())


def document(report: Report) -> ET.Element:
    suites = ET.Element("testsuites", name="journeylint")
    total_tests = total_failures = 0
    for file_result in report.result.files:
        cases = cases_of(file_result)
        failures = sum(len(found) for _, found in cases)
        suite = ET.SubElement(suites, "testsuite", {
            "name": _text(file_result.display),
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
            "time": "0",
            "file": _text(file_result.display),
        })
        for name, found in cases:
            case = ET.SubElement(suite, "testcase", {
                "name": _text(name),
                "classname": _text(_classname(file_result.display)),
                "file": _text(file_result.display),
                "time": "0",
            })
            for finding in found:
                failure = ET.SubElement(case, "failure", {
                    "message": _text(f"{finding.code} {finding.name}: {finding.message}"),
                    "type": _text(f"{finding.code} {finding.name}"),
                })
                failure.text = _text(_details(finding))
        total_tests += len(cases)
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    suites.set("skipped", "0")
    suites.set("time", "0")
    return suites


def render(report: Report, **_) -> str:
    root = document(report)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
