"""The benchmark's generator: deterministic, exact in size, and its journeys
follow the format (no JL001/JL002), so the benchmark measures linting, not
error reporting."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from journeylint.analysis import Analysis
from journeylint.loading.pipeline import load_bytes

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


def _load(text: str):
    loaded = load_bytes(text.encode("utf-8"), "generated.yaml")
    assert [(f.code, f.line, f.message) for f in loaded.findings] == []
    assert len(loaded.journeys) == 1
    return loaded.journeys[0]


def test_same_seed_same_bytes_other_seed_other_journey():
    assert generate.journey_text(60, seed=5, index=3) == generate.journey_text(60, seed=5, index=3)
    assert generate.journey_text(60, seed=5, index=3) != generate.journey_text(60, seed=6, index=3)
    assert generate.journey_text(60, seed=5, index=3) != generate.journey_text(60, seed=5, index=4)
    assert generate.tangle_text(60, 600, seed=1) == generate.tangle_text(60, 600, seed=1)


def test_same_output_whatever_the_hash_seed():
    code = ("import importlib.util,sys; s=importlib.util.spec_from_file_location('g', sys.argv[1]); "
            "g=importlib.util.module_from_spec(s); s.loader.exec_module(g); "
            "sys.stdout.write(g.journey_text(200, 9) + g.tangle_text(40, 300, 2))")
    outputs = {
        subprocess.run([sys.executable, "-c", code, str(ROOT / "bench" / "generate.py")], capture_output=True,
                       text=True, check=True, env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("states", [7, 8, 13, 30, 31, 97, 400])
def test_journeys_follow_the_format_and_have_exactly_the_states_asked(states):
    for index in range(5):
        journey = _load(generate.journey_text(states, seed=11, index=index))
        assert len(journey.states) == states
        assert journey.start == ("welcome",)
        analysis = Analysis(journey)
        assert analysis.resolution_reachable


def test_journeys_use_every_field_the_rules_read():
    text = "".join(generate.journey_text(400, seed=2, index=i) for i in range(3))
    for key in ("actor:", "channel:", "type: retention", "type: escalation", "type: feedback", "wait:",
                "cost:", "timeout:", "asks:", "discloses:", "needs:", "restrictions:", "requires:",
                "grants:", "irreversible: true", "adverse: true", "scripted: true", "outcome: resolved",
                "outcome: retained", "outcome: unresolved", "outcome: abandoned", "kind: transfer",
                "kind: redirect", "kind: retry", "kind: drop", "kind: escalate", "callback: true",
                "lint:", "signup_channels:", "cost_per_minute:", "response_time:", "contact: false"):
        assert key in text, key


def test_large_journeys_keep_witness_paths_short():
    """A support line grows wide (menus, topics), not deep: the way from the
    welcome to any state stays short as the journey grows."""
    journey = _load(generate.journey_text(3000, seed=7))
    analysis = Analysis(journey)
    longest = max(len(analysis.path_to(s.id)) for s in analysis.reachable_states())
    assert longest < 60
    assert sum(1 for s in journey.states if s.startswith("menu-")) > 8


def test_tangle_is_one_strongly_connected_component_with_the_transitions_asked():
    journey = _load(generate.tangle_text(states=200, transitions=4000, seed=3))
    assert len(journey.states) == 200
    assert sum(len(s.transitions) for s in journey.states.values()) == 4000
    analysis = Analysis(journey)
    cycles = analysis.cycles()
    assert [len(c) for c in cycles] == [196]
    assert analysis.resolution_reachable


def test_corpus_files(tmp_path):
    paths = generate.write_corpus(str(tmp_path / "corpus"), count=12, states=30, seed=4)
    assert [p.rsplit("/", 1)[-1] for p in paths][:2] == ["journey-00.yaml", "journey-01.yaml"]
    ids = set()
    for path in paths:
        with open(path, "rb") as handle:
            ids.add(_load(handle.read().decode("utf-8")).id)
    assert len(ids) == 12


def test_too_small_is_an_error():
    with pytest.raises(ValueError):
        generate.journey_text(6, seed=1)
