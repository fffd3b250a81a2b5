"""The loader: exact positions of every kind of format error, YAML 1.2
scalars, the three `next` forms, durations and keeps_context defaults."""
from __future__ import annotations

import textwrap

import pytest

from journeylint.loading.durations import format_duration, parse_duration
from journeylint.loading.pipeline import load_bytes


def load(text):
    return load_bytes(textwrap.dedent(text).encode(), "j.yaml")


def problems(text):
    return [(f.code, f.line, f.column, f.message) for f in load(text).findings]


MINIMAL = """\
journey: j
kind: support
start: a
states:
  a:
    actor: customer
    next: done
  done:
    outcome: resolved
"""


def test_minimal_journey_loads_clean():
    loaded = load(MINIMAL)
    assert loaded.findings == []
    (journey,) = loaded.journeys
    assert journey.id == "j" and journey.start == ("a",)
    assert list(journey.states) == ["a", "done"]
    assert journey.states["a"].location.line == 5 and journey.states["a"].location.column == 3


def test_misspelt_key_points_at_the_key_with_suggestion():
    found = problems(MINIMAL.replace("    next: done", "    nxt: done"))
    assert found == [("JL001", 7, 5, "unknown key 'nxt' in state 'a'; did you mean 'next'?")]


def test_unknown_state_suggests_the_closest_id():
    found = problems(MINIMAL.replace("next: done", "next: dnoe"))
    assert found == [("JL002", 7, 11, "a transition of 'a' names state 'dnoe', which does not exist; did you mean 'done'?")]


def test_yaml_syntax_error_has_the_parser_position():
    (code, line, column, message), = problems("journey: j\nstates: [a, b\nkind: x\n")
    assert (code, line) == ("JL001", 3) and message.startswith("YAML syntax error")


def test_duplicate_key_points_at_the_second():
    found = problems(MINIMAL + "  a:\n    outcome: resolved\n")
    assert found == [("JL001", 10, 3, "duplicate key 'a' (first defined at line 5)")]


def test_ids_that_collide_after_normalisation_are_duplicates():
    text = "journey: j\nkind: support\nstart: 1\nstates:\n  1:\n    next: '1'\n  '1':\n    outcome: resolved\n"
    assert problems(text) == [("JL001", 7, 3, "duplicate key '1' (first defined at line 5)")]


@pytest.mark.parametrize("value, message", [
    ("8", "'wait' in state 'a': the bare number 8 is ambiguous: give a unit, as in 8m or 8s"),
    ("1mo", "'wait' in state 'a': '1mo': months are not a duration unit (their length varies): say 4w or 30d"),
    ("1h 30m", "'wait' in state 'a': '1h 30m' is not a duration: no spaces, as in 1h30m"),
    ("30m1h", "'wait' in state 'a': '30m1h' is not a duration: largest unit first, as in 1h30m"),
    ("true", "'wait' in state 'a' must be a duration such as 20m or 1h30m, not true (true or false)"),
])
def test_bad_durations(value, message):
    found = problems(MINIMAL.replace("    actor: customer", f"    actor: customer\n    wait: {value}"))
    assert found == [("JL001", 7, 11, message)]


def test_durations_round_trip():
    for text, seconds in {"45s": 45, "20m": 1200, "1h30m": 5400, "3d": 259200, "6w": 3628800, "0m": 0}.items():
        assert parse_duration(text) == seconds
        assert parse_duration(format_duration(seconds)) == seconds


def test_yaml_12_core_schema():
    text = """\
    journey: j
    kind: support
    start: no
    states:
      no:
        actor: customer
        next: yes
      yes:
        actor: system
        next: 2
      2:
        outcome: resolved
    """
    loaded = load(text)
    assert loaded.findings == []
    journey = loaded.journeys[0]
    assert journey.start == ("no",)
    assert [t.target for t in journey.states["no"].transitions] == ["yes"]
    assert [t.target for t in journey.states["yes"].transitions] == ["2"]


def test_yes_is_not_a_boolean():
    found = problems(MINIMAL.replace("    actor: customer", "    actor: customer\n    irreversible: yes"))
    assert found == [("JL001", 7, 19, "'irreversible' in state 'a' must be true or false, not the text 'yes' "
                                      "(YAML 1.2 reads yes/no/on/off as text: write true or false)")]


def test_the_three_next_forms_and_keeps_context_defaults():
    text = """\
    journey: j
    kind: support
    start: a
    states:
      a:
        next: b
      b:
        next: [c, d]
      c:
        next:
          - to: d
            kind: transfer
          - {to: e, kind: escalate, when: "customer asks: manager"}
          - {to: d, kind: transfer, keeps_context: true}
      d:
        outcome: resolved
      e:
        next: {to: d, kind: drop, callback: true}
    """
    loaded = load(text)
    assert loaded.findings == []
    states = loaded.journeys[0].states
    assert [t.target for t in states["a"].transitions] == ["b"]
    assert [t.target for t in states["b"].transitions] == ["c", "d"]
    c = states["c"].transitions
    assert [(t.target, t.kind, t.keeps_context) for t in c] == [
        ("d", "transfer", False), ("e", "escalate", True), ("d", "transfer", True)]
    assert c[1].when == "customer asks: manager"
    assert c[0].location.line == 11 and c[0].location.column == 9
    (drop,) = states["e"].transitions
    assert drop.kind == "drop" and drop.callback and not drop.keeps_context


def test_flow_mapping_label_with_comma_hints_at_quoting():
    text = MINIMAL.replace("    next: done", "    next:\n      - {to: done, when: customer pays, then waits}")
    (code, line, column, message), = problems(text)
    assert (code, line, column) == ("JL001", 8, 41)
    assert message.startswith("unknown key 'then waits' in a transition of state 'a'")
    assert "must be quoted" in message


def test_terminal_state_with_next_ignores_its_transitions():
    text = MINIMAL.replace("    outcome: resolved", "    outcome: resolved\n    next: a")
    loaded = load(text)
    assert [(f.code, f.line, f.column) for f in loaded.findings] == [("JL001", 10, 5)]
    assert loaded.journeys[0].states["done"].transitions == ()


def test_timeout_without_drop():
    text = MINIMAL.replace("    actor: customer", "    actor: customer\n    timeout: 10m")
    (code, line, column, message), = problems(text)
    assert (code, line, column) == ("JL001", 7, 5)
    assert "timeout" in message and "drop" in message


def test_missing_required_keys_and_unknown_kind():
    text = "journey: j\nkind: cancelation\nstates:\n  a:\n    outcome: resolved\n"
    found = problems(text)
    assert ("JL001", 1, 1, "missing required key 'start' at the top level of the journey") in found
    assert any(f[:3] == ("JL001", 2, 7) and "did you mean 'cancellation'?" in f[3] for f in found)


def test_start_must_be_a_state():
    found = problems(MINIMAL.replace("start: a", "start: dnoe"))
    assert ("JL002", 3, 8, "start names state 'dnoe', which does not exist; did you mean 'done'?") in found


def test_multiple_documents_and_multiple_starts():
    second = MINIMAL.replace("journey: j", "journey: k").replace("start: a", "start: [a, done]")
    loaded = load(MINIMAL + "---\n" + second)
    assert [j.id for j in loaded.journeys] == ["j", "k"]
    assert loaded.journeys[1].start == ("a", "done")
    assert loaded.journeys[1].states["a"].location.line == 15


def test_broken_document_does_not_hide_the_others():
    loaded = load(MINIMAL + "---\n" + "journey: [\n")
    assert [j.id for j in loaded.journeys] == ["j"]
    assert [f.code for f in loaded.findings] == ["JL001"]


@pytest.mark.parametrize("text, message", [
    ("", "the file holds no journey (it is empty or only comments)"),
    ("# only a comment\n", "the file holds no journey (it is empty or only comments)"),
    ("name: ci\non: push\n", "this YAML document is not a journey (it has no 'journey' or 'states' key); "
                              "exclude the file in the configuration if it is not meant to be one"),
])
def test_files_without_journeys_are_reported(text, message):
    assert problems(text) == [("JL001", 1, 1, message)]


def test_unsafe_tag_is_rejected_not_constructed():
    (code, line, column, message), = problems("journey: !!python/object/apply:os.system ['echo hi']\n")
    assert (code, line, column) == ("JL001", 1, 10)
    assert "unsupported YAML tag" in message


def test_every_state_and_transition_field_comes_from_its_own_key():
    """The builder passes State's and Transition's fields by position (cheaper
    once per state): a field out of order would show here."""
    from dataclasses import asdict

    from journeylint.findings import Location

    journey = load("""\
        journey: j
        kind: support
        start: a
        states:
          a:
            title: The form
            description: Fill it in
            actor: customer
            channel: web
            type: retention
            wait: 2m
            cost: 1.5
            asks: [name]
            discloses: [fee]
            needs: [choice]
            restrictions: [final]
            requires: [login]
            grants: [ticket]
            irreversible: true
            adverse: true
            scripted: true
            timeout: 3m
            lint: {ignore: [JL101]}
            next:
              - {to: done, kind: drop, when: gives up, keeps_context: false, callback: true}
          done:
            outcome: resolved
    """).journeys[0]
    state = asdict(journey.states["a"])
    transition = state.pop("transitions")[0]
    assert state.pop("lint")["entries"][0][0] == "JL101"
    assert state == {
        "id": "a", "location": asdict(Location("j.yaml", 5, 3, "a")), "title": "The form",
        "description": "Fill it in", "actor": "customer", "channel": "web", "type": "retention",
        "wait": 120, "cost": 1.5, "asks": ("name",), "discloses": ("fee",), "needs": ("choice",),
        "restrictions": ("final",), "requires": ("login",), "grants": ("ticket",),
        "irreversible": True, "adverse": True, "scripted": True, "timeout": 180, "outcome": None,
        "broken_next": False,
    }
    assert transition == {
        "source": "a", "target": "done", "kind": "drop", "when": "gives up", "keeps_context": False,
        "callback": True, "location": asdict(Location("j.yaml", 25, 9, "a", "done")),
    }
    assert journey.states["done"].outcome == "resolved"


def test_a_file_that_grew_after_stat_is_read_whole(tmp_path, monkeypatch):
    """The loader reads as many bytes as stat() reported, and one more to
    notice that the file grew since; then it reads on, up to the limit."""
    import os
    from types import SimpleNamespace

    from journeylint.loading import pipeline

    path = tmp_path / "j.yaml"
    path.write_text(MINIMAL)
    # the loader's view of the file system: a size taken before the file grew
    monkeypatch.setattr(pipeline, "os", SimpleNamespace(stat=lambda p: SimpleNamespace(st_size=10)))
    loaded = pipeline.load_file(str(path))
    assert loaded.findings == []
    assert list(loaded.journeys[0].states) == ["a", "done"]
    # grown past the limit: said so, as for a pipe
    small = pipeline.Limits(max_file_size=40)
    loaded = pipeline.load_file(str(path), small)
    assert [(f.code, f.message.split(",")[0]) for f in loaded.findings] == [
        ("JL001", "the file is larger than 40 bytes")]
    assert os.path.getsize(path) > 40
