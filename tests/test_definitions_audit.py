"""An acceptance tester's audit: small adversarial journeys written from
``rules.md`` and ``journey-format.md`` alone, one or more per clause of each
definition (boundaries, several starts, states reached through cycles, the
state itself counting or not, escalations, actors, live channels, budgets,
kinds, unreachable states, whole-journey findings, duplicate ids, YAML 1.2).

Each test restricts the rule set with ``select`` where other rules would add
noise, and pins exact codes, states and lines.
"""
from __future__ import annotations

import json
import re
import textwrap
import time

import pytest

from conftest import run_cli


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def state_line(text: str, state: str) -> int:
    """Line of the key of ``state`` under ``states:`` (indented by two spaces)."""
    pattern = re.compile(rf"^  {re.escape(state)}:")
    for number, line in enumerate(dedent(text).splitlines(), start=1):
        if pattern.match(line):
            return number
    raise AssertionError(f"state {state!r} not in the journey")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """Line of the ``nth`` line holding ``needle``."""
    seen = 0
    for number, line in enumerate(dedent(text).splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in the journey")


def found(lint, text, *select, config=""):
    """(code, state, line) of every finding of the selected rules."""
    config_text = f"select: [{', '.join(select)}]\n" + dedent(config)
    return [(f.code, f.state, f.line) for f in lint(dedent(text), config_text=config_text)]


def findings(lint, text, *select, config=""):
    config_text = f"select: [{', '.join(select)}]\n" + dedent(config)
    return lint(dedent(text), config_text=config_text)


# =====================================================================================
# Shared definitions
# =====================================================================================

# -- Staff: not customer/system/bot; no actor is not staff; agent is a team -----------

def relay(source_actor: str, target_actor: str) -> str:
    source = f"    actor: {source_actor}\n" if source_actor else ""
    target = f"    actor: {target_actor}\n" if target_actor else ""
    return (
        "journey: relay\nkind: support\nstart: front\nstates:\n"
        "  front:\n" + source +
        "    next:\n      - {to: other, kind: redirect}\n"
        "  other:\n" + target +
        "    next: done\n"
        "  done:\n    outcome: resolved\n"
    )


@pytest.mark.parametrize("source, target, fires", [
    ("agent", "billing", True),        # agent is a team of its own
    ("billing", "agent", True),
    ("billing", "billing", False),     # same team: no relay
    ("agent", "agent", False),
    ("customer", "billing", False),    # the source is not staff
    ("system", "billing", False),
    ("bot", "billing", False),
    ("", "billing", False),            # a state without actor is not staff
    ("agent", "", False),              # nor is the target without actor (and nothing follows)
    ("agent", "bot", False),
])
def test_staff_is_any_actor_but_customer_system_bot(lint, source, target, fires):
    text = relay(source, target)
    expected = [("JL301", "front", line_of(text, "{to: other"))] if fires else []
    assert found(lint, text, "JL301") == expected


# -- Reachable includes the state itself ------------------------------------------------

def test_reachable_includes_the_state_itself_jl501(lint):
    text = """\
        journey: fb
        kind: complaint
        start: complain
        states:
          complain:
            type: feedback
            actor: complaints-team
            discloses: [answer]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL501") == []


def test_reachable_includes_the_state_itself_jl103(lint):
    text = """\
        journey: esc
        kind: complaint
        start: manager
        states:
          manager:
            type: escalation
            actor: manager
            adverse: true
            discloses: [reason]
            next: [done, refused]
          done:
            outcome: resolved
          refused:
            outcome: unresolved
    """
    assert found(lint, text, "JL103") == []


# -- Only JL003 reports unreachable states ----------------------------------------------

UNREACHABLE_MESS = """\
    journey: island
    kind: cancellation
    start: begin
    signup_channels: [web]
    channels:
      premium: {cost_per_minute: 2.0, response_time: 9h}
    teams:
      vault: {contact: false}
    states:
      begin:
        actor: customer
        channel: web
        next: done
      done:
        discloses: [confirmation]
        outcome: resolved
      orphan:
        actor: customer
        channel: premium
        wait: 2h
        scripted: true
        adverse: true
        type: feedback
        asks: [identity]
        restrictions: [fee]
        requires: [login]
        needs: [balance]
        next:
          - {to: orphan-loop, kind: drop}
          - {to: vault-desk}
      orphan-loop:
        type: retention
        actor: agent
        irreversible: true
        asks: [identity]
        next:
          - {to: orphan, kind: redirect}
          - {to: stuck}
      vault-desk:
        actor: vault
        next: [orphan-loop, stuck]
      stuck:
        actor: agent
"""


def test_unreachable_states_are_reported_by_jl003_only(lint):
    text = UNREACHABLE_MESS
    result = found(lint, text, "JL0", "JL1", "JL2", "JL3", "JL4", "JL5", "JL6")
    assert result == [
        ("JL003", state, state_line(text, state)) for state in ("orphan", "orphan-loop", "vault-desk", "stuck")
    ]


# -- Hand-offs on a path (JL302 reads them) ---------------------------------------------

def chain(*steps, budget: str = "") -> str:
    """A straight journey: steps are (actor, kind of the transition into the next)."""
    lines = ["journey: chain", "kind: support", "start: s0"]
    if budget:
        lines.append(f"budget: {budget}")
    lines.append("states:")
    for i, (actor, kind) in enumerate(steps):
        lines.append(f"  s{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        target = f"s{i + 1}" if i + 1 < len(steps) else "done"
        lines.append(f"    next:\n      - {{to: {target}, kind: {kind}}}")
    lines.append("  done:\n    outcome: resolved")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("steps, handoffs", [
    # three different teams in a row, customer steps between them passed over
    ([("a", "normal"), ("customer", "normal"), ("b", "normal"), ("system", "normal"), ("c", "normal")], 2),
    ([("a", "normal"), ("b", "normal"), ("c", "normal"), ("d", "normal")], 3),
    # a transfer to the same team still counts
    ([("agent", "transfer"), ("agent", "transfer"), ("agent", "transfer"), ("agent", "normal")], 3),
    # a redirect taken through a customer step to the same team counts
    ([("agent", "redirect"), ("customer", "normal"), ("agent", "redirect"), ("bot", "normal"),
      ("agent", "redirect"), ("agent", "normal")], 3),
    # escalations never count, even to another actor
    ([("agent", "escalate"), ("supervisor", "escalate"), ("manager", "escalate"), ("director", "normal")], 0),
    # an escalate and a transfer in one step: the transfer counts
    ([("agent", "escalate"), ("customer", "transfer"), ("supervisor", "escalate"), ("bot", "transfer"),
      ("manager", "escalate"), ("system", "transfer"), ("director", "normal")], 3),
    # an escalate and a plain normal between different actors: never counts
    ([("agent", "escalate"), ("customer", "normal"), ("supervisor", "escalate"), ("customer", "normal"),
      ("manager", "escalate"), ("customer", "normal"), ("director", "normal")], 0),
    # states without actor are passed over, they are not staff
    ([("a", "normal"), ("", "normal"), ("a", "normal"), ("", "normal"), ("b", "normal"), ("c", "normal"),
      ("d", "normal")], 3),
    # a transfer into a customer step and back to the same person counts once per step
    ([("agent", "transfer"), ("customer", "normal"), ("agent", "normal"), ("agent", "normal")], 1),
])
def test_handoffs_on_a_path(lint, steps, handoffs):
    text = chain(*steps)
    for limit in range(0, 5):
        result = found(lint, text, "JL302", config=f"rules: {{JL302: {{max_transfers: {limit}}}}}\n")
        expected = [("JL302", None, 1)] if handoffs > limit else []
        assert result == expected, (limit, handoffs)


def test_jl302_default_threshold_is_two_exactly_two_is_fine(lint):
    two = chain(("a", "normal"), ("b", "normal"), ("c", "normal"))
    three = chain(("a", "normal"), ("b", "normal"), ("c", "normal"), ("d", "normal"))
    assert found(lint, two, "JL302") == []
    assert found(lint, three, "JL302") == [("JL302", None, 1)]


def test_jl302_budget_overrides_default_and_configured_option(lint):
    three = [("a", "normal"), ("b", "normal"), ("c", "normal"), ("d", "normal")]
    assert found(lint, chain(*three, budget="{transfers: 3}"), "JL302") == []
    assert found(lint, chain(*three, budget="{transfers: 3}"), "JL302",
                 config="rules: {JL302: {max_transfers: 0}}\n") == []
    assert found(lint, chain(*three[:2], budget="{transfers: 0}"), "JL302",
                 config="rules: {JL302: {max_transfers: 5}}\n") == [("JL302", None, 1)]


def test_jl302_takes_the_path_with_fewest_handoffs_from_any_start(lint):
    text = """\
        journey: two-doors
        kind: support
        start: [long-way, short-way]
        states:
          long-way:
            actor: a
            next: b
          b:
            actor: b
            next: c
          c:
            actor: c
            next: d
          d:
            actor: d
            next: done
          short-way:
            actor: customer
            next: e
          e:
            actor: e
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL302") == []


def test_jl302_the_fewest_handoffs_may_go_round_a_cycle_only_once(lint):
    # the only way to the resolution passes the loop; loops never lower the count
    text = """\
        journey: loop
        kind: support
        start: a
        states:
          a:
            actor: a
            next: b
          b:
            actor: b
            next: [a, c]
          c:
            actor: c
            next: d
          d:
            actor: d
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL302") == [("JL302", None, 1)]


# -- Channels the customer uses (JL304, JL404) ------------------------------------------

def channels_journey(*steps, kind="support", extra="") -> str:
    """steps: (actor, channel) in a straight line."""
    lines = ["journey: ch", f"kind: {kind}", "start: s0"]
    if extra:
        lines.append(extra)
    lines.append("states:")
    for i, (actor, channel) in enumerate(steps):
        lines.append(f"  s{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        if channel:
            lines.append(f"    channel: {channel}")
        lines.append(f"    next: {'s' + str(i + 1) if i + 1 < len(steps) else 'done'}")
    lines.append("  done:\n    outcome: resolved")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("steps, switches", [
    # replies on other channels are received, not used
    ([("customer", "web"), ("agent", "phone"), ("system", "email"), ("bot", "chat"), ("customer", "web")], 0),
    ([("customer", "web"), ("customer", "email"), ("customer", "phone")], 2),
    # a customer state without channel is passed over
    ([("customer", "web"), ("customer", ""), ("customer", "email")], 1),
    ([("customer", "web"), ("customer", "email"), ("customer", "web")], 2),
    # a state without actor is not the customer's
    ([("customer", "web"), ("", "phone"), ("customer", "web")], 0),
    ([("customer", "web"), ("agent", "web"), ("customer", "phone"), ("agent", "email"), ("customer", "mail")], 2),
])
def test_channels_the_customer_uses(lint, steps, switches):
    text = channels_journey(*steps)
    for limit in range(0, 4):
        result = found(lint, text, "JL304", config=f"rules: {{JL304: {{max_switches: {limit}}}}}\n")
        assert result == ([("JL304", None, 1)] if switches > limit else []), (limit, switches)


def test_jl304_default_is_one_and_budget_overrides(lint):
    one = channels_journey(("customer", "web"), ("customer", "email"))
    two = channels_journey(("customer", "web"), ("customer", "email"), ("customer", "phone"))
    assert found(lint, one, "JL304") == []
    assert found(lint, two, "JL304") == [("JL304", None, 1)]
    two_budget = channels_journey(("customer", "web"), ("customer", "email"), ("customer", "phone"),
                                  extra="budget: {channel_switches: 2}")
    assert found(lint, two_budget, "JL304", config="rules: {JL304: {max_switches: 0}}\n") == []
    one_budget = channels_journey(("customer", "web"), ("customer", "email"), extra="budget: {channel_switches: 0}")
    assert found(lint, one_budget, "JL304", config="rules: {JL304: {max_switches: 3}}\n") == [("JL304", None, 1)]


@pytest.mark.parametrize("steps, fires", [
    ([("customer", "web"), ("agent", "phone"), ("system", "email")], False),
    ([("customer", "web"), ("customer", "phone")], True),
    ([("customer", "web"), ("customer", "")], False),
    ([("", "phone"), ("customer", "web")], False),
    ([("customer", "app")], True),
])
def test_jl404_reads_the_channels_the_customer_uses(lint, steps, fires):
    text = channels_journey(*steps, kind="cancellation", extra="signup_channels: [web]")
    assert found(lint, text, "JL404") == ([("JL404", None, 1)] if fires else [])


def test_jl404_one_path_within_the_signup_channels_is_enough(lint):
    text = """\
        journey: parity
        kind: cancellation
        signup_channels: [web, app]
        start: [phone-in, app-in]
        states:
          phone-in:
            actor: customer
            channel: phone
            next: done
          app-in:
            actor: customer
            channel: app
            next: web-confirm
          web-confirm:
            actor: customer
            channel: web
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL404") == []


def test_jl404_only_cancellation_with_signup_channels_and_a_reachable_resolution(lint):
    phone = [("customer", "phone")]
    assert found(lint, channels_journey(*phone, kind="support", extra="signup_channels: [web]"), "JL404") == []
    assert found(lint, channels_journey(*phone, kind="cancellation"), "JL404") == []
    no_resolution = """\
        journey: parity
        kind: cancellation
        signup_channels: [web]
        start: s
        states:
          s:
            actor: customer
            channel: phone
            next: gone
          gone:
            outcome: abandoned
    """
    assert found(lint, no_resolution, "JL404") == []


# -- Live channels (JL405) ---------------------------------------------------------------

@pytest.mark.parametrize("channel, declared, wait, fires", [
    ("phone", "", "10m", False),              # exactly at max_hold
    ("phone", "", "10m1s", True),
    ("phone", "", "601s", True),
    ("chat", "", "11m", True),
    ("in-person", "", "1h", True),
    ("phone", "phone: {live: false}", "1h", False),
    ("callbacks", "callbacks: {live: true}", "11m", True),
    ("email", "", "3d", False),
    ("social", "", "9h", False),
    ("email", "email: {live: true}", "11m", True),
])
def test_jl405_live_channels_and_the_threshold(lint, channel, declared, wait, fires):
    channels = f"channels:\n  {declared}\n" if declared else ""
    text = (
        f"journey: hold\nkind: support\nstart: s\n{channels}states:\n"
        f"  s:\n    actor: customer\n    channel: {channel}\n    wait: {wait}\n    next: done\n"
        "  done:\n    outcome: resolved\n"
    )
    assert found(lint, text, "JL405") == ([("JL405", "s", state_line(text, "s"))] if fires else [])


def test_jl405_max_hold_option_boundary_and_no_channel(lint):
    text = """\
        journey: hold
        kind: support
        start: s
        states:
          s:
            actor: customer
            channel: phone
            wait: 3m
            next: t
          t:
            actor: agent
            wait: 2h
            next: done
          done:
            channel: chat
            wait: 4m
            outcome: resolved
    """
    assert found(lint, text, "JL405", config="rules: {JL405: {max_hold: 3m}}\n") == [
        ("JL405", "done", state_line(text, "done"))]
    assert found(lint, text, "JL405") == []


# -- Whole-journey findings: at the journey key, suppressible only at journey level ------

WHOLE = """\
    # a comment first, so the journey key is not on line 1
    journey: whole
    kind: cancellation
    signup_channels: [web]
    signup_steps: 1
    budget: {steps: 1, transfers: 0, channel_switches: 0}
    start: s
    states:
      s:
        actor: customer
        channel: web
        asks: [password, survey]
        next: offer-1
      offer-1:
        type: retention
        actor: a
        next: offer-2
      offer-2:
        type: retention
        actor: b
        next: phone
      phone:
        actor: customer
        channel: phone
        next: done
      done:
        outcome: resolved
"""

WHOLE_CODES = ("JL104", "JL302", "JL304", "JL402", "JL404", "JL601", "JL602", "JL603")


def test_whole_journey_findings_are_at_the_journey_key(lint):
    result = findings(lint, WHOLE, *WHOLE_CODES)
    assert sorted(f.code for f in result) == sorted(WHOLE_CODES)
    for finding in result:
        assert (finding.state, finding.line, finding.column) == (None, 2, 1), finding
        assert finding.whole_journey


def test_no_resolution_is_a_whole_journey_finding(lint):
    text = """\
        # leading comment
        journey: nowhere
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: gone
          gone:
            outcome: abandoned
    """
    assert found(lint, text, "JL004") == [("JL004", None, 2)]


@pytest.mark.parametrize("code", WHOLE_CODES)
def test_whole_journey_findings_ignore_a_state_level_suppression(lint, code):
    text = dedent(WHOLE).replace(
        "  offer-1:\n",
        f"  offer-1:\n    lint: {{ignore: [{code}], reason: audit}}\n")
    result = found(lint, text, code, "JL005")
    assert result == [(code, None, 2), ("JL005", "offer-1", line_of(text, "lint: {ignore"))]


@pytest.mark.parametrize("code", WHOLE_CODES)
def test_whole_journey_findings_yield_to_a_journey_level_suppression(lint, code):
    text = dedent(WHOLE).replace("kind: cancellation\n", f"kind: cancellation\nlint: {{ignore: [{code}], reason: audit}}\n")
    assert "lint: {ignore" in text
    assert found(lint, text, code, "JL005") == []


def test_jl004_ignores_a_state_level_suppression(lint):
    text = """\
        journey: nowhere
        kind: support
        start: s
        states:
          s:
            actor: customer
            lint: {ignore: [no-resolution], reason: audit}
            next: gone
          gone:
            outcome: abandoned
    """
    assert found(lint, text, "JL004", "JL005") == [("JL004", None, 1), ("JL005", "s", 7)]


def test_state_findings_yield_to_state_and_journey_level_suppressions(lint):
    text = """\
        journey: hold
        kind: support
        start: s
        states:
          s:
            actor: customer
            channel: phone
            wait: 1h
            lint: {ignore: [long-hold], reason: audit}
            next: t
          t:
            actor: customer
            channel: phone
            wait: 1h
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL405", "JL005") == [("JL405", "t", state_line(text, "t"))]
    journey_level = dedent(text).replace("kind: support\n", "kind: support\nlint: {ignore: [JL405], reason: audit}\n")
    assert found(lint, journey_level, "JL405", "JL005") == []


# -- Unused suppressions (JL005) ----------------------------------------------------------

CLEAN = """\
    journey: clean
    kind: support
    start: s
    {journey_lint}
    states:
      s:
        actor: customer
        channel: web
        {state_lint}
        next: done
      done:
        outcome: resolved
"""


def clean(journey_lint="", state_lint=""):
    return dedent(CLEAN).replace("{journey_lint}", journey_lint).replace("{state_lint}", state_lint)


def test_jl005_reports_unused_entries_at_both_levels(lint):
    text = clean("lint: {ignore: [JL101], reason: x}", "lint: {ignore: [dead-end, JL405], reason: x}")
    result = findings(lint, text, "JL101", "JL405", "JL005")
    assert [(f.code, f.state, f.line) for f in result] == [
        ("JL005", None, 4), ("JL005", "s", 9), ("JL005", "s", 9)]
    assert result[0].whole_journey and not result[1].whole_journey


def test_jl005_exempts_itself_and_rules_switched_off(lint):
    text = clean("lint: {ignore: [JL005, long-hold], reason: x}", "lint: {ignore: [unused-suppression, JL101], reason: x}")
    assert found(lint, text, "JL101", "JL405", "JL005",
                 config="rules: {JL405: off, dead-end: {enabled: false}}\n") == []


def test_jl005_can_itself_be_suppressed_at_journey_level(lint):
    text = clean("lint: {ignore: [JL005], reason: x}", "lint: {ignore: [JL101], reason: x}")
    assert found(lint, text, "JL101", "JL005") == []


# -- Which journeys the rules see: JL001/JL002 every state, the others what is usable ----

def test_jl001_and_jl002_check_unreachable_states_too(lint):
    text = """\
        journey: broken
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: done
          done:
            outcome: resolved
          orphan:
            actor: customer
            wait: soon
            colour: red
            next: nowhere
    """
    result = found(lint, text, "JL001", "JL002", "JL003")
    codes = sorted(code for code, _, _ in result)
    assert codes == ["JL001", "JL001", "JL002", "JL003"], result
    lines = {code: line for code, _, line in result if code == "JL002"}
    assert lines["JL002"] == line_of(text, "next: nowhere")


def test_rules_still_run_when_one_state_is_broken(lint):
    text = """\
        journey: partly-broken
        kind: support
        start: s
        states:
          s:
            actor: customer
            channel: phone
            wait: 1h
            next: [done, ghost]
          odd:
            actor: customer
            wait: 5 minutes
            next: done
          done:
            outcome: resolved
    """
    result = found(lint, text, "JL001", "JL002", "JL405")
    assert ("JL405", "s", state_line(text, "s")) in result
    assert ("JL002", "s", line_of(text, "next: [done, ghost]")) in result
    assert any(code == "JL001" for code, _, _ in result)


# -- Duplicate journey ids across files, and several journeys in one file ----------------

def small(journey_id: str) -> str:
    return dedent(f"""\
        journey: {journey_id}
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: done
          done:
            outcome: resolved
    """)


def test_duplicate_ids_are_reported_at_each_later_occurrence_naming_the_first_file(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (tmp_path / name).write_text(small("same"))
    result = run_cli("check", "--format", "json", "-j", "1", "c.yaml", "a.yaml", "b.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    listed = data["findings"] if isinstance(data, dict) else data
    dups = [(f["file"], f["line"], f["code"], f["journey"]) for f in listed]
    assert sorted(dups) == [("a.yaml", 1, "JL001", "same"), ("b.yaml", 1, "JL001", "same")]
    for f in listed:
        assert "c.yaml" in f["message"] and f["state"] is None


def test_duplicate_ids_within_one_file_and_every_finding_carries_its_journey(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("select: [JL001, JL101]\n")
    text = small("first") + "---\n" + small("second").replace("next: done", "next: []").replace(
        "  done:\n    outcome: resolved\n", "  done:\n    outcome: resolved\n  stop:\n    actor: agent\n") + "---\n" + small("first")
    (tmp_path / "multi.yaml").write_text(text)
    result = run_cli("check", "--format", "json", "multi.yaml", cwd=tmp_path)
    data = json.loads(result.stdout)
    listed = data["findings"] if isinstance(data, dict) else data
    got = sorted((f["code"], f["journey"], f["line"]) for f in listed)
    third_start = text.count("\n", 0, text.rindex("journey: first")) + 1
    assert ("JL001", "first", third_start) in got
    assert all(f["journey"] in ("first", "second") for f in listed)
    assert any(f["journey"] == "second" for f in listed), got


# -- Numbers as state ids, YAML 1.2 booleans ---------------------------------------------

def test_numbers_are_state_ids_and_yes_no_are_strings(lint):
    text = """\
        journey: menu
        kind: support
        start: 0
        states:
          0:
            actor: bot
            channel: phone
            next: [1, 2, no]
          1:
            actor: agent
            channel: phone
            next: yes
          2:
            actor: customer
            channel: phone
            wait: 11m
            next: 0
          no:
            outcome: abandoned
          yes:
            outcome: resolved
    """
    result = found(lint, text, "JL0", "JL101", "JL102", "JL4")
    assert result == [("JL405", "2", state_line(text, "2"))]


@pytest.mark.parametrize("value, ok", [("true", True), ("True", True), ("TRUE", True), ("yes", False),
                                       ("on", False), ("y", False)])
def test_yaml_1_2_booleans(lint, value, ok):
    text = f"""\
        journey: bools
        kind: support
        start: s
        states:
          s:
            actor: agent
            adverse: {value}
            next: done
          done:
            outcome: resolved
    """
    result = found(lint, text, "JL001", "JL203")
    if ok:
        assert result == [("JL203", "s", state_line(text, "s"))]
    else:
        assert [code for code, _, _ in result] == ["JL001"]
        assert result[0][2] == line_of(text, "adverse:")


# =====================================================================================
# JL0xx structure
# =====================================================================================

def test_jl003_several_starts_and_states_reached_only_through_cycles(lint):
    text = """\
        journey: doors
        kind: support
        start: [a, b]
        states:
          a:
            actor: customer
            next: done
          b:
            actor: customer
            next: loop-1
          loop-1:
            actor: agent
            next: loop-2
          loop-2:
            actor: agent
            next: [loop-1, done]
          island-1:
            actor: agent
            next: island-2
          island-2:
            actor: agent
            next: [island-1, done]
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL003") == [
        ("JL003", "island-1", state_line(text, "island-1")), ("JL003", "island-2", state_line(text, "island-2"))]


def test_jl004_resolution_only_from_the_second_start_or_only_unreachable(lint):
    second = """\
        journey: doors
        kind: support
        start: [a, b]
        states:
          a:
            actor: customer
            next: gone
          b:
            actor: customer
            next: done
          gone:
            outcome: abandoned
          done:
            outcome: resolved
    """
    assert found(lint, second, "JL004") == []
    unreachable = """\
        journey: doors
        kind: support
        start: a
        states:
          a:
            actor: customer
            next: gone
          gone:
            outcome: unresolved
          done:
            outcome: resolved
    """
    assert found(lint, unreachable, "JL003", "JL004") == [("JL004", None, 1), ("JL003", "done", 10)]
    retained_only = unreachable.replace("outcome: unresolved", "outcome: retained")
    assert found(lint, retained_only, "JL004") == [("JL004", None, 1)]


# =====================================================================================
# JL1xx ways out
# =====================================================================================

def test_jl101_dead_end_only_non_terminal_reachable_states(lint):
    text = """\
        journey: ends
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: [letter, done, gone]
          letter:
            actor: bank
            wait: 6w
          done:
            outcome: resolved
          gone:
            outcome: abandoned
          orphan:
            actor: bank
    """
    assert found(lint, text, "JL101") == [("JL101", "letter", state_line(text, "letter"))]


def test_jl102_trap_loops_once_per_loop_at_first_state_in_file_order(lint):
    text = """\
        journey: traps
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: [c, self, done, exits]
          b:
            actor: agent
            next: [c, a]
          c:
            actor: agent
            next: b
          a:
            actor: agent
            next: b
          self:
            actor: bot
            next: self
          exits:
            actor: bot
            next: [exits, done]
          done:
            outcome: resolved
          orphan:
            actor: bot
            next: orphan
    """
    result = findings(lint, text, "JL102")
    assert [(f.code, f.state, f.line) for f in result] == [
        ("JL102", "b", state_line(text, "b")), ("JL102", "self", state_line(text, "self"))]
    for name in ("a", "b", "c"):
        assert f"'{name}'" in result[0].message or f'"{name}"' in result[0].message, result[0].message


def test_jl102_a_loop_whose_exit_is_a_dead_end_is_not_a_trap(lint):
    text = """\
        journey: traps
        kind: support
        start: a
        states:
          a:
            actor: agent
            next: [b, stuck]
          b:
            actor: agent
            next: a
          stuck:
            actor: agent
    """
    assert found(lint, text, "JL101", "JL102") == [("JL101", "stuck", state_line(text, "stuck"))]


def test_jl103_failing_states_and_what_covers_them(lint):
    text = """\
        journey: fail
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: [loop-b, refuse, give-up, fine, closes, loop-2]
          loop-b:
            actor: agent
            next: loop-a
          loop-a:
            actor: agent
            next: [loop-b, loop-c, done]
          loop-c:
            actor: agent
            next: loop-a
          refuse:
            actor: agent
            adverse: true
            next: done
          give-up:
            actor: customer
            next: [gone, done]
          fine:
            actor: agent
            next: [done, kept]
          closes:
            actor: agent
            next: [nope, done]
          loop-2:
            actor: agent
            next: [loop-2, manager]
          manager:
            type: escalation
            actor: manager
            adverse: true
            next: [nope, done]
          done:
            outcome: resolved
          kept:
            outcome: retained
          gone:
            outcome: abandoned
          nope:
            outcome: unresolved
    """
    assert found(lint, text, "JL103") == [
        ("JL103", "loop-b", state_line(text, "loop-b")),
        ("JL103", "refuse", state_line(text, "refuse")),
        ("JL103", "give-up", state_line(text, "give-up")),
        ("JL103", "closes", state_line(text, "closes")),
    ]


def test_jl103_a_cycle_that_can_reach_an_escalation_from_any_of_its_states(lint):
    text = """\
        journey: fail
        kind: support
        start: a
        states:
          a:
            actor: agent
            next: b
          b:
            actor: agent
            next: [a, c]
          c:
            actor: agent
            next: [b, up]
          up:
            type: escalation
            actor: supervisor
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL103") == []


def cancellation(states: str, kind: str = "cancellation", start: str = "s") -> str:
    return f"journey: cancel\nkind: {kind}\nstart: {start}\nstates:\n" + textwrap.indent(dedent(states), "  ")


def test_jl104_offers_threshold_and_fewest_offers(lint):
    one = cancellation("""\
      s:
        type: retention
        actor: agent
        next: [done, kept]
      done:
        outcome: resolved
      kept:
        outcome: retained
    """)
    assert found(lint, one, "JL104") == []
    two = cancellation("""\
      s:
        type: retention
        actor: agent
        next: [second, kept]
      second:
        type: retention
        actor: manager
        next: [done, kept]
      done:
        outcome: resolved
      kept:
        outcome: retained
    """)
    assert found(lint, two, "JL104") == [("JL104", None, 1)]
    assert found(lint, two, "JL104", config="rules: {JL104: {max_offers: 2}}\n") == []
    side_door = two.replace("next: [second, kept]", "next: [second, kept, done]")
    assert found(lint, side_door, "JL104") == []
    for other in ("support", "complaint", "billing"):
        assert found(lint, two.replace("kind: cancellation", f"kind: {other}"), "JL104") == []


def test_jl104_witness_is_the_path_with_fewest_offers_from_any_start(lint):
    text = """\
        journey: cancel
        kind: cancellation
        start: [web, phone]
        states:
          web:
            type: retention
            actor: bot
            next: o2
          o2:
            type: retention
            actor: bot
            next: o3
          o3:
            type: retention
            actor: bot
            next: done
          phone:
            actor: customer
            next: p1
          p1:
            type: retention
            actor: agent
            next: p2
          p2:
            type: retention
            actor: agent
            next: done
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL104")
    assert [(f.code, f.state, f.line) for f in result] == [("JL104", None, 1)]
    assert result[0].path == ("phone", "p1", "p2", "done")


def test_jl104_retention_on_a_cycle_is_located_at_that_state(lint):
    text = cancellation("""\
      s:
        actor: customer
        next: offer
      offer:
        type: retention
        actor: agent
        next: [insist, kept]
      insist:
        actor: customer
        next: [offer, done]
      done:
        outcome: resolved
      kept:
        outcome: retained
    """)
    assert found(lint, text, "JL104") == [("JL104", "offer", state_line(text, "offer"))]
    assert found(lint, text.replace("kind: cancellation", "kind: support"), "JL104") == []
    # the second half needs no reachable resolution
    no_resolution = text.replace("outcome: resolved", "outcome: abandoned")
    assert found(lint, no_resolution, "JL104") == [("JL104", "offer", state_line(text, "offer"))]
    self_loop = cancellation("""\
      s:
        type: retention
        actor: agent
        next: [s, done]
      done:
        outcome: resolved
    """)
    assert found(lint, self_loop, "JL104") == [("JL104", "s", state_line(self_loop, "s"))]


def test_jl105_prerequisites(lint):
    text = """\
        journey: prereq
        kind: password-reset
        start: s
        states:
          s:
            actor: customer
            next: [login, portal]
          login:
            actor: customer
            grants: [account_access]
            next: portal
          portal:
            actor: customer
            requires: [account_access]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL105") == [("JL105", "portal", state_line(text, "portal"))]
    assert found(lint, text.replace("next: [login, portal]", "next: [login]"), "JL105") == []


def test_jl105_own_grants_do_not_count(lint):
    text = """\
        journey: prereq
        kind: password-reset
        start: s
        states:
          s:
            actor: customer
            next: portal
          portal:
            actor: customer
            requires: [account_access]
            grants: [account_access]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL105") == [("JL105", "portal", state_line(text, "portal"))]


def test_jl105_start_state_requiring_and_another_start(lint):
    text = """\
        journey: prereq
        kind: support
        start: [with-login, portal]
        states:
          with-login:
            actor: customer
            grants: [receipt]
            next: portal
          portal:
            actor: customer
            requires: [receipt]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL105") == [("JL105", "portal", state_line(text, "portal"))]


def test_jl105_circular_when_every_grant_lies_behind_the_requirement(lint):
    text = """\
        journey: prereq
        kind: password-reset
        start: s
        states:
          s:
            actor: customer
            next: portal
          portal:
            actor: customer
            requires: [account_access]
            next: [reset, done]
          reset:
            actor: system
            channel: email
            grants: [account_access]
            next: portal
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL105")
    assert [(f.code, f.state, f.line) for f in result] == [("JL105", "portal", state_line(text, "portal"))]
    assert "circular" in result[0].message
    # a grant on a way that does not pass the requirement is not circular
    other = dedent(text).replace("next: portal\n  portal:", "next: [portal, reset]\n  portal:")
    result = findings(lint, other, "JL105")
    assert [(f.code, f.state) for f in result] == [("JL105", "portal")]
    assert "circular" not in result[0].message
    # a grant only at an unreachable state: not circular either, simply missing
    nowhere = dedent(text).replace("next: portal\n  done:", "next: done\n  done:").replace(
        "next: [reset, done]", "next: [done]")
    result = findings(lint, nowhere, "JL105")
    assert [(f.code, f.state) for f in result] == [("JL105", "portal")]


# =====================================================================================
# JL2xx information
# =====================================================================================

def test_jl201_the_state_itself_counts(lint):
    text = """\
        journey: info
        kind: cancellation
        start: decide
        states:
          decide:
            actor: customer
            needs: [remaining_balance]
            discloses: [remaining_balance]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL201") == []


def test_jl201_some_path_from_some_start_without_disclosure(lint):
    text = """\
        journey: info
        kind: cancellation
        start: [told, untold]
        states:
          told:
            actor: agent
            discloses: [remaining_balance]
            next: decide
          untold:
            actor: customer
            next: decide
          decide:
            actor: customer
            needs: [remaining_balance]
            next: done
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL201")
    assert [(f.code, f.state, f.line) for f in result] == [("JL201", "decide", state_line(text, "decide"))]
    assert result[0].path == ("untold", "decide")
    assert found(lint, text.replace("start: [told, untold]", "start: told"), "JL201") == []


def test_jl201_disclosure_only_later_round_a_cycle_does_not_count(lint):
    text = """\
        journey: info
        kind: support
        start: decide
        states:
          decide:
            actor: customer
            needs: [price]
            next: [ask, done]
          ask:
            actor: agent
            discloses: [price]
            next: decide
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL201")
    assert [(f.code, f.state) for f in result] == [("JL201", "decide")]
    assert "irreversible" not in result[0].message


def test_jl201_says_only_after_the_irreversible_step(lint):
    text = """\
        journey: info
        kind: cancellation
        start: s
        states:
          s:
            actor: customer
            next: decide
          decide:
            actor: customer
            needs: [remaining_balance]
            next: [cancelled, kept]
          cancelled:
            actor: agent
            irreversible: true
            next: letter
          letter:
            actor: billing
            channel: mail
            discloses: [remaining_balance]
            next: done
          kept:
            discloses: [remaining_balance]
            outcome: retained
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL201")
    assert [(f.code, f.state, f.line) for f in result] == [("JL201", "decide", state_line(text, "decide"))]
    # 'kept' discloses it too and is reachable without an irreversible step
    assert "irreversible" not in result[0].message
    only_after = dedent(text).replace("    discloses: [remaining_balance]\n    outcome: retained", "    outcome: retained")
    assert only_after != dedent(text)
    result = findings(lint, only_after, "JL201")
    assert [(f.code, f.state) for f in result] == [("JL201", "decide")]
    assert "only" in result[0].message and "after the irreversible step" in result[0].message
    assert "cancelled" in result[0].message


def test_jl201_no_discloser_at_all_is_not_only_after_an_irreversible_step(lint):
    text = """\
        journey: info
        kind: cancellation
        start: decide
        states:
          decide:
            actor: customer
            needs: [remaining_balance]
            next: cancelled
          cancelled:
            irreversible: true
            actor: agent
            outcome: resolved
    """
    result = findings(lint, text, "JL201")
    assert [(f.code, f.state) for f in result] == [("JL201", "decide")]
    assert "irreversible" not in result[0].message


def test_jl202_disclosure_at_the_irreversible_state_is_in_time(lint):
    text = """\
        journey: restr
        kind: refund
        start: s
        states:
          s:
            actor: customer
            next: pay
          pay:
            actor: customer
            channel: web
            irreversible: true
            discloses: [download_limit]
            next: download
          download:
            actor: customer
            restrictions: [download_limit]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL202") == []


@pytest.mark.parametrize("where, fires", [
    ("s", False),         # before the irreversible step
    ("download", True),   # at the restricted state, after paying
    ("after", True),      # later still
    ("", True),           # never
])
def test_jl202_disclosure_before_or_after_the_commitment(lint, where, fires):
    states = {"s": "", "pay": "", "download": "", "after": ""}
    if where:
        states[where] = "    discloses: [download_limit]\n"
    text = (
        "journey: restr\nkind: refund\nstart: s\nstates:\n"
        "  s:\n    actor: customer\n" + states["s"] + "    next: pay\n"
        "  pay:\n    actor: customer\n    irreversible: true\n" + states["pay"] + "    next: download\n"
        "  download:\n    actor: customer\n    restrictions: [download_limit]\n" + states["download"] + "    next: after\n"
        "  after:\n    actor: agent\n" + states["after"] + "    next: done\n"
        "  done:\n    outcome: resolved\n"
    )
    assert found(lint, text, "JL202") == ([("JL202", "download", state_line(text, "download"))] if fires else [])


def test_jl202_needs_an_irreversible_state_on_some_path(lint):
    text = """\
        journey: restr
        kind: refund
        start: [paid, browsing]
        states:
          browsing:
            actor: customer
            next: download
          paid:
            actor: customer
            irreversible: true
            next: download
          download:
            actor: customer
            restrictions: [download_limit]
            next: done
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL202")
    assert [(f.code, f.state, f.line) for f in result] == [("JL202", "download", state_line(text, "download"))]
    assert result[0].path == ("paid", "download")
    assert found(lint, dedent(text).replace("    irreversible: true\n", ""), "JL202") == []


def test_jl202_disclosure_on_another_branch_does_not_count(lint):
    text = """\
        journey: restr
        kind: refund
        start: s
        states:
          s:
            actor: customer
            next: [read-terms, pay]
          read-terms:
            actor: customer
            channel: web
            discloses: [fee]
            next: pay
          pay:
            actor: customer
            irreversible: true
            next: service
          service:
            actor: agent
            restrictions: [fee]
            next: done
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL202")
    assert [(f.code, f.state) for f in result] == [("JL202", "service")]
    assert result[0].path == ("s", "pay", "service")


def test_jl202_restricted_state_that_is_itself_the_commitment(lint):
    # committing here while the condition that applies from here on is told nowhere before
    text = """\
        journey: restr
        kind: refund
        start: s
        states:
          s:
            actor: customer
            next: pay
          pay:
            actor: customer
            irreversible: true
            restrictions: [early_termination_fee]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL202") == [("JL202", "pay", state_line(text, "pay"))]
    told_there = dedent(text).replace("restrictions: [early_termination_fee]",
                                      "restrictions: [early_termination_fee]\n    discloses: [early_termination_fee]")
    assert found(lint, told_there, "JL202") == []


@pytest.mark.parametrize("adverse_extra, after, fires", [
    ("    discloses: [reason]\n", ["a", "b"], False),
    ("", ["a", "b"], True),          # b does not disclose
    ("", ["a"], False),              # every state right after discloses
    ("", [], True),                  # nothing after: must disclose itself
    ("    discloses: [reason]\n", [], False),
])
def test_jl203_reason_at_itself_or_every_state_right_after(lint, adverse_extra, after, fires):
    closing = "    outcome: unresolved\n" if not after else f"    next: [{', '.join(after)}]\n"
    text = (
        "journey: adv\nkind: billing\nstart: s\nstates:\n"
        "  s:\n    actor: customer\n    next: closed\n"
        "  closed:\n    actor: bank\n    adverse: true\n" + adverse_extra + closing +
        "  a:\n    actor: bank\n    channel: mail\n    discloses: [reason]\n    outcome: unresolved\n"
        "  b:\n    actor: bank\n    channel: mail\n    outcome: unresolved\n"
    )
    result = found(lint, text, "JL203")
    assert result == ([("JL203", "closed", state_line(text, "closed"))] if fires else [])


def test_jl203_item_option_and_unreachable_adverse_state(lint):
    text = """\
        journey: adv
        kind: billing
        start: s
        states:
          s:
            actor: bank
            adverse: true
            discloses: [reason]
            outcome: unresolved
          orphan:
            actor: bank
            adverse: true
            outcome: unresolved
    """
    assert found(lint, text, "JL203") == []
    assert found(lint, text, "JL203", config="rules: {JL203: {item: explanation}}\n") == [
        ("JL203", "s", state_line(text, "s"))]


def repeated(kind_into_b: str, extra: str = "") -> str:
    return dedent(f"""\
        journey: ask
        kind: support
        start: a
        states:
          a:
            actor: agent
            asks: [identity]
            next:
              - {{to: b, kind: {kind_into_b}{extra}}}
          b:
            actor: billing
            asks: [identity]
            next: done
          done:
            outcome: resolved
    """)


@pytest.mark.parametrize("kind, extra, fires", [
    ("normal", "", True),
    ("transfer", "", True),
    ("transfer", ", keeps_context: false", True),   # a transfer never resets
    ("transfer", ", keeps_context: true", True),
    ("escalate", "", True),
    ("retry", "", True),
    ("redirect", "", False),                       # a new contact
    ("drop", "", False),                           # a new contact, nobody calls back
    ("drop", ", callback: true", True),            # the company calls back: same contact
    ("drop", ", callback: false", False),
    ("normal", ", keeps_context: false", True),
])
def test_jl204_only_a_new_contact_resets(lint, kind, extra, fires):
    text = repeated(kind, extra)
    assert found(lint, text, "JL204") == ([("JL204", "b", state_line(text, "b"))] if fires else [])


def test_jl204_every_path_must_have_asked_or_told(lint):
    text = """\
        journey: ask
        kind: support
        start: [phone, web]
        states:
          phone:
            actor: agent
            asks: [identity]
            next: desk
          web:
            actor: customer
            next: desk
          desk:
            actor: billing
            asks: [identity]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL204") == []
    told = dedent(text).replace("actor: customer\n    next: desk", "actor: customer\n    discloses: [identity]\n    next: desk")
    assert found(lint, told, "JL204") == [("JL204", "desk", state_line(told, "desk"))]


def test_jl204_a_state_on_a_cycle_is_not_asked_again_on_its_first_visit(lint):
    text = """\
        journey: ask
        kind: support
        start: a
        states:
          a:
            actor: agent
            asks: [identity]
            next: [b, done]
          b:
            actor: customer
            next: a
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL204") == []


def test_jl204_a_reset_before_the_ask_then_a_second_ask(lint):
    text = """\
        journey: ask
        kind: support
        start: a
        states:
          a:
            actor: agent
            asks: [identity]
            next:
              - {to: b, kind: redirect}
          b:
            actor: customer
            next: c
          c:
            actor: billing
            asks: [identity]
            next:
              - {to: d, kind: transfer}
          d:
            actor: fraud-desk
            asks: [identity]
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL204") == [("JL204", "d", state_line(text, "d"))]


# =====================================================================================
# JL3xx routing
# =====================================================================================

def forced(*after: str, into: str = "redirect") -> str:
    """agent redirects the customer; ``after`` are the actors met next, in a line."""
    lines = ["journey: relay", "kind: support", "start: front", "states:",
             "  front:", "    actor: agent", "    next:", f"      - {{to: r0, kind: {into}}}"]
    for i, actor in enumerate(after):
        lines.append(f"  r{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        lines.append(f"    next: {'r' + str(i + 1) if i + 1 < len(after) else 'done'}")
    lines.append("  done:\n    outcome: resolved")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("after, fires", [
    (["billing"], True),
    (["customer", "billing"], True),
    (["customer", "customer", "billing"], True),
    (["customer", "agent"], False),
    (["agent"], False),
    (["customer", "customer"], False),
    (["customer", "agent", "billing"], False),   # the next staff actor is the same team
])
def test_jl301_next_staff_actor_after_a_redirect(lint, after, fires):
    text = forced(*after)
    assert found(lint, text, "JL301") == ([("JL301", "front", line_of(text, "{to: r0"))] if fires else [])


@pytest.mark.parametrize("kind", ["normal", "transfer", "escalate", "drop", "retry"])
def test_jl301_only_redirects(lint, kind):
    assert found(lint, forced("customer", "billing", into=kind), "JL301") == []


def test_jl301_redirect_through_a_phone_menu_to_another_team(lint):
    # the customer is sent to call another number; a bot menu answers first, then billing:
    # the next *staff* actor they meet is billing, another team
    text = forced("customer", "bot", "billing")
    assert found(lint, text, "JL301") == [("JL301", "front", line_of(text, "{to: r0"))]
    text = forced("system", "billing")
    assert found(lint, text, "JL301") == [("JL301", "front", line_of(text, "{to: r0"))]
    text = forced("", "billing")
    assert found(lint, text, "JL301") == [("JL301", "front", line_of(text, "{to: r0"))]


def test_jl301_redirect_whose_customer_step_branches_to_another_team(lint):
    text = """\
        journey: relay
        kind: support
        start: front
        states:
          front:
            actor: agent
            next:
              - {to: call, kind: redirect}
          call:
            actor: customer
            next: [agent-again, tech]
          agent-again:
            actor: agent
            next: done
          tech:
            actor: tech-support
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL301") == [("JL301", "front", line_of(text, "{to: call"))]


def drop_journey(drop: str, start: str = "s") -> str:
    return dedent(f"""\
        journey: drops
        kind: support
        start: {start}
        states:
          s:
            actor: customer
            channel: phone
            next: queue
          queue:
            actor: agent
            channel: phone
            timeout: 20m
            next:
              - {{{drop}}}
              - to: later
          later:
            actor: agent
            next: done
          other:
            actor: customer
            next: queue
          done:
            outcome: resolved
    """)


@pytest.mark.parametrize("drop, fires", [
    ("to: s, kind: drop", True),                      # back to start
    ("to: queue, kind: drop", True),                  # back to itself: it reaches itself
    ("to: s, kind: drop, callback: true", False),
    ("to: s, kind: drop, callback: false", True),
    ("to: later, kind: drop", False),                 # onwards, not back
    ("to: other, kind: drop", True),                  # from 'other' the dropped state is reachable
    ("to: s, kind: transfer", False),
    ("to: s, kind: redirect", False),
    ("to: s, kind: drop, keeps_context: true", True),  # only callback helps
])
def test_jl303_drops_back(lint, drop, fires):
    text = drop_journey(drop)
    result = found(lint, text, "JL303", "JL001")
    if "kind: drop" not in drop:
        result = [r for r in result if r[0] != "JL001"]   # a timeout needs a drop (JL001)
    assert result == ([("JL303", "queue", line_of(text, "- {to:"))] if fires else [])


def test_jl303_back_to_any_start(lint):
    text = drop_journey("to: second, kind: drop", start="[s, second]").replace(
        "  other:\n", "  second:\n    actor: customer\n    outcome: abandoned\n  other:\n")
    # 'second' is a start (the customer begins again) though 'queue' is not reachable from it
    assert found(lint, text, "JL303") == [("JL303", "queue", line_of(text, "- {to:"))]


def closed_door(source_actor: str, kind: str = "normal", contact: str = "false", target: str = "vault") -> str:
    source = f"    actor: {source_actor}\n" if source_actor else ""
    return (
        f"journey: door\nkind: billing\nstart: s\nteams:\n  {target}: {{contact: {contact}}}\nstates:\n"
        "  s:\n" + source + f"    next:\n      - {{to: closed, kind: {kind}}}\n"
        f"  closed:\n    actor: {target}\n    next: done\n"
        "  done:\n    outcome: resolved\n"
    )


@pytest.mark.parametrize("source, kind, contact, target, fires", [
    ("customer", "normal", "false", "vault", True),
    ("system", "normal", "false", "vault", True),
    ("bot", "normal", "false", "vault", True),
    ("", "normal", "false", "vault", True),        # a state without actor is not staff
    ("agent", "normal", "false", "vault", False),
    ("agent", "transfer", "false", "vault", False),
    ("agent", "escalate", "false", "vault", False),
    ("agent", "redirect", "false", "vault", True),
    ("vault", "redirect", "false", "vault", True),
    ("customer", "normal", "true", "vault", False),
    ("customer", "normal", "false", "agent", True),  # agent is a team of its own
])
def test_jl305_closed_doors(lint, source, kind, contact, target, fires):
    text = closed_door(source, kind, contact, target)
    assert found(lint, text, "JL305") == ([("JL305", "s", line_of(text, "{to: closed"))] if fires else [])


# =====================================================================================
# JL4xx effort and cost
# =====================================================================================

@pytest.mark.parametrize("channel_decl, state_extra, fires", [
    ("premium: {cost_per_minute: 0.5}", "    channel: premium\n    wait: 1m\n", True),
    ("premium: {cost_per_minute: 0.5}", "    channel: premium\n    wait: 0m\n", False),
    ("premium: {cost_per_minute: 0.5}", "    channel: premium\n", False),
    ("premium: {cost_per_minute: 0}", "    channel: premium\n    wait: 1h\n", False),
    ("", "    cost: 2\n    wait: 1s\n", True),
    ("", "    cost: 2\n    wait: 0s\n", False),
    ("", "    cost: 0\n    wait: 1h\n", False),
    ("", "    channel: phone\n    wait: 1h\n", False),    # an undeclared channel is free
])
def test_jl401_paying_to_wait(lint, channel_decl, state_extra, fires):
    channels = f"channels:\n  {channel_decl}\n" if channel_decl else ""
    text = (
        f"journey: paid\nkind: support\nstart: s\n{channels}states:\n"
        "  s:\n    actor: agent\n" + state_extra + "    next: done\n"
        "  done:\n    outcome: resolved\n"
    )
    assert found(lint, text, "JL401") == ([("JL401", "s", state_line(text, "s"))] if fires else [])


BUDGET = """\
    journey: effort
    kind: support
    start: s
    budget: {budget}
    channels:
      premium: {cost_per_minute: 0.5}
    states:
      s:
        actor: customer
        next: [quick, slow]
      quick:
        actor: agent
        channel: premium
        wait: 10m
        cost: 1
        next: done
      slow:
        actor: agent
        next: slower
      slower:
        actor: agent
        next: done
      done:
        wait: 5m
        outcome: resolved
"""


@pytest.mark.parametrize("budget, fires", [
    ("{steps: 2}", False),          # s, quick: the resolution without actor does not count
    ("{steps: 1}", True),
    ("{wait: 15m}", False),         # least waiting: 0 + 5m through slow; resolution's wait included
    ("{wait: 5m}", False),
    ("{wait: 4m59s}", True),
    ("{cost: 0}", False),           # the slow way is free
    ("{steps: 2, wait: 5m, cost: 0}", False),   # each figure minimised on its own
])
def test_jl402_each_figure_on_its_own_and_at_the_boundary(lint, budget, fires):
    text = dedent(BUDGET).replace("{budget}", budget)
    assert found(lint, text, "JL402") == ([("JL402", None, 1)] if fires else [])


def test_jl402_cost_counts_cost_per_minute_times_wait(lint):
    text = dedent(BUDGET).replace("{budget}", "{cost: 5.99}").replace("next: [quick, slow]", "next: [quick]")
    result = findings(lint, text, "JL402")
    assert [(f.code, f.state, f.line) for f in result] == [("JL402", None, 1)]
    assert "6.00" in result[0].message        # 1 + 0.5 x 10
    exact = dedent(BUDGET).replace("{budget}", "{cost: 6}").replace("next: [quick, slow]", "next: [quick]")
    assert found(lint, exact, "JL402") == []


def test_jl402_configured_budget_and_the_journey_budget_first(lint):
    text = dedent(BUDGET).replace("budget: {budget}\n", "")
    assert found(lint, text, "JL402") == []
    assert found(lint, text, "JL402", config="rules: {JL402: {max_steps: 1}}\n") == [("JL402", None, 1)]
    with_budget = dedent(BUDGET).replace("{budget}", "{steps: 2}")
    assert found(lint, with_budget, "JL402", config="rules: {JL402: {max_steps: 1}}\n") == []


def slow_channel(decl: str, kind: str = "support", users: str = "customer", extra_states: str = "") -> str:
    return (
        f"journey: slow\nkind: {kind}\nstart: s\nchannels:\n{decl}states:\n"
        f"  s:\n    actor: {users}\n    channel: social\n    next: web\n"
        "  web:\n    actor: customer\n    channel: web\n    next: done\n" + extra_states +
        "  done:\n    outcome: resolved\n"
    )


@pytest.mark.parametrize("decl, kind, actor, fires", [
    ("  social: {response_time: 1h}\n", "support", "customer", False),
    ("  social: {response_time: 61m}\n", "support", "customer", True),
    ("  social: {response_time: 8h}\n", "support", "system", False),     # used by system only
    ("  social: {response_time: 8h}\n", "support", "agent", True),
    ("  social: {response_time: 8h}\n", "support", "bot", True),
    ("  social: {hours: Mon-Fri 09:00-17:00}\n", "support", "customer", False),
    ("  social: {hours: Mon-Fri 09:00-17:00}\n", "complaint", "customer", True),
    ("  social: {hours: Mon-Fri 09:00-17:00}\n", "escalation", "customer", True),
    ("  social: {hours: 24/7}\n", "complaint", "customer", False),
    ("  social: {hours: Mon-Fri 09:00-17:00}\n  web: {hours: 24/7}\n", "support", "customer", True),
    ("  social: {hours: Mon-Fri 09:00-17:00}\n  web: {hours: 24/7}\n", "support", "system", False),
])
def test_jl403_slow_channels(lint, decl, kind, actor, fires):
    text = slow_channel(decl, kind, actor)
    assert found(lint, text, "JL403") == ([("JL403", "s", state_line(text, "s"))] if fires else [])


def test_jl403_another_channel_counts_as_used_only_by_a_reachable_non_system_state(lint):
    decl = "  social: {hours: Mon-Fri 09:00-17:00}\n  app: {hours: 24/7}\n"
    notify = "  notify:\n    actor: system\n    channel: app\n    next: done\n"
    text = slow_channel(decl, extra_states=notify).replace("next: web\n", "next: [web, notify]\n", 1)
    assert found(lint, text, "JL403") == []
    orphan = "  orphan:\n    actor: customer\n    channel: app\n    next: done\n"
    assert found(lint, slow_channel(decl, extra_states=orphan), "JL403") == []
    used = "  in-app:\n    actor: agent\n    channel: app\n    next: done\n"
    text = slow_channel(decl, extra_states=used).replace("next: web\n", "next: [web, in-app]\n", 1)
    assert found(lint, text, "JL403") == [("JL403", "s", state_line(text, "s"))]


def test_jl403_once_per_channel_at_the_first_using_state_in_file_order(lint):
    text = """\
        journey: slow
        kind: support
        start: s
        channels:
          social: {response_time: 8h}
        states:
          orphan:
            actor: customer
            channel: social
            next: done
          s:
            actor: system
            channel: social
            next: a
          a:
            channel: social
            next: b
          b:
            actor: customer
            channel: social
            next: done
          done:
            outcome: resolved
    """
    # 'orphan' is unreachable, 's' is the system's: 'a' (no actor, so not the system) is first
    assert found(lint, text, "JL403") == [("JL403", "a", state_line(text, "a"))]


# =====================================================================================
# JL5xx feedback and replies
# =====================================================================================

@pytest.mark.parametrize("answer_actor, discloses, fires", [
    ("complaints-team", True, False),
    ("agent", True, False),
    ("bot", True, True),            # an automatic acknowledgement: nobody read it
    ("system", True, True),
    ("", True, True),               # no actor: not staff
    ("agent", False, True),         # staff, but they tell the customer nothing
])
def test_jl501_feedback_answered_by_staff(lint, answer_actor, discloses, fires):
    actor = f"    actor: {answer_actor}\n" if answer_actor else ""
    told = "    discloses: [answer]\n" if discloses else ""
    text = (
        "journey: fb\nkind: complaint\nstart: s\nstates:\n"
        "  s:\n    actor: agent\n    discloses: [form]\n    next: comment\n"
        "  comment:\n    type: feedback\n    actor: customer\n    next: answer\n"
        "  answer:\n" + actor + told + "    next: done\n"
        "  done:\n    outcome: resolved\n"
    )
    assert found(lint, text, "JL501") == ([("JL501", "comment", state_line(text, "comment"))] if fires else [])


def test_jl501_answer_reached_round_a_cycle_counts_and_unreachable_feedback_is_ignored(lint):
    text = """\
        journey: fb
        kind: complaint
        start: comment
        states:
          comment:
            type: feedback
            actor: customer
            next: queue
          queue:
            actor: system
            next: [comment, read]
          read:
            actor: head-office
            discloses: [answer]
            outcome: resolved
          orphan:
            type: feedback
            actor: customer
            outcome: abandoned
    """
    assert found(lint, text, "JL501") == []


def test_jl502_scripted_states_on_cycles(lint):
    text = """\
        journey: canned
        kind: support
        start: s
        states:
          s:
            actor: customer
            channel: chat
            next: [template, once, again]
          template:
            actor: agent
            scripted: true
            next: [s, done]
          once:
            actor: agent
            scripted: true
            next: done
          again:
            actor: bot
            scripted: true
            next: [again, done]
          done:
            outcome: resolved
          orphan:
            actor: bot
            scripted: true
            next: orphan
    """
    assert found(lint, text, "JL502") == [
        ("JL502", "template", state_line(text, "template")), ("JL502", "again", state_line(text, "again"))]


# =====================================================================================
# JL6xx exit rights (opt-in)
# =====================================================================================

def steps_journey(n_actor_steps: int, signup_steps: int, kind: str = "cancellation") -> str:
    lines = ["journey: exit", f"kind: {kind}", f"signup_steps: {signup_steps}", "start: s0", "states:"]
    for i in range(n_actor_steps):
        nxt = f"s{i + 1}" if i + 1 < n_actor_steps else "gap"
        lines += [f"  s{i}:", "    actor: customer", f"    next: {nxt}"]
    lines += ["  gap:", "    next: done", "  done:", "    discloses: [confirmation]", "    outcome: resolved"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("steps, signup, ratio, fires", [
    (2, 2, None, False),
    (3, 2, None, True),
    (3, 2, "1.5", False),
    (4, 2, "1.5", True),
])
def test_jl601_ratio_boundary(lint, steps, signup, ratio, fires):
    config = f"rules: {{JL601: {{max_ratio: {ratio}}}}}\n" if ratio else ""
    text = steps_journey(steps, signup)
    assert found(lint, text, "JL601", config=config) == ([("JL601", None, 1)] if fires else [])


def test_jl601_other_kinds_and_no_signup_steps(lint):
    assert found(lint, steps_journey(5, 1, kind="onboarding"), "JL601") == []
    text = steps_journey(5, 1).replace("signup_steps: 1\n", "")
    assert found(lint, text, "JL601") == []


LOGIN = """\
    journey: login-gate
    kind: {kind}
    start: s
    states:
      s:
        actor: customer
        channel: web
        next: [login, {bypass}]
      login:
        actor: customer
        channel: web
        asks: [password]
        next: cancel
      sso:
        actor: customer
        channel: web
        requires: [account_access]
        next: cancel
      cancel:
        actor: customer
        channel: web
        asks: [subscription_id]
        irreversible: true
        discloses: [confirmation]
        outcome: resolved
"""


@pytest.mark.parametrize("kind, bypass, fires", [
    ("cancellation", "login", True),
    ("cancellation", "sso", True),        # requires account_access is a login too
    ("cancellation", "cancel", False),    # a way round the login
    ("support", "login", False),
])
def test_jl602_every_path_passes_a_login(lint, kind, bypass, fires):
    text = dedent(LOGIN).replace("{kind}", kind).replace("{bypass}", bypass)
    assert found(lint, text, "JL602") == ([("JL602", None, 1)] if fires else [])


@pytest.mark.parametrize("kind, bypass, fires", [
    ("cancellation", "login", True),     # password is outside the allowed items, on every path
    ("cancellation", "cancel", False),   # it can be avoided
    ("support", "login", False),
])
def test_jl603_unavoidable_state_asking_for_too_much(lint, kind, bypass, fires):
    text = dedent(LOGIN).replace("{kind}", kind).replace("{bypass}", bypass)
    assert found(lint, text, "JL603") == ([("JL603", None, 1)] if fires else [])


def test_jl603_allowed_items_option(lint):
    text = dedent(LOGIN).replace("{kind}", "cancellation").replace("{bypass}", "login")
    assert found(lint, text, "JL603", config="rules: {JL603: {allowed_items: [password, subscription_id]}}\n") == []
    assert found(lint, text, "JL603", config="rules: {JL603: {allowed_items: [password]}}\n") == [("JL603", None, 1)]


CONFIRM = """\
    journey: confirm
    kind: cancellation
    start: s
    states:
      s:
        actor: customer
        {s}
        next: execute
      execute:
        actor: agent
        irreversible: true
        {execute}
        next: letter
      letter:
        actor: system
        {letter}
        next: done
      done:
        {done}
        outcome: resolved
"""


@pytest.mark.parametrize("where, fires", [
    ("s", True),           # before the irreversible step: not a confirmation
    ("execute", False),    # at it
    ("letter", False),
    ("done", False),
    ("", True),
])
def test_jl604_confirmation_at_or_after_the_irreversible_step(lint, where, fires):
    text = dedent(CONFIRM)
    for name in ("s", "execute", "letter", "done"):
        text = text.replace("{" + name + "}", "discloses: [confirmation]" if name == where else "title: step")
    assert found(lint, text, "JL604") == ([("JL604", "done", state_line(text, "done"))] if fires else [])
    assert found(lint, text.replace("kind: cancellation", "kind: refund"), "JL604") == []


@pytest.mark.parametrize("loop, fires", [
    (["bot", "bot"], True),
    (["bot", "customer"], True),     # the customer typing the question again is part of it
    (["system", ""], True),
    (["customer", "customer"], False),
    (["bot", "agent"], False),
])
def test_jl605_bot_loops(lint, loop, fires):
    lines = ["journey: doom", "kind: support", "start: l0", "states:"]
    for i, actor in enumerate(loop):
        lines.append(f"  l{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        lines.append(f"    next: [l{(i + 1) % len(loop)}, gone]")
    lines += ["  gone:", "    outcome: abandoned"]
    text = "\n".join(lines) + "\n"
    assert found(lint, text, "JL605") == ([("JL605", "l0", state_line(text, "l0"))] if fires else [])


def test_jl605_a_person_reachable_from_the_loop(lint):
    text = """\
        journey: doom
        kind: support
        start: menu
        states:
          menu:
            actor: bot
            channel: phone
            next: [press, human]
          press:
            actor: customer
            next: menu
          human:
            actor: agent
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL605") == []


@pytest.mark.parametrize("kind, channel, wait, config, fires", [
    ("cancellation", "phone", "3m", "", False),
    ("cancellation", "phone", "3m1s", "", True),
    ("complaint", "chat", "4m", "", True),
    ("support", "phone", "9m", "", False),
    ("cancellation", "email", "2d", "", False),
    ("cancellation", "phone", "2m30s", "rules: {JL606: {sales_wait: 2m}}\n", True),
    ("cancellation", "phone", "2m", "rules: {JL606: {sales_wait: 2m}}\n", False),
])
def test_jl606_exit_queue(lint, kind, channel, wait, config, fires):
    text = (
        f"journey: q\nkind: {kind}\nstart: s\nstates:\n"
        f"  s:\n    actor: customer\n    channel: {channel}\n    wait: {wait}\n    next: done\n"
        "  done:\n    discloses: [confirmation]\n    outcome: resolved\n"
    )
    assert found(lint, text, "JL606", config=config) == ([("JL606", "s", state_line(text, "s"))] if fires else [])


# =====================================================================================
# Hand-offs and channel switches against their definitions, by brute force over walks
# =====================================================================================

from hypothesis import given, settings, strategies as st  # noqa: E402

from conftest import assert_witness_is_real, session_for  # noqa: E402
from journeylint.analysis import Analysis  # noqa: E402

ACTORS = ("customer", "bot", "system", None, "a", "b", "agent")
KINDS = ("normal", "transfer", "redirect", "escalate", "retry", "drop")
CHANNELS = (None, "web", "phone")
WALK_LIMIT = 9


@st.composite
def routed_journeys(draw):
    """Up to five states: (yaml text, starts, states); states[i] = (actor, channel, edges, outcome)."""
    n = draw(st.integers(2, 5))
    starts = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
    states = []
    for i in range(n):
        actor = draw(st.sampled_from(ACTORS))
        channel = draw(st.sampled_from(CHANNELS))
        outcome = "resolved" if i == n - 1 or draw(st.integers(0, 5)) == 0 else None
        edges = [] if outcome else draw(st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(KINDS)), min_size=1, max_size=3))
        states.append((actor, channel, edges, outcome))
    lines = ["journey: random", "kind: support", f"start: [{', '.join(f's{i}' for i in starts)}]", "states:"]
    for i, (actor, channel, edges, outcome) in enumerate(states):
        lines.append(f"  s{i}:")
        if actor:
            lines.append(f"    actor: {actor}")
        if channel:
            lines.append(f"    channel: {channel}")
        if outcome:
            lines.append(f"    outcome: {outcome}")
        else:
            lines.append("    next:")
            lines += [f"      - {{to: s{t}, kind: {k}}}" for t, k in edges]
    return "\n".join(lines) + "\n", starts, states


def literal_handoffs(walk, kinds, states):
    """rules.md, 'Hand-offs on a path', read literally on a walk and the kinds taken."""
    staff = [i for i, s in enumerate(walk) if states[s][0] not in (None, "customer", "system", "bot")]
    count = 0
    for i, j in zip(staff, staff[1:]):
        between = set(kinds[i:j])
        handed = bool(between & {"transfer", "redirect"})
        if "escalate" in between and not handed:
            continue
        if handed or states[walk[i]][0] != states[walk[j]][0]:
            count += 1
    return count


def literal_switches(walk, states):
    used = [states[s][1] for s in walk if states[s][0] == "customer" and states[s][1]]
    return sum(1 for a, b in zip(used, used[1:]) if a != b)


def walks(starts, states, limit):
    """Every walk (states, kinds taken) of at most ``limit`` transitions ending at a resolution."""
    stack = [((s,), ()) for s in starts]
    while stack:
        walk, kinds = stack.pop()
        if states[walk[-1]][3] == "resolved":
            yield walk, kinds
            continue
        if len(kinds) < limit:
            for target, kind in states[walk[-1]][2]:
                stack.append((walk + (target,), kinds + (kind,)))


@pytest.fixture(scope="module")
def routing_session(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("routing"), select=["JL302", "JL304"],
                       config_text="rules: {JL302: {max_transfers: 0}, JL304: {max_switches: 0}}\n")


@settings(max_examples=400, deadline=None)
@given(case=routed_journeys())
def test_handoffs_and_switches_match_their_definitions(routing_session, case):
    text, starts, states = case
    result = routing_session.engine.lint_source(text, "random.yaml")
    journey = result.journeys[0]
    reported = {"JL302": 0, "JL304": 0}
    for finding in result.findings:
        reported[finding.code] = int(re.search(r": (\d+) (?:hand-off|channel change)", finding.message).group(1))
        assert_witness_is_real(journey, finding.path)
    analysis = Analysis(journey)
    every = list(walks(starts, states, WALK_LIMIT))
    index = {f"s{i}": i for i in range(len(states))}
    for code, measure in (("JL302", "handoffs"), ("JL304", "switches")):
        best = analysis.cheapest(measure)
        if best is None:
            assert not every and reported[code] == 0, text
            continue
        assert reported[code] == best.value, (text, code)
        assert_witness_is_real(journey, best.path)
        walk = tuple(index[s] for s in best.path)
        if code == "JL302":
            options = [()]
            for a, b in zip(walk, walk[1:]):
                options = [o + (k,) for o in options for t, k in states[a][2] if t == b][:5000]
            literal = min(literal_handoffs(walk, o, states) for o in options)
        else:
            literal = literal_switches(walk, states)
        assert literal == best.value, (text, code, best.path)
        if every:
            brute = min(literal_handoffs(w, k, states) if code == "JL302" else literal_switches(w, states)
                        for w, k in every)
            # the rule minimises over every walk, the brute force over the short ones
            assert best.value <= brute, (text, code)
            if len(walk) - 1 <= WALK_LIMIT:
                assert best.value == brute, (text, code, best.path)


def test_the_fewest_handoffs_may_use_a_walk_round_a_loop(lint):
    # a -> desk -> b-state costs one hand-off (a, b differ); going up to b's colleague by an
    # escalation first and back through the desk costs none: the customer can take that walk
    text = """\
        journey: walk
        kind: support
        start: front
        states:
          front:
            actor: a
            next: desk
          desk:
            actor: customer
            next:
              - {to: senior, kind: escalate}
              - {to: b-state}
          senior:
            actor: b
            next: desk
          b-state:
            actor: b
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL302", config="rules: {JL302: {max_transfers: 0}}\n") == []


# =====================================================================================
# Analysis.reach_items: every item's search at once, against one search per item
# =====================================================================================

@st.composite
def item_graphs(draw):
    n = draw(st.integers(1, 8))
    k = draw(st.integers(1, 4))
    succ = [draw(st.lists(st.integers(0, n - 1), max_size=3)) for _ in range(n)]
    seeds = draw(st.dictionaries(st.integers(0, n - 1), st.integers(1, 2 ** k - 1), min_size=1, max_size=3))
    blocks = [draw(st.integers(0, 2 ** k - 1)) for _ in range(n)]
    return n, k, succ, seeds, blocks


def graph_journey(n, succ):
    lines = ["journey: g", "kind: support", "start: s0", "states:"]
    for i in range(n):
        lines.append(f"  s{i}:")
        lines.append(f"    next: [{', '.join(f's{t}' for t in succ[i])}]" if succ[i] else "    outcome: resolved")
    from journeylint.loading.pipeline import load_bytes
    return load_bytes(("\n".join(lines) + "\n").encode(), "g.yaml").journeys[0]


@settings(max_examples=300, deadline=None)
@given(case=item_graphs(), reverse=st.booleans())
def test_reach_items_matches_one_search_per_item(case, reverse):
    n, k, succ, seeds, blocks = case
    analysis = Analysis(graph_journey(n, succ))
    together = analysis.reach_items(seeds, blocks, reverse=reverse)
    adjacency = analysis.pred if reverse else analysis.succ
    for item in range(k):
        bit = 1 << item
        sources = [s for s, b in seeds.items() if b & bit]
        blocked = {i for i in range(n) if blocks[i] & bit}
        # one plain breadth-first search for this item, with its distances
        distance = {s: 0 for s in sources}
        queue = list(dict.fromkeys(sources))
        for u in queue:
            if u in blocked:
                continue
            for v in adjacency[u]:
                if v not in distance:
                    distance[v] = distance[u] + 1
                    queue.append(v)
        for i in range(n):
            assert together.reached(i, item) == (i in distance)
            path = together.path(f"s{i}", item)
            if i not in distance:
                assert path is None
                continue
            walk = [int(s[1:]) for s in path]
            if reverse:
                walk.reverse()
            assert walk[0] in sources and walk[-1] == i and len(walk) - 1 == distance[i]
            assert all(w not in blocked for w in walk[:-1])
            assert all(b in adjacency[a] for a, b in zip(walk, walk[1:]))
            if not reverse and k == 1:
                # with one item the rounds are exactly that search: the same witness
                assert path == analysis.reach(sources=sources, blocked=frozenset(blocked)).path(i)


def test_reach_items_ties_may_break_differently_from_one_search_per_item():
    # s0 -> u1, u2; u1 blocks item 1 and reaches w1 first for item 0; item 1 meets w2 first
    succ = [[1, 2], [3], [4, 3], [5], [5], []]
    analysis = Analysis(graph_journey(6, succ))
    together = analysis.reach_items({0: 0b11}, [0, 0b10, 0, 0, 0, 0])
    alone = analysis.reach(sources=[0], blocked=frozenset({1})).path(5)
    assert alone == ("s0", "s2", "s4", "s5")
    assert together.path(5, 1) in (alone, ("s0", "s2", "s3", "s5"))
    assert together.path(5, 0) == analysis.reach(sources=[0]).path(5)


@settings(max_examples=300, deadline=None)
@given(case=item_graphs())
def test_can_reach_items_matches_one_backward_search_per_item(case):
    n, k, succ, seeds, _ = case
    analysis = Analysis(graph_journey(n, succ))
    targets = [seeds.get(i, 0) for i in range(n)]
    together = analysis.can_reach_items(targets)
    for item in range(k):
        alone = analysis.can_reach([i for i in range(n) if targets[i] >> item & 1])
        assert [bool(b >> item & 1) for b in together] == alone


# =====================================================================================
# More of JL001/JL002/JL005 and suppressions, as the catalogue words them
# =====================================================================================

def test_next_on_a_terminal_state_is_jl001_and_its_transitions_are_ignored(lint):
    text = """\
        journey: term
        kind: support
        start: s
        states:
          s:
            actor: customer
            next: done
          done:
            outcome: resolved
            next: after
          after:
            actor: agent
            next: after
    """
    result = found(lint, text, "JL001", "JL003", "JL102")
    assert [code for code, _, _ in result].count("JL001") == 1
    # 'after' is reached only through the ignored transition
    assert ("JL003", "after", state_line(text, "after")) in result
    assert not any(code == "JL102" for code, _, _ in result)


def test_timeout_without_a_drop_is_jl001(lint):
    text = """\
        journey: queue
        kind: support
        start: s
        states:
          s:
            actor: customer
            channel: phone
            timeout: 20m
            next: done
          done:
            outcome: resolved
    """
    result = found(lint, text, "JL001")
    assert len(result) == 1 and result[0][0] == "JL001"
    assert state_line(text, "s") <= result[0][2] <= line_of(text, "next: done")


def test_jl002_suggests_the_closest_id_and_start_lists_keep_their_usable_states(lint):
    text = """\
        journey: typo
        kind: support
        start: [entry, ghost]
        states:
          entry:
            actor: customer
            channel: phone
            wait: 1h
            next: [agent-greets, dnoe]
          agent-greets:
            actor: agent
            next: done
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL002", "JL405")
    got = [(f.code, f.line) for f in result]
    assert ("JL002", line_of(text, "start: [entry, ghost]")) in got
    assert ("JL002", line_of(text, "next: [agent-greets, dnoe]")) in got
    assert ("JL405", state_line(text, "entry")) in got
    typo = next(f for f in result if f.code == "JL002" and "dnoe" in f.message)
    assert "done" in typo.message


def test_no_usable_start_runs_only_the_structural_rules(lint):
    text = """\
        journey: nowhere
        kind: support
        start: ghost
        states:
          s:
            actor: customer
            channel: phone
            wait: 1h
            next: s
    """
    assert [code for code, _, _ in found(lint, text, "JL0", "JL1", "JL4")] == ["JL002"]


def test_jl005_for_an_unknown_rule_and_for_a_rule_not_selected(lint):
    text = clean("lint: {ignore: [no-such-rule], reason: x}", "lint: {ignore: [JL405], reason: x}")
    result = findings(lint, text, "JL101", "JL005")
    # JL405 is not selected: nothing to suppress, nothing to report
    assert [(f.code, f.state, f.line) for f in result] == [("JL005", None, 4)]
    assert "no-such-rule" in result[0].message


def test_jl104_loop_half_yields_to_a_state_level_suppression(lint):
    text = cancellation("""\
      s:
        actor: customer
        next: offer
      offer:
        type: retention
        actor: agent
        lint: {ignore: [retention-gauntlet], reason: audit}
        next: [insist, kept]
      insist:
        actor: customer
        next: [offer, done]
      done:
        outcome: resolved
      kept:
        outcome: retained
    """)
    assert found(lint, text, "JL104", "JL005") == []


def test_leading_zero_ids_match_their_references(lint):
    text = """\
        journey: menu
        kind: support
        start: 01
        states:
          01:
            actor: bot
            next: [02]
          02:
            outcome: resolved
    """
    assert found(lint, text, "JL0", "JL1") == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_duplicate_ids_follow_the_order_the_files_were_given(tmp_path, jobs):
    (tmp_path / "journeylint.yaml").write_text("")
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(small("same"))
    for order in (("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")):
        result = run_cli("check", "--format", "json", "-j", jobs, *order, cwd=tmp_path)
        data = json.loads(result.stdout)
        listed = data["findings"] if isinstance(data, dict) else data
        assert [(f["file"], f["code"]) for f in listed] == [(order[1], "JL001")]
        assert order[0] in listed[0]["message"]


# =====================================================================================
# Cost: labels in the hand-off and channel-switch searches stay few
# =====================================================================================

def fed_chain(feeders: int, measure: str) -> str:
    """``feeders`` start states of distinct teams (channels) all leading into one
    long run of states that carry the label on, then one counted state."""
    lines = ["journey: fed", "kind: support",
             "start: [" + ", ".join(f"f{i}" for i in range(feeders)) + "]", "states:"]
    for i in range(feeders):
        lines += [f"  f{i}:", f"    actor: team-{i}" if measure == "handoffs" else "    actor: customer"]
        if measure == "switches":
            lines.append(f"    channel: ch-{i}")
        lines.append(f"    next: c{i}")
    for i in range(feeders):
        lines += [f"  c{i}:", "    actor: customer" if measure == "handoffs" else "    actor: bot",
                  f"    next: {'c' + str(i + 1) if i + 1 < feeders else 'last'}"]
    lines += ["  last:", "    actor: closer" if measure == "handoffs" else "    actor: customer"]
    if measure == "switches":
        lines.append("    channel: web")
    lines += ["    next: done", "  done:", "    outcome: resolved"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("measure", ["handoffs", "switches"])
def test_many_feeders_into_one_long_run_stay_linear(measure):
    from journeylint.loading.pipeline import load_bytes
    journey = load_bytes(fed_chain(2500, measure).encode(), "fed.yaml").journeys[0]
    analysis = Analysis(journey)
    began = time.perf_counter()
    best = analysis.cheapest(measure)
    elapsed = time.perf_counter() - began
    assert best.value == 1 and best.path == ("f2499", "c2499", "last", "done")
    # a label per team on every state of the run was 3 million labels (about 20 s)
    assert elapsed < 2.0, elapsed


# =====================================================================================
# The catalogue's tables: codes, names, default severities and option defaults
# =====================================================================================

RULES_MD = """\
JL001 invalid-journey error; JL002 unknown-state error; JL003 unreachable-state warning;
JL004 no-resolution error; JL005 unused-suppression warning; JL101 dead-end error;
JL102 trap-loop error; JL103 missing-escalation warning; JL104 retention-gauntlet error;
JL105 unmet-prerequisite error; JL201 info-withheld error; JL202 undisclosed-restriction error;
JL203 missing-reason error; JL204 repeated-ask warning; JL301 forced-relay error;
JL302 transfer-chain warning; JL303 context-loss error; JL304 channel-switch warning;
JL305 closed-door error; JL401 paid-waiting warning; JL402 effort-budget warning;
JL403 slow-channel warning; JL404 cancellation-parity error; JL405 long-hold warning;
JL501 feedback-sink warning; JL502 scripted-loop warning"""

OPTION_DEFAULTS = {
    ("JL104", "max_offers"): 1, ("JL203", "item"): "reason", ("JL302", "max_transfers"): 2,
    ("JL304", "max_switches"): 1, ("JL403", "max_response_time"): 3600, ("JL405", "max_hold"): 600,
    ("JL601", "max_ratio"): 1.0, ("JL602", "auth_items"): ("password", "login"),
    ("JL604", "item"): "confirmation", ("JL606", "max_exit_wait"): 180,
}


def test_codes_names_severities_and_defaults_are_the_catalogue_s():
    from journeylint.registry import build_registry
    registry = build_registry()
    for entry in RULES_MD.replace("\n", " ").split(";"):
        code, name, severity = entry.split()
        rule = registry.find(code)
        assert (rule.name, rule.severity.label, rule.default_enabled) == (name, severity, True), code
        assert registry.find(name) is rule
    for code in ("JL601", "JL602", "JL603", "JL604", "JL605", "JL606"):
        assert registry.find(code).default_enabled is False   # opt-in, through profiles
    for (code, option), value in OPTION_DEFAULTS.items():
        assert registry.find(code).default_options()[option] == value, (code, option)


def test_jl604_the_last_irreversible_step_counts(lint):
    text = """\
        journey: confirm
        kind: cancellation
        start: s
        states:
          s:
            actor: customer
            next: stop-billing
          stop-billing:
            actor: agent
            irreversible: true
            next: letter
          letter:
            actor: system
            discloses: [confirmation]
            next: delete-account
          delete-account:
            actor: system
            irreversible: true
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL604") == [("JL604", "done", state_line(text, "done"))]


def test_jl606_reads_live_channels_as_the_catalogue_does(lint):
    text = """\
        journey: q
        kind: complaint
        start: s
        channels:
          phone: {live: false}
          callbacks: {live: true}
        states:
          s:
            actor: customer
            channel: phone
            wait: 1h
            next: t
          t:
            actor: customer
            channel: callbacks
            wait: 4m
            next: done
          done:
            outcome: resolved
    """
    assert found(lint, text, "JL606") == [("JL606", "t", state_line(text, "t"))]


# =====================================================================================
# Every finding about a path carries a real witness (on a messy generated journey)
# =====================================================================================

def messy_journey(n: int, seed: int) -> str:
    import random

    r = random.Random(seed)
    actors = ["customer", "customer", "bot", "system", "agent", "billing", "tech", "vault", None]
    channels = ["phone", "web", "email", "chat", "premium", None]
    items = [f"item{i}" for i in range(12)]
    kinds = ["normal"] * 5 + ["transfer", "redirect", "escalate", "retry", "drop"]
    out = ["journey: messy", "kind: cancellation", "signup_channels: [web]", "signup_steps: 2",
           "budget: {steps: 3, wait: 10m, cost: 1, transfers: 0, channel_switches: 0}", "start: [s0, s1]",
           "channels:", "  premium: {cost_per_minute: 0.5, response_time: 2h, hours: Mon-Fri}", "  web: {hours: 24/7}",
           "teams:", "  vault: {contact: false}", "states:"]
    for i in range(n):
        out.append(f"  s{i}:")
        if i >= n - 6:
            out.append(f"    outcome: {['resolved', 'unresolved', 'abandoned', 'retained', 'resolved', 'resolved'][i - n + 6]}")
            continue
        actor, channel = r.choice(actors), r.choice(channels)
        if actor:
            out.append(f"    actor: {actor}")
        if channel:
            out.append(f"    channel: {channel}")
        if r.random() < .3:
            out.append(f"    wait: {r.randint(0, 30)}m")
        for key in ("asks", "discloses", "needs", "restrictions", "requires", "grants"):
            if r.random() < .2:
                out.append(f"    {key}: [{', '.join(r.sample(items, 2))}]")
        for key in ("irreversible", "adverse", "scripted"):
            if r.random() < .08:
                out.append(f"    {key}: true")
        if r.random() < .1:
            out.append(f"    type: {r.choice(['retention', 'escalation', 'feedback'])}")
        out.append("    next:")
        for _ in range(r.randint(1, 3)):
            target = min(n - 1, i + r.randint(1, 12)) if r.random() < .85 else r.randint(0, n - 1)
            out.append(f"      - {{to: s{target}, kind: {r.choice(kinds)}}}")
    return "\n".join(out) + "\n"


PATHLESS = {"JL001", "JL002", "JL003", "JL004", "JL005"}


@pytest.mark.parametrize("seed", range(6))
def test_every_finding_about_a_path_has_a_real_witness(tmp_path, seed):
    from conftest import lint_text
    from journeylint.loading.pipeline import load_bytes

    text = messy_journey(160, seed)
    journey = load_bytes(text.encode(), "messy.yaml").journeys[0]
    result = lint_text(text, tmp_path, profiles=("strict",))
    codes_seen = {f.code for f in result}
    assert len(codes_seen - PATHLESS) >= 12, codes_seen
    for finding in result:
        if finding.code in PATHLESS:
            continue
        assert finding.path, finding
        assert_witness_is_real(journey, finding.path)
        if finding.state and not finding.location.transition and finding.code not in (
                "JL103", "JL104", "JL502", "JL605", "JL203"):
            # the witness leads to the state the finding is about (loops go round it, JL203
            # goes on to the silent state after it, a transition's finding goes on to its target)
            assert finding.path[-1] == finding.state, finding
    # the witnesses of the item rules avoid what they must avoid
    for finding in result:
        state = journey.states.get(finding.state or "")
        if finding.code == "JL105":
            assert not any(finding.key in journey.states[s].grants for s in finding.path[:-1]), finding
        if finding.code == "JL201":
            assert not any(finding.key in journey.states[s].discloses for s in finding.path), finding
        if finding.code == "JL202":
            first = next(i for i, s in enumerate(finding.path) if journey.states[s].irreversible)
            assert not any(finding.key in journey.states[s].discloses for s in finding.path[:first]), finding
            assert finding.key not in journey.states[finding.path[first]].discloses
            assert finding.key in state.restrictions


def test_jl103_two_cycles_through_one_state_are_one_loop(lint):
    # b -> a -> b and b -> c -> b: every state reaches every other, one finding
    text = """\
        journey: eight
        kind: support
        start: a
        states:
          a:
            actor: agent
            next: b
          b:
            actor: agent
            next: [a, c]
          c:
            actor: agent
            next: [b, done]
          done:
            outcome: resolved
    """
    result = findings(lint, text, "JL103")
    assert [(f.code, f.state, f.line) for f in result] == [("JL103", "a", state_line(text, "a"))]
    assert all(f"'{s}'" in result[0].message for s in ("a", "b", "c"))
