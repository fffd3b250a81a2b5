"""JL301-JL305: routing rules (forced relay, transfer chain, context loss,
channel switch, closed door), run through the real engine."""
from __future__ import annotations

import textwrap

import pytest


from conftest import assert_exit_2, assert_witness_is_real, at, cli_config_error, journey_of, only, run_cli


# -- JL301 forced-relay -------------------------------------------------------------

RELAY = """\
journey: dvd
kind: support
start: write
states:
  write:
    actor: customer
    channel: email
    next: email-support
  email-support:
    actor: customer-service
    channel: email
    next:
      - {to: done, when: answered}
      - {to: dial, kind: redirect, when: technical}
  dial:
    actor: customer
    channel: phone
    next: phone-menu
  phone-menu:
    actor: bot
    channel: phone
    next: tech
  tech:
    actor: tech-support
    channel: phone
    next: done
  done:
    outcome: resolved
"""


def test_jl301_redirect_through_customer_and_bot_steps_to_another_team(lint):
    finding = only(lint(RELAY, select=["JL301"]), "JL301")
    assert (finding.line, finding.column) == at(RELAY, "{to: dial")
    assert finding.location.state == "email-support" and finding.location.transition == "dial"
    assert finding.message == (
        "forced relay: 'email-support' (customer-service) redirects the customer to 'dial', where they "
        "must contact team 'tech-support' (at 'tech') themselves; the company's internal communication "
        "is left to the customer")
    assert finding.path == ("write", "email-support", "dial", "phone-menu", "tech")
    assert_witness_is_real(journey_of(RELAY), finding.path)
    assert [(r.state, r.line, r.note) for r in finding.related] == [
        ("tech", at(RELAY, "tech:")[0], "team 'tech-support' met after the redirect")]
    assert finding.severity.label == "error" and not finding.whole_journey


def test_jl301_redirect_straight_to_a_staff_state_of_another_team(lint):
    text = RELAY.replace("{to: dial, kind: redirect", "{to: tech, kind: redirect")
    finding = only(lint(text, select=["JL301"]), "JL301")
    assert "redirects the customer to 'tech', where they must contact team 'tech-support' themselves" in finding.message
    assert finding.path == ("write", "email-support", "tech")


@pytest.mark.parametrize("change", [
    ("actor: tech-support", "actor: customer-service"),      # same team on another number
    ("kind: redirect", "kind: transfer"),                    # staff hand the case over themselves
    ("actor: customer-service", "actor: bot"),               # a bot sends the customer on
])
def test_jl301_not_a_relay(lint, change):
    assert lint(RELAY.replace(*change), select=["JL301"]) == []


def test_jl301_agent_is_a_team_of_its_own_and_redirect_to_no_staff_is_not_a_relay(lint):
    text = RELAY.replace("actor: customer-service", "actor: agent")
    assert "(agent) redirects" in only(lint(text, select=["JL301"]), "JL301").message
    # the redirect leads only to an outcome: nobody else to contact
    text = RELAY.replace("{to: dial, kind: redirect", "{to: done, kind: redirect")
    assert lint(text, select=["JL301"]) == []


def test_jl301_branches_lead_to_another_team(lint):
    text = """\
    journey: j
    kind: support
    start: desk
    states:
      desk:
        actor: agent
        next:
          - {to: choose, kind: redirect}
      choose:
        actor: customer
        next: [desk-again, billing, claims]
      desk-again:
        actor: agent
        next: done
      billing:
        actor: billing
        next: done
      claims:
        actor: claims
        next: done
      done:
        outcome: resolved
    """
    finding = only(lint(text, select=["JL301"]), "JL301")
    # one way meets the same team again, the others meet billing or claims: the witness takes one of those
    assert "must contact team 'billing' (at 'billing') themselves" in finding.message
    assert finding.path == ("desk", "choose", "billing")
    assert [(r.state, r.note) for r in finding.related] == [("billing", "team 'billing' met after the redirect")]


def test_jl301_unreachable_redirect_is_left_to_jl003(lint):
    text = RELAY.replace("      - {to: dial, kind: redirect, when: technical}\n", "") + (
        "  orphan:\n    actor: agent\n    next:\n      - {to: dial, kind: redirect}\n")
    findings = lint(text, select=["JL301", "JL003"])
    assert {f.code for f in findings} == {"JL003"} and "orphan" in {f.state for f in findings}


# -- JL302 transfer-chain -----------------------------------------------------------

CHAIN = """\
journey: card-dispute
kind: billing
start: call-hotline
states:
  call-hotline:
    actor: customer
    channel: phone
    next: front-desk
  front-desk:
    actor: agent
    channel: phone
    next:
      - {to: billing, kind: transfer}
  billing:
    actor: billing
    channel: phone
    next:
      - {to: disputes, kind: transfer}
  disputes:
    actor: disputes
    channel: phone
    next:
      - {to: supervisor, kind: transfer}
  supervisor:
    actor: supervisors
    channel: phone
    next: charge-reversed
  charge-reversed:
    outcome: resolved
"""


def test_jl302_three_hand_offs(lint):
    finding = only(lint(CHAIN, select=["JL302"]), "JL302")
    assert finding.message == ("transfer chain: 3 hand-offs on the shortest way to a resolution (limit 2): "
                               "front-desk -> billing -> disputes -> supervisor")
    assert (finding.line, finding.column) == (1, 1) and finding.whole_journey
    assert finding.severity.label == "warning"
    assert finding.path == ("call-hotline", "front-desk", "billing", "disputes", "supervisor", "charge-reversed")
    assert_witness_is_real(journey_of(CHAIN), finding.path)
    assert [(r.state, r.note) for r in finding.related] == [
        ("billing", "hand-off to 'billing'"), ("disputes", "hand-off to 'disputes'"),
        ("supervisor", "hand-off to 'supervisors'")]


def test_jl302_takes_the_way_with_the_fewest_hand_offs(lint):
    shortcut = CHAIN.replace("      - {to: billing, kind: transfer}\n",
                             "      - {to: billing, kind: transfer}\n      - {to: supervisor, kind: transfer}\n")
    assert lint(shortcut, select=["JL302"]) == []


@pytest.mark.parametrize("between, counted", [
    ("normal", 0), ("retry", 0), ("transfer", 1), ("redirect", 1), ("escalate", 0), ("drop", 0),
])
def test_jl302_same_actor_counts_only_after_a_transfer_or_redirect(lint, between, counted):
    # three agent states in a row joined by one kind of transition, and no hand-off allowed
    text = f"""\
    journey: j
    kind: support
    start: a0
    budget: {{transfers: 0}}
    states:
      a0:
        actor: agent
        next:
          - {{to: a1, kind: {between}}}
      a1:
        actor: agent
        next:
          - {{to: a2, kind: {between}}}
      a2:
        actor: agent
        next: done
      done:
        outcome: resolved
    """
    findings = lint(text, select=["JL302"])
    if counted:
        assert only(findings, "JL302").message == (
            "transfer chain: 2 hand-offs on the shortest way to a resolution (limit 0): a0 -> a1 -> a2")
    else:
        assert findings == []


ESCALATE = """\
journey: j
kind: support
start: agent
budget: {transfers: 0}
states:
  agent:
    actor: agent
    next:
      - {to: wait-line, kind: escalate}
  wait-line:
    actor: system
    next:
      - {to: manager, kind: KIND}
  manager:
    type: escalation
    actor: managers
    next: done
  done:
    outcome: resolved
"""


def test_jl302_escalate_never_counts_unless_a_transfer_comes_with_it(lint):
    assert lint(ESCALATE.replace("KIND", "normal"), select=["JL302"]) == []
    # a transfer in the same step (across the system state) makes it a hand-off
    finding = only(lint(ESCALATE.replace("KIND", "transfer"), select=["JL302"]), "JL302")
    assert finding.message == ("transfer chain: 1 hand-off on the shortest way to a resolution (limit 0): "
                               "agent -> manager")
    assert finding.path == ("agent", "wait-line", "manager", "done")
    assert [r.state for r in finding.related] == ["manager"]


def test_jl302_chain_names_where_the_case_changes_hands(lint):
    text = """\
    journey: j
    kind: support
    start: front
    budget: {transfers: 1}
    states:
      front:
        actor: agent
        next: front-notes
      front-notes:
        actor: agent
        next:
          - {to: billing, kind: transfer}
      billing:
        actor: billing
        next: billing-check
      billing-check:
        actor: billing
        next:
          - {to: manager, kind: escalate}
      manager:
        type: escalation
        actor: managers
        next:
          - {to: disputes, kind: transfer}
      disputes:
        actor: disputes
        next: done
      done:
        outcome: resolved
    """
    finding = only(lint(text, select=["JL302"]), "JL302")
    # same-team steps without a hand-off are left out; the escalation (not counted) is shown
    assert finding.message == ("transfer chain: 2 hand-offs on the shortest way to a resolution (limit 1): "
                               "front -> billing -> manager -> disputes")
    assert [r.state for r in finding.related] == ["billing", "disputes"]


def test_jl302_different_actors_across_customer_steps_count(lint):
    text = """\
    journey: j
    kind: support
    start: a
    budget: {transfers: 0}
    states:
      a:
        actor: agent
        next: c
      c:
        actor: customer
        next: b
      b:
        actor: billing
        next: done
      done:
        outcome: resolved
    """
    finding = only(lint(text, select=["JL302"]), "JL302")
    assert finding.message.endswith("(limit 0): a -> b") and finding.path == ("a", "c", "b", "done")


def test_jl302_option_and_budget(lint):
    assert lint(CHAIN, select=["JL302"], config_text="rules: {JL302: {max_transfers: 3}}") == []
    # the journey's budget takes precedence over the option, both ways
    with_budget = CHAIN.replace("start: call-hotline", "start: call-hotline\nbudget: {transfers: 3}")
    assert lint(with_budget, select=["JL302"], config_text="rules: {transfer-chain: {max_transfers: 1}}") == []
    tight = CHAIN.replace("start: call-hotline", "start: call-hotline\nbudget: {transfers: 1}")
    finding = only(lint(tight, select=["JL302"], config_text="rules: {JL302: {max_transfers: 5}}"), "JL302")
    assert "(limit 1)" in finding.message


def test_jl302_nothing_when_no_resolution_is_reachable(lint):
    text = CHAIN.replace("    outcome: resolved", "    outcome: unresolved")
    assert lint(text, select=["JL302"]) == []


def test_jl302_wrong_option_type_is_exit_2(tmp_path):
    result = cli_config_error(tmp_path, CHAIN, "rules:\n  JL302:\n    max_transfers: two\n")
    assert_exit_2(result, "3:20", "option 'max_transfers' of JL302 transfer-chain must be a whole number")


# -- JL303 context-loss --------------------------------------------------------------

DROP = """\
journey: fault
kind: support
start: call
states:
  call:
    actor: customer
    channel: phone
    next: identity
  identity:
    actor: agent
    asks: [identity]
    next: technician
  technician:
    actor: technicians
    timeout: 20m
    next:
      - {to: fixed, when: found}
      - {to: call, kind: drop, when: cut after 20 minutes}
  fixed:
    outcome: resolved
"""


def test_jl303_drop_back_to_start(lint):
    finding = only(lint(DROP, select=["JL303"]), "JL303")
    assert (finding.line, finding.column) == at(DROP, "{to: call, kind: drop")
    assert finding.location.state == "technician" and finding.location.transition == "call"
    assert finding.message == (
        "context loss: when the contact in 'technician' is cut off, nobody calls back and the customer goes "
        "back to the start 'call': they start again from the beginning and repeat what they already said")
    assert finding.path == ("call", "identity", "technician", "call")
    assert_witness_is_real(journey_of(DROP), finding.path)
    assert [(r.state, r.note) for r in finding.related] == [("call", "where the customer starts again")]
    assert finding.severity.label == "error"


def test_jl303_drop_to_a_state_that_leads_back(lint):
    text = DROP.replace("{to: call, kind: drop", "{to: identity, kind: drop")
    finding = only(lint(text, select=["JL303"]), "JL303")
    assert "goes to 'identity', from which 'technician' is reached again" in finding.message
    assert finding.path == ("call", "identity", "technician", "identity")


def test_jl303_drop_into_itself(lint):
    text = DROP.replace("{to: call, kind: drop", "{to: technician, kind: drop")
    assert "goes back into 'technician' itself" in only(lint(text, select=["JL303"]), "JL303").message


@pytest.mark.parametrize("change", [
    ("kind: drop,", "kind: drop, callback: true,"),      # the company calls back
    ("{to: call, kind: drop", "{to: fixed, kind: drop"),  # forward, not a restart
    ("kind: drop,", "kind: retry,", "    timeout: 20m\n", ""),  # not a drop
])
def test_jl303_not_a_restart(lint, change):
    text = DROP
    for old, new in zip(change[::2], change[1::2]):
        assert old in text
        text = text.replace(old, new)
    assert lint(text, select=["JL303"]) == []


def test_jl303_keeps_context_does_not_excuse_a_restart(lint):
    text = DROP.replace("kind: drop,", "kind: drop, keeps_context: true,")
    assert len(lint(text, select=["JL303"])) == 1


def test_jl303_second_start_and_unreachable_source(lint):
    # a drop to another start state is a restart even though that start does not lead back
    text = DROP.replace("start: call", "start: [call, web-form]").replace("{to: call, kind: drop", "{to: web-form, kind: drop")
    text += "  web-form:\n    actor: customer\n    channel: web\n    next: fixed\n"
    assert "back to the start 'web-form'" in only(lint(text, select=["JL303"]), "JL303").message
    # the same drop from a state nobody reaches is left to JL003
    text = DROP.replace("next: technician", "next: fixed") + "  other:\n    actor: agent\n    next:\n      - {to: call, kind: drop}\n"
    assert lint(text, select=["JL303"]) == []


# -- JL304 channel-switch ------------------------------------------------------------

SWITCH = """\
journey: dvd-fault
kind: support
start: report
states:
  report:
    actor: customer
    channel: web
    next: bot
  bot:
    actor: bot
    channel: chat
    next: write
  write:
    actor: customer
    channel: email
    next: reply
  reply:
    actor: agent
    channel: email
    next: think
  think:
    actor: customer
    next: call
  call:
    actor: customer
    channel: phone
    next: fixed
  fixed:
    outcome: resolved
"""


def test_jl304_two_changes(lint):
    finding = only(lint(SWITCH, select=["JL304"]), "JL304")
    assert finding.message == ("channel switch: 2 channel changes on the way to a resolution with the fewest "
                               "(limit 1): web -> email -> phone (changes at 'write', 'call')")
    assert (finding.line, finding.column) == (1, 1) and finding.whole_journey
    assert finding.path == ("report", "bot", "write", "reply", "think", "call", "fixed")
    assert_witness_is_real(journey_of(SWITCH), finding.path)
    assert [(r.state, r.note) for r in finding.related] == [
        ("write", "the customer switches to 'email'"), ("call", "the customer switches to 'phone'")]


def test_jl304_only_customer_states_with_a_channel_count(lint):
    # the bot's chat and the agent's e-mail reply are received, not used: web -> phone is one change
    text = SWITCH.replace("    actor: customer\n    channel: email\n", "    actor: customer\n")
    assert lint(text, select=["JL304"]) == []


def test_jl304_takes_the_way_with_the_fewest_changes(lint):
    text = SWITCH.replace("    next: bot\n", "    next: [bot, web-fix]\n") + (
        "  web-fix:\n    actor: customer\n    channel: web\n    next: fixed\n")
    assert lint(text, select=["JL304"]) == []


def test_jl304_option_and_budget(lint):
    assert lint(SWITCH, select=["JL304"], config_text="rules: {JL304: {max_switches: 2}}") == []
    relaxed = SWITCH.replace("start: report", "start: report\nbudget: {channel_switches: 2}")
    assert lint(relaxed, select=["JL304"], config_text="rules: {channel-switch: {max_switches: 0}}") == []
    strict = SWITCH.replace("start: report", "start: report\nbudget: {channel_switches: 0}")
    finding = only(lint(strict.replace("    channel: phone\n", "    channel: email\n"), select=["JL304"]), "JL304")
    assert finding.message.startswith("channel switch: 1 channel change on the way") and "(limit 0): web -> email" in finding.message


def test_jl304_wrong_option_type_is_exit_2(tmp_path):
    result = cli_config_error(tmp_path, SWITCH, "rules:\n  JL304: {max_switches: -1}\n")
    assert_exit_2(result, "2:25", "option 'max_switches' of JL304 channel-switch must be a whole number")


# -- JL305 closed-door ---------------------------------------------------------------

DOOR = """\
journey: card
kind: support
start: call
teams:
  closures: {contact: false}
states:
  call:
    actor: customer
    channel: phone
    next: menu
  menu:
    actor: bot
    next:
      - {to: closures-desk, when: blocked}
      - {to: hotline, when: other}
  hotline:
    actor: agent
    next:
      - {to: closures-desk, kind: transfer}
      - {to: done}
  closures-desk:
    actor: closures
    next: done
  done:
    outcome: resolved
"""


def test_jl305_bot_puts_the_customer_through_to_a_closed_team(lint):
    finding = only(lint(DOOR, select=["JL305"]), "JL305")
    assert (finding.line, finding.column) == at(DOOR, "{to: closures-desk, when")
    assert finding.location.state == "menu" and finding.location.transition == "closures-desk"
    assert finding.message == ("closed door: 'menu' sends the customer to 'closures-desk', handled by team "
                               "'closures', which takes no customer contact (contact: false)")
    assert finding.path == ("call", "menu", "closures-desk")
    assert_witness_is_real(journey_of(DOOR), finding.path)
    assert [(r.line, r.column, r.note) for r in finding.related] == [
        (*at(DOOR, "closures: {"), "team 'closures' declared contact: false")]


def test_jl305_staff_redirect_is_a_closed_door_a_transfer_is_not(lint):
    text = DOOR.replace("      - {to: closures-desk, when: blocked}\n", "").replace("kind: transfer", "kind: redirect")
    findings = lint(text, select=["JL305", "JL301"])
    assert sorted(f.code for f in findings) == ["JL301", "JL305"]
    assert "'hotline' redirects the customer to 'closures-desk'" in only(findings, "JL305").message
    # the transfer from the hotline alone (the menu no longer goes there) is internal routing
    text = DOOR.replace("      - {to: closures-desk, when: blocked}\n", "")
    assert lint(text, select=["JL305"]) == []


@pytest.mark.parametrize("teams", ["teams:\n  closures: {contact: true}\n", ""])
def test_jl305_open_teams(lint, teams):
    assert lint(DOOR.replace("teams:\n  closures: {contact: false}\n", teams), select=["JL305"]) == []


def test_jl305_from_a_customer_state_and_unreachable_sources(lint):
    text = DOOR.replace("    next: menu\n", "    next: [menu, closures-desk]\n")
    found = [f for f in lint(text, select=["JL305"])]
    assert [(f.location.state, f.location.transition) for f in found] == [
        ("call", "closures-desk"), ("menu", "closures-desk")]
    # a door nobody reaches is left to JL003
    text = DOOR.replace("      - {to: closures-desk, when: blocked}\n", "") + (
        "  orphan:\n    actor: customer\n    next: closures-desk\n")
    assert lint(text, select=["JL305"]) == []


@pytest.mark.parametrize("code, name", [("JL301", "forced-relay"), ("JL303", "context-loss"), ("JL305", "closed-door")])
def test_options_of_a_rule_without_options_are_a_configuration_error(tmp_path, code, name):
    (tmp_path / "journeylint.yaml").write_text(f"rules:\n  {code}: {{limit: 1}}\n")
    (tmp_path / "j.yaml").write_text(RELAY)
    result = run_cli("check", "j.yaml", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == (f"journeylint: error: journeylint.yaml:2:11: unknown option 'limit' "
                                     f"for {code} {name} (known: severity, enabled)")


# -- against the definitions, on small random journeys ---------------------------------

from itertools import product  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from conftest import session_for  # noqa: E402

ACTORS = (None, "customer", "customer", "bot", "system", "agent", "agent", "billing", "claims")
CHANNELS = (None, "web", "phone", "email")
KINDS = ("normal", "normal", "transfer", "redirect", "escalate", "retry", "drop")
NON_STAFF = (None, "customer", "bot", "system")


@st.composite
def routing_journeys(draw):
    """Up to seven states: (yaml text, starts, states), states[i] = (actor,
    channel, outcome, [(target, kind, callback)]); team billing takes no contact."""
    n = draw(st.integers(2, 7))
    starts = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
    states = []
    for i in range(n):
        actor = draw(st.sampled_from(ACTORS))
        channel = draw(st.sampled_from(CHANNELS))
        outcome = "resolved" if i == n - 1 or draw(st.integers(0, 5)) == 0 else None
        edges = [] if outcome else draw(st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(KINDS), st.booleans()), min_size=1, max_size=3))
        states.append((actor, channel, outcome, edges))
    lines = ["journey: random", "kind: support", f"start: [{', '.join(f's{i}' for i in starts)}]",
             "budget: {transfers: 0, channel_switches: 0}", "teams:", "  billing: {contact: false}", "states:"]
    for i, (actor, channel, outcome, edges) in enumerate(states):
        lines.append(f"  s{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        if channel:
            lines.append(f"    channel: {channel}")
        if outcome:
            lines.append(f"    outcome: {outcome}")
            continue
        if any(kind == "drop" for _, kind, _ in edges):
            lines.append("    timeout: 5m")
        lines.append("    next:")
        for target, kind, callback in edges:
            extra = ", callback: true" if kind == "drop" and callback else ""
            lines.append(f"      - {{to: s{target}, kind: {kind}{extra}}}")
    return "\n".join(lines) + "\n", starts, states


def is_staff(actor):
    return actor not in NON_STAFF


def walks_to_resolutions(starts, states):
    """Every simple path to a resolution, with every choice among parallel transitions:
    (states, kinds of the transitions taken)."""
    stack = [((s,),) for s in starts]
    while stack:
        (path,) = stack.pop()
        end = path[-1]
        if states[end][2] == "resolved":
            options = [[k for t, k, _ in states[a][3] if t == b] for a, b in zip(path, path[1:])]
            for kinds in product(*options):
                yield path, kinds
        for target in dict.fromkeys(t for t, _, _ in states[end][3]):
            if target not in path:
                stack.append((path + (target,),))


def handoffs(states, path, kinds):
    """rules.md, "Hand-offs on a path", read literally."""
    count, last, between = 0, None, []
    for i, state in enumerate(path):
        if i:
            between.append(kinds[i - 1])
        actor = states[state][0]
        if not is_staff(actor):
            continue
        if last is not None:
            handed = any(k in ("transfer", "redirect") for k in between)
            if not ("escalate" in between and not handed) and (handed or actor != last):
                count += 1
        last, between = actor, []
    return count


def fewest_handoffs_over_walks(starts, states):
    """The fewest hand-offs over every walk to a resolution (loops included, as
    the JL302 page reads "the path with the fewest hand-offs"), by relaxing
    (state, last staff actor, transfer or redirect since, escalate since) until
    nothing improves: the literal step rule of rules.md, applied walk by walk."""
    best = {}
    for s in starts:
        actor = states[s][0]
        best[(s, actor if is_staff(actor) else None, False, False)] = 0
    changed = True
    while changed:
        changed = False
        for (u, last, handed, escalated), cost in list(best.items()):
            for target, kind, _ in states[u][3]:
                h = handed or kind in ("transfer", "redirect")
                e = escalated or kind == "escalate"
                actor = states[target][0]
                if is_staff(actor):
                    add = 0 if last is None or (e and not h) else int(h or actor != last)
                    key = (target, actor, False, False)
                else:
                    add, key = 0, (target, last, h, e)
                if cost + add < best.get(key, float("inf")):
                    best[key] = cost + add
                    changed = True
    found = [c for (u, *_), c in best.items() if states[u][2] == "resolved"]
    return min(found) if found else None


def switches(states, path):
    """rules.md, "Channels the customer uses": customer states with a channel."""
    used = [states[s][1] for s in path if states[s][0] == "customer" and states[s][1]]
    return sum(a != b for a, b in zip(used, used[1:]))


def expected_routing(starts, states):
    n = len(states)
    succ = [{t for t, _, _ in s[3]} for s in states]

    def reach_from(i, through=lambda j: True):
        seen, todo = {i}, [i]
        while todo:
            u = todo.pop()
            if u != i and not through(u):
                continue
            for t in succ[u]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    reach = [reach_from(i) for i in range(n)]
    reachable = set().union(*(reach[s] for s in starts))
    out = []
    for i in sorted(reachable):
        actor = states[i][0]
        for target, kind, callback in states[i][3]:
            # JL301: the first staff states after the redirect, passing over non-staff ones
            if kind == "redirect" and is_staff(actor):
                if is_staff(states[target][0]):
                    met = {target}
                else:
                    met = {j for j in reach_from(target, lambda j: not is_staff(states[j][0])) if is_staff(states[j][0])}
                if any(states[j][0] != actor for j in met):
                    out.append(("JL301", f"s{i}", f"s{target}"))
            # JL303: back to a start, or to a state that leads back to the dropped one
            if kind == "drop" and not callback and (target in starts or i in reach[target]):
                out.append(("JL303", f"s{i}", f"s{target}"))
            # JL305: into the closed team, from a non-staff state or by a redirect
            if states[target][0] == "billing" and (not is_staff(actor) or kind == "redirect"):
                out.append(("JL305", f"s{i}", f"s{target}"))
    walks = list(walks_to_resolutions(starts, states))
    if walks:
        fewest = fewest_handoffs_over_walks(starts, states)
        assert fewest <= min(handoffs(states, p, k) for p, k in walks)
        if fewest:
            out.append(("JL302", fewest))
        fewest = min(switches(states, p) for p, _ in walks)
        if fewest:
            out.append(("JL304", fewest))
    return sorted(out, key=str)


@pytest.fixture(scope="module")
def routing_session(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("routing"), select=["JL3"])


@settings(max_examples=400, deadline=None)
@given(case=routing_journeys())
def test_jl301_to_jl305_match_their_definitions(routing_session, case):
    text, starts, states = case
    result = routing_session.engine.lint_source(text, "random.yaml")
    assert not [f for f in result.findings if f.code in ("JL000", "JL001", "JL002")], text
    journey = result.journeys[0]
    found = []
    for f in result.findings:
        if f.whole_journey:
            found.append((f.code, int(f.message.split(": ", 1)[1].split(" ", 1)[0])))
        else:
            found.append((f.code, f.location.state, f.location.transition))
        assert_witness_is_real(journey, f.path)
    assert sorted(found, key=str) == expected_routing(starts, states), text
    # the witness of a whole-journey finding has exactly the count it reports
    for f in result.findings:
        if f.code in ("JL302", "JL304"):
            index = {f"s{i}": i for i in range(len(states))}
            path = [index[s] for s in f.path]
            assert states[path[-1]][2] == "resolved"
            if f.code == "JL304":
                assert switches(states, path) == found[result.findings.index(f)][1]
            else:
                options = [[k for t, k, _ in states[a][3] if t == b] for a, b in zip(path, path[1:])]
                best = min(handoffs(states, path, kinds) for kinds in product(*options))
                assert best == found[result.findings.index(f)][1], text


@settings(max_examples=300, deadline=None)
@given(case=routing_journeys(), limit=st.integers(0, 3))
def test_exceeding_agrees_with_the_full_search(routing_session, case, limit):
    """JL302 and JL304 skip the labelled search when one shortest path stays
    within the limit: that must never change their answer."""
    from journeylint.analysis import Analysis

    text = case[0]
    journey = routing_session.engine.lint_source(text, "random.yaml").journeys[0]
    for measure in ("handoffs", "switches"):
        best = Analysis(journey).cheapest(measure)
        expected = best if best is not None and best.value > limit else None
        assert Analysis(journey).exceeding(measure, limit) == expected, (measure, limit, text)
