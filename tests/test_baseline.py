"""Stable fingerprints and baselines: `check --write-baseline` records
today's findings, `check --baseline` reports only new ones and lists the
entries that no longer occur."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli
from journeylint.engine import finish
from journeylint.findings import repo_path, repository_root

CARD = """\
journey: card-blocked
kind: support
start: branch-counter
states:
  branch-counter:
    actor: branch-staff
    next: hotline
  hotline:
    actor: agent
    next: [card-unblocked, wait-for-letter, orphan-check]
  wait-for-letter:
    actor: customer
  orphan-check:
    actor: agent
  unreachable:
    outcome: resolved
  card-unblocked:
    outcome: resolved
"""
CLEAN = """\
journey: clean
kind: support
start: a
states:
  a:
    next: done
  done:
    outcome: resolved
"""


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / "journeys").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "journeylint.yaml").write_text("select: [JL0, JL101]\n")
    (root / "journeys" / "card.yaml").write_text(CARD)
    (root / "journeys" / "clean.yaml").write_text(CLEAN)
    return root


def findings(repo, *args, cwd=None):
    result = run_cli("check", *(args or ("journeys",)), "-f", "json", cwd=cwd or repo)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def by_state(report):
    return {(f["code"], f["state"]): f for f in report["findings"]}


# -- fingerprints ------------------------------------------------------------------------------

def test_fingerprints_survive_a_comment_line_above_a_state(repo):
    before = by_state(findings(repo))
    card = repo / "journeys" / "card.yaml"
    card.write_text(card.read_text().replace("  wait-for-letter:\n", "  # the letter never comes\n  wait-for-letter:\n"))
    after = by_state(findings(repo))
    assert set(before) == set(after) == {("JL101", "wait-for-letter"), ("JL101", "orphan-check"),
                                         ("JL003", "unreachable")}
    for key in before:
        assert after[key]["line"] == before[key]["line"] + 1  # the lines moved...
        assert after[key]["fingerprint"] == before[key]["fingerprint"]  # ...the fingerprints did not


def test_fingerprints_tell_findings_apart(repo):
    report = findings(repo)
    fingerprints = [f["fingerprint"] for f in report["findings"]]
    assert len(fingerprints) == 3 and len(set(fingerprints)) == 3
    # the same journey in another file is another finding
    (repo / "journeys" / "copy.yaml").write_text(CARD.replace("card-blocked", "card-copy"))
    both = findings(repo)
    assert len({f["fingerprint"] for f in both["findings"]}) == 6


def test_fingerprints_do_not_depend_on_the_working_directory(repo):
    top = findings(repo, "journeys/card.yaml")
    inside = findings(repo, "card.yaml", cwd=repo / "journeys")
    assert inside["findings"][0]["file"] == "card.yaml"  # shown relative to where it ran...
    assert [f["fingerprint"] for f in inside["findings"]] == [f["fingerprint"] for f in top["findings"]]


def test_repo_path(tmp_path):
    (tmp_path / "r" / ".git").mkdir(parents=True)
    (tmp_path / "r" / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "plain").mkdir()
    sub = str(tmp_path / "r" / "sub")
    assert repository_root(sub) == str(tmp_path / "r")
    assert repo_path("deep/j.yaml", sub) == "sub/deep/j.yaml"
    assert repo_path("../top.yaml", sub) == "top.yaml"
    assert repo_path(str(tmp_path / "r" / "x.yaml"), sub) == "x.yaml"
    # outside the repository: as given
    assert repo_path("../../plain/j.yaml", sub) == "../../plain/j.yaml"
    # no repository: relative to the working directory
    assert repo_path("j.yaml", str(tmp_path / "plain")) == "j.yaml"
    if os.sep == "/":  # a backslash is part of a POSIX file name, not a separator
        assert repo_path("deep/a\\b.yaml", sub) == "sub/deep/a\\b.yaml"


def test_two_findings_about_one_place_get_two_fingerprints(tmp_path):
    """A rule may report one state twice (two loops through it, say): the
    second gets a numbered fingerprint, the first keeps the plain one."""
    from journeylint.engine import FileResult
    from journeylint.findings import Finding, Location, Severity

    where = Location("j.yaml", 3, 3, state="s")
    one = Finding("X001", "x", Severity.ERROR, "first", where, journey="j")
    two = Finding("X001", "x", Severity.ERROR, "second", where, journey="j")
    result = finish([FileResult("j.yaml", [], [one, two])])
    first, second = result.findings
    assert first.fingerprint == one.with_fingerprint(repo_path("j.yaml")).fingerprint
    assert second.fingerprint != first.fingerprint
    alone = finish([FileResult("j.yaml", [], [one])])
    assert alone.findings[0].fingerprint == first.fingerprint


# -- baseline ------------------------------------------------------------------------------------

def write_baseline(repo, name="baseline.json", *paths):
    result = run_cli("check", *(paths or ("journeys",)), "--write-baseline", name, cwd=repo)
    return result, repo / name


def test_write_then_check_against_the_baseline(repo):
    result, path = write_baseline(repo)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"journeylint: recorded 3 findings in the baseline baseline.json\n"
    assert result.stdout.count(" JL101 dead-end ") == 2  # the report still shows what was recorded
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert [(e["code"], e["file"], e["state"]) for e in data["findings"]] == [
        ("JL101", "journeys/card.yaml", "wait-for-letter"),
        ("JL101", "journeys/card.yaml", "orphan-check"),
        ("JL003", "journeys/card.yaml", "unreachable"),
    ]
    assert all("line" not in e for e in data["findings"])
    again = run_cli("check", "journeys", "--baseline", "baseline.json", cwd=repo)
    assert again.returncode == 0, again.stdout
    assert again.stdout == "No problems found in 2 journeys (2 files checked).\n"


def test_only_new_findings_are_reported(repo):
    write_baseline(repo)
    card = repo / "journeys" / "card.yaml"
    card.write_text(card.read_text().replace("next: [card-unblocked, wait-for-letter, orphan-check]",
                                             "next: [card-unblocked, wait-for-letter, orphan-check, new-hole]")
                    + "  new-hole:\n    actor: billing\n")
    result = run_cli("check", "journeys", "--baseline", "baseline.json", "-f", "json", cwd=repo)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [(f["code"], f["state"]) for f in report["findings"]] == [("JL101", "new-hole")]
    assert report["fixed"] == []


def test_baseline_survives_unrelated_edits_and_another_directory(repo):
    write_baseline(repo)
    card = repo / "journeys" / "card.yaml"
    card.write_text("# moved everything down\n\n" + card.read_text().replace(
        "  hotline:\n", "  # the hotline\n  hotline:\n"))
    assert run_cli("check", "journeys", "--baseline", "baseline.json", cwd=repo).returncode == 0
    inside = run_cli("check", ".", "--baseline", "../baseline.json", cwd=repo / "journeys")
    assert inside.returncode == 0, inside.stdout


def test_fixed_entries_are_listed(repo):
    write_baseline(repo)
    card = repo / "journeys" / "card.yaml"
    card.write_text(card.read_text().replace("  wait-for-letter:\n    actor: customer\n",
                                             "  wait-for-letter:\n    outcome: unresolved\n"))
    result = run_cli("check", "journeys", "--baseline", "baseline.json", cwd=repo)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "",
        "1 baseline entry no longer occurs:",
        "    journeys/card.yaml: JL101 state 'wait-for-letter' is a dead end: it has no outcome and no "
        "transition out, so the customer is left waiting for nothing",
    ]
    report = json.loads(run_cli("check", "journeys", "--baseline", "baseline.json", "-f", "json", cwd=repo).stdout)
    assert [(e["code"], e["state"]) for e in report["fixed"]] == [("JL101", "wait-for-letter")]


def test_hand_edited_entries_are_shown_as_text(repo):
    (repo / "baseline.json").write_text(json.dumps({"version": 1, "findings": [
        {"fingerprint": "gone", "code": 101, "file": "journeys/card.yaml", "message": ["a", "list"]},
        {"fingerprint": "gone-too", "file": "journeys/card.yaml", "extra": True}]}))
    result = run_cli("check", "journeys", "--baseline", "baseline.json", "-f", "json", cwd=repo)
    assert result.returncode == 1
    assert json.loads(result.stdout)["fixed"] == [
        {"fingerprint": "gone", "code": "101", "name": "", "file": "journeys/card.yaml", "journey": None,
         "state": None, "message": "['a', 'list']"},
        {"fingerprint": "gone-too", "code": "", "name": "", "file": "journeys/card.yaml", "journey": None,
         "state": None, "message": ""},
    ]
    text = run_cli("check", "journeys", "--baseline", "baseline.json", cwd=repo)
    assert "2 baseline entries no longer occur:" in text.stdout and text.stderr == ""


def test_entries_of_files_not_checked_are_not_called_fixed(repo):
    write_baseline(repo)
    result = run_cli("check", "journeys/clean.yaml", "--baseline", "baseline.json", "-f", "json", cwd=repo)
    assert result.returncode == 0
    assert json.loads(result.stdout)["fixed"] == []


def test_broken_files_are_never_baselined(repo):
    (repo / "journeys" / "broken.yaml").write_text("journey: [\n")
    result, path = write_baseline(repo)
    assert result.returncode == 1  # the broken file is not accepted by writing a baseline
    assert "JL001" not in path.read_text()
    assert "recorded 3 findings" in result.stderr
    again = run_cli("check", "journeys", "--baseline", "baseline.json", cwd=repo)
    assert again.returncode == 1
    assert again.stdout.startswith("journeys/broken.yaml:2:1: JL001 invalid-journey [error]")


def test_rewriting_a_baseline_after_unrelated_edits_changes_nothing(repo):
    _, path = write_baseline(repo)
    first = path.read_bytes()
    card = repo / "journeys" / "card.yaml"
    card.write_text("# a comment\n" + card.read_text())
    write_baseline(repo)
    assert path.read_bytes() == first


def test_the_baseline_applies_to_every_format(repo):
    write_baseline(repo)
    (repo / "journeys" / "card.yaml").write_text(CARD + "  new-hole:\n    actor: billing\n")
    # new-hole is unreachable (JL003): the one new finding
    sarif = json.loads(run_cli("check", "journeys", "--baseline", "baseline.json", "-f", "sarif", cwd=repo).stdout)
    assert [r["properties"]["state"] for r in sarif["runs"][0]["results"]] == ["new-hole"]
    github = run_cli("check", "journeys", "--baseline", "baseline.json", "-f", "github", "-q", cwd=repo,
                     env={"GITHUB_STEP_SUMMARY": ""})
    assert github.stdout.startswith("::warning file=journeys/card.yaml,line=19,col=3,title=JL003 unreachable-state::")
    assert github.stdout.count("\n") == 1
    gitlab = json.loads(run_cli("check", "journeys", "--baseline", "baseline.json", "-f", "gitlab", cwd=repo).stdout)
    assert [issue["check_name"] for issue in gitlab] == ["JL003"]


@pytest.mark.parametrize("content, message", [
    ("{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"a\",}\n  ]\n}\n",
     "baseline.json:4:25: the baseline is not valid JSON: Expecting property name enclosed in double quotes"),
    ("[]", "baseline.json:1:1: not a journeylint baseline"),
    ("{\"version\": 2, \"findings\": []}", "baseline.json:1:1: baseline version 2 is not supported"),
    ("{\"version\": 1, \"findings\": [{\"code\": \"JL101\"}]}",
     "baseline.json:1:1: entry 1 of \"findings\" has no \"fingerprint\" string"),
    ("{\"version\": 1, \"findings\": {}}", "baseline.json:1:1: \"findings\" must be a list"),
    (b"\xff\xfe{", "baseline.json:1:1: the baseline is not UTF-8 text"),
])
def test_a_bad_baseline_is_a_one_line_error(repo, content, message):
    path = repo / "baseline.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run_cli("check", "journeys", "--baseline", "baseline.json", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("journeylint: error: " + message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_missing_baseline_and_conflicting_options(repo):
    missing = run_cli("check", "journeys", "--baseline", "nope.json", cwd=repo)
    assert missing.returncode == 2
    assert missing.stderr == "journeylint: error: nope.json: cannot read the baseline: No such file or directory\n"
    both = run_cli("check", "journeys", "--baseline", "a.json", "--write-baseline", "b.json", cwd=repo)
    assert both.returncode == 2
    assert both.stderr.startswith("journeylint: error: give either --baseline or --write-baseline")
    unwritable = run_cli("check", "journeys", "--write-baseline", "no-such-dir/b.json", cwd=repo)
    assert unwritable.returncode == 2
    assert unwritable.stderr == ("journeylint: error: no-such-dir/b.json: cannot write the baseline: "
                                 "No such file or directory\n")
