"""The CI formats of `journeylint check`: SARIF (validated against the
official SARIF 2.1.0 schema), JUnit XML, GitHub workflow commands and step
summary, GitLab Code Quality; several reports from one run; the exit-code
policy; the composite GitHub Action."""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
import yaml

import journeylint
from conftest import ROOT, run_cli
from journeylint.outputs.github import escape_data, escape_property

DATA = Path(__file__).resolve().parent / "data"
SCHEMA = DATA / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

CARD = """\
journey: card-blocked
kind: support
start: branch-counter
states:
  branch-counter:
    actor: branch-staff
    channel: in-person
    next: hotline
  hotline:
    actor: agent
    channel: phone
    next:
      - {to: card-unblocked, when: the block was a mistake}
      - {to: "wait, then: 100% done", when: the closures team is involved}
      - {to: odd-step, when: customer insists}
  "wait, then: 100% done":
    actor: customer
    description: "You will receive a letter."
  odd-step:
    actor: customer
    description: odd one
    next: card-unblocked
  orphan:
    outcome: resolved
  card-unblocked:
    outcome: resolved
"""
UNICODE = """\
journey: unicode-name
kind: support
start: début
states:
  début:
    actor: customer
    next: [fin, done]
  fin:
    actor: agent
  done:
    outcome: resolved
"""
CLEAN = """\
journey: clean
kind: support
start: a
states:
  a:
    actor: customer
    next: done
  done:
    outcome: resolved
"""
CARD_FILE = "journeys/card.yaml"
BROKEN_FILE = "journeys/broken, 50%: yes.yaml"
UNICODE_FILE = "journeys/ünï cödé.yaml"


def cli(*args, cwd, env=None):
    """The installed command, with no GitHub context leaking in from a CI runner."""
    base = {"GITHUB_STEP_SUMMARY": "", "GITHUB_SERVER_URL": "", "GITHUB_REPOSITORY": "", "GITHUB_SHA": ""}
    return run_cli(*args, cwd=cwd, env={**base, **(env or {})})


@pytest.fixture
def repo(tmp_path):
    """A git repository with journeys: a dead end, an unreachable state,
    escaping-hungry text (test plugin CI001), a broken file and a file
    whose name needs percent-encoding."""
    root = tmp_path / "repo"
    (root / "journeys").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "journeylint.yaml").write_text(
        f"plugins: [{DATA / 'ci_rules.py'}]\nselect: [JL0, JL101, CI001]\n")
    (root / CARD_FILE).write_text(CARD)
    (root / BROKEN_FILE).write_text("journey: [unclosed\n")
    (root / UNICODE_FILE).write_text(UNICODE, encoding="utf-8")
    return root


def run_formats(repo, *formats, cwd=None, paths=("journeys",)):
    """{format: text} from ONE run (--format/--output pairs), plus the JSON report as ground truth."""
    out = repo / "out"
    out.mkdir(exist_ok=True)
    args = ["check", *paths, "-f", "json", "-o", out / "report.json"]
    for name in formats:
        args += ["-f", name, "-o", out / f"report.{name}"]
    result = cli(*args, cwd=cwd or repo)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and result.stderr == ""
    texts = {name: (out / f"report.{name}").read_text(encoding="utf-8") for name in formats}
    return texts, json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_the_ground_truth(repo):
    _, report = run_formats(repo)
    seen = [(f["code"], f["file"], f["line"], f["column"]) for f in report["findings"]]
    assert seen == [
        ("JL001", BROKEN_FILE, 2, 1),
        ("JL101", CARD_FILE, 16, 3),
        ("CI001", CARD_FILE, 19, 3),
        ("CI001", CARD_FILE, 19, 3),
        ("JL003", CARD_FILE, 23, 3),
        ("JL101", UNICODE_FILE, 8, 3),
    ]
    fingerprints = [f["fingerprint"] for f in report["findings"]]
    assert len(set(fingerprints)) == len(fingerprints), "two findings at one place still need two fingerprints"


# -- SARIF ---------------------------------------------------------------------------------

def test_schema_file_is_the_official_one():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256
    schema = json.loads(SCHEMA.read_text())
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"


#: RFC 3986 URI-reference characters, every '%' starting an escape (jsonschema checks the
#: schema's "uri" and "uri-reference" formats only with optional packages: checked here)
URI_REFERENCE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


def uris(value, key=None):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from uris(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from uris(v, key)
    elif key in ("uri", "helpUri", "informationUri", "$schema"):
        yield value


def validate_sarif(text):
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    log = json.loads(text)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    found = list(uris(log))
    assert found
    for uri in found:
        assert URI_REFERENCE.fullmatch(uri), f"not a URI reference: {uri!r}"


def test_sarif_validates_against_the_sarif_2_1_0_schema(repo):
    texts, _ = run_formats(repo, "sarif")
    validate_sarif(texts["sarif"])


def test_schema_validation_catches_a_broken_log(repo):
    """The check above can fail: the same log with a bad level does not validate."""
    texts, _ = run_formats(repo, "sarif")
    log = json.loads(texts["sarif"])
    log["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError, match="fatal"):
        validate_sarif(json.dumps(log))


def test_sarif_clean_run_validates_too(tmp_path):
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "journeylint.yaml").write_text("")
    result = cli("check", "clean.yaml", "-f", "sarif", cwd=tmp_path)
    assert result.returncode == 0
    validate_sarif(result.stdout)
    assert json.loads(result.stdout)["runs"][0]["results"] == []


def test_sarif_driver_and_rules(repo):
    texts, _ = run_formats(repo, "sarif")
    log = json.loads(texts["sarif"])
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("journeylint", journeylint.__version__)
    assert driver["informationUri"] == "https://github.com/journeylint/journeylint"
    rules = {r["id"]: r for r in driver["rules"]}
    assert [r["id"] for r in driver["rules"]] == sorted(rules)
    dead_end = rules["JL101"]
    assert dead_end["name"] == "dead-end"
    assert dead_end["shortDescription"]["text"] == "A non-terminal state with no way out"
    assert dead_end["fullDescription"]["text"].startswith("A state the customer can reach that has no `outcome`")
    page = (ROOT / "rules" / "JL101-dead-end.md").read_text()
    assert dead_end["help"] == {"text": page, "markdown": page}
    assert dead_end["helpUri"] == "https://github.com/journeylint/journeylint/blob/main/rules/JL101-dead-end.md"
    assert dead_end["defaultConfiguration"] == {"level": "error"}
    assert rules["JL003"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["CI001"]["defaultConfiguration"] == {"level": "note"}
    # a rule switched off by the configuration is listed as such
    disabled = [r for r in driver["rules"] if r["id"].startswith("JL") and r["id"] >= "JL102"]
    assert disabled and all(r["defaultConfiguration"]["enabled"] is False for r in disabled)
    assert "security-severity" not in texts["sarif"]


def test_sarif_results_match_the_findings(repo):
    texts, report = run_formats(repo, "sarif")
    run = json.loads(texts["sarif"])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(report["findings"])
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, finding in zip(results, report["findings"]):
        assert result["ruleId"] == finding["code"]
        assert rules[result["ruleIndex"]]["id"] == finding["code"]
        assert result["level"] == levels[finding["severity"]]
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert unquote(place["artifactLocation"]["uri"]) == finding["file"]
        assert place["region"] == {"startLine": finding["line"], "startColumn": finding["column"]}
        assert result["partialFingerprints"] == {"journeylint/v1": finding["fingerprint"]}
        assert result["properties"].get("path", []) == finding["path"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"journeys/broken%2C%2050%25%3A%20yes.yaml", "journeys/card.yaml",
                    "journeys/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9.yaml"}


def test_sarif_code_flow_follows_the_witness_path(repo):
    texts, report = run_formats(repo, "sarif")
    result = json.loads(texts["sarif"])["runs"][0]["results"][1]
    assert result["ruleId"] == "JL101"
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    # branch-counter (line 5), hotline (9), the dead end (16)
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [5, 9, 16]
    assert [s["location"]["message"]["text"] for s in steps] == [
        "1. state 'branch-counter'", "2. state 'hotline'", "3. state 'wait, then: 100% done'"]


def test_sarif_related_locations_and_escaped_text(repo):
    texts, _ = run_formats(repo, "sarif")
    result = json.loads(texts["sarif"])["runs"][0]["results"][2]
    assert result["ruleId"] == "CI001"
    assert result["relatedLocations"] == [{
        "id": 1,
        "physicalLocation": {"artifactLocation": {"uri": "journeys/card.yaml", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 1, "startColumn": 1}},
        "message": {"text": "journey, here: 50%"},
    }]
    # the terminal escape is shown, never passed on
    assert result["message"]["text"] == "100% odd: a, b\\x0d\nsecond line \\x1b[31mred\\x1b[0m <b>&amp;</b> | pipe"


def test_sarif_paths_are_relative_to_the_repository_root_from_any_directory(repo):
    top, _ = run_formats(repo, "sarif")
    inside, _ = run_formats(repo, "sarif", cwd=repo / "journeys", paths=(".",))
    assert top["sarif"] == inside["sarif"]


def test_sarif_file_outside_the_repository_gets_an_absolute_uri(repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "far.yaml").write_text(UNICODE)
    result = cli("check", str(elsewhere / "far.yaml"), "-f", "sarif", cwd=repo)
    validate_sarif(result.stdout)
    location = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": (elsewhere / "far.yaml").as_uri()}


# -- JUnit ---------------------------------------------------------------------------------

def test_junit_counts(repo):
    texts, report = run_formats(repo, "junit")
    root = ET.fromstring(texts["junit"])
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [BROKEN_FILE, CARD_FILE, UNICODE_FILE]

    def cases(file):
        return {c.get("name"): [f.get("type") for f in c.findall("failure")] for c in suites[file].findall("testcase")}

    assert cases(CARD_FILE) == {"card-blocked": ["JL101 dead-end", "CI001 odd-text", "CI001 odd-text",
                                                 "JL003 unreachable-state"]}
    assert cases(BROKEN_FILE) == {"(file)": ["JL001 invalid-journey"]}
    assert cases(UNICODE_FILE) == {"unicode-name": ["JL101 dead-end"]}
    for name, suite in suites.items():
        assert suite.get("tests") == str(len(suite.findall("testcase")))
        assert suite.get("failures") == str(len(suite.findall("testcase/failure")))
        assert suite.get("failures") == str(sum(1 for f in report["findings"] if f["file"] == name))
        assert suite.get("errors") == "0" and suite.get("skipped") == "0"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "6", "0")
    card = suites[CARD_FILE].find("testcase")
    assert card.get("classname") == "journeys/card" and card.get("file") == CARD_FILE
    failure = card.find("failure")
    assert failure.get("message").startswith("JL101 dead-end: state 'wait, then: 100% done' is a dead end")
    assert failure.text.splitlines() == [
        f"{CARD_FILE}:16:3: JL101 dead-end [error] " + report["findings"][1]["message"],
        "path: branch-counter -> hotline -> wait, then: 100% done",
    ]


def test_junit_passing_journeys_are_test_cases_without_failures(tmp_path):
    (tmp_path / "clean.yaml").write_text(CLEAN + "---\n" + CLEAN.replace("journey: clean", "journey: clean-2"))
    (tmp_path / "journeylint.yaml").write_text("")
    result = cli("check", "clean.yaml", "-f", "junit", cwd=tmp_path)
    assert result.returncode == 0
    root = ET.fromstring(result.stdout)
    assert [c.get("name") for c in root.iter("testcase")] == ["clean", "clean-2"]
    assert (root.get("tests"), root.get("failures")) == ("2", "0")
    assert root.find("testsuite").get("failures") == "0"


# -- GitHub --------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) file=([^,:\r\n]+),line=(\d+),col=(\d+),title=([^,:\r\n]+)::([^\r\n]*)$")


def unescape(text: str) -> str:
    """What the GitHub runner does to a value (actions/toolkit's escaping, reversed)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def test_escaping_follows_githubs_toolkit():
    assert escape_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"
    assert unescape(escape_property("%0A literally, then: 100%")) == "%0A literally, then: 100%"


def test_github_lines_are_workflow_commands(repo):
    texts, report = run_formats(repo, "github")
    lines = texts["github"].splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(report["findings"])
    assert lines[len(commands):] == ["Found 6 problems (3 errors, 1 warning, 2 infos) in 3 of 3 files "
                                     "(2 journeys checked)."]
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for line, finding in zip(commands, report["findings"]):
        match = COMMAND.match(line)
        assert match, line
        level, file, row, col, title, data = match.groups()
        assert level == levels[finding["severity"]]
        assert unescape(file) == finding["file"]
        assert (int(row), int(col)) == (finding["line"], finding["column"])
        assert unescape(title) == f"{finding['code']} {finding['name']}"
        message = unescape(data).split("\n")
        if finding["code"] != "CI001":
            assert message[0] == finding["message"]
        if finding["path"]:
            assert "path: " + " -> ".join(finding["path"]) in message
    broken = COMMAND.match(commands[0]).group(2)
    assert broken == "journeys/broken%2C 50%25%3A yes.yaml"
    odd = unescape(COMMAND.match(commands[2]).group(6)).split("\n")
    assert odd[:2] == ["100% odd: a, b\\x0d", "second line \\x1b[31mred\\x1b[0m <b>&amp;</b> | pipe"]
    assert "see: journeys/card.yaml:1:1 (journey, here: 50%)" in odd


def test_github_is_the_default_on_github_actions(repo):
    result = cli("check", CARD_FILE, cwd=repo, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=journeys/card.yaml,line=16,col=3,title=JL101 dead-end::")
    explicit = cli("check", CARD_FILE, "-f", "text", cwd=repo, env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.startswith("journeys/card.yaml:16:3: JL101 dead-end [error]")


def test_github_step_summary_lists_every_finding(repo):
    many = "journey: many\nkind: support\nstart: s0\nstates:\n  s0:\n    next: [" + ", ".join(
        f"d{i}" for i in range(1, 16)) + ", ok]\n" + "".join(f"  d{i}:\n    actor: agent\n" for i in range(1, 16)) + (
        "  ok:\n    outcome: resolved\n")
    (repo / "journeys" / "many.yaml").write_text(many)
    summary = repo / "summary.md"
    summary.write_text("earlier step\n")
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SERVER_URL": "https://github.com",
           "GITHUB_REPOSITORY": "acme/journeys", "GITHUB_SHA": "0123abc"}
    result = cli("check", "journeys", "-f", "github", cwd=repo, env=env)
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 18  # 15 + 2 dead ends and the broken file: more than GitHub shows
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## journeylint\n")
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Severity")]
    assert len(rows) == 21  # every finding of every level
    assert rows[0] == ("| error | JL001 invalid-journey | [journeys/broken, 50%: yes.yaml:2:1]"
                       "(https://github.com/acme/journeys/blob/0123abc/journeys/broken%2C%2050%25%3A%20yes.yaml#L2) "
                       "| YAML syntax error: while parsing a flow sequence did not find expected ',' or ']' |")
    odd = next(row for row in rows if "100% odd" in row)
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt; \\| pipe" in odd and "<b>" not in odd
    assert sum(1 for row in rows if "/journeys/many.yaml#L" in row) == 15


def test_no_step_summary_for_other_formats(repo):
    summary = repo / "summary.md"
    result = cli("check", "journeys", "-f", "text", cwd=repo, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    assert not summary.exists()


# -- GitLab --------------------------------------------------------------------------------

def test_gitlab_code_quality_fields(repo):
    texts, report = run_formats(repo, "gitlab")
    issues = json.loads(texts["gitlab"])
    assert isinstance(issues, list) and len(issues) == len(report["findings"])
    severities = {"error": "major", "warning": "minor", "info": "info"}
    for issue, finding in zip(issues, report["findings"]):
        assert isinstance(issue["description"], str) and issue["description"]
        assert issue["check_name"] == finding["code"]
        assert issue["fingerprint"] == finding["fingerprint"]
        assert issue["severity"] == severities[finding["severity"]]
        assert issue["location"] == {"path": finding["file"], "lines": {"begin": finding["line"]}}
        assert not issue["location"]["path"].startswith(("/", "../"))
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert issues[1]["description"] == (f"JL101 dead-end: {report['findings'][1]['message']} "
                                        "(path: branch-counter -> hotline -> wait, then: 100% done)")


# -- several reports, one run ------------------------------------------------------------------

def test_several_reports_from_one_run_equal_separate_runs(repo):
    together, _ = run_formats(repo, "sarif", "junit", "github", "gitlab")
    for name, text in together.items():
        alone = cli("check", "journeys", "-f", name, cwd=repo)
        assert alone.stdout == text, name
    stdout_too = cli("check", "journeys", "-f", "sarif", "-o", repo / "x.sarif", "-f", "gitlab", cwd=repo)
    assert stdout_too.stdout == together["gitlab"]
    assert (repo / "x.sarif").read_text(encoding="utf-8") == together["sarif"]


# -- exit codes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("files, options, code", [
    (["clean.yaml"], [], 0),
    (["warn.yaml"], [], 1),
    (["warn.yaml"], ["--fail-on", "error"], 0),
    (["info.yaml"], [], 0),
    (["info.yaml"], ["--fail-on", "info"], 1),
    (["err.yaml"], ["--fail-on", "error"], 1),
    (["err.yaml"], ["--exit-zero"], 0),
    (["err.yaml"], ["--exit-zero", "--fail-on", "info"], 0),
    (["missing.yaml"], [], 2),
    (["err.yaml"], ["--exit-zero", "--format", "nope"], 2),
])
def test_exit_code_policy(tmp_path, files, options, code):
    """The exit-code table in the README, row by row."""
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "warn.yaml").write_text(CLEAN.replace("journey: clean", "journey: warn")
                                        + "  orphan:\n    outcome: resolved\n")
    (tmp_path / "info.yaml").write_text(CLEAN.replace("journey: clean", "journey: info")
                                        .replace("    actor: customer\n", "    actor: customer\n    description: odd\n"))
    (tmp_path / "err.yaml").write_text(CLEAN.replace("journey: clean", "journey: err").replace("next: done", "next: []"))
    (tmp_path / "journeylint.yaml").write_text(f"plugins: [{DATA / 'ci_rules.py'}]\nselect: [JL0, JL101, CI001]\n")
    result = cli("check", *files, *options, cwd=tmp_path)
    assert result.returncode == code, result.stdout + result.stderr


def test_fail_on_from_the_configuration(tmp_path):
    (tmp_path / "warn.yaml").write_text(CLEAN + "  orphan:\n    outcome: resolved\n")
    (tmp_path / "journeylint.yaml").write_text("fail_on: error\n")
    assert cli("check", "warn.yaml", cwd=tmp_path).returncode == 0
    assert cli("check", "warn.yaml", "--fail-on", "warning", cwd=tmp_path).returncode == 1


# -- the GitHub Action -------------------------------------------------------------------------------

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def test_action_is_a_composite_action_with_the_documented_inputs():
    action = yaml.safe_load(ACTION.read_text())
    assert action["runs"]["using"] == "composite"
    assert {"paths", "format", "config", "fail-on"} <= set(action["inputs"])
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts through env, never pasted into the script (no injection)
            assert "${{" not in step["run"], step.get("name")
    uses = [step["uses"] for step in action["runs"]["steps"] if "uses" in step]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)


def action_env(step, inputs, outputs, action_path):
    """The step's env with the ${{ }} expressions the action uses resolved."""
    def resolve(match):
        expression = match.group(1)
        if expression.startswith("inputs."):
            return inputs[expression[len("inputs."):]]
        if expression == "github.action_path":
            return str(action_path)
        if expression.startswith("steps."):
            _, step_id, _, name = expression.split(".")
            return outputs[step_id][name]
        raise AssertionError(f"unexpected expression {expression!r}")

    return {key: EXPRESSION.sub(resolve, str(value)) for key, value in (step.get("env") or {}).items()}


def run_action(repo, tmp_path, **given):
    """Run the action's own scripts (not the install or the upload) with bash, as the runner would."""
    action = yaml.safe_load(ACTION.read_text())
    inputs = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    inputs.update(given)
    outputs = {"install": {"bin": str(Path(journeylint_bin()).parent)}}
    summary = tmp_path / "summary.md"
    ran = []
    for step in action["runs"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        output_file = tmp_path / f"output-{len(ran)}"
        output_file.write_text("")
        env = {**os.environ, **action_env(step, inputs, outputs, ROOT), "GITHUB_OUTPUT": str(output_file),
               "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true", "NO_COLOR": "1"}
        for key in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
            env.pop(key, None)
        # how the runner runs a step with shell: bash
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                                cwd=repo, env=env, capture_output=True, text=True)
        ran.append((step.get("id"), result))
        if step.get("id"):
            outputs[step["id"]] = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line)
        if result.returncode != 0:
            break
    return ran, outputs, summary


def journeylint_bin():
    import shutil
    import sys

    return shutil.which("journeylint", path=os.path.dirname(sys.executable))


def test_action_scripts_run_journeylint_and_fail_the_step(repo, tmp_path):
    ran, outputs, summary = run_action(repo, tmp_path, paths="journeys/card.yaml\njourneys/ünï cödé.yaml")
    ids = [step_id for step_id, _ in ran]
    assert ids[-1] == "verdict" and ran[-1][1].returncode == 1
    check = dict(ran)["check"]
    assert check.returncode == 0  # the verdict comes last, after the SARIF upload had its chance
    assert outputs["check"]["exit-code"] == "1"
    assert check.stdout.startswith("::error file=journeys/card.yaml,line=16,col=3,title=JL101 dead-end::")
    # one path per line, spaces and all
    assert "::error file=journeys/ünï cödé.yaml,line=8,col=3,title=JL101 dead-end::" in check.stdout
    assert summary.read_text(encoding="utf-8").count("| error | JL101 dead-end |") == 2


def test_action_sarif_is_written_for_upload(repo, tmp_path):
    ran, outputs, _ = run_action(repo, tmp_path, paths="journeys", format="sarif", **{"fail-on": "never"})
    assert [step_id for step_id, result in ran if result.returncode != 0] == []
    report = repo / outputs["check"]["report"]
    assert report.name == "journeylint.sarif"
    validate_sarif(report.read_text(encoding="utf-8"))
    assert outputs["check"]["exit-code"] == "0"
    assert dict(ran)["check"].stdout.startswith(f"{BROKEN_FILE}:2:1: JL001")  # the log stays readable


def test_action_passes_config_and_fail_on(repo, tmp_path):
    (repo / "strict.yaml").write_text("select: [JL003]\n")
    ran, outputs, _ = run_action(repo, tmp_path, paths="journeys/card.yaml", config="strict.yaml",
                                 **{"fail-on": "error"})
    check = dict(ran)["check"]
    assert "JL003 unreachable-state" in check.stdout and "JL101" not in check.stdout
    assert outputs["check"]["exit-code"] == "0" and ran[-1][1].returncode == 0
