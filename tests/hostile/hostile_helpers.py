"""Run journeylint on hostile input as a user would, with the time and memory
it may use enforced.

Each run is the installed command in a fresh process, so that what is
measured is everything the input costs (reading, composing, validating, the
rules, the output) and nothing the test process already holds. The bounds
the issue sets are 2 s and 300 MB per input:

* memory: the peak resident set of that process, read from ``wait4``; an
  address-space rlimit well above the bound stops a runaway before it can
  hurt the machine (it then fails the test through its exit status);
* time: CPU seconds (user + system) of that process, which a busy CI machine
  does not inflate; a wall-clock limit catches a process that hangs without
  using CPU (a blocked ``open`` on a FIFO, a lock).
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
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


def _limit():
    resource.setrlimit(resource.RLIMIT_AS, (_AS_LIMIT, _AS_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (_CPU_LIMIT, _CPU_LIMIT))


def run_bounded(*args, cwd=None, env=None, hang_seconds: float = HANG_SECONDS) -> Outcome:
    """Run ``journeylint *args`` and measure it; fails the test on a hang."""
    full_env = dict(os.environ)
    full_env.pop("GITHUB_ACTIONS", None)
    full_env.pop("GITLAB_CI", None)
    full_env["NO_COLOR"] = "1"
    if env:
        full_env.update(env)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            journeylint_command() + [str(a) for a in args], cwd=cwd, env=full_env,
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=_limit,
        )
        deadline = started + hang_seconds
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                raise AssertionError(f"journeylint {' '.join(map(str, args))} hung for {hang_seconds:g} s")
            time.sleep(0.01)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Outcome(
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "surrogateescape"),
            stderr=err.read().decode("utf-8", "surrogateescape"),
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            wall_seconds=wall,
            max_rss_mb=usage.ru_maxrss / 1024,
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
