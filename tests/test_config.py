"""Configuration: discovery, precedence, selection, severities, options,
and one-line errors with positions for every mistake (exit code 2)."""
from __future__ import annotations

import json

import pytest

from conftest import lint_text, run_cli

# a journey with one warning (JL003) and one error (JL101)
JOURNEY = """\
journey: j
kind: support
start: a
states:
  a:
    actor: customer
    channel: web
    next:
      - {to: done, when: it works}
      - {to: stuck, when: it does not}
  stuck:
    actor: agent
    channel: email
  orphan:
    actor: agent
    next: done
  done:
    outcome: resolved
"""


def codes_of(result):
    return [f["code"] for f in json.loads(result.stdout)["findings"]]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "j.yaml").write_text(JOURNEY)
    return tmp_path


def test_defaults_without_configuration(project):
    result = run_cli("check", "journeys", "--format", "json", cwd=project)
    assert result.returncode == 1
    assert codes_of(result) == ["JL101", "JL003"]


def test_configuration_found_in_a_parent_directory(project):
    (project / "journeylint.yaml").write_text("ignore: [JL101]\n")
    result = run_cli("check", ".", "--format", "json", cwd=project / "journeys")
    assert codes_of(result) == ["JL003"]


def test_precedence_in_one_directory(project):
    (project / "pyproject.toml").write_text("[tool.journeylint]\nignore = ['JL003']\n")
    assert codes_of(run_cli("check", "journeys", "-f", "json", cwd=project)) == ["JL101"]
    (project / ".journeylint.yaml").write_text("ignore: [dead-end]\n")
    assert codes_of(run_cli("check", "journeys", "-f", "json", cwd=project)) == ["JL003"]
    (project / "journeylint.yaml").write_text("select: [JL1]\n")
    assert codes_of(run_cli("check", "journeys", "-f", "json", cwd=project)) == ["JL101"]
    (project / "other.yaml").write_text("ignore: [JL1, JL0]\n")
    assert codes_of(run_cli("check", "journeys", "-f", "json", "--config", "other.yaml", cwd=project)) == []


def test_command_line_selection_overrides_the_file(project):
    (project / "journeylint.yaml").write_text("select: [JL1]\n")
    result = run_cli("check", "journeys", "-f", "json", "--select", "unreachable-state", cwd=project)
    assert codes_of(result) == ["JL003"]
    result = run_cli("check", "journeys", "-f", "json", "--extend-select", "JL003", "--ignore", "JL101", cwd=project)
    assert codes_of(result) == ["JL003"]


def test_severity_and_off_per_rule(tmp_path):
    findings = lint_text(JOURNEY, tmp_path, config_text="rules:\n  JL101: warning\n  unreachable-state: off\n")
    assert [(f.code, f.severity.label) for f in findings] == [("JL101", "warning")]


def test_fail_on_from_the_configuration(project):
    (project / "journeylint.yaml").write_text("fail_on: error\nignore: [JL101]\n")
    assert run_cli("check", "journeys", cwd=project).returncode == 0
    assert run_cli("check", "journeys", "--fail-on", "warning", cwd=project).returncode == 1


@pytest.mark.parametrize("config, where, message", [
    ("selct: [JL1]\n", "journeylint.yaml:1:1", "unknown setting 'selct'; did you mean 'select'?"),
    ("select: [JL999]\n", "journeylint.yaml:1:10", "unknown rule 'JL999'"),
    ("rules:\n  JL101: loud\n", "journeylint.yaml:2:10", "severity of 'JL101' must be error, warning, info or off, not the text 'loud'"),
    ("rules:\n  JL101: {max_things: 3}\n", "journeylint.yaml:2:11", "unknown option 'max_things' for JL101 dead-end"),
    ("extends: [recomended]\n", "journeylint.yaml:1:11", "unknown profile 'recomended'; did you mean 'recommended'?"),
    ("select: [JL1\n", "journeylint.yaml:2:1", "YAML syntax error"),
    ("- JL1\n", "journeylint.yaml:1:1", "the configuration must be a mapping of settings, not a list"),
    ("limits: {max_file_size: lots}\n", "journeylint.yaml:1:10", "'max_file_size' must be a size such as 16MB"),
    ("fail_on: sometimes\n", "journeylint.yaml:1:10", "unknown severity 'sometimes'"),
    ("select: JL1\nselect: JL2\n", "journeylint.yaml:2:1", "duplicate key 'select'"),
])
def test_configuration_errors_are_one_line_with_position(project, config, where, message):
    (project / "journeylint.yaml").write_text(config)
    result = run_cli("check", "journeys", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"journeylint: error: {where}: "), line
    assert message in line


def test_wrong_option_type_is_a_configuration_error(project):
    (project / "journeylint.yaml").write_text("plugins: [../acme.py]\n")
    result = run_cli("check", "journeys", cwd=project)
    assert result.returncode == 2 and "plugin file '../acme.py' not found" in result.stderr


def test_missing_config_file(project):
    result = run_cli("check", "journeys", "--config", "nope.yaml", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip() == "journeylint: error: configuration file 'nope.yaml' not found"


def test_pyproject_errors_name_the_section(project):
    (project / "pyproject.toml").write_text("[tool.journeylint]\nselct = ['JL1']\n")
    result = run_cli("check", "journeys", cwd=project)
    assert result.returncode == 2
    assert "pyproject.toml:2:1: unknown setting 'selct'; did you mean 'select'? in [tool.journeylint]" in result.stderr


def test_include_and_exclude(project):
    (project / "journeys" / "fixtures").mkdir()
    (project / "journeys" / "fixtures" / "broken.yaml").write_text("journey: [\n")
    (project / "journeys" / "notes.txt").write_text("not yaml")
    result = run_cli("check", "journeys", "-f", "json", cwd=project)
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"journeys/j.yaml", "journeys/fixtures/broken.yaml"}
    (project / "journeylint.yaml").write_text("exclude: ['**/fixtures/**']\n")
    result = run_cli("check", "journeys", "-f", "json", cwd=project)
    assert {f["file"] for f in json.loads(result.stdout)["findings"]} == {"journeys/j.yaml"}
