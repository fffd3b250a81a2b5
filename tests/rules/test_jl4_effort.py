"""JL401-JL405: effort and cost rules (paid waiting, effort budget, slow
channel, cancellation parity, long hold), run through the real engine."""
from __future__ import annotations

import textwrap

import pytest


from conftest import assert_exit_2, assert_witness_is_real, at, cli_config_error, journey_of, only, run_cli


# -- JL401 paid-waiting --------------------------------------------------------------

PAID = """\
journey: router
kind: support
start: call
channels:
  premium-line: {cost_per_minute: 0.34}
states:
  call:
    actor: customer
    channel: premium-line
    wait: 8m
    next: technician
  technician:
    actor: technicians
    channel: premium-line
    next: works
  works:
    outcome: resolved
"""


def test_jl401_waiting_on_a_priced_channel(lint):
    finding = only(lint(PAID, select=["JL401"]), "JL401")
    assert (finding.line, finding.column) == at(PAID, "call:") and finding.state == "call"
    assert finding.message == ("paid waiting: the customer waits 8m in 'call' on 'premium-line' "
                               "at 0.34 a minute (2.72 for the wait)")
    assert finding.path == ("call",)
    assert [(r.line, r.note) for r in finding.related] == [
        (at(PAID, "premium-line: {")[0], "'premium-line' costs 0.34 a minute")]
    assert finding.severity.label == "warning"


def test_jl401_cost_with_wait_and_both(lint):
    free = PAID.replace("cost_per_minute: 0.34", "cost_per_minute: 0")
    assert lint(free, select=["JL401"]) == []
    finding = only(lint(free.replace("    wait: 8m\n", "    wait: 8m\n    cost: 5\n"), select=["JL401"]), "JL401")
    assert finding.message == "paid waiting: the customer waits 8m in 'call' and pays 5.00 in this step"
    assert finding.related == ()
    both = only(lint(PAID.replace("    wait: 8m\n", "    wait: 8m\n    cost: 1.5\n"), select=["JL401"]), "JL401")
    assert both.message == ("paid waiting: the customer waits 8m in 'call' on 'premium-line' at 0.34 a minute "
                            "(2.72 for the wait) and pays 1.50 in this step")


@pytest.mark.parametrize("change", [
    ("    wait: 8m\n", ""),                        # a priced channel without waiting
    ("    wait: 8m\n", "    wait: 0m\n"),
    ("    wait: 8m\n", "    cost: 5\n"),          # paying without waiting
])
def test_jl401_no_wait_no_finding(lint, change):
    assert lint(PAID.replace(*change), select=["JL401"]) == []


def test_jl401_waiting_staff_state_counts_and_unreachable_does_not(lint):
    text = PAID.replace("    channel: premium-line\n    next: works\n",
                        "    channel: premium-line\n    wait: 2m\n    next: works\n")
    assert [f.state for f in lint(text, select=["JL401"])] == ["call", "technician"]
    text = PAID.replace("  call:\n    actor: customer\n    channel: premium-line\n    wait: 8m\n",
                        "  call:\n    actor: customer\n    channel: web\n") + (
        "  old-line:\n    actor: customer\n    channel: premium-line\n    wait: 9m\n    next: works\n")
    assert lint(text, select=["JL401"]) == []


# -- JL402 effort-budget -------------------------------------------------------------

# two ways: short but slow (hotline), long but quick and free (web)
EFFORT = """\
journey: cancel
kind: support
start: choose
channels:
  phone: {cost_per_minute: 0.5}
states:
  choose:
    actor: customer
    next: [hotline, form]
  hotline:
    actor: agent
    channel: phone
    wait: 40m
    next: done
  form:
    actor: customer
    channel: web
    next: check
  check:
    actor: system
    next: confirm
  confirm:
    actor: customer
    channel: web
    wait: 2m
    next: done
  done:
    outcome: resolved
"""


def test_jl402_no_budget_no_finding(lint):
    assert lint(EFFORT, select=["JL402"]) == []


def test_jl402_each_figure_minimised_on_its_own(lint):
    # fewest steps: choose, hotline = 2 (the hotline way); least wait: 2m (the web way)
    text = EFFORT.replace("start: choose", "start: choose\nbudget: {steps: 1, wait: 1m, cost: 0}")
    finding = only(lint(text, select=["JL402"]), "JL402")
    assert finding.message == (
        "effort budget exceeded on the cheapest way to a resolution, each figure minimised on its own: "
        "steps 2 (budget 1), wait 2m (budget 1m); the path shown is the one with the fewest steps")
    assert (finding.line, finding.column) == (1, 1) and finding.whole_journey
    assert finding.path == ("choose", "hotline", "done")
    assert_witness_is_real(journey_of(text), finding.path)
    assert finding.severity.label == "warning"


def test_jl402_within_and_equal_budgets(lint):
    text = EFFORT.replace("start: choose", "start: choose\nbudget: {steps: 2, wait: 2m, cost: 0}")
    assert lint(text, select=["JL402"]) == []


def test_jl402_wait_and_cost_witnesses(lint):
    text = EFFORT.replace("start: choose", "start: choose\nbudget: {wait: 1m}")
    finding = only(lint(text, select=["JL402"]), "JL402")
    assert finding.message.endswith("wait 2m (budget 1m); the path shown is the one with the least waiting")
    assert finding.path == ("choose", "form", "check", "confirm", "done")
    # the web way is free, so only a closed web way makes cost count: 40m at 0.5 = 20.00
    closed = EFFORT.replace("next: [hotline, form]", "next: [hotline]")
    closed = closed.replace("start: choose", "start: choose\nbudget: {cost: 19.99}")
    findings = lint(closed, select=["JL402"])
    assert only(findings, "JL402").message.endswith(
        "cost 20.00 (budget 19.99); the path shown is the one with the lowest cost")


def test_jl402_budgets_from_the_configuration(lint):
    config = "rules:\n  JL402: {max_steps: 1, max_wait: 30m, max_cost: 100}\n"
    finding = only(lint(EFFORT, select=["JL402"], config_text=config), "JL402")
    assert "steps 2 (budget 1); the path shown is the one with the fewest steps" in finding.message
    # the journey's own budget takes precedence, figure by figure
    text = EFFORT.replace("start: choose", "start: choose\nbudget: {steps: 3}")
    assert lint(text, select=["JL402"], config_text=config) == []
    config = "rules:\n  effort-budget: {max_wait: 1m}\n"
    assert "wait 2m (budget 1m)" in only(lint(text, select=["JL402"], config_text=config), "JL402").message
    # null removes a budget the configuration set
    assert lint(EFFORT, select=["JL402"], config_text="rules:\n  JL402: {max_steps: null}\n") == []


def test_jl402_float_costs_equal_to_the_budget_are_within(lint):
    text = """\
    journey: j
    kind: billing
    start: a
    budget: {cost: 0.3}
    states:
      a:
        actor: customer
        cost: 0.1
        next: b
      b:
        actor: customer
        cost: 0.2
        next: done
      done:
        outcome: resolved
    """
    assert lint(text, select=["JL402"]) == []


def test_jl402_nothing_when_no_resolution_is_reachable(lint):
    text = EFFORT.replace("start: choose", "start: choose\nbudget: {steps: 0}").replace("outcome: resolved", "outcome: unresolved")
    assert lint(text, select=["JL402"]) == []


@pytest.mark.parametrize("option, value, words", [
    ("max_wait", "30", "option 'max_wait' of JL402 effort-budget must be a duration such as 10m"),
    ("max_steps", "many", "option 'max_steps' of JL402 effort-budget must be a whole number (0 or more), not the text 'many'"),
    ("max_cost", "true", "option 'max_cost' of JL402 effort-budget must be a number (0 or more)"),
])
def test_jl402_wrong_option_type_is_exit_2(tmp_path, option, value, words):
    result = cli_config_error(tmp_path, EFFORT, f"rules:\n  JL402:\n    {option}: {value}\n")
    assert_exit_2(result, f"3:{len(option) + 7}", words)


# -- JL403 slow-channel --------------------------------------------------------------

SLOW = """\
journey: luggage
kind: support
start: tweet
channels:
  social: {response_time: 8h}
  phone: {hours: "Mon-Fri 09:00-17:00"}
states:
  tweet:
    actor: customer
    channel: social
    next: social-team
  social-team:
    actor: social-media
    channel: social
    next: call
  call:
    actor: customer
    channel: phone
    next: traced
  traced:
    outcome: resolved
"""


def test_jl403_response_time_over_the_limit(lint):
    finding = only(lint(SLOW, select=["JL403"]), "JL403")
    assert (finding.line, finding.column) == at(SLOW, "tweet:") and finding.state == "tweet"
    assert finding.message == "slow channel: 'social', first used in 'tweet', answers in 8h (limit 1h)"
    assert finding.path == ("tweet",)
    assert [(r.line, r.note) for r in finding.related] == [(at(SLOW, "social: {")[0], "channel 'social' declared here")]
    assert finding.severity.label == "warning"


def test_jl403_limit_option_and_equal(lint):
    assert lint(SLOW, select=["JL403"], config_text="rules: {JL403: {max_response_time: 8h}}") == []
    assert len(lint(SLOW, select=["JL403"], config_text="rules: {slow-channel: {max_response_time: 7h59m}}")) == 1


def test_jl403_office_hours_in_a_journey_that_cannot_wait(lint):
    text = SLOW.replace("kind: support", "kind: complaint")
    findings = lint(text, select=["JL403"])
    assert [f.state for f in findings] == ["tweet", "call"]
    assert findings[1].message == ("slow channel: 'phone', first used in 'call', is open only "
                                   "'Mon-Fri 09:00-17:00' in a complaint journey, which cannot wait")


def test_jl403_office_hours_while_another_used_channel_is_24_7(lint):
    text = SLOW.replace("{response_time: 8h}", "{hours: 24/7}")
    finding = only(lint(text, select=["JL403"]), "JL403")
    assert finding.state == "call"
    assert finding.message == ("slow channel: 'phone', first used in 'call', is open only "
                               "'Mon-Fri 09:00-17:00' while 'social' in the same journey is open 24/7")
    assert [r.note for r in finding.related] == ["channel 'phone' declared here", "uses 'social', open 24/7"]
    assert finding.related[1].state == "tweet"


def test_jl403_both_reasons_in_one_finding(lint):
    text = SLOW.replace('{hours: "Mon-Fri 09:00-17:00"}', '{hours: "Mon-Fri 09:00-17:00", response_time: 2h}')
    text = text.replace("kind: support", "kind: escalation")
    finding = [f for f in lint(text, select=["JL403"]) if f.state == "call"][0]
    assert finding.message == ("slow channel: 'phone', first used in 'call', answers in 2h (limit 1h) and is open "
                               "only 'Mon-Fri 09:00-17:00' in an escalation journey, which cannot wait")


def test_jl403_used_means_the_same_in_both_halves(lint):
    # the 24/7 channel only carries system notifications: it is not used, so office hours are fine
    text = SLOW.replace("{response_time: 8h}", "{hours: 24/7}").replace(
        "  social-team:\n    actor: social-media", "  social-team:\n    actor: system").replace(
        "  tweet:\n    actor: customer\n    channel: social\n", "  tweet:\n    actor: customer\n")
    assert lint(text, select=["JL403"]) == []
    # and a slow channel only the system uses is not reported either
    text = SLOW.replace("  tweet:\n    actor: customer\n    channel: social\n", "  tweet:\n    actor: customer\n").replace(
        "  social-team:\n    actor: social-media", "  social-team:\n    actor: system")
    assert lint(text, select=["JL403"]) == []


def test_jl403_once_per_channel_at_the_first_state_in_file_order(lint):
    # 'late-reply' comes first in the file but last on the path; a bot and an actor-less state count as users
    text = """\
    journey: j
    kind: support
    start: ask
    channels:
      email: {response_time: 2d}
    states:
      late-reply:
        channel: email
        next: done
      ask:
        actor: bot
        channel: email
        next: late-reply
      unreached:
        actor: customer
        channel: email
        next: done
      done:
        outcome: resolved
    """
    finding = only(lint(text, select=["JL403"]), "JL403")
    assert finding.state == "late-reply" and finding.path == ("ask", "late-reply")
    assert finding.message == "slow channel: 'email', first used in 'late-reply', answers in 2d (limit 1h)"


def test_jl403_wrong_option_type_is_exit_2(tmp_path):
    result = cli_config_error(tmp_path, SLOW, "rules:\n  JL403: {max_response_time: 1mo}\n")
    assert_exit_2(result, "2:30", "months are not a duration unit")


# -- JL404 cancellation-parity ---------------------------------------------------------

PARITY = """\
journey: streaming
kind: cancellation
signup_channels: [web, app]
start: account
states:
  account:
    actor: customer
    channel: web
    next: info
  info:
    actor: system
    channel: email
    next: call
  call:
    actor: customer
    channel: phone
    next: agent
  agent:
    actor: agent
    channel: phone
    next: cancelled
  cancelled:
    outcome: resolved
"""


def test_jl404_cancel_only_by_phone(lint):
    finding = only(lint(PARITY, select=["JL404"]), "JL404")
    assert finding.message == ("cancellation parity: the customer signed up through 'web', 'app', but every way "
                               "to a resolution makes them use another channel, first at 'call' (phone)")
    assert (finding.line, finding.column) == (1, 1) and finding.whole_journey
    assert finding.path == ("account", "info", "call", "agent", "cancelled")
    assert_witness_is_real(journey_of(PARITY), finding.path)
    assert [(r.state, r.note) for r in finding.related] == [("call", "the customer must use 'phone'")]
    assert finding.severity.label == "error"


@pytest.mark.parametrize("change", [
    ("    channel: phone\n    next: agent", "    channel: app\n    next: agent"),  # app is a sign-up channel
    ("    channel: phone\n    next: agent", "    next: agent"),                   # no channel: passed over
    ("kind: cancellation", "kind: support"),                                     # other kinds are not checked
    ("signup_channels: [web, app]\n", ""),                                       # no sign-up channels
])
def test_jl404_parity_kept_or_not_checked(lint, change):
    assert change[0] in PARITY
    assert lint(PARITY.replace(*change), select=["JL404"]) == []


def test_jl404_one_way_within_the_signup_channels_is_enough(lint):
    text = PARITY.replace("    next: info\n", "    next: [info, cancel-button]\n") + (
        "  cancel-button:\n    actor: customer\n    channel: web\n    next: cancelled\n")
    assert lint(text, select=["JL404"]) == []


def test_jl404_off_channel_resolution_does_not_count_and_doors_are_listed(lint):
    text = """\
    journey: j
    kind: cancellation
    signup_channels: [web]
    start: account
    states:
      account:
        actor: customer
        channel: web
        next: [letter, call, shop]
      letter:
        actor: customer
        channel: mail
        outcome: resolved
      call:
        actor: customer
        channel: phone
        next: done
      shop:
        actor: customer
        channel: in-person
        next: done
      done:
        outcome: resolved
    """
    finding = only(lint(text, select=["JL404"]), "JL404")
    assert finding.message.endswith("first at 'letter' (mail), 'call' (phone), 'shop' (in-person)")
    assert finding.path == ("account", "letter")


def test_jl404_nothing_when_no_resolution_is_reachable(lint):
    text = PARITY.replace("outcome: resolved", "outcome: unresolved")
    assert lint(text, select=["JL404"]) == []


# -- JL405 long-hold -------------------------------------------------------------------

HOLD = """\
journey: card
kind: support
start: call
states:
  call:
    actor: customer
    channel: phone
    wait: 1h
    next: hotline
  hotline:
    actor: agent
    channel: phone
    next: done
  done:
    outcome: resolved
"""


def test_jl405_an_hour_on_hold(lint):
    finding = only(lint(HOLD, select=["JL405"]), "JL405")
    assert (finding.line, finding.column) == at(HOLD, "call:") and finding.state == "call"
    assert finding.message == "long hold: 'call' keeps the customer waiting 1h on the live channel 'phone' (limit 10m)"
    assert finding.path == ("call",)
    assert finding.severity.label == "warning"


@pytest.mark.parametrize("wait, channel, channels, found", [
    ("10m", "phone", "", False),                                  # equal to the limit
    ("10m1s", "phone", "", True),
    ("1h", "chat", "", True),
    ("1h", "in-person", "", True),
    ("1h", "email", "", False),                                   # not live
    ("1h", "phone", "channels:\n  phone: {live: false}\n", False),
    ("1h", "callcentre", "channels:\n  callcentre: {live: true}\n", True),
    ("1h", "callcentre", "", False),
])
def test_jl405_live_channels_and_limit(lint, wait, channel, channels, found):
    text = HOLD.replace("wait: 1h", f"wait: {wait}").replace("    channel: phone\n    wait", f"    channel: {channel}\n    wait")
    text = text.replace("states:\n", channels + "states:\n")
    assert len(lint(text, select=["JL405"])) == (1 if found else 0)


def test_jl405_option(lint):
    assert lint(HOLD, select=["JL405"], config_text="rules: {long-hold: {max_hold: 1h}}") == []
    text = HOLD.replace("wait: 1h", "wait: 4m")
    finding = only(lint(text, select=["JL405"], config_text="rules: {JL405: {max_hold: 3m}}"), "JL405")
    assert finding.message.endswith("waiting 4m on the live channel 'phone' (limit 3m)")


def test_jl405_wrong_option_type_is_exit_2(tmp_path):
    result = cli_config_error(tmp_path, HOLD, "rules:\n  JL405:\n    max_hold: 10\n")
    assert_exit_2(result, "3:15", "option 'max_hold' of JL405 long-hold must be a duration such as 10m")


@pytest.mark.parametrize("code, name", [("JL401", "paid-waiting"), ("JL404", "cancellation-parity")])
def test_options_of_a_rule_without_options_are_a_configuration_error(tmp_path, code, name):
    (tmp_path / "journeylint.yaml").write_text(f"rules:\n  {code}: {{limit: 1}}\n")
    (tmp_path / "j.yaml").write_text(HOLD)
    result = run_cli("check", "j.yaml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"journeylint: error: journeylint.yaml:2:11: unknown option 'limit' "
                                     f"for {code} {name} (known: severity, enabled)")


# -- against the definitions, on small random journeys ---------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from conftest import session_for  # noqa: E402

WAITS = {None: 0, "0m": 0, "5m": 300, "11m": 660, "2h": 7200}


@st.composite
def effort_journeys(draw):
    """Up to seven states of a cancellation signed up on the web, with a zero
    budget: (yaml text, starts, states), states[i] = (actor, channel, wait,
    cost, outcome, targets); 'premium' costs 0.5 a minute, 'hotline' is live."""
    n = draw(st.integers(2, 7))
    starts = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
    states = []
    for i in range(n):
        actor = draw(st.sampled_from((None, "customer", "customer", "system", "agent")))
        channel = draw(st.sampled_from((None, "web", "web", "phone", "email", "premium", "hotline")))
        wait = draw(st.sampled_from(tuple(WAITS)))
        cost = draw(st.sampled_from((None, 0, 2)))
        outcome = "resolved" if i == n - 1 or draw(st.integers(0, 5)) == 0 else None
        targets = [] if outcome else sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
        states.append((actor, channel, wait, cost, outcome, targets))
    lines = ["journey: random", "kind: cancellation", "signup_channels: [web]",
             f"start: [{', '.join(f's{i}' for i in starts)}]", "budget: {steps: 0, wait: 0m, cost: 0}",
             "channels:", "  premium: {cost_per_minute: 0.5}", "  hotline: {live: true}", "states:"]
    for i, (actor, channel, wait, cost, outcome, targets) in enumerate(states):
        lines.append(f"  s{i}:")
        for key, value in (("actor", actor), ("channel", channel), ("wait", wait), ("cost", cost), ("outcome", outcome)):
            if value is not None:
                lines.append(f"    {key}: {value}")
        if not outcome:
            lines.append(f"    next: [{', '.join(f's{t}' for t in targets)}]")
    return "\n".join(lines) + "\n", starts, states


def expected_effort(starts, states):
    n = len(states)
    reachable, todo = set(starts), list(starts)
    while todo:
        for t in states[todo.pop()][5]:
            if t not in reachable:
                reachable.add(t)
                todo.append(t)
    out = set()
    for i in reachable:
        actor, channel, wait, cost, _, _ = states[i]
        seconds = WAITS[wait]
        if seconds and (channel == "premium" or cost):
            out.add(("JL401", f"s{i}"))
        if seconds > 600 and channel in ("phone", "hotline"):
            out.add(("JL405", f"s{i}"))
    paths, stack = [], [(s,) for s in starts]
    while stack:
        path = stack.pop()
        if states[path[-1]][4] == "resolved":
            paths.append(path)
        stack.extend(path + (t,) for t in states[path[-1]][5] if t not in path)
    if paths:
        def figures(path):
            steps = sum(states[i][0] is not None for i in path)
            wait = sum(WAITS[states[i][2]] for i in path)
            cost = sum((states[i][3] or 0) + (0.5 * WAITS[states[i][2]] / 60 if states[i][1] == "premium" else 0)
                       for i in path)
            return steps, wait, cost
        best = [min(figures(p)[k] for p in paths) for k in range(3)]
        if any(best):
            out.add(("JL402", tuple(best)))
        # JL404: some way to a resolution whose customer states with a channel all use the web
        # (a resolution that is itself such a state off the web does not count)
        if not any(all(states[i][0] != "customer" or states[i][1] in (None, "web") for i in p) for p in paths):
            out.add(("JL404", None))
    return out


@pytest.fixture(scope="module")
def effort_session(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("effort"), select=["JL4"])


@settings(max_examples=400, deadline=None)
@given(case=effort_journeys())
def test_jl401_to_jl405_match_their_definitions(effort_session, case):
    from journeylint.api import format_duration

    text, starts, states = case
    result = effort_session.engine.lint_source(text, "random.yaml")
    assert not [f for f in result.findings if f.code in ("JL000", "JL001", "JL002", "JL403")], text
    found = set()
    for f in result.findings:
        assert_witness_is_real(result.journeys[0], f.path)
        found.add((f.code, None if f.whole_journey else f.state))
    want = expected_effort(starts, states)
    assert found == {(code, key if code != "JL402" else None) for code, key in want}, text
    budget = next((key for code, key in want if code == "JL402"), None)
    if budget is not None:
        message = only(result.findings, "JL402").message
        steps, wait, cost = budget
        for name, value, shown in (("steps", steps, str(steps)), ("wait", wait, format_duration(wait)),
                                   ("cost", cost, f"{cost:.2f}")):
            assert (f"{name} {shown} (budget" in message) == bool(value), (message, budget)
