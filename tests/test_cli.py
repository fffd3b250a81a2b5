"""The installed `journeylint` command, run as a user runs it: exit codes,
formats, one-line errors, determinism."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import ROOT, run_cli

CLEAN = """\
journey: clean
kind: support
start: a
states:
  a:
    actor: customer
    channel: web
    next: done
  done:
    outcome: resolved
"""
WARNING_ONLY = CLEAN.replace("journey: clean", "journey: warn") + "  orphan:\n    outcome: resolved\n"
ERROR = CLEAN.replace("journey: clean", "journey: err").replace("    next: done", "    next: []")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "warn.yaml").write_text(WARNING_ONLY)
    (tmp_path / "err.yaml").write_text(ERROR)
    (tmp_path / "broken.yaml").write_text("journey: broken\nstates: [\n")
    (tmp_path / "journeylint.yaml").write_text("select: [JL0, JL101, JL102]\n")
    return tmp_path


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("journeylint ")


def test_python_dash_m(files):
    import subprocess

    result = subprocess.run([sys.executable, "-m", "journeylint", "check", "clean.yaml"], cwd=files,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_exit_codes(files):
    assert run_cli("check", "clean.yaml", cwd=files).returncode == 0
    assert run_cli("check", "warn.yaml", cwd=files).returncode == 1
    assert run_cli("check", "warn.yaml", "--fail-on", "error", cwd=files).returncode == 0
    assert run_cli("check", "err.yaml", "--fail-on", "error", cwd=files).returncode == 1
    assert run_cli("check", "err.yaml", "--exit-zero", cwd=files).returncode == 0


def test_text_output_and_summary(files):
    result = run_cli("check", "err.yaml", "clean.yaml", cwd=files)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == ("err.yaml:1:1: JL004 no-resolution [error] no resolution is reachable from start: "
                        "'done' is never reached")
    assert lines[1] == "    see: err.yaml:9:3 (unreachable resolution)"
    assert lines[2].startswith("err.yaml:5:3: JL101 dead-end [error] state 'a' is a dead end")
    assert lines[3] == "    path: a"
    assert lines[-1] == "Found 3 problems (2 errors, 1 warning) in 1 of 2 files (2 journeys checked)."
    assert "\x1b[" not in result.stdout  # piped: no colour


def test_clean_summary_and_quiet(files):
    assert run_cli("check", "clean.yaml", cwd=files).stdout == "No problems found in 1 journey (1 file checked).\n"
    assert run_cli("check", "clean.yaml", "-q", cwd=files).stdout == ""


def test_one_broken_file_does_not_stop_the_others(files):
    result = run_cli("check", ".", "--format", "json", cwd=files)
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert {f["file"] for f in data["findings"]} == {"broken.yaml", "err.yaml", "warn.yaml"}
    # the configuration file is not taken for a journey
    assert data["summary"]["files"] == 4


def test_json_fields(files):
    data = json.loads(run_cli("check", "err.yaml", "-f", "json", cwd=files).stdout)
    assert data["version"] == 1 and data["tool"]["name"] == "journeylint"
    finding = next(f for f in data["findings"] if f["code"] == "JL101")
    assert {k: finding[k] for k in ("code", "name", "severity", "file", "line", "column", "state", "path")} == {
        "code": "JL101", "name": "dead-end", "severity": "error", "file": "err.yaml", "line": 5,
        "column": 3, "state": "a", "path": ["a"]}
    assert finding["message"].startswith("state 'a' is a dead end")
    assert len(finding["fingerprint"]) == 32


def test_statistics(files):
    result = run_cli("check", "err.yaml", "--statistics", cwd=files)
    assert "    1  JL101  dead-end [error]" in result.stdout.splitlines()


@pytest.mark.parametrize("args, message", [
    (["check", "--formt", "json"], "No such option '--formt'. Did you mean '--format'?"),
    (["check", "--format", "yaml", "clean.yaml"], "unknown format 'yaml'"),
    (["check", "missing.yaml"], "path 'missing.yaml' does not exist"),
    (["check", "--fail-on", "fatal"], "'fatal' is not one of 'error', 'warning', 'info'"),
    (["explain", "JL9999"], "unknown rule 'JL9999'"),
    (["chekc"], "No such command 'chekc'"),
])
def test_usage_errors_are_one_line_exit_2(files, args, message):
    result = run_cli(*args, cwd=files)
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("journeylint: error: ")
    assert message in result.stderr


def test_output_is_deterministic(files):
    first = run_cli("check", ".", "-f", "json", "--jobs", "1", cwd=files).stdout
    second = run_cli("check", "warn.yaml", "err.yaml", "clean.yaml", "broken.yaml",
                     "-f", "json", "--jobs", "2", cwd=files).stdout
    assert json.loads(first)["findings"] == json.loads(second)["findings"]


def test_rules_and_explain(files):
    listing = run_cli("rules", cwd=files).stdout.splitlines()
    assert listing[0].split() == ["code", "name", "severity", "summary", "enabled"]
    jl101 = next(line for line in listing if line.startswith("JL101"))
    assert jl101.split()[:3] == ["JL101", "dead-end", "error"] and jl101.endswith("yes")
    jl003 = next(line for line in listing if line.startswith("JL003"))
    assert jl003.endswith("yes")
    page = run_cli("explain", "dead-end", cwd=files)
    assert page.returncode == 0
    assert page.stdout == (ROOT / "rules" / "JL101-dead-end.md").read_text()


def test_schema_command_prints_the_schema():
    schema = json.loads(run_cli("schema").stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "states" in schema["required"]


def test_colour_only_when_asked(files):
    result = run_cli("check", "err.yaml", cwd=files, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in result.stdout
    result = run_cli("check", "err.yaml", "--no-color", cwd=files, env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" not in result.stdout
