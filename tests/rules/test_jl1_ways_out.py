"""JL103 missing-escalation, JL104 retention-gauntlet, JL105 unmet-prerequisite."""
from __future__ import annotations

import textwrap

from conftest import assert_witness_is_real, cli_config_error, journey_of, line_of, run_cli, run_rule


# -- JL103 missing-escalation ---------------------------------------------------------

LOOP = """\
journey: dvd-support
kind: support
start: email-support
states:
  email-support:
    actor: customer
    channel: email
    next: support-reply
  support-reply:
    actor: support
    channel: email
    next:
      - {to: email-support, when: the answer does not fit}
      - {to: refund, when: the customer asks for a refund}
  refund:
    outcome: resolved
"""

NOBODY = ": the customer has no way to someone with the authority to put things right"


def test_jl103_loop_without_escalation(lint):
    [finding] = run_rule(lint, LOOP, "JL103")
    assert (finding.line, finding.column, finding.state) == (5, 3, "email-support")
    assert finding.severity.label == "warning" and finding.name == "missing-escalation"
    assert finding.message == (
        "states 'email-support', 'support-reply' form a loop the customer may go round, but the journey "
        "has no escalation state" + NOBODY)
    assert finding.path == ("email-support", "support-reply", "email-support")
    assert finding.key == "email-support"


def test_jl103_loop_reaching_an_escalation_is_clean(lint):
    text = LOOP.replace(
        "      - {to: refund, when: the customer asks for a refund}\n",
        "      - {to: refund, when: the customer asks for a refund}\n"
        "      - {to: manager, kind: escalate}\n"
        "  manager:\n    type: escalation\n    actor: support-manager\n    next: refund\n")
    assert run_rule(lint, text, "JL103") == []


def test_jl103_escalation_that_cannot_be_reached_from_the_loop(lint):
    text = LOOP.replace("start: email-support", "start: [email-support, manager]").replace(
        "  refund:\n", "  manager:\n    type: escalation\n    actor: support-manager\n    next: refund\n  refund:\n")
    [finding] = run_rule(lint, text, "JL103")
    assert finding.message == (
        "states 'email-support', 'support-reply' form a loop the customer may go round, but the escalation "
        "state 'manager' is not reachable from the loop" + NOBODY)
    assert [(r.state, r.note) for r in finding.related] == [("manager", "escalation, not reachable from here")]


def test_jl103_self_loop(lint):
    text = """\
    journey: j
    kind: support
    start: portal
    states:
      portal:
        actor: customer
        channel: web
        next:
          - {to: portal, kind: retry}
          - done
      done:
        outcome: resolved
    """
    [finding] = run_rule(lint, text, "JL103")
    assert finding.message.startswith("state 'portal' can come back to itself, so the customer may go round it, but")
    assert finding.path == ("portal", "portal")


ADVERSE = """\
journey: bank
kind: support
start: [branch, hotline]
states:
  branch:
    actor: customer
    channel: in-person
    next: done
  hotline:
    actor: agent
    channel: phone
    next: [closure, done]
  closure:
    actor: account-closures
    adverse: true
    discloses: [reason]
    next:
      - {to: gave-up, when: the customer gives up}
      - {to: done, when: the customer opens an account elsewhere}
  gave-up:
    outcome: abandoned
  done:
    outcome: resolved
"""


def test_jl103_adverse_state_leading_to_a_failed_outcome(lint):
    # multiple starts: the witness begins at the start that leads there
    [finding] = run_rule(lint, ADVERSE, "JL103")
    assert (finding.line, finding.state) == (line_of(ADVERSE, "closure"), "closure")
    assert finding.message == (
        "state 'closure' is where the journey can fail (it is adverse; it leads straight to 'gave-up' "
        "(abandoned)), but the journey has no escalation state" + NOBODY)
    assert finding.path == ("hotline", "closure", "gave-up")
    assert [(r.state, r.note) for r in finding.related] == [("gave-up", "abandoned outcome")]


def test_jl103_several_failed_outcomes_in_one_finding(lint):
    text = ADVERSE.replace("    adverse: true\n", "").replace(
        "      - {to: done, when: the customer opens an account elsewhere}",
        "      - {to: closed-quietly, when: nobody answers}").replace(
        "  done:\n", "  closed-quietly:\n    outcome: unresolved\n  done:\n")
    [finding] = run_rule(lint, text, "JL103")
    assert finding.message == (
        "state 'closure' is where the journey can fail (it leads straight to 'gave-up' (abandoned) and "
        "'closed-quietly' (unresolved)), but the journey has no escalation state" + NOBODY)
    assert [(r.state, r.note) for r in finding.related] == [
        ("gave-up", "abandoned outcome"), ("closed-quietly", "unresolved outcome")]


def test_jl103_each_failing_state_once(lint):
    # the adverse outcome and the state leading straight to it are two places without a way up
    text = ADVERSE.replace("    adverse: true\n", "").replace(
        "  gave-up:\n    outcome: abandoned", "  gave-up:\n    adverse: true\n    outcome: unresolved")
    findings = run_rule(lint, text, "JL103")
    assert [(f.state, f.key) for f in findings] == [("closure", "closure"), ("gave-up", "gave-up")]
    assert "(it leads straight to 'gave-up' (unresolved))" in findings[0].message
    assert "(it is adverse)" in findings[1].message
    assert findings[1].path == ("hotline", "closure", "gave-up")


def test_jl103_an_escalation_state_counts_for_itself(lint):
    text = ADVERSE.replace("    actor: account-closures\n", "    actor: complaints\n    type: escalation\n")
    assert run_rule(lint, text, "JL103") == []


def test_jl103_failing_state_on_a_loop_is_covered_by_the_loop(lint):
    text = LOOP.replace("    actor: support\n", "    actor: support\n    adverse: true\n    discloses: [reason]\n")
    [finding] = run_rule(lint, text, "JL103")
    assert finding.state == "email-support" and finding.message.startswith("states 'email-support', 'support-reply'")


def test_jl103_unreachable_failing_states_are_left_to_jl003(lint):
    text = LOOP.replace("start: email-support", "start: refund2").replace(
        "  refund:\n", "  refund2:\n    outcome: resolved\n  refund:\n")
    assert run_rule(lint, text, "JL103") == []


def test_jl103_suppressed_at_the_loop_state(lint):
    ignore = "    lint: {ignore: [missing-escalation], reason: the manager route is on paper}\n"
    text = LOOP.replace("    channel: email\n    next: support-reply", "    channel: email\n" + ignore + "    next: support-reply")
    assert lint(text, select=["JL103", "JL005"]) == []
    # the finding is at the loop's first state: an ignore on another member does not cover it
    elsewhere = LOOP.replace("    actor: support\n", "    actor: support\n" + ignore)
    assert [f.code for f in lint(elsewhere, select=["JL103", "JL005"])] == ["JL103", "JL005"]


def test_jl103_severity_and_switch_from_the_configuration(lint):
    [finding] = lint(LOOP, config_text="select: [JL103]\nrules:\n  missing-escalation: error\n")
    assert finding.code == "JL103" and finding.severity.label == "error"
    assert "JL103" in [f.code for f in lint(LOOP)]
    assert "JL103" not in [f.code for f in lint(LOOP, config_text="rules:\n  JL103: off\n")]


def test_jl103_has_no_options(tmp_path):
    result = cli_config_error(tmp_path, LOOP, "rules:\n  JL103: {max_loops: 2}\n")
    assert result.returncode == 2 and result.stdout == ""
    [message] = result.stderr.strip().splitlines()
    assert "journeylint.yaml:2:11: unknown option" in message
    assert "'max_loops'" in message and "JL103 missing-escalation" in message and "Traceback" not in message


# -- JL104 retention-gauntlet ---------------------------------------------------------

GAUNTLET = """\
journey: cable-cancellation
kind: cancellation
start: call-to-cancel
states:
  call-to-cancel:
    actor: customer
    channel: phone
    next: retention-agent
  retention-agent:
    type: retention
    actor: retention-team
    next:
      - {to: kept-service, when: accepts}
      - {to: second-offer, when: says no}
  second-offer:
    type: retention
    actor: retention-team
    next:
      - {to: kept-service, when: accepts}
      - {to: service-cancelled, when: insists}
  service-cancelled:
    outcome: resolved
  kept-service:
    outcome: retained
"""


def test_jl104_too_many_offers_is_a_whole_journey_finding(lint):
    [finding] = run_rule(lint, GAUNTLET, "JL104")
    assert (finding.line, finding.column, finding.state) == (1, 1, None)
    assert finding.whole_journey and finding.key == "offers" and finding.severity.label == "error"
    assert finding.message == (
        "every way to a resolution passes at least 2 retention offers, more than max_offers (1); the way "
        "with the fewest passes 'retention-agent', 'second-offer': the customer must turn down offer "
        "after offer to leave")
    assert finding.path == ("call-to-cancel", "retention-agent", "second-offer", "service-cancelled")
    assert [(r.state, r.line, r.note) for r in finding.related] == [
        ("retention-agent", 9, "retention offer"), ("second-offer", 15, "retention offer")]


def test_jl104_the_witness_is_the_way_with_the_fewest_offers(lint):
    # a longer way with one offer is enough: no finding with the default limit
    text = GAUNTLET.replace(
        "      - {to: second-offer, when: says no}",
        "      - {to: second-offer, when: says no}\n      - {to: form, when: asks for the form}").replace(
        "  service-cancelled:\n",
        "  form:\n    actor: customer\n    channel: phone\n    next: confirm\n"
        "  confirm:\n    actor: retention-team\n    next: service-cancelled\n  service-cancelled:\n")
    assert run_rule(lint, text, "JL104") == []
    [finding] = run_rule(lint, text, "JL104", config_text="rules:\n  JL104: {max_offers: 0}\n")
    assert "at least 1 retention offers, more than max_offers (0)" in finding.message
    assert finding.path == ("call-to-cancel", "retention-agent", "form", "confirm", "service-cancelled")


def test_jl104_max_offers_option(lint):
    assert run_rule(lint, GAUNTLET, "JL104", config_text="rules:\n  retention-gauntlet: {max_offers: 2}\n") == []


def test_jl104_only_cancellation_journeys(lint):
    looping = GAUNTLET.replace("      - {to: service-cancelled, when: insists}",
                               "      - {to: service-cancelled, when: insists}\n      - {to: retention-agent, when: asks why}")
    assert run_rule(lint, looping.replace("kind: cancellation", "kind: support"), "JL104") == []
    assert run_rule(lint, looping.replace("kind: cancellation", "kind: billing"), "JL104") == []


def test_jl104_offer_that_comes_back(lint):
    text = GAUNTLET.replace("      - {to: service-cancelled, when: insists}",
                            "      - {to: service-cancelled, when: insists}\n      - {to: retention-agent, when: asks why}")
    findings = run_rule(lint, text, "JL104")
    assert [(f.state, f.line, f.key) for f in findings] == [
        (None, 1, "offers"), ("retention-agent", 9, "loop"), ("second-offer", 15, "loop")]
    assert findings[1].message == (
        "retention offer 'retention-agent' comes back after a 'no': it lies on the loop 'retention-agent' "
        "-> 'second-offer' -> 'retention-agent', so the customer is asked to stay again and again")
    assert findings[1].path == ("call-to-cancel", "retention-agent", "second-offer", "retention-agent")
    assert findings[2].path == ("call-to-cancel", "retention-agent", "second-offer", "retention-agent", "second-offer")
    assert not findings[1].whole_journey


def test_jl104_offer_repeated_on_itself(lint):
    text = """\
    journey: gym
    kind: cancellation
    start: desk
    states:
      desk:
        actor: customer
        channel: in-person
        next: offer
      offer:
        type: retention
        actor: sales
        next:
          - {to: offer, when: the customer says no, kind: retry}
          - {to: cancelled, when: the customer insists}
      cancelled:
        outcome: resolved
    """
    [finding] = run_rule(lint, text, "JL104")
    assert finding.state == "offer"
    assert "it leads straight back to itself" in finding.message
    assert finding.path == ("desk", "offer", "offer")


def test_jl104_no_reachable_resolution_leaves_the_first_half_to_jl004(lint):
    text = GAUNTLET.replace("  service-cancelled:\n    outcome: resolved", "  service-cancelled:\n    outcome: unresolved")
    assert run_rule(lint, text, "JL104") == []


def test_jl104_multiple_starts_take_the_best_entry(lint):
    text = GAUNTLET.replace("start: call-to-cancel", "start: [call-to-cancel, web-form]").replace(
        "  service-cancelled:\n",
        "  web-form:\n    actor: customer\n    channel: web\n    next: second-offer\n  service-cancelled:\n")
    assert run_rule(lint, text, "JL104") == []


def test_jl104_unreachable_offer_loop_is_not_reported(lint):
    text = GAUNTLET.replace(
        "  service-cancelled:\n",
        "  old-offer:\n    type: retention\n    actor: sales\n    next: [old-offer, service-cancelled]\n"
        "  service-cancelled:\n")
    assert [f.key for f in run_rule(lint, text, "JL104")] == ["offers"]


def test_jl104_suppressions(lint):
    # the whole-journey half is covered only by a journey-level ignore
    at_state = GAUNTLET.replace("    type: retention\n    actor: retention-team\n    next:\n      - {to: kept-service, when: accepts}\n      - {to: second-offer",
                                "    type: retention\n    actor: retention-team\n    lint: {ignore: [JL104]}\n    next:\n      - {to: kept-service, when: accepts}\n      - {to: second-offer", 1)
    assert [(f.code, f.state) for f in lint(at_state, select=["JL104", "JL005"])] == [
        ("JL104", None), ("JL005", "retention-agent")]
    at_journey = GAUNTLET.replace("kind: cancellation", "kind: cancellation\nlint: {ignore: [retention-gauntlet], reason: legal review}")
    assert lint(at_journey, select=["JL104", "JL005"]) == []


def test_jl104_wrong_option_type_is_a_configuration_error(tmp_path):
    result = cli_config_error(tmp_path, GAUNTLET, "rules:\n  JL104:\n    max_offers: two\n")
    assert result.returncode == 2
    assert result.stdout == ""
    [message] = result.stderr.strip().splitlines()
    assert message.endswith(
        "journeylint.yaml:3:17: option 'max_offers' of JL104 retention-gauntlet must be a whole number "
        "(0 or more), not the text 'two'")
    negative = cli_config_error(tmp_path, GAUNTLET, "rules:\n  JL104: {max_offers: -1}\n")
    assert negative.returncode == 2 and "journeylint.yaml:2:23: option 'max_offers'" in negative.stderr


# -- JL105 unmet-prerequisite --------------------------------------------------------

PORTAL = """\
journey: dvd-portal
kind: support
start: player-fails
states:
  player-fails:
    actor: customer
    channel: web
    next: [register-product, support-login]
  register-product:
    actor: system
    channel: web
    grants: [password]
    next: support-login
  support-login:
    actor: system
    channel: web
    requires: [password]
    next: report-problem
  report-problem:
    actor: tech-support
    next: fixed
  fixed:
    outcome: resolved
"""


def test_jl105_way_round_the_granting_state(lint):
    [finding] = run_rule(lint, PORTAL, "JL105")
    assert (finding.line, finding.state, finding.key) == (14, "support-login", "password")
    assert finding.severity.label == "error"
    assert finding.message == (
        "'support-login' requires 'password', but this way reaches it without passing 'register-product', "
        "which grants it: the customer arrives without what is demanded and is stuck")
    assert finding.path == ("player-fails", "support-login")
    assert [(r.state, r.note) for r in finding.related] == [("register-product", "grants 'password'")]


def test_jl105_granted_on_every_way_is_clean(lint):
    text = PORTAL.replace("next: [register-product, support-login]", "next: register-product")
    assert run_rule(lint, text, "JL105") == []


def test_jl105_nothing_grants_it(lint):
    text = PORTAL.replace("    grants: [password]\n", "")
    [finding] = run_rule(lint, text, "JL105")
    assert finding.message == (
        "'support-login' requires 'password', but no state grants it: the customer arrives without what "
        "is demanded and is stuck")
    assert finding.path == ("player-fails", "support-login")


def test_jl105_own_grants_do_not_count(lint):
    text = PORTAL.replace("    grants: [password]\n", "").replace(
        "    requires: [password]\n", "    requires: [password]\n    grants: [password]\n").replace(
        "next: [register-product, support-login]", "next: register-product")
    [finding] = run_rule(lint, text, "JL105")
    assert "but no state grants it (only its own grants, which come too late)" in finding.message
    assert finding.path == ("player-fails", "register-product", "support-login")


def test_jl105_granting_state_out_of_reach(lint):
    text = PORTAL.replace("next: [register-product, support-login]", "next: support-login")
    findings = lint(text, select=["JL105"])
    [finding] = findings
    assert finding.message == (
        "'support-login' requires 'password', but no state the customer can reach grants it "
        "('register-product' cannot be reached): the customer arrives without what is demanded and is stuck")


CIRCULAR = """\
journey: dvd-portal
kind: support
start: player-fails
states:
  player-fails:
    actor: customer
    channel: web
    next: support-login
  support-login:
    actor: system
    channel: web
    requires: [password]
    next:
      - {to: report-problem, when: the password is accepted}
      - {to: change-password, when: the customer opens the account settings}
  change-password:
    actor: system
    channel: web
    grants: [password]
    next: support-login
  report-problem:
    actor: tech-support
    next: fixed
  fixed:
    outcome: resolved
"""


def test_jl105_circular_requirement(lint):
    # the granting state lies behind the requiring one, and leads back to it (a cycle)
    [finding] = run_rule(lint, CIRCULAR, "JL105")
    assert (finding.line, finding.state) == (9, "support-login")
    assert finding.message == (
        "'support-login' requires 'password', which only 'change-password' grants, and the customer can get "
        "to it only through a state requiring 'password' ('support-login'): the requirement is circular, "
        "nobody can meet it")
    assert finding.path == ("player-fails", "support-login")
    assert [(r.state, r.note) for r in finding.related] == [("change-password", "grants 'password'")]


def test_jl105_circular_through_another_requiring_state(lint):
    text = CIRCULAR.replace("next: support-login\n  support-login:", "next: [support-login, order-status]\n"
                            "  order-status:\n    actor: system\n    channel: web\n    requires: [password]\n"
                            "    next: change-password\n  support-login:").replace(
        "      - {to: change-password, when: the customer opens the account settings}\n", "")
    findings = run_rule(lint, text, "JL105")
    assert [f.state for f in findings] == ["order-status", "support-login"]
    for finding in findings:
        assert "only through a state requiring 'password' ('order-status'): the requirement is circular" in finding.message
    assert [(r.state, r.note) for r in findings[1].related] == [
        ("change-password", "grants 'password'"), ("order-status", "requires 'password' before it can be granted")]


def test_jl105_not_circular_when_one_granting_state_is_in_front(lint):
    text = CIRCULAR.replace("next: support-login\n  support-login:", "next: [support-login, reset-by-mail]\n"
                            "  reset-by-mail:\n    actor: system\n    channel: email\n    grants: [password]\n"
                            "    next: support-login\n  support-login:")
    [finding] = run_rule(lint, text, "JL105")
    assert "circular" not in finding.message
    assert "without passing 'reset-by-mail', 'change-password', which grant it" in finding.message


def test_jl105_start_state_that_requires(lint):
    text = PORTAL.replace("start: player-fails", "start: [support-login, player-fails]").replace(
        "next: [register-product, support-login]", "next: register-product")
    [finding] = run_rule(lint, text, "JL105")
    assert finding.path == ("support-login",)


def test_jl105_multiple_starts_one_way_without(lint):
    text = PORTAL.replace("start: player-fails", "start: [player-fails, bookmark]").replace(
        "next: [register-product, support-login]", "next: register-product").replace(
        "  fixed:\n", "  bookmark:\n    actor: customer\n    channel: web\n    next: support-login\n  fixed:\n")
    [finding] = run_rule(lint, text, "JL105")
    assert finding.path == ("bookmark", "support-login")


def test_jl105_one_finding_per_item(lint):
    text = PORTAL.replace("requires: [password]", "requires: [password, receipt, password]")
    findings = run_rule(lint, text, "JL105")
    assert [(f.state, f.key) for f in findings] == [("support-login", "password"), ("support-login", "receipt")]
    assert findings[1].message.startswith("'support-login' requires 'receipt', but no state grants it")


def test_jl105_suppressed_at_the_requiring_state(lint):
    text = PORTAL.replace("    requires: [password]\n",
                          "    requires: [password]\n    lint: {ignore: [JL105], reason: bookmarks expire}\n")
    assert lint(text, select=["JL105", "JL005"]) == []


def test_jl105_switched_off_and_unknown_option(lint, tmp_path):
    assert lint(PORTAL, config_text="select: [JL105]\n") != []
    assert lint(PORTAL, config_text="select: [JL105]\nrules:\n  unmet-prerequisite: off\n") == []
    result = cli_config_error(tmp_path, PORTAL, "rules:\n  unmet-prerequisite:\n    items: [password]\n")
    assert result.returncode == 2
    [message] = result.stderr.strip().splitlines()
    assert "journeylint.yaml:3:5: unknown option" in message
    assert "'items'" in message and "JL105 unmet-prerequisite" in message


# -- against the definitions, on small random journeys --------------------------------

import pytest  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from conftest import session_for  # noqa: E402

FLAGS = ("requires", "grants", "adverse")


@st.composite
def small_journeys(draw):
    """Up to six states with one precondition 'x': (yaml text, starts, states),
    where states[i] = (flags, type, targets, outcome)."""
    n = draw(st.integers(2, 6))
    starts = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
    states = []
    for i in range(n):
        flags = draw(st.sets(st.sampled_from(FLAGS), max_size=3))
        kind = draw(st.sampled_from(("step", "step", "step", "retention", "escalation")))
        outcome = draw(st.sampled_from(("resolved", "unresolved", "abandoned"))) if (
            i == n - 1 or draw(st.integers(0, 4)) == 0) else None
        targets = [] if outcome else draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2))
        states.append((flags, kind, targets, outcome))
    lines = ["journey: random", "kind: cancellation", f"start: [{', '.join(f's{i}' for i in starts)}]", "states:"]
    for i, (flags, kind, targets, outcome) in enumerate(states):
        lines += [f"  s{i}:", "    actor: agent", f"    type: {kind}"]
        for flag in sorted(flags):
            lines.append("    adverse: true" if flag == "adverse" else f"    {flag}: [x]")
        lines.append(f"    outcome: {outcome}" if outcome else f"    next: [{', '.join(f's{t}' for t in targets)}]")
    return "\n".join(lines) + "\n", starts, states


def simple_paths(starts, states):
    stack = [(s,) for s in starts]
    while stack:
        path = stack.pop()
        yield path
        for t in states[path[-1]][2]:
            if t not in path:
                stack.append(path + (t,))


def expected(starts, states):
    """The findings rules.md defines, by brute force (simple paths suffice:
    a way that avoids a set of states can always be shortened to one)."""
    n = len(states)
    succ = [set(s[2]) for s in states]

    def reachable_from(i):
        seen, todo = {i}, [i]
        while todo:
            for t in succ[todo.pop()]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    reach = [reachable_from(i) for i in range(n)]
    reachable = set().union(*(reach[s] for s in starts))
    on_cycle = {i for i in range(n) if any(i in reach[t] for t in succ[i])}
    out = set()
    # JL103
    escalations = {i for i in range(n) if states[i][1] == "escalation"}
    covered = set()
    for i in sorted(on_cycle & reachable):
        if i in covered:
            continue
        loop = {j for j in on_cycle if j in reach[i] and i in reach[j]}
        covered |= loop
        if not reach[i] & escalations:
            out.add(("JL103", min(loop)))
    for i in reachable - covered:
        fails = "adverse" in states[i][0] or any(states[t][3] in ("unresolved", "abandoned") for t in succ[i])
        if fails and not reach[i] & escalations:
            out.add(("JL103", i))
    # JL104
    offers = [sum(states[i][1] == "retention" for i in p) for p in simple_paths(starts, states)
              if states[p[-1]][3] == "resolved"]
    if offers and min(offers) > 1:
        out.add(("JL104", None))
    out |= {("JL104", i) for i in on_cycle & reachable if states[i][1] == "retention"}
    # JL105
    for path in simple_paths(starts, states):
        end = path[-1]
        if "requires" in states[end][0] and not any("grants" in states[i][0] for i in path[:-1]):
            out.add(("JL105", end))
    return out


@pytest.fixture(scope="module")
def ways_out_session(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("random"), select=["JL103", "JL104", "JL105"])


@settings(max_examples=300, deadline=None)
@given(case=small_journeys())
def test_jl103_jl104_jl105_match_their_definitions(ways_out_session, case):
    text, starts, states = case
    result = ways_out_session.engine.lint_source(text, "random.yaml")
    journey = result.journeys[0]
    found = {(f.code, f.state) for f in result.findings}
    assert found == {(code, None if i is None else f"s{i}") for code, i in expected(starts, states)}, text
    for finding in result.findings:
        assert_witness_is_real(journey, finding.path)
