"""Plugin isolation: a plugin rule that raises, loops, sleeps, exits, floods
or returns garbage is one JL000 internal-error for that rule and journey,
and every other rule's findings still appear, exactly as without it."""
from __future__ import annotations

import textwrap

import pytest

from hostile_helpers import isolate, run_bounded

JOURNEY = """\
journey: plugged
kind: support
start: ask
states:
  ask: {actor: customer, channel: chat, next: [answer, limbo]}
  answer: {actor: agent, channel: chat, outcome: resolved}
  limbo: {actor: agent, channel: chat}
"""
#: what the built-in rules say about JOURNEY, plugin or not
BUILTIN = [("JL101", 7, 3, "state 'limbo' is a dead end: it has no outcome and no transition out, "
                           "so the customer is left waiting for nothing")]

HEADER = """\
import os, sys, time
from journeylint.api import Finding, Location, rule
"""


def plugin(code: str, body: str) -> str:
    return HEADER + textwrap.dedent(f"""
        @rule(code="{code}", name="hostile-{code.lower()}", severity="error", summary="a hostile plugin rule")
        def check(journey, analysis, options):
        """) + textwrap.indent(textwrap.dedent(body), "    ") + "\n"


GOOD = plugin("ACME900", """\
    state = journey.states["answer"]
    yield Finding.at(state, "the good plugin still speaks")
""")
GOOD_FINDING = ("ACME900", 6, 3, "the good plugin still speaks")


def run(tmp_path, *plugins: str):
    names = []
    for i, source in enumerate(plugins):
        (tmp_path / f"plugin{i}.py").write_text(source)
        names.append(f"plugin{i}.py")
    (tmp_path / "journeylint.yaml").write_text(f"plugins: [{', '.join(names)}]\n")
    (tmp_path / "plugged.yaml").write_text(JOURNEY)
    isolate(tmp_path)
    outcome = run_bounded("check", "--jobs", "1", "-f", "json", "plugged.yaml", cwd=tmp_path, hang_seconds=60)
    outcome.assert_clean_exit(1)
    found = sorted((f["code"], f["line"], f["column"], f["message"]) for f in outcome.json()["findings"])
    return outcome, found


def internal(code: str, what: str):
    return ("JL000", 1, 1, f"rule {code} hostile-{code.lower()} (plugin0.py) {what}; its findings for this "
                           "journey are missing, the other rules ran")


CASES = [
    ("raises", "raise ValueError('boom')\nyield", "raised ValueError: boom"),
    ("raises-with-a-broken-message",
     "class Odd(Exception):\n    def __str__(self):\n        raise RuntimeError('no')\nraise Odd()\nyield",
     "raised Odd"),
    ("raises-a-huge-message", "raise ValueError('x' * 10_000_000)\nyield", "raised ValueError: " + "x" * 300 + "..."),
    ("exits", "sys.exit(3)\nyield", "raised SystemExit: 3"),
    ("recurses", "def down(n):\n    return down(n + 1)\ndown(0)\nyield", "recursed too deeply"),
    ("returns-a-number", "return 5", "raised TypeError: 'int' object is not iterable"),
    ("yields-text", "yield 'a finding, honest'", "returned str instead of a Finding"),
    ("yields-a-dict", "yield {'code': 'ACME001', 'line': 1}", "returned dict instead of a Finding"),
    ("message-not-text", "yield Finding.at(journey.states['ask'], 123)",
     "returned a Finding whose message is int, not text"),
    ("line-zero", "yield Finding(code='', name='', severity=3, message='m', location=Location('plugged.yaml', 0, 1))",
     "returned a Finding whose location is not a file with a line and column from 1"),
    ("line-not-a-number", "yield Finding(code='', name='', severity=3, message='m', location=Location('f', 'x', None))",
     "returned a Finding whose location is not a file with a line and column from 1"),
    ("no-location", "class Where:\n    location = None\nyield Finding.at(Where(), 'm')",
     "returned a Finding whose location is not a file with a line and column from 1"),
    ("path-of-numbers", "yield Finding.at(journey.states['ask'], 'm', path=[1, None])",
     "returned a Finding whose path is not a list of state ids"),
    ("related-garbage", "yield Finding.at(journey.states['ask'], 'm', related=['see here'])",
     "returned a Finding whose related locations are not locations"),
    ("key-not-text", "yield Finding.at(journey.states['ask'], 'm', key=7)",
     "returned a Finding whose key is int, not text"),
    ("good-then-garbage", "yield Finding.at(journey.states['ask'], 'fine')\nyield None",
     "returned NoneType instead of a Finding"),
    ("floods", "while True:\n    yield Finding.at(journey.states['ask'], 'again')",
     "produced more than 10,300 findings and was stopped"),
]


@pytest.mark.parametrize("name, body, what", CASES, ids=[c[0] for c in CASES])
def test_a_hostile_plugin_rule_is_one_internal_error(tmp_path, name, body, what):
    outcome, found = run(tmp_path, plugin("ACME001", body), GOOD)
    outcome.assert_bounded()
    assert found == sorted(BUILTIN + [GOOD_FINDING, internal("ACME001", what)])


def test_plugins_that_never_end_are_stopped_and_the_others_still_run(tmp_path):
    """Three rules that do not end in three ways, each stopped after the
    per-rule limit (5 s), each reported once; the rest as without them."""
    loops = plugin("ACME001", "while True:\n    pass\nyield")
    sleeps = plugin("ACME002", "time.sleep(600)\nyield")
    # a retry loop with a broad except: the time limit must not be swallowed
    swallows = plugin("ACME003", "while True:\n    try:\n        time.sleep(1)\n    except Exception:\n        pass\nyield")
    outcome, found = run(tmp_path, loops, sleeps, swallows, GOOD)
    assert outcome.wall_seconds < 3 * 5 + 10
    stopped = "took longer than 5 s and was stopped"
    assert found == sorted(BUILTIN + [GOOD_FINDING] + [
        ("JL000", 1, 1, f"rule {code} hostile-{code.lower()} (plugin{i}.py) {stopped}; its findings for this "
                        "journey are missing, the other rules ran")
        for i, code in enumerate(("ACME001", "ACME002", "ACME003"))])


def test_a_plugin_that_empties_the_journey_does_not_change_the_builtin_findings(tmp_path):
    vandal = plugin("ACME001", "journey.states.clear()\nyield from ()")
    outcome, found = run(tmp_path, vandal, GOOD)
    outcome.assert_bounded()
    # the built-in rules ran first; plugins are not shielded from each other
    assert found == sorted(BUILTIN + [
        ("JL000", 1, 1, "rule ACME900 hostile-acme900 (plugin1.py) raised KeyError: 'answer'; its findings for "
                        "this journey are missing, the other rules ran")])
