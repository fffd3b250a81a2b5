"""pre-commit runs journeylint on staged journeys, with the hook definition
of .pre-commit-hooks.yaml, in a throw-away git repository.

The hook is used as a `repo: local` hook with its `entry`, `types`,
`exclude`, `require_serial` and so on taken unchanged from
.pre-commit-hooks.yaml; only `language: python` becomes `system`, so that
pre-commit runs the journeylint installed here instead of building a
virtual environment from the network.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

BAD = """\
journey: card-blocked
kind: support
start: hotline
states:
  hotline:
    actor: agent
    next: [card-unblocked, wait-for-letter]
  wait-for-letter:
    actor: customer
  card-unblocked:
    outcome: resolved
"""
GOOD = BAD.replace("  wait-for-letter:\n    actor: customer\n", "  wait-for-letter:\n    outcome: unresolved\n")


def manifest_hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["journeylint"]
    return hooks[0]


@pytest.fixture
def environment(tmp_path):
    """pre-commit and git isolated from the user's configuration and caches;
    the journeylint of this virtual environment first on PATH."""
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("GIT_", "PRE_COMMIT")) or key == "GITHUB_ACTIONS":
            del env[key]
    (tmp_path / "gitconfig").write_text("")
    env.update({
        "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
        "NO_COLOR": "1",
    })
    return env


@pytest.fixture
def repository(tmp_path, environment):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, environment, "init", "-q")
    hook = {**manifest_hook(), "language": "system"}
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    # a configuration file is YAML too: the hook's exclude keeps it out
    (repo / "journeylint.yaml").write_text("select: [JL0, JL101]\n")
    (repo / "journeys").mkdir()
    return repo


def git(repo, env, *args):
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)


def pre_commit(repo, env, *args):
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_manifest_is_valid_for_pre_commit(environment):
    result = pre_commit(ROOT, environment, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    hook = manifest_hook()
    assert hook["entry"] == "journeylint check" and hook["language"] == "python"
    assert hook["types"] == ["yaml"] and hook["require_serial"] is True


def test_pre_commit_runs_journeylint_on_a_staged_journey(repository, environment):
    (repository / "journeys" / "card.yaml").write_text(BAD)
    (repository / "journeys" / "draft.yaml").write_text("journey: [\n")  # not staged: not checked
    git(repository, environment, "add", ".pre-commit-config.yaml", "journeylint.yaml", "journeys/card.yaml")

    failed = pre_commit(repository, environment, "run")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "journeylint" in failed.stdout and "Failed" in failed.stdout
    assert ("journeys/card.yaml:8:3: JL101 dead-end [error] state 'wait-for-letter' is a dead end"
            in failed.stdout)
    assert "Found 1 problem (1 error) in 1 of 1 file (1 journey checked)." in failed.stdout
    assert "draft.yaml" not in failed.stdout

    (repository / "journeys" / "card.yaml").write_text(GOOD)
    git(repository, environment, "add", "journeys/card.yaml")
    passed = pre_commit(repository, environment, "run")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_the_installed_hook_stops_a_commit(repository, environment):
    pre_commit(repository, environment, "install")
    (repository / "journeys" / "card.yaml").write_text(BAD)
    git(repository, environment, "add", ".")
    refused = subprocess.run(["git", "commit", "-q", "-m", "add a journey"], cwd=repository, env=environment,
                             capture_output=True, text=True)
    assert refused.returncode == 1
    assert "JL101 dead-end" in refused.stdout + refused.stderr
    no_head = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=repository, env=environment)
    assert no_head.returncode != 0  # nothing was committed

    (repository / "journeys" / "card.yaml").write_text(GOOD)
    git(repository, environment, "add", ".")
    accepted = subprocess.run(["git", "commit", "-q", "-m", "add a journey"], cwd=repository, env=environment,
                              capture_output=True, text=True)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    files = git(repository, environment, "ls-files").stdout.split()
    assert "journeys/card.yaml" in files


@pytest.mark.parametrize("path, linted", [
    ("journeys/card.yaml", True),
    ("support/refund.yml", True),
    (".pre-commit-config.yaml", False),
    ("journeylint.yaml", False),
    ("sub/.journeylint.yml", False),
    (".github/workflows/ci.yml", False),
    (".gitlab-ci.yml", False),
    ("action.yml", False),
])
def test_which_files_the_hook_takes(path, linted):
    """The hook's `exclude` as pre-commit applies it (Python re.search)."""
    import re

    hook = manifest_hook()
    assert (re.search(hook["exclude"], path) is None) is linted
