"""JL501-JL502: feedback and replies (feedback sink, scripted loop), run
through the real engine."""
from __future__ import annotations


import pytest


from conftest import assert_witness_is_real, at, journey_of, only, run_cli


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


@pytest.mark.parametrize("code, name", [("JL501", "feedback-sink"), ("JL502", "scripted-loop")])
def test_options_of_a_rule_without_options_are_a_configuration_error(tmp_path, code, name):
    (tmp_path / "journeylint.yaml").write_text(f"rules:\n  {code}: {{limit: 1}}\n")
    (tmp_path / "j.yaml").write_text(LOOP)
    result = run_cli("check", "j.yaml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"journeylint: error: journeylint.yaml:2:11: unknown option 'limit' "
                                     f"for {code} {name} (known: severity, enabled)")


# -- against the definitions, on small random journeys ---------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from conftest import session_for  # noqa: E402


@st.composite
def feedback_journeys(draw):
    """Up to seven states: (yaml text, starts, states), states[i] = (actor,
    feedback, scripted, discloses, outcome, targets)."""
    n = draw(st.integers(2, 7))
    starts = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
    states = []
    for i in range(n):
        actor = draw(st.sampled_from((None, "customer", "bot", "system", "agent", "support")))
        feedback, scripted, discloses = draw(st.booleans()), draw(st.booleans()), draw(st.booleans())
        outcome = "resolved" if i == n - 1 or draw(st.integers(0, 5)) == 0 else None
        targets = [] if outcome else sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
        states.append((actor, feedback, scripted, discloses, outcome, targets))
    lines = ["journey: random", "kind: complaint", f"start: [{', '.join(f's{i}' for i in starts)}]", "states:"]
    for i, (actor, feedback, scripted, discloses, outcome, targets) in enumerate(states):
        lines.append(f"  s{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        if feedback:
            lines.append("    type: feedback")
        if scripted:
            lines.append("    scripted: true")
        if discloses:
            lines.append("    discloses: [answer]")
        lines.append(f"    outcome: {outcome}" if outcome else f"    next: [{', '.join(f's{t}' for t in targets)}]")
    return "\n".join(lines) + "\n", starts, states


def expected_feedback(starts, states):
    n = len(states)

    def reach_from(i):
        seen, todo = {i}, [i]
        while todo:
            for t in states[todo.pop()][5]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    reach = [reach_from(i) for i in range(n)]
    reachable = set().union(*(reach[s] for s in starts))
    answering = {i for i in range(n) if states[i][0] in ("agent", "support") and states[i][3]}
    out = set()
    for i in reachable:
        if states[i][1] and not reach[i] & answering:
            out.add(("JL501", f"s{i}"))
        if states[i][2] and any(i in reach[t] for t in states[i][5]):
            out.add(("JL502", f"s{i}"))
    return out


@pytest.fixture(scope="module")
def feedback_session(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("feedback"), select=["JL5"])


@settings(max_examples=400, deadline=None)
@given(case=feedback_journeys())
def test_jl501_jl502_match_their_definitions(feedback_session, case):
    text, starts, states = case
    result = feedback_session.engine.lint_source(text, "random.yaml")
    assert not [f for f in result.findings if f.code in ("JL000", "JL001", "JL002")], text
    assert {(f.code, f.state) for f in result.findings} == expected_feedback(starts, states), text
    for f in result.findings:
        assert_witness_is_real(result.journeys[0], f.path)
        if f.code == "JL502":
            # the witness ends with a way round: the scripted state comes back
            assert f.path.count(f.state) >= 2 and f.path[-1] == f.state, (f.path, text)
