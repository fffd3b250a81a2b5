"""Run journeylint on hostile input as a user would, with the time and memory
it may use enforced.

Each run is the installed command in a fresh process, so that what is
measured is everything the input costs (reading, composing, validating, the
rules, the output) and nothing the test process already holds. The bounds
the issue sets are 2 s and 300 MB per input:

* memory: the peak resident set of that process, read from ``wait4`` by a
  small spawner process (``spawn_bounded.py``: a forked child's peak starts
  at its parent's size, so pytest must not be the parent); an address-space
  rlimit well above the bound stops a runaway before it can hurt the
  machine (it then fails the test through its exit status);
* time: CPU seconds (user + system) of that process, which a busy CI machine
  does not inflate; a wall-clock limit catches a process that hangs without
  using CPU (a blocked ``open`` on a FIFO, a lock).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

MAX_SECONDS = 2.0
MAX_MEGABYTES = 300
#: a process that has not finished by then is taken as hanging
HANG_SECONDS = 20.0
#: safety nets only: the bounds themselves are asserted from the measurements
_AS_LIMIT = 3 * 1024 ** 3
_CPU_LIMIT = 30

GOOD_JOURNEY = """\
journey: good-companion
kind: support
start: ask
states:
  ask:
    actor: customer
    channel: chat
    next: answer
  answer:
    actor: agent
    channel: chat
    discloses: [answer]
    outcome: resolved
"""


def journeylint_command() -> list[str]:
    script = shutil.which("journeylint", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return [script] if script else [sys.executable, "-m", "journeylint"]


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float
    wall_seconds: float
    max_rss_mb: float

    def json(self) -> dict:
        return json.loads(self.stdout)

    def findings(self, file: str | None = None) -> list[tuple]:
        """(code, line, column) of the JSON findings, for one file or all."""
        return [(f["code"], f["line"], f["column"]) for f in self.json()["findings"]
                if file is None or f["file"] == file]

    def messages(self, file: str | None = None) -> list[str]:
        return [f["message"] for f in self.json()["findings"] if file is None or f["file"] == file]

    def assert_bounded(self):
        assert self.cpu_seconds <= MAX_SECONDS, f"took {self.cpu_seconds:.2f} s of CPU (bound {MAX_SECONDS} s)"
        assert self.max_rss_mb <= MAX_MEGABYTES, f"used {self.max_rss_mb:.0f} MB (bound {MAX_MEGABYTES} MB)"

    def assert_clean_exit(self, code: int):
        """The exit code asked for, no traceback, at most a one-line error."""
        assert "Traceback" not in self.stderr, self.stderr
        assert self.returncode == code, f"exit {self.returncode}, expected {code}; stderr: {self.stderr}"
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert len(lines) <= 1, f"more than one line on stderr: {self.stderr!r}"


_SPAWNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "spawn_bounded.py")


def run_bounded(*args, cwd=None, env=None, hang_seconds: float = HANG_SECONDS, unprivileged=False) -> Outcome:
    """Run ``journeylint *args`` and measure it; fails the test on a hang.
    ``unprivileged``: as root, without the power to read unreadable files."""
    full_env = dict(os.environ)
    full_env.pop("GITHUB_ACTIONS", None)
    full_env.pop("GITLAB_CI", None)
    full_env["NO_COLOR"] = "1"
    if env:
        full_env.update(env)
    with tempfile.TemporaryDirectory() as scratch:
        spec = {
            "command": journeylint_command() + [str(a) for a in args],
            "cwd": str(cwd) if cwd is not None else None,
            "stdout": os.path.join(scratch, "stdout"),
            "stderr": os.path.join(scratch, "stderr"),
            "hang_seconds": hang_seconds,
            "as_limit": _AS_LIMIT,
            "cpu_limit": _CPU_LIMIT,
            "unprivileged": unprivileged,
        }
        # -S: no site, so that the spawner stays small (see spawn_bounded.py)
        spawned = subprocess.run([sys.executable, "-S", _SPAWNER, json.dumps(spec)], env=full_env,
                                 capture_output=True, text=True, timeout=hang_seconds + 30)
        assert spawned.returncode == 0, spawned.stderr
        measured = json.loads(spawned.stdout)
        assert not measured["hung"], f"journeylint {' '.join(map(str, args))} hung for {hang_seconds:g} s"
        with open(spec["stdout"], "rb") as handle:
            stdout = handle.read().decode("utf-8", "surrogateescape")
        with open(spec["stderr"], "rb") as handle:
            stderr = handle.read().decode("utf-8", "surrogateescape")
    log = os.environ.get("JOURNEYLINT_BOUNDS_LOG")
    if log:  # the figures of every run, for docs/robustness.md
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
                                     "args": [str(a) for a in args][:12], **measured}) + "\n")
    return Outcome(
        returncode=measured["returncode"], stdout=stdout, stderr=stderr,
        cpu_seconds=measured["cpu_seconds"], wall_seconds=measured["wall_seconds"],
        max_rss_mb=measured["max_rss_mb"],
    )


def isolate(directory) -> str:
    """An empty configuration in ``directory`` (stops the upward search);
    returns its path for ``--config``."""
    path = os.path.join(str(directory), "journeylint.yaml")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("")
    return path


def check_with_companion(directory, name: str, content: bytes | str, *extra_args) -> Outcome:
    """Check the hostile file ``name`` together with a good journey, in one
    run, as JSON; asserts the bounds, that the run ended cleanly, and that
    the good journey was checked (one bad file never stops the others)."""
    directory = str(directory)
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(os.path.join(directory, name), "wb") as handle:
        handle.write(data)
    with open(os.path.join(directory, "good.yaml"), "w", encoding="utf-8") as handle:
        handle.write(GOOD_JOURNEY)
    isolate(directory)
    outcome = run_bounded("check", "--jobs", "1", "--format", "json", *extra_args, name, "good.yaml", cwd=directory)
    outcome.assert_bounded()
    assert "Traceback" not in outcome.stderr, outcome.stderr
    assert_companion_checked(outcome)
    return outcome


def assert_companion_checked(outcome: Outcome):
    document = outcome.json()
    files = {f["file"]: f for f in document["files"]}
    assert files.get("good.yaml", {}).get("journeys") == ["good-companion"], document["files"]
    assert outcome.findings("good.yaml") == []
