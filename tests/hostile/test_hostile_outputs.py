"""Output safety: whatever the names in a journey contain (terminal control
sequences, bidi overrides, line breaks, NUL, markup, quotes, workflow
commands, noncharacters), the text output obeys none of them and keeps one
line per finding; JSON, SARIF and GitLab parse as JSON; JUnit parses as
XML; GitHub gets one command per finding; the HTML report stays well-formed
and runs no script of the journey's. Every format is written by one run."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from hostile_helpers import isolate, run_bounded

HOSTILE = {
    "ansi": "\x1b[31mred\x1b[0m\x1b]0;pwned\x07\x1b[2J",
    "c1-csi": "\x9b31mred",
    "bidi": "invoice\u202etxt.exe\u2066x\u2069",
    "newline": "a\nhostile.yaml:1:1: JL999 forged [error] gotcha",
    "carriage-return": "shown\rhidden",
    "nul": "n\x00ul",
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "xml": "]]><!-- & \"' -->",
    "json": "\"},{\"code\": \"JL999\\u0000",
    "github": "::error file=x.yaml,line=1::forged%0A::warning::y",
    "separators": "line\u2028para\u2029nel\x85",
    "nonchars": "\ufffe\uffff\U0010ffff",
    "emoji": "\U0001f600 caf\u00e9",
}


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: every character but printable ASCII escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in "\"\\":
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def hostile_journey() -> str:
    lines = ["journey: " + _quoted("<b>" + HOSTILE["ansi"]), "kind: support", "start: start", "states:",
             "  start:", "    actor: customer", "    next:"]
    for name, text in HOSTILE.items():
        lines.append(f"      - {{to: {_quoted(text)}, when: {_quoted(text)}}}")
    lines.append("  done: {outcome: resolved}")
    for name, text in HOSTILE.items():
        # each a dead end (JL101, with a witness path), its names everywhere
        lines.append(f"  {_quoted(text)}:")
        lines.append(f"    title: {_quoted(text)}")
        lines.append(f"    actor: {_quoted(text)}")
        lines.append(f"    channel: {_quoted(text)}")
        lines.append(f"    discloses: [{_quoted(text)}]")
    lines.append(f"  {_quoted('unreached ' + HOSTILE['html'] + HOSTILE['newline'])}: {{outcome: resolved}}")
    return "\n".join(lines) + "\n"


FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    root = tmp_path_factory.mktemp("outputs")
    (root / "hostile.yaml").write_text(hostile_journey(), encoding="utf-8")
    isolate(root)
    args = ["check", "--jobs", "1"]
    for name in FORMATS:
        args += ["--format", name, "--output", f"report.{name}"]
    outcome = run_bounded(*args, "hostile.yaml", cwd=root)
    outcome.assert_bounded()
    outcome.assert_clean_exit(1)
    report = run_bounded("report", "--jobs", "1", "-o", "report.html", "hostile.yaml", cwd=root)
    report.assert_bounded()
    report.assert_clean_exit(1)
    return root


def _read(root: Path, name: str) -> str:
    return (root / f"report.{name}").read_bytes().decode("utf-8")  # strict: every output is UTF-8


def _findings(root):
    return json.loads(_read(root, "json"))["findings"]


def test_the_journey_gives_the_expected_findings(written):
    findings = _findings(written)
    dead_ends = {f["state"] for f in findings if f["code"] == "JL101"}
    assert dead_ends == set(HOSTILE.values())  # every name came through intact, in JSON
    for f in findings:
        if f["code"] == "JL101":
            assert f["path"] == ["start", f["state"]]
    assert {f["code"] for f in findings} >= {"JL001", "JL003", "JL101"}


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_text_obeys_no_control_sequence_and_keeps_one_line_per_finding(written):
    text = _read(written, "text")
    assert not _UNSAFE.findall(text.replace("\n", "")), sorted(set(_UNSAFE.findall(text)))
    lines = text.splitlines()
    heads = [line for line in lines[:-1] if not line.startswith("    ")]
    assert all(line.startswith("hostile.yaml:") for line in heads), [h for h in heads if not h.startswith("hostile")]
    assert len(heads) == len(_findings(written))
    assert lines[-1].startswith("Found ")
    assert "\\x1b[31mred" in text and "\\u202e" in text and "a\\nhostile.yaml:1:1: JL999" in text


def test_sarif_is_valid_json_and_valid_sarif(written):
    document = json.loads(_read(written, "sarif"))
    schema = json.loads((Path(__file__).resolve().parent.parent / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    results = document["runs"][0]["results"]
    assert len(results) == len(_findings(written))
    assert {r["message"]["text"] for r in results if r["ruleId"] == "JL101"}


def test_gitlab_is_valid_json_with_one_issue_per_finding(written):
    issues = json.loads(_read(written, "gitlab"))
    assert isinstance(issues, list) and len(issues) == len(_findings(written))
    assert all(isinstance(i["description"], str) for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_is_well_formed_xml(written):
    text = _read(written, "junit")
    root = ET.fromstring(text)  # raises on any character XML 1.0 cannot carry
    failures = root.iter("failure")
    assert sum(1 for _ in failures) == len(_findings(written))
    assert "\x1b" not in text and "<script>" not in text


def test_github_gets_one_workflow_command_per_finding(written):
    text = _read(written, "github")
    lines = text.split("\n")[:-1]
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(_findings(written))
    assert all(re.match(r"::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,title=[^:]+::", c) for c in commands)
    assert "\r" not in text
    assert not any(line.startswith("::") for line in lines[len(commands):])
    assert all("::error file=x.yaml" not in c.split("::", 2)[1] for c in commands)


class _Structure(HTMLParser):
    """Checks that every non-void element is closed in order, and collects
    the scripts and the event-handler attributes."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
            "path", "rect", "circle", "line", "polygon", "polyline", "ellipse", "use", "stop"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.scripts, self.handlers, self.current = [], [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
        else:
            self.stack.pop()


def test_the_html_report_is_well_formed_and_runs_nothing_of_the_journeys(written):
    text = (written / "report.html").read_bytes().decode("utf-8")
    parser = _Structure()
    parser.feed(text)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    assert parser.handlers == []                                   # no onerror= made it in as an attribute
    assert [s.get("type") for s in parser.scripts] == ["application/json", None]  # the report's own two
    assert "<script>alert(1)" not in text and "<img src=x" not in text and "\x1b" not in text
    data = re.search(r'<script type="application/json" id="jl-data">(.*?)</script>', text, re.S).group(1)
    json.loads(data)
    # shown, as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in text
    assert "\\x1b[31mred" in text and "\\u202e" in text
