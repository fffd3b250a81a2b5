"""JL501-JL502: feedback and replies (feedback sink, scripted loop), run
through the real engine."""
from __future__ import annotations

import textwrap

import pytest

from journeylint.loading.pipeline import load_bytes

from conftest import assert_witness_is_real


def journey_of(text):
    return load_bytes(textwrap.dedent(text).encode(), "journey.yaml").journeys[0]


def at(text, needle):
    """(line, column) of the first occurrence of ``needle`` in the dedented text."""
    for number, line in enumerate(textwrap.dedent(text).splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} not in the journey")


def only(findings, code):
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in findings]
    return found[0]


# -- JL501 feedback-sink ---------------------------------------------------------------

SINK = """\
journey: comments
kind: complaint
start: visit
states:
  visit:
    actor: customer
    channel: social
    next: post-comment
  post-comment:
    type: feedback
    actor: customer
    channel: social
    next: moderation
  moderation:
    actor: system
    discloses: [comment_hidden]
    next: auto-reply
  auto-reply:
    actor: bot
    discloses: [acknowledgement]
    next: archived
  archived:
    outcome: resolved
"""


def test_jl501_feedback_answered_only_by_system_and_bot(lint):
    finding = only(lint(SINK, select=["JL501"]), "JL501")
    assert (finding.line, finding.column) == at(SINK, "post-comment:") and finding.state == "post-comment"
    assert finding.message == ("feedback sink: from the feedback left in 'post-comment' no state is reachable "
                               "where staff tell the customer anything; the complaint goes nowhere")
    assert finding.path == ("visit", "post-comment")
    assert_witness_is_real(journey_of(SINK), finding.path)
    assert finding.severity.label == "warning"


@pytest.mark.parametrize("change, found", [
    (("actor: bot", "actor: community-team"), False),           # a person answers, two steps later
    (("actor: bot\n    discloses: [acknowledgement]", "actor: community-team"), True),  # staff who say nothing
    (("    type: feedback\n    actor: customer\n", "    type: feedback\n    actor: agent\n    discloses: [answer]\n"), False),
    (("    type: feedback\n", ""), False),                      # no feedback state at all
])
def test_jl501_cases(lint, change, found):
    assert change[0] in SINK
    assert len(lint(SINK.replace(*change), select=["JL501"])) == (1 if found else 0)


def test_jl501_staff_disclosing_before_the_feedback_does_not_count(lint):
    text = SINK.replace("  visit:\n    actor: customer\n", "  visit:\n    actor: agent\n    discloses: [order_status]\n")
    assert only(lint(text, select=["JL501"]), "JL501").state == "post-comment"


def test_jl501_each_feedback_state_and_only_reachable_ones(lint):
    text = SINK.replace("    next: post-comment\n", "    next: [post-comment, review]\n") + (
        "  review:\n    type: feedback\n    actor: customer\n    next: reply\n"
        "  reply:\n    actor: support\n    discloses: [answer]\n    next: archived\n"
        "  lost-card:\n    type: feedback\n    actor: customer\n    next: archived\n")
    findings = lint(text, select=["JL501", "JL003"])
    assert sorted((f.code, f.state) for f in findings) == [("JL003", "lost-card"), ("JL501", "post-comment")]


# -- JL502 scripted-loop ---------------------------------------------------------------

LOOP = """\
journey: email-change
kind: support
start: writes
states:
  writes:
    actor: customer
    channel: chat
    next: canned
  canned:
    actor: agent
    channel: chat
    scripted: true
    next:
      - {to: done, when: the article answers}
      - {to: writes, kind: retry, when: the article misses}
  done:
    outcome: resolved
"""


def test_jl502_canned_reply_on_a_cycle(lint):
    finding = only(lint(LOOP, select=["JL502"]), "JL502")
    assert (finding.line, finding.column) == at(LOOP, "canned:") and finding.state == "canned"
    assert finding.message == ("scripted loop: the canned reply of 'canned' lies on a cycle "
                               "(canned -> writes -> canned), so the same reply can come back to the same customer")
    assert finding.path == ("writes", "canned", "writes", "canned")
    assert_witness_is_real(journey_of(LOOP), finding.path)
    assert finding.severity.label == "warning"


def test_jl502_self_loop_and_longer_loop(lint):
    text = LOOP.replace("{to: writes, kind: retry", "{to: canned, kind: retry")
    finding = only(lint(text, select=["JL502"]), "JL502")
    assert "(canned -> canned)" in finding.message and finding.path == ("writes", "canned", "canned")
    text = LOOP.replace("{to: writes, kind: retry", "{to: triage, kind: retry") + (
        "  triage:\n    actor: bot\n    next: [writes, done]\n")
    finding = only(lint(text, select=["JL502"]), "JL502")
    assert "(canned -> triage -> writes -> canned)" in finding.message
    assert_witness_is_real(journey_of(text), finding.path)


@pytest.mark.parametrize("change", [
    ("    scripted: true\n", ""),                                       # a person writes each time
    ("      - {to: writes, kind: retry, when: the article misses}\n", ""),  # the canned reply comes once
])
def test_jl502_no_loop_or_not_scripted(lint, change):
    assert lint(LOOP.replace(*change), select=["JL502"]) == []


def test_jl502_loop_elsewhere_and_unreachable(lint):
    # the scripted state comes once; the loop is after it
    text = LOOP.replace("      - {to: writes, kind: retry, when: the article misses}\n",
                        "      - {to: agent, when: the article misses}\n") + (
        "  agent:\n    actor: agent\n    next: [agent-again, done]\n  agent-again:\n    actor: agent\n    next: [agent, done]\n")
    assert lint(text, select=["JL502"]) == []
    # a scripted loop nobody reaches is left to JL003
    text = LOOP.replace("    next: canned\n", "    next: done\n")
    assert lint(text, select=["JL502"]) == []
