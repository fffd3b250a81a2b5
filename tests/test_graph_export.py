"""``journeylint graph``: Mermaid, DOT and JSON exports of one journey."""
from __future__ import annotations

import json
import re

import pydot
import pytest

from conftest import run_cli
from test_metrics import MAGAZINE

HOSTILE = """\
journey: hostile
kind: support
start: a
states:
  a:
    title: '<img src=x onerror=alert(1)> "quoted" #hash & back\\slash'
    actor: customer
    channel: web
    next:
      - to: b
        when: 'say "]; click n0 call alert() %% | -->'
  b:
    title: '</script><script>alert(2)</script>'
    outcome: resolved
"""

TWO = """\
journey: first
kind: support
start: x
states:
  x: {actor: customer, next: y}
  y: {outcome: resolved}
---
journey: second
kind: refund
start: p
states:
  p: {actor: customer, next: q}
  q: {outcome: resolved}
"""


@pytest.fixture
def files(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    (tmp_path / "magazine.yaml").write_text(MAGAZINE)
    (tmp_path / "hostile.yaml").write_text(HOSTILE)
    (tmp_path / "two.yaml").write_text(TWO)
    (tmp_path / "broken.yaml").write_text("journey: broken\nkind: support\nstart: a\nstates:\n  a: {next: [b\n")
    return tmp_path


def test_mermaid(files):
    done = run_cli("graph", "magazine.yaml", cwd=files)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:4] == ["---", 'title: "Cancel a magazine subscription"', "---", "flowchart TD"]
    assert '    n0["call-hotline<br/>customer · phone"]' in lines
    # terminal states are stadiums, irreversible ones subroutines
    assert '    n5(["refund-cheque<br/>billing · mail<br/>outcome: resolved"])' in lines
    assert '    n4[["cancelled<br/>subscriptions<br/>irreversible"]]' in lines
    assert '    start0(("start")) --> n0' in lines
    assert '    n2 -->|"customer declines"| n3' in lines
    assert sum(1 for line in lines if re.match(r"    n\d+ -", line)) == 7
    # no findings asked for: none marked
    assert not any(line.startswith("    class ") and line.endswith((" error", " warning", " info")) for line in lines)


def test_mermaid_with_findings(files):
    done = run_cli("graph", "magazine.yaml", "--findings", "--select", "JL201", cwd=files)
    assert done.returncode == 0, done.stderr
    assert '    n3["confirm-cancel<br/>customer<br/>JL201"]' in done.stdout.splitlines()
    assert "    class n3 error" in done.stdout.splitlines()


def test_mermaid_escapes_labels(files):
    out = run_cli("graph", "hostile.yaml", cwd=files).stdout
    node = next(line for line in out.splitlines() if line.startswith("    n0["))
    # one quoted label: no quote, angle bracket or raw # inside it
    inner = node[len('    n0["'):-len('"]')]
    assert '"' not in inner and "<img" not in inner and "</script" not in out
    assert inner.startswith("#60;img src=x onerror=alert(1)#62; #34;quoted#34; #35;hash #38; back\\slash")
    edge = next(line for line in out.splitlines() if line.startswith("    n0 -->"))
    assert edge == '    n0 -->|"say #34;]; click n0 call alert() %% | --#62;"| n1'


def test_dot_parses_and_keeps_labels(files):
    done = run_cli("graph", "hostile.yaml", "-f", "dot", "--findings", cwd=files)
    assert done.returncode == 0, done.stderr
    [graph] = pydot.graph_from_dot_data(done.stdout)
    nodes = {n.get_name().strip('"'): n for n in graph.get_nodes()}
    label = nodes["a"].get_label()
    assert label.startswith('"<img src=x onerror=alert(1)> \\"quoted\\" #hash & back\\\\slash')
    [edge] = [e for e in graph.get_edges() if e.get_source().strip('"') == "a"]
    assert edge.get_label() == '"say \\"]; click n0 call alert() %% | -->"'
    assert nodes["b"].get("peripheries") == "2"


def test_dot_marks_findings(files):
    done = run_cli("graph", "magazine.yaml", "--format", "dot", "--findings", "--select", "JL201", cwd=files)
    [graph] = pydot.graph_from_dot_data(done.stdout)
    nodes = {n.get_name().strip('"'): n for n in graph.get_nodes()}
    assert nodes["confirm-cancel"].get("color") == '"#b3261e"'
    assert nodes["confirm-cancel"].get("xlabel") == '"JL201"'
    assert nodes["cancelled"].get("penwidth") == "3"          # irreversible, no finding
    assert len(graph.get_edges()) == 7 + 1        # transitions + the start marker


def test_json(files):
    done = run_cli("graph", "magazine.yaml", "-f", "json", "--findings", "--select", "JL201", cwd=files)
    doc = json.loads(done.stdout)
    assert doc["version"] == 1 and doc["journey"] == "magazine-cancellation" and doc["start"] == ["call-hotline"]
    assert [s["id"] for s in doc["states"]] == ["call-hotline", "agent-greets", "renewal-offer", "confirm-cancel",
                                               "cancelled", "refund-cheque", "renewed"]
    state = {s["id"]: s for s in doc["states"]}
    assert state["confirm-cancel"]["worst_severity"] == "error" and state["confirm-cancel"]["findings"] == ["JL201"]
    assert state["call-hotline"]["wait_seconds"] == 480 and state["call-hotline"]["line"] == 11
    assert {"from": "renewal-offer", "to": "confirm-cancel", "kind": "normal", "when": "customer declines",
            "keeps_context": True, "callback": False} in doc["transitions"]
    assert [f["code"] for f in doc["findings"]] == ["JL201"]
    plain = json.loads(run_cli("graph", "magazine.yaml", "-f", "json", cwd=files).stdout)
    assert "findings" not in plain and "worst_severity" not in plain["states"][0]


def test_several_journeys_and_output_file(files):
    done = run_cli("graph", "two.yaml", cwd=files)
    assert done.returncode == 2
    assert done.stderr == "journeylint: error: two.yaml holds 2 journeys (first, second): choose one with --journey\n"
    done = run_cli("graph", "two.yaml", "--journey", "second", "-o", "second.mmd", cwd=files)
    assert done.returncode == 0 and done.stdout == ""
    assert '    n0["p<br/>customer"]' in (files / "second.mmd").read_text().splitlines()
    done = run_cli("graph", "two.yaml", "--journey", "third", cwd=files)
    assert done.returncode == 2
    assert done.stderr == "journeylint: error: no journey 'third' in two.yaml (it holds: first, second)\n"


def test_user_mistakes_are_one_line(files):
    for args, expected in [
        (("graph", "nope.yaml"), "journeylint: error: nope.yaml: no such file\n"),
        (("graph", "."), "journeylint: error: . is a directory: give one journey file\n"),
    ]:
        done = run_cli(*args, cwd=files)
        assert (done.returncode, done.stderr) == (2, expected)
    done = run_cli("graph", "broken.yaml", cwd=files)
    assert done.returncode == 2
    assert re.fullmatch(r"journeylint: error: broken\.yaml:\d+:\d+: .+\n", done.stderr), done.stderr
    done = run_cli("graph", "magazine.yaml", "-f", "png", cwd=files)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == 1
