"""Well-formed YAML of the wrong shape: nothing in it, not a mapping, values
of the wrong type, YAML 1.1 booleans, ids that collide or drift when a
number is read, several documents. Each gives exact findings, never a
traceback, and the good journey beside it is still checked."""
from __future__ import annotations

import pytest

from hostile_helpers import check_with_companion

HEAD = "journey: j\nkind: support\nstart: a\nstates:\n"


CASES = [
    # -- nothing to check --------------------------------------------------------
    ("empty", "", [("JL001", 1, 1)], "the file holds no journey (it is empty or only comments)"),
    ("comments-only", "# a journey will go here\n# one day\n", [("JL001", 1, 1)], "the file holds no journey"),
    ("null-document", "null\n", [("JL001", 1, 1)], "an empty YAML document holds no journey"),
    ("tilde-document", "~\n", [("JL001", 1, 1)], "an empty YAML document holds no journey"),
    ("bare-document-marker", "---\n", [("JL001", 1, 1)], "an empty YAML document holds no journey"),
    ("document-end-only", "...\n", [("JL001", 1, 1)], "YAML syntax error"),
    # -- not a mapping -------------------------------------------------------------------
    ("top-level-list", "- journey: j\n- kind: support\n", [("JL001", 1, 1)],
     "a journey must be a mapping with the keys journey, kind, start and states, not a list"),
    ("top-level-scalar", "hello\n", [("JL001", 1, 1)], "not the text 'hello'"),
    ("top-level-number", "42\n", [("JL001", 1, 1)], "not the number 42"),
    ("top-level-boolean", "true\n", [("JL001", 1, 1)], "not true (true or false)"),
    ("mapping-not-a-journey", "name: my-service\nversion: 3\n", [("JL001", 1, 1)],
     "this YAML document is not a journey (it has no 'journey' or 'states' key)"),
    ("states-is-a-list", "journey: j\nkind: support\nstart: a\nstates:\n  - a\n  - b\n", [("JL001", 5, 3)],
     "'states' must be a mapping, not a list"),
    # a broken state is one mistake: JL001, not JL101 as well (JL004 is true: no resolution at all)
    ("state-is-a-list", HEAD + "  a: [next, b]\n", [("JL001", 5, 6), ("JL004", 1, 1)],
     "'a' in state 'a' must be a mapping, not a list"),
    ("state-is-empty", HEAD + "  a:\n  b: {outcome: resolved}\n", [("JL001", 5, 3), ("JL003", 6, 3), ("JL004", 1, 1)],
     "state 'a' is empty"),
    ("start-is-a-mapping", "journey: j\nkind: support\nstart: {a: 1}\nstates:\n  a: {outcome: resolved}\n",
     [("JL001", 3, 8)], "'start' must be a state id or a list of state ids, not a mapping"),
    ("next-is-a-mapping-of-mappings", HEAD + "  a: {next: {b: {c: d}}}\n  b: {outcome: resolved}\n",
     [("JL001", 5, 13), ("JL001", 5, 14), ("JL003", 6, 3), ("JL004", 1, 1)],
     "unknown key 'b' in a transition of state 'a'"),
    ("complex-key", HEAD + "  ? [a, b]\n  : {outcome: resolved}\n", [("JL001", 5, 5)],
     "a key must be a plain name, not a list or a mapping"),
    ("alias-as-key", "k: &k journey\n*k : j\n", [("JL001", 2, 1)], "a key must be a plain name, not an alias"),
    ("duplicate-top-level-key", "journey: a\njourney: b\n", [("JL001", 2, 1)], "duplicate key 'journey' (first defined at line 1)"),
    # -- wrong types ---------------------------------------------------------------------
    ("numbers-and-booleans-for-text",
     HEAD.replace("start: a", "start: 1") + "  1: {actor: 7, channel: true, wait: 5, next: [2, 3.5]}\n"
     "  2: {outcome: resolved, title: [a]}\n",
     [("JL001", 5, 14), ("JL001", 5, 26), ("JL001", 5, 38), ("JL001", 5, 51), ("JL001", 6, 33)],
     "'actor' in state '1' must be text, not the number 7"),
    ("yaml11-booleans-are-text",
     "journey: j\nkind: support\nstart: yes\nstates:\n  yes: {next: no, irreversible: yes}\n"
     "  no: {next: on}\n  on: {outcome: resolved, scripted: off}\n",
     [("JL001", 5, 33), ("JL001", 7, 37)],
     "'irreversible' in state 'yes' must be true or false, not the text 'yes' (YAML 1.2 reads yes/no/on/off as text"),
    ("boolean-where-an-id-is-expected", HEAD + "  a: {next: true}\n  'true': {outcome: resolved}\n",
     [("JL001", 5, 13), ("JL003", 6, 3), ("JL004", 1, 1)], "must be a state id, a list of state ids, or transitions with 'to', not true"),
    ("null-where-an-id-is-expected", HEAD + "  a: {next: ~}\n  '~': {outcome: resolved}\n",
     [("JL001", 5, 13), ("JL003", 6, 3), ("JL004", 1, 1)], "not an empty value"),
    ("empty-state-name", HEAD + "  a: {next: b}\n  b: {outcome: resolved}\n  '': {outcome: resolved}\n",
     [("JL001", 7, 3), ("JL003", 7, 3)], "a name in 'states' cannot be empty"),
    # -- ids that collide or drift once read -----------------------------------------------
    ("quoted-and-plain-one", HEAD.replace("start: a", "start: 1") + "  1: {next: '1'}\n  '1': {outcome: resolved}\n",
     [("JL001", 6, 3)], "duplicate key '1' (first defined at line 5)"),
    ("leading-zero-id", HEAD + "  a: {next: 01}\n  01: {outcome: resolved}\n  1: {outcome: resolved}\n",
     [("JL003", 7, 3)], "state '1' cannot be reached"),
    ("hex-id", HEAD + "  a: {next: 0x1}\n  0x1: {outcome: resolved}\n  1: {outcome: resolved}\n",
     [("JL003", 7, 3)], "state '1' cannot be reached"),
    ("float-id", HEAD + "  a: {next: [1.0, 1e3]}\n  1.0: {outcome: resolved}\n  1e3: {outcome: resolved}\n"
     "  1: {outcome: resolved}\n  1000: {outcome: resolved}\n",
     [("JL003", 8, 3), ("JL003", 9, 3)], "cannot be reached"),
    ("plus-sign-id", HEAD + "  a: {next: [{to: +1}]}\n  +1: {outcome: resolved}\n", [], None),
    ("leading-zero-id-missing", HEAD + "  a: {next: 007}\n  7: {outcome: resolved}\n",
     [("JL002", 5, 13), ("JL003", 6, 3), ("JL004", 1, 1)], "names state '007', which does not exist; did you mean '7'?"),
    ("leading-zero-start", "journey: j\nkind: support\nstart: [01]\nstates:\n  01: {outcome: resolved}\n", [], None),
    ("unicode-twins-are-two-states", HEAD + "  a: {next: caf\u00e9}\n  caf\u00e9: {outcome: resolved}\n"
     "  cafe\u0301: {outcome: resolved}\n", [("JL003", 7, 3)], "cannot be reached"),
    # -- several documents ------------------------------------------------------------
    ("documents-of-every-kind", "---\n...\n---\n" + HEAD + "  a: {outcome: resolved}\n---\nnull\n---\n[1]\n",
     [("JL001", 1, 1), ("JL001", 9, 1), ("JL001", 12, 1)], "an empty YAML document holds no journey"),
    ("same-id-twice-in-one-file", HEAD.replace("start: a", "start: a") + "  a: {next: zz}\n  b: {outcome: resolved}\n"
     "---\n" + HEAD + "  a: {next: b}\n  b: {outcome: resolved}\n",
     [("JL001", 8, 1), ("JL002", 5, 13), ("JL003", 6, 3), ("JL004", 1, 1)],
     "journey id 'j' is already used by hostile.yaml"),
    # before: both at 1:1, the same finding twice (found by the fuzzer)
    ("scalar-documents-after-a-journey", HEAD + "  a: {outcome: resolved}\n---\njust text\n--- 42\n---\njust text\n",
     [("JL001", 6, 1), ("JL001", 8, 1), ("JL001", 9, 1)], "not the text 'just text'"),
    ("syntax-error-in-second-document", HEAD + "  a: {outcome: resolved}\n---\njourney: [\n",
     [("JL001", 8, 1)], "YAML syntax error"),
]


@pytest.mark.parametrize("name, content, expected, message", CASES, ids=[c[0] for c in CASES])
def test_hostile_shapes(tmp_path, name, content, expected, message):
    outcome = check_with_companion(tmp_path, "hostile.yaml", content)
    found = sorted(outcome.findings("hostile.yaml"))
    assert found == sorted(expected), list(zip(outcome.findings("hostile.yaml"), outcome.messages("hostile.yaml")))
    outcome.assert_clean_exit(1 if expected else 0)
    if message is not None:
        assert any(message in m for m in outcome.messages("hostile.yaml")), outcome.messages("hostile.yaml")
