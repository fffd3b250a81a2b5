"""Parallel checking: `--jobs N` lints files in worker processes and gives
the same bytes as `--jobs 1`; progress goes to stderr, only on a terminal."""
from __future__ import annotations

import os
import pty
import random
import subprocess
import textwrap

import pytest

from conftest import journeylint_command, run_cli, session_for
from journeylint.discovery import discover
from journeylint.engine import run

FORMATS = ("json", "sarif", "junit", "github", "gitlab")


def journey(number: int, rng: random.Random) -> str:
    """One of a few shapes, so that the corpus has findings of several rules,
    clean journeys, broken files and a duplicate id."""
    jid = f"journey-{number:03d}" if number % 50 != 49 else f"journey-{number - 1:03d}"  # duplicate id
    length = rng.randint(3, 12)
    names = [f"s{i}" if i % 7 else f"étape-{i}" for i in range(length)]
    lines = [f"journey: {jid}", f"kind: {rng.choice(['support', 'refund', 'cancellation', 'billing'])}",
             f"start: {names[0]}", "states:"]
    shape = number % 5
    for i, name in enumerate(names):
        lines.append(f"  {name}:")
        lines.append(f"    actor: {rng.choice(['customer', 'agent', 'billing', 'bot'])}")
        if i == len(names) - 1:
            if shape != 1:  # shape 1: the last state is a dead end
                lines.append("    outcome: resolved")
            continue
        targets = [names[i + 1]]
        if shape == 2 and i > 1:
            targets.append(names[i - 1])  # a loop back
        if shape == 3 and i == 1:
            targets = [names[0]]  # a trap: s0 <-> s1 with no way on
        lines.append(f"    next: [{', '.join(repr(t) if not t.isascii() else t for t in targets)}]")
    if shape == 4:
        lines += ["  orphan:", "    outcome: resolved"]  # unreachable
    text = "\n".join(lines) + "\n"
    if number % 37 == 36:
        text = text.replace("states:", "states: [", 1)  # broken YAML
    return text


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(20240611)
    for number in range(200):
        folder = root / "journeys" / f"team-{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"j{number:03d}.yaml").write_text(journey(number, rng), encoding="utf-8")
    (root / "journeylint.yaml").write_text("")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def run_all_formats(corpus, jobs):
    out = corpus / f"out-{jobs}"
    out.mkdir(exist_ok=True)
    args = ["check", "journeys", "--jobs", jobs]
    for name in FORMATS:
        args += ["-f", name, "-o", out / name]
    args += ["-f", "text"]
    result = run_cli(*args, cwd=corpus, env={"GITHUB_STEP_SUMMARY": ""})
    return result, {name: (out / name).read_bytes() for name in FORMATS}


def test_corpus_has_200_journeys_and_findings_of_several_kinds(corpus):
    import json

    result = run_cli("check", "journeys", "-f", "json", "--jobs", "1", cwd=corpus)
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 200
    assert report["summary"]["journeys"] == 200 - 5  # five broken files hold no journey
    codes = {f["code"] for f in report["findings"]}
    assert {"JL001", "JL003", "JL101", "JL102"} <= codes
    assert any("already used by" in f["message"] for f in report["findings"])
    assert len(report["findings"]) > 100


def test_jobs_2_gives_the_same_bytes_as_jobs_1(corpus):
    serial, serial_reports = run_all_formats(corpus, 1)
    parallel, parallel_reports = run_all_formats(corpus, 2)
    assert serial.returncode == parallel.returncode == 1
    assert serial.stdout and serial.stdout == parallel.stdout
    assert serial.stderr == parallel.stderr == ""
    for name in FORMATS:
        assert serial_reports[name] == parallel_reports[name], name


def test_jobs_0_means_the_default_and_negative_is_a_usage_error(corpus):
    serial, reports = run_all_formats(corpus, 1)
    default, default_reports = run_all_formats(corpus, 0)
    assert default.stdout == serial.stdout and default_reports == reports
    bad = run_cli("check", "journeys", "--jobs", "-1", cwd=corpus)
    assert bad.returncode == 2
    assert bad.stderr.startswith("journeylint: error: Invalid value for '--jobs' / '-j': -1 is not in the range x>=0.")


PID_RULE = '''
import os
from journeylint.api import Finding, rule

@rule(code="PID001", name="worker-pid", severity="info", summary="Test rule: which process checked the journey")
def worker_pid(journey, analysis, options):
    yield Finding.at(journey, f"checked in process {os.getpid()}")
'''


def test_files_are_checked_in_worker_processes(tmp_path):
    (tmp_path / "pid_rule.py").write_text(PID_RULE)
    for number in range(12):
        (tmp_path / f"j{number}.yaml").write_text(textwrap.dedent(f"""\
            journey: j{number}
            kind: support
            start: a
            states:
              a: {{next: done}}
              done: {{outcome: resolved}}
            """))
    session = session_for(tmp_path, config_text="plugins: [pid_rule.py]\nselect: [PID001]\n")
    files = discover([str(tmp_path)], cwd=str(tmp_path))
    result = run(session.engine, files, jobs=2)
    pids = {int(f.message.rsplit(" ", 1)[1]) for f in result.findings}
    assert len(result.findings) == 12
    assert os.getpid() not in pids  # not checked in this process...
    assert 1 <= len(pids) <= 2  # ...but in at most two workers
    serial = run(session.engine, files, jobs=1)
    assert {f.message for f in serial.findings} == {f"checked in process {os.getpid()}"}


def test_progress_only_on_a_terminal(corpus):
    piped = run_cli("check", "journeys", "--jobs", "2", "-q", cwd=corpus)
    assert piped.stderr == ""
    # the same run with stderr on a pseudo-terminal
    controller, terminal = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    process = subprocess.Popen(journeylint_command() + ["check", "journeys", "--jobs", "2", "-q"], cwd=corpus,
                               stdout=subprocess.PIPE, stderr=terminal, env=env)
    os.close(terminal)
    stdout, _ = process.communicate(timeout=120)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed once the process is gone
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    assert process.returncode == 1
    assert stdout == piped.stdout.encode()  # progress never mixes into the report
    assert b"\rchecked 25/200 files" in seen and b"\rchecked 200/200 files" in seen
    assert seen.endswith(b"\r" + b" " * 40 + b"\r")  # and is wiped at the end
