"""The exit-rights rules JL601-JL606: off by default, each definition and
its edges (as the rule pages state them), the shared analyses they add
(Analysis.unavoidable, Analysis.cycles_within) against brute force, and the
enforcement-case journeys under every profile, through the installed CLI."""
from __future__ import annotations

import json
import textwrap
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeylint.analysis import Analysis
from journeylint.findings import Location
from journeylint.loading.pipeline import load_bytes
from journeylint.model import Journey, State, Transition
from journeylint.registry import build_registry

from conftest import ROOT, assert_witness_is_real, codes, run_cli

JL6 = ["JL601", "JL602", "JL603", "JL604", "JL605", "JL606"]


def only(findings, code):
    return [f for f in findings if f.code == code]


def journey_of(text):
    loaded = load_bytes(textwrap.dedent(text).encode(), "j.yaml")
    assert not loaded.findings, [f.message for f in loaded.findings]
    return loaded.journeys[0]


def test_exit_rights_rules_are_off_by_default(lint):
    registry = build_registry()
    for code in JL6:
        assert registry.by_code[code].default_enabled is False
    text = """\
    journey: j
    kind: cancellation
    signup_steps: 1
    start: a
    states:
      a: {actor: customer, channel: web, asks: [password], next: b}
      b: {actor: customer, channel: phone, wait: 9m, next: c}
      c: {actor: system, irreversible: true, next: done}
      done: {outcome: resolved}
    """
    assert codes(lint(text)) == []
    assert codes(lint(text, extend_select=["JL6"])) == ["JL601", "JL602", "JL603", "JL604", "JL606"]


# -- JL601 exit-asymmetry ------------------------------------------------------------

def cancel_in(steps, signup_steps=2, kind="cancellation"):
    """A cancellation with ``steps`` customer steps before an actorless resolution."""
    lines = [f"journey: j\nkind: {kind}\n"]
    if signup_steps is not None:
        lines.append(f"signup_steps: {signup_steps}\n")
    lines.append("start: s1\nstates:\n")
    for i in range(1, steps + 1):
        target = f"s{i + 1}" if i < steps else "done"
        lines.append(f"  s{i}: {{actor: customer, channel: web, next: {target}}}\n")
    lines.append("  done: {outcome: resolved}\n")
    return "".join(lines)


def test_jl601_counts_steps_against_signup(lint):
    assert only(lint(cancel_in(2), extend_select=["JL601"]), "JL601") == []
    [finding] = only(lint(cancel_in(3), extend_select=["JL601"]), "JL601")
    assert (finding.line, finding.column, finding.state) == (1, 1, None)
    assert finding.whole_journey
    assert finding.message.startswith("the quickest way to cancel takes 3 steps, against 2 to sign up")
    assert finding.path == ("s1", "s2", "s3", "done")


def test_jl601_takes_the_quickest_way(lint):
    text = """\
    journey: j
    kind: cancellation
    signup_steps: 2
    start: a
    states:
      a:
        actor: customer
        channel: web
        next: [long1, done]
      long1: {actor: customer, channel: web, next: long2}
      long2: {actor: customer, channel: web, next: done}
      done: {outcome: resolved}
    """
    assert only(lint(text, extend_select=["JL601"]), "JL601") == []


def test_jl601_max_ratio_and_scope(lint):
    config = "extend_select: [JL601]\nrules:\n  JL601: {max_ratio: 1.5}\n"
    assert only(lint(cancel_in(3), config_text=config), "JL601") == []
    assert len(only(lint(cancel_in(4), config_text=config), "JL601")) == 1
    # not a cancellation, or no sign-up figure: nothing to compare
    assert only(lint(cancel_in(5, kind="refund"), extend_select=["JL601"]), "JL601") == []
    assert only(lint(cancel_in(5, signup_steps=None), extend_select=["JL601"]), "JL601") == []


# -- JL602 exit-auth-gate ------------------------------------------------------------

GATED = """\
journey: j
kind: cancellation
start: button
states:
  button:
    actor: customer
    channel: web
    next: {next_button}
  login:
    actor: customer
    channel: web
    asks: [password]
    next: form
  guest-form:
    actor: customer
    channel: web
    asks: [email, contract_id]
    next: done
  form:
    actor: customer
    channel: web
    requires: [{requires}]
    next: done
  done:
    outcome: resolved
"""


def gated(next_button="login", requires="contract_signed"):
    return GATED.format(next_button=next_button, requires=requires)


def test_jl602_every_way_through_a_login(lint):
    findings = lint(gated(), extend_select=["JL602"])
    [finding] = only(findings, "JL602")
    assert finding.whole_journey and finding.line == 1
    assert "'login' (asks for password)" in finding.message
    assert [(r.state, r.line, r.note) for r in finding.related] == [("login", 9, "asks for password")]
    assert finding.path == ("button", "login", "form", "done")


def test_jl602_a_way_around_the_login_is_enough(lint):
    text = gated(next_button="[login, guest-form]")
    assert only(lint(text, extend_select=["JL602"]), "JL602") == []


def test_jl602_required_account_access_is_a_login(lint):
    text = gated(next_button="[form, guest-form]", requires="account_access")
    assert only(lint(text, extend_select=["JL602"]), "JL602") == []
    text = gated(next_button="form", requires="account_access")
    [finding] = only(lint(text, extend_select=["JL602"]), "JL602")
    assert "'form' (requires account_access)" in finding.message


def test_jl602_options_name_the_login_items(lint):
    config = "extend_select: [JL602]\nrules:\n  JL602: {auth_items: [pin], auth_requires: []}\n"
    assert only(lint(gated(), config_text=config), "JL602") == []
    text = gated().replace("asks: [password]", "asks: [pin]")
    assert len(only(lint(text, config_text=config), "JL602")) == 1


def test_jl602_only_cancellations_with_a_reachable_resolution(lint):
    text = gated().replace("kind: cancellation", "kind: support")
    assert only(lint(text, extend_select=["JL602"]), "JL602") == []


# -- JL603 exit-data-overreach -----------------------------------------------------------

SURVEY = """\
journey: j
kind: cancellation
start: [web-start{extra_start}]
states:
  web-start:
    actor: customer
    channel: web
    asks: [email]
    next: {after_start}
  survey:
    actor: customer
    channel: web
    asks: [reason, marketing_consent, email]
    next: confirm
  app-start:
    actor: customer
    channel: app
    next: confirm
  confirm:
    actor: customer
    channel: web
    asks: [contract_id]
    next: done
  done:
    outcome: resolved
"""


def survey(after_start="survey", extra_start=""):
    return SURVEY.format(after_start=after_start, extra_start=extra_start)


def test_jl603_an_unavoidable_survey(lint):
    findings = only(lint(survey(), extend_select=["JL603"]), "JL603")
    assert [(f.key, f.line, f.whole_journey) for f in findings] == [("survey", 1, True)]
    [finding] = findings
    assert "'survey', which asks for 'reason', 'marketing_consent'" in finding.message
    assert "email" not in finding.message.split("asks for")[1]
    assert finding.related[0].state == "survey" and finding.related[0].line == 10
    assert finding.path == ("web-start", "survey", "confirm", "done")


def test_jl603_a_way_around_is_enough(lint):
    assert only(lint(survey(after_start="[survey, confirm]"), extend_select=["JL603"]), "JL603") == []
    # a second entry point that skips the survey makes it avoidable too
    assert only(lint(survey(extra_start=", app-start"), extend_select=["JL603"]), "JL603") == []


def test_jl603_allowed_items_option(lint):
    config = ("extend_select: [JL603]\nrules:\n  JL603:\n"
              "    allowed_items: [email, contract_id, reason, marketing_consent]\n")
    assert only(lint(survey(), config_text=config), "JL603") == []
    config = "extend_select: [JL603]\nrules:\n  JL603: {allowed_items: [reason, marketing_consent]}\n"
    # now the start and the confirmation step overreach too, each its own finding
    # (all at the journey key, so sorted by the state they name)
    assert [f.key for f in only(lint(survey(), config_text=config), "JL603")] == ["confirm", "survey", "web-start"]


# -- JL604 cancel-unconfirmed ---------------------------------------------------------

def confirmation_case(states):
    return "journey: j\nkind: cancellation\nstart: form\nstates:\n" + textwrap.indent(textwrap.dedent(states), "  ")


def test_jl604_confirmation_before_the_irreversible_step_does_not_count(lint):
    text = confirmation_case("""\
    form: {actor: customer, channel: web, discloses: [confirmation], next: execute}
    execute: {actor: system, irreversible: true, next: done}
    done: {outcome: resolved}
    """)
    [finding] = only(lint(text, extend_select=["JL604"]), "JL604")
    assert (finding.state, finding.line) == ("done", 7)
    assert "irreversible step 'execute'" in finding.message
    assert finding.path == ("form", "execute", "done")
    assert [(r.state, r.note) for r in finding.related] == [("execute", "irreversible step")]


@pytest.mark.parametrize("where", ["execute", "done"])
def test_jl604_confirmation_at_or_after_the_irreversible_step(lint, where):
    states = {
        "form": "{actor: customer, channel: web, next: execute}",
        "execute": "{actor: system, irreversible: true, next: done}",
        "done": "{outcome: resolved}",
    }
    states[where] = states[where].replace("{", "{discloses: [confirmation], ", 1)
    text = confirmation_case("".join(f"{k}: {v}\n" for k, v in states.items()))
    assert only(lint(text, extend_select=["JL604"]), "JL604") == []


def test_jl604_one_unconfirmed_branch_after_the_step(lint):
    text = confirmation_case("""\
    form: {actor: customer, channel: web, next: execute}
    execute:
      actor: system
      irreversible: true
      next: [email-sent, letter-later]
    email-sent: {actor: system, channel: email, discloses: [confirmation], next: done}
    letter-later: {actor: system, channel: mail, next: done}
    done: {outcome: resolved}
    """)
    [finding] = only(lint(text, extend_select=["JL604"]), "JL604")
    assert finding.path == ("form", "execute", "letter-later", "done")


def test_jl604_without_irreversible_steps_any_confirmation_counts(lint):
    text = confirmation_case("""\
    form: {actor: customer, channel: web, next: [emailed, silent]}
    emailed: {actor: system, channel: email, discloses: [cancel_receipt], next: done}
    silent: {actor: system, channel: web, next: done}
    done: {outcome: resolved}
    """)
    config = "extend_select: [JL604]\nrules:\n  JL604: {item: cancel_receipt}\n"
    [finding] = only(lint(text, config_text=config), "JL604")
    assert "no state on the way discloses 'cancel_receipt'" in finding.message
    assert finding.path == ("form", "silent", "done") and finding.related == ()
    assert only(lint(text.replace("silent: {", "silent: {discloses: [cancel_receipt], "),
                     config_text=config), "JL604") == []


# -- JL605 bot-loop ----------------------------------------------------------------------

LOOP = """\
journey: j
kind: support
start: open
states:
  open: {{actor: customer, channel: chat, next: bot}}
  bot: {{actor: {bot_actor}, channel: chat, next: [answer, retype]}}
  retype: {{actor: customer, channel: chat, next: [bot, {exit}]}}
  answer: {{actor: bot, channel: chat, next: done}}
  human: {{actor: agent, channel: chat, next: done}}
  done: {{outcome: resolved}}
  gave-up: {{outcome: abandoned}}
"""


def test_jl605_a_loop_with_no_person_on_the_way(lint):
    text = LOOP.format(bot_actor="bot", exit="gave-up")
    findings = only(lint(text, extend_select=["JL605"]), "JL605")
    assert [(f.state, f.line) for f in findings] == [("bot", 6)]
    assert "'bot', 'retype'" in findings[0].message
    # the witness reaches the loop and goes round it
    assert findings[0].path == ("open", "bot", "retype", "bot")
    assert_witness_is_real(journey_of(text), findings[0].path)


def test_jl605_a_person_reachable_from_the_loop(lint):
    text = LOOP.format(bot_actor="bot", exit="human")
    assert only(lint(text, extend_select=["JL605"]), "JL605") == []


def test_jl605_system_menus_count_customer_only_loops_do_not(lint):
    text = LOOP.format(bot_actor="system", exit="gave-up")
    assert len(only(lint(text, extend_select=["JL605"]), "JL605")) == 1
    text = LOOP.format(bot_actor="customer", exit="gave-up")
    assert only(lint(text, extend_select=["JL605"]), "JL605") == []


def test_jl605_a_loop_through_a_person_is_not_a_bot_loop(lint):
    text = LOOP.format(bot_actor="agent", exit="gave-up")
    assert only(lint(text, extend_select=["JL605"]), "JL605") == []


# -- JL606 slow-exit-queue ---------------------------------------------------------------

def queue(wait, kind="cancellation", channel="phone", channels=""):
    return (f"journey: j\nkind: {kind}\nstart: hold\n{channels}states:\n"
            f"  hold: {{actor: customer, channel: {channel}, wait: {wait}, next: agent}}\n"
            "  agent: {actor: agent, channel: phone, discloses: [confirmation], next: done}\n"
            "  done: {outcome: resolved}\n")


def test_jl606_limits(lint):
    assert only(lint(queue("3m"), extend_select=["JL606"]), "JL606") == []
    [finding] = only(lint(queue("3m1s"), extend_select=["JL606"]), "JL606")
    assert (finding.state, finding.line) == ("hold", 5)
    assert finding.message == ("'hold' keeps the customer waiting 3m1s on phone to cancel, "
                               "longer than max_exit_wait 3m")
    assert len(only(lint(queue("5m", kind="complaint"), extend_select=["JL606"]), "JL606")) == 1
    assert only(lint(queue("5m", kind="support"), extend_select=["JL606"]), "JL606") == []


def test_jl606_live_channels_only(lint):
    assert only(lint(queue("1h", channel="email"), extend_select=["JL606"]), "JL606") == []
    live_portal = "channels:\n  portal: {live: true}\n"
    assert len(only(lint(queue("5m", channel="portal", channels=live_portal),
                         extend_select=["JL606"]), "JL606")) == 1
    not_live = "channels:\n  phone: {live: false}\n"
    assert only(lint(queue("5m", channels=not_live), extend_select=["JL606"]), "JL606") == []


def test_jl606_sales_wait(lint):
    config = "extend_select: [JL606]\nrules:\n  JL606: {sales_wait: 1m}\n"
    [finding] = only(lint(queue("2m"), config_text=config), "JL606")
    assert finding.message.endswith("longer than the sales line's 1m (sales_wait)")
    [finding] = only(lint(queue("4m"), config_text=config), "JL606")
    assert finding.message.endswith("longer than max_exit_wait 3m and the sales line's 1m (sales_wait)")


# -- the shared analyses the rules added ------------------------------------------------------

def graph_journey(n, edges, starts, resolved):
    lines = ["journey: g", "kind: other", f"start: [{', '.join(f's{s}' for s in starts)}]", "states:"]
    for i in range(n):
        if i in resolved:
            lines.append(f"  s{i}: {{outcome: resolved}}")
            continue
        targets = [f"s{b}" for a, b in edges if a == i]
        lines.append(f"  s{i}: {{actor: bot, next: [{', '.join(targets)}]}}" if targets else f"  s{i}: {{actor: bot}}")
    return journey_of("\n".join(lines) + "\n")


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 9))
    edges = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20))
    starts = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2, unique=True))
    resolved = draw(st.sets(st.integers(0, n - 1), max_size=3))
    return n, edges, starts, resolved


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_unavoidable_matches_removing_each_state(graph):
    """A state is unavoidable exactly when removing it cuts every start from
    every resolution (a path ends at its first resolution)."""
    n, edges, starts, resolved = graph
    journey = graph_journey(n, edges, starts, resolved)
    analysis = Analysis(journey)
    got, path = analysis.unavoidable(analysis.resolutions)

    def resolvable(removed):
        seen = {s for s in starts if s not in removed}
        stack = list(seen)
        while stack:
            u = stack.pop()
            if u in resolved:
                return True
            for a, b in edges:
                if a == u and b not in seen and b not in removed:
                    seen.add(b)
                    stack.append(b)
        return False

    if not resolvable(set()):
        assert (got, path) == ((), ())
        return
    assert set(got) == {f"s{v}" for v in range(n) if not resolvable({v})}
    assert list(got) == [s for s in path if s in got]
    assert_witness_is_real(journey, path)
    assert path[-1] in {f"s{r}" for r in resolved}


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_cycles_within_matches_networkx(graph):
    import networkx as nx

    n, edges, starts, resolved = graph
    journey = graph_journey(n, edges, starts, resolved)
    allowed = {f"s{i}" for i in range(n) if i % 3 != 1}
    sub = journey.graph.subgraph(allowed)
    want = sorted(sorted(c, key=lambda s: int(s[1:])) for c in nx.strongly_connected_components(sub)
                  if len(c) > 1 or any(sub.has_edge(s, s) for s in c))
    got = Analysis(journey).cycles_within(allowed)
    assert sorted(got) == want
    firsts = [int(c[0][1:]) for c in got]
    assert firsts == sorted(firsts)


def test_unavoidable_is_linear_on_a_long_journey():
    """50,000 states in a chain where every odd state may skip the even
    state after it: removing each state in turn would take minutes, one
    pass takes well under a second."""
    n = 50_000
    here = Location("long.yaml", 1, 1)
    states = {}
    for i in range(n):
        nexts = [i + 1] + ([i + 2] if i % 2 == 1 and i + 2 <= n else [])
        states[f"s{i}"] = State(
            id=f"s{i}", location=here, actor="customer", channel="web", asks=("survey",),
            transitions=tuple(Transition(f"s{i}", f"s{j}") for j in nexts))
    states[f"s{n}"] = State(id=f"s{n}", location=here, outcome="resolved")
    journey = Journey(id="long", kind="cancellation", file="long.yaml", location=here,
                      states=states, start=("s0",))
    analysis = Analysis(journey)
    began = time.perf_counter()
    got, _ = analysis.unavoidable(analysis.resolutions)
    elapsed = time.perf_counter() - began
    # the start, every odd state and the end cannot be skipped; the even ones can
    assert got == ("s0",) + tuple(f"s{i}" for i in range(1, n, 2)) + (f"s{n}",)
    assert elapsed < 2.0, elapsed


# -- the enforcement-case journeys, as a user runs them ----------------------------------

ENFORCEMENT = "examples/enforcement"
SAVE_OFFERS = "membership-save-offers.yaml"
GYM = "gym-in-person-cancellation.yaml"
LOGIN = "login-gated-cancellation.yaml"
BOT_LOOP = "complaint-line-bot-loop.yaml"

DEFAULT_FINDINGS = {
    (SAVE_OFFERS, "JL104", None),
    (GYM, "JL404", None), (GYM, "JL405", "club-visit"),
}
PROFILE_ADDS = {
    "eu-consumer": {
        (SAVE_OFFERS, "JL601", None),
        (GYM, "JL601", None), (GYM, "JL602", None), (GYM, "JL604", "membership-ended"),
        (LOGIN, "JL602", None),
    },
    "us-click-to-cancel": {(SAVE_OFFERS, "JL601", None), (GYM, "JL601", None)},
    "california-arl": set(),
    "de-312k": {
        (GYM, "JL602", None), (GYM, "JL603", None), (GYM, "JL604", "membership-ended"),
        (LOGIN, "JL602", None), (LOGIN, "JL603", None),
    },
    "es-customer-service": {
        (GYM, "JL606", "club-visit"),
        (BOT_LOOP, "JL605", "voice-assistant"), (BOT_LOOP, "JL606", "billing-queue"),
    },
    "strict": {
        (SAVE_OFFERS, "JL601", None),
        (GYM, "JL601", None), (GYM, "JL602", None), (GYM, "JL603", None),
        (GYM, "JL604", "membership-ended"), (GYM, "JL606", "club-visit"),
        (LOGIN, "JL602", None), (LOGIN, "JL603", None),
        (BOT_LOOP, "JL605", "voice-assistant"), (BOT_LOOP, "JL606", "billing-queue"),
        (BOT_LOOP, "JL405", "billing-queue"),
    },
}


@pytest.fixture
def no_config(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    return str(path)


def run_enforcement(no_config, *profile):
    args = ["check", "--config", no_config, "--format", "json"]
    for name in profile:
        args += ["--profile", name]
    result = run_cli(*args, ENFORCEMENT, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    got = [(f["file"].split("/")[-1], f["code"], f["state"]) for f in report["findings"]]
    assert len(got) == len(set(got)), got
    return set(got), report


def test_enforcement_examples_with_the_default_rules(no_config):
    got, report = run_enforcement(no_config)
    assert got == DEFAULT_FINDINGS
    assert report["summary"]["files"] == 4


@pytest.mark.parametrize("profile", sorted(PROFILE_ADDS))
def test_enforcement_examples_under_each_profile(no_config, profile):
    got, report = run_enforcement(no_config, profile)
    assert got == DEFAULT_FINDINGS | PROFILE_ADDS[profile]
    journeys = {}
    for name in (SAVE_OFFERS, GYM, LOGIN, BOT_LOOP):
        data = (ROOT / ENFORCEMENT / name).read_bytes()
        journeys[name] = load_bytes(data, name).journeys[0]
    for finding in report["findings"]:
        assert_witness_is_real(journeys[finding["file"].split("/")[-1]], finding["path"])


def test_eu_consumer_text_output_on_the_enforcement_examples(no_config):
    """The acceptance run, as printed: locations, codes and the witnesses."""
    result = run_cli("check", "--config", no_config, "--profile", "eu-consumer",
                     ENFORCEMENT, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if " JL6" in line and not line.startswith(" ")]
    assert [line.split(" [")[0] for line in lines] == [
        "examples/enforcement/gym-in-person-cancellation.yaml:13:1: JL601 exit-asymmetry",
        "examples/enforcement/gym-in-person-cancellation.yaml:13:1: JL602 exit-auth-gate",
        "examples/enforcement/gym-in-person-cancellation.yaml:66:3: JL604 cancel-unconfirmed",
        "examples/enforcement/login-gated-cancellation.yaml:12:1: JL602 exit-auth-gate",
        "examples/enforcement/membership-save-offers.yaml:10:1: JL601 exit-asymmetry",
    ]
    assert ("the quickest way to cancel takes 8 steps, against 2 to sign up" in result.stdout)
    assert "'member-portal-login' (asks for password)" in result.stdout
    assert "path: member-portal-login -> print-form -> club-visit -> operations-manager -> membership-ended" in result.stdout


def test_jl603_is_a_whole_journey_finding_for_suppressions(lint):
    """JL601-JL603 are located at the journey key: only a journey-level
    ignore covers them; a state-level one is unused (JL005)."""
    at_state = survey().replace(
        "    asks: [reason, marketing_consent, email]\n",
        "    asks: [reason, marketing_consent, email]\n"
        "    lint: {ignore: [JL603], reason: the survey is what we measure}\n")
    found = [f for f in lint(at_state, extend_select=["JL603"]) if f.code in ("JL603", "JL005")]
    assert [(f.code, f.state) for f in found] == [("JL603", None), ("JL005", "survey")]
    at_journey = survey().replace(
        "kind: cancellation\n",
        "kind: cancellation\nlint: {ignore: [exit-data-overreach], reason: survey required by the regulator}\n")
    assert [f.code for f in lint(at_journey, extend_select=["JL603"]) if f.code in ("JL603", "JL005")] == []
