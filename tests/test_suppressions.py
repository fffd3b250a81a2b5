"""`lint: ignore` on journeys and states, and JL005 for the unused ones."""
from __future__ import annotations

from conftest import lint_text

BASE = """\
journey: j
kind: support
start: a
states:
  a:
    actor: customer
    channel: web
    next:
      - {to: done, when: it works}
      - {to: stuck, when: it does not}
  stuck:
    actor: agent
    channel: email
  done:
    outcome: resolved
"""


# only the structural rules, so that these tests do not move when friction rules land
STRUCTURAL = "select: [JL0, JL101, JL102]\n"


def at(findings):
    return [(f.code, f.line, f.column) for f in findings]


def test_without_suppression(tmp_path):
    assert at(lint_text(BASE, tmp_path)) == [("JL101", 11, 3)]


def test_state_level_ignore_by_code_and_by_name(tmp_path):
    for ref in ("JL101", "dead-end", "jl101"):
        text = BASE.replace("    channel: email", f"    channel: email\n    lint: {{ignore: [{ref}], reason: known gap}}")
        assert lint_text(text, tmp_path) == [], ref


def test_journey_level_ignore_covers_states_and_whole_journey_findings(tmp_path):
    text = BASE.replace("outcome: resolved", "outcome: unresolved").replace(
        "kind: support", "kind: support\nlint:\n  ignore: [JL101, no-resolution]\n  reason: draft")
    assert lint_text(text, tmp_path, config_text=STRUCTURAL) == []


def test_state_level_ignore_does_not_cover_whole_journey_findings(tmp_path):
    text = BASE.replace("outcome: resolved", "outcome: unresolved").replace(
        "    channel: email", "    channel: email\n    lint: {ignore: [JL101, JL004]}")
    findings = lint_text(text, tmp_path, config_text=STRUCTURAL)
    assert at(findings) == [("JL004", 1, 1), ("JL005", 14, 28)]
    assert findings[1].message == ("'lint: ignore' on state 'stuck' names JL004 no-resolution, but no such "
                                   "finding is there to suppress; remove the entry")


def test_unused_suppression_is_reported_at_the_entry(tmp_path):
    text = BASE.replace("    channel: web", "    channel: web\n    lint:\n      ignore:\n        - JL101\n        - long-hold\n      reason: old")
    findings = lint_text(text, tmp_path)
    assert at(findings) == [("JL005", 10, 11), ("JL005", 11, 11), ("JL101", 16, 3)]
    assert findings[1].name == "unused-suppression" and findings[1].severity.label == "warning"
    assert findings[0].state == "a"


def test_unknown_rule_in_a_suppression(tmp_path):
    text = BASE.replace("    channel: email", "    channel: email\n    lint: {ignore: [JL101, dead-ends]}")
    findings = lint_text(text, tmp_path)
    assert at(findings) == [("JL005", 14, 28)]
    assert "names 'dead-ends', which is no rule journeylint knows" in findings[0].message


def test_exempt_entries(tmp_path):
    # JL005 itself, and rules switched off in the configuration, are never reported as unused
    text = BASE.replace("    channel: web", "    channel: web\n    lint: {ignore: [JL005, unreachable-state]}")
    findings = lint_text(text, tmp_path, config_text="ignore: [JL003]\n")
    assert at(findings) == [("JL101", 12, 3)]


def test_jl001_cannot_be_suppressed(tmp_path):
    text = BASE.replace("kind: support", "kind: support\nlint: {ignore: [JL001, JL101]}").replace(
        "    channel: web", "    channel: web\n    wait: 5")
    findings = lint_text(text, tmp_path)
    assert [f.code for f in findings] == ["JL005", "JL001"]
