"""Shared helpers: lint a journey held in a string, with the default rule
set (optionally adjusted), exactly as ``journeylint check`` would."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from journeylint.engine import finish
from journeylint.loading.pipeline import load_bytes
from journeylint.session import open_session

ROOT = Path(__file__).resolve().parent.parent


def journeylint_command() -> list[str]:
    """The installed console script (the real entry point), else ``python -m``."""
    script = shutil.which("journeylint", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return [script] if script else [sys.executable, "-m", "journeylint"]


def run_cli(*args, cwd=None, env=None, input=None, timeout=60):
    """Run the installed ``journeylint`` as a user would; returns CompletedProcess."""
    full_env = dict(os.environ)
    full_env.pop("GITHUB_ACTIONS", None)
    full_env["NO_COLOR"] = "1"
    if env:
        full_env.update(env)
    return subprocess.run(
        journeylint_command() + [str(a) for a in args], cwd=cwd, env=full_env, input=input,
        capture_output=True, text=True, timeout=timeout,
    )


def session_for(tmp_dir, *, select=None, extend_select=(), ignore=(), profiles=(), config_text=None):
    """A session isolated from any configuration above ``tmp_dir``."""
    tmp_dir = Path(tmp_dir)
    config_path = None
    if config_text is not None:
        config_path = tmp_dir / "journeylint.yaml"
        config_path.write_text(textwrap.dedent(config_text))
    else:
        # an empty configuration file stops the upward search
        config_path = tmp_dir / ".journeylint-empty.yaml"
        config_path.write_text("")
    return open_session(config_path=str(config_path), select=select, extend_select=extend_select,
                        ignore=ignore, profiles=profiles, cwd=str(tmp_dir))


def lint_text(text, tmp_path, *, display="journey.yaml", **session_options):
    """Findings of the journey in ``text`` (dedented), sorted, fingerprinted."""
    session = session_for(tmp_path, **session_options)
    result = session.engine.lint_source(textwrap.dedent(text), display)
    return finish([result]).findings


def codes(findings) -> list[str]:
    return sorted(f.code for f in findings)


def assert_witness_is_real(journey, path):
    """A witness starts at a start state and follows transitions. Past the
    journey's witness budget a witness may leave states out (an ``Elided``
    marker stands where they were): each part must still follow transitions."""
    from journeylint.findings import Elided

    assert path, "empty witness"
    parts, part = [], []
    for state in path:
        if isinstance(state, Elided):
            parts.append(part)
            part = []
        else:
            part.append(state)
    parts.append(part)
    if parts[0]:
        assert parts[0][0] in journey.start, f"witness {path} does not begin at start {journey.start}"
    for part in parts:
        for a, b in zip(part, part[1:]):
            assert any(t.target == b for t in journey.states[a].transitions), f"no transition {a} -> {b} in {path}"


@pytest.fixture
def lint(tmp_path):
    def _lint(text, **options):
        return lint_text(text, tmp_path, **options)

    return _lint


# -- helpers shared by the rule tests ----------------------------------------------

def journey_of(text):
    return load_bytes(textwrap.dedent(text).encode(), "journey.yaml").journeys[0]


def line_of(text, state):
    """The line of a state's key (states are indented by two spaces)."""
    lines = textwrap.dedent(text).splitlines()
    return next(i for i, line in enumerate(lines, 1) if line == f"  {state}:")


def at(text, needle):
    """(line, column) of the first occurrence of ``needle`` in the dedented text."""
    for number, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in the journey")


def only(findings, code):
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in findings]
    return found[0]


def assert_exit_2(result, where, words):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"journeylint: error: journeylint.yaml:{where}: "), line
    assert words in line, line


def run_rule(lint, text, code, **options):
    """Findings of ``code`` alone, each witness checked against the journey."""
    findings = lint(text, select=[code], **options)
    journey = journey_of(text)
    for finding in findings:
        assert finding.code == code
        if finding.path:
            assert_witness_is_real(journey, finding.path)
    return findings


def cli_config_error(tmp_path, text, config):
    (tmp_path / "journey.yaml").write_text(textwrap.dedent(text))
    (tmp_path / "journeylint.yaml").write_text(textwrap.dedent(config))
    return run_cli("check", "journey.yaml", cwd=tmp_path)
