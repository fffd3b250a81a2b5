"""Witness work is bounded per journey: a file that makes every state a
finding with a long witness costs linear time and memory, not quadratic."""
from __future__ import annotations

import json
import textwrap

from journeylint import analysis
from journeylint.findings import Elided
from journeylint.loading.pipeline import load_bytes

from conftest import assert_witness_is_real, lint_text, run_cli


def asking_chain(n):
    """n staff states in a row, each asking for identity again: n-1 JL204 findings,
    the k-th with a witness of k states (n^2/2 in all without a bound)."""
    lines = ["journey: chain", "kind: support", "start: s0", "states:"]
    for i in range(n):
        lines += [f"  s{i}:", "    actor: agent", "    asks: [identity]", f"    next: s{i + 1}"]
    lines += [f"  s{n}:", "    outcome: resolved"]
    return "\n".join(lines) + "\n"


def test_witnesses_stay_complete_until_the_budget_then_keep_their_end(tmp_path, monkeypatch):
    monkeypatch.setattr(analysis, "WITNESS_BUDGET_FLOOR", 5_000)
    n = 400
    text = asking_chain(n)
    findings = [f for f in lint_text(text, tmp_path, config_text="select: [JL204]\n")]
    assert len(findings) == n - 1
    journey = load_bytes(text.encode(), "j.yaml").journeys[0]
    complete = [f for f in findings if not any(isinstance(s, Elided) for s in f.path)]
    shortened = [f for f in findings if any(isinstance(s, Elided) for s in f.path)]
    assert complete and shortened
    spent = sum(len(f.path) for f in complete)
    assert spent <= max(5_000, analysis.WITNESS_BUDGET_PER_STATE * (n + 1))
    for finding in findings:
        assert finding.path[-1] == finding.state
        assert_witness_is_real(journey, finding.path)
    for finding in shortened:
        assert isinstance(finding.path[0], Elided)
    # the first shortened witness spends what was left; the others keep their last states
    assert all(len(f.path) == analysis.WITNESS_TAIL + 1 for f in shortened[1:])


def test_json_marks_a_shortened_witness(tmp_path, monkeypatch):
    (tmp_path / "j.yaml").write_text(asking_chain(1_500))
    data = json.loads(run_cli("check", "j.yaml", "--select", "JL204", "-f", "json", cwd=tmp_path).stdout)
    findings = data["findings"]
    assert len(findings) == 1_499
    assert findings[0]["path_elided"] is False and findings[0]["path"][0] == "s0"
    last = findings[-1]
    assert last["path_elided"] is True
    assert last["path"] == [f"s{i}" for i in range(1_500 - analysis.WITNESS_TAIL, 1_500)]
