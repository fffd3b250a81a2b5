"""JL201 info-withheld, JL202 undisclosed-restriction, JL203 missing-reason, JL204 repeated-ask."""
from __future__ import annotations

import textwrap

from conftest import assert_witness_is_real, cli_config_error, journey_of, line_of, run_cli, run_rule


def notes(finding):
    return [(r.state, r.note) for r in finding.related]


# -- JL201 info-withheld ---------------------------------------------------------------

MAGAZINE = """\
journey: magazine-cancellation
kind: cancellation
start: call-hotline
states:
  call-hotline:
    actor: customer
    channel: phone
    next: renewal-offer
  renewal-offer:
    type: retention
    actor: subscriptions
    next:
      - {to: renewed, when: customer accepts the offer}
      - {to: confirm-cancel, when: customer declines}
  confirm-cancel:
    actor: customer
    needs: [remaining_balance]
    next:
      - {to: cancelled, when: customer confirms}
      - {to: renewed, when: customer keeps the subscription}
  cancelled:
    actor: subscriptions
    irreversible: true
    discloses: [remaining_balance]
    next: refund-cheque
  refund-cheque:
    actor: subscriptions
    channel: mail
    outcome: resolved
  renewed:
    outcome: retained
"""


def test_jl201_disclosed_only_at_the_irreversible_step(lint):
    [finding] = run_rule(lint, MAGAZINE, "JL201")
    assert (finding.line, finding.column, finding.state) == (15, 3, "confirm-cancel")
    assert finding.severity.label == "error" and finding.key == "remaining_balance"
    assert finding.message == (
        "'confirm-cancel' needs 'remaining_balance', which is only disclosed after the irreversible step "
        "'cancelled': the customer must commit before learning it")
    assert finding.path == ("call-hotline", "renewal-offer", "confirm-cancel")
    assert [(r.state, r.line, r.note) for r in finding.related] == [
        ("cancelled", 21, "irreversible step, discloses 'remaining_balance'")]


def test_jl201_disclosed_behind_the_irreversible_step(lint):
    text = MAGAZINE.replace("    discloses: [remaining_balance]\n", "").replace(
        "    channel: mail\n", "    channel: mail\n    discloses: [remaining_balance]\n")
    [finding] = run_rule(lint, text, "JL201")
    assert finding.message == (
        "'confirm-cancel' needs 'remaining_balance', which is only disclosed after the irreversible step "
        "'cancelled' (at 'refund-cheque'): the customer must commit before learning it")
    assert notes(finding) == [("cancelled", "irreversible step"),
                              ("refund-cheque", "discloses 'remaining_balance' too late")]


def test_jl201_the_decision_itself_counts(lint):
    text = MAGAZINE.replace("    needs: [remaining_balance]\n", "    needs: [remaining_balance]\n    discloses: [remaining_balance]\n")
    assert run_rule(lint, text, "JL201") == []


def test_jl201_disclosed_on_every_way_before(lint):
    text = MAGAZINE.replace("    actor: subscriptions\n    next:\n      - {to: renewed",
                            "    actor: subscriptions\n    discloses: [remaining_balance]\n    next:\n      - {to: renewed")
    assert run_rule(lint, text, "JL201") == []


def test_jl201_nothing_discloses_it(lint):
    text = MAGAZINE.replace("    discloses: [remaining_balance]\n", "")
    [finding] = run_rule(lint, text, "JL201")
    assert finding.message == ("'confirm-cancel' needs 'remaining_balance', which no state discloses: the "
                               "customer must decide without it")
    assert finding.related == ()


SPLIT = """\
journey: plan-change
kind: billing
start: [app, phone-line]
states:
  app:
    actor: customer
    channel: app
    next: balance-screen
  balance-screen:
    actor: system
    channel: app
    discloses: [remaining_balance]
    next: choose-plan
  phone-line:
    actor: customer
    channel: phone
    next: choose-plan
  choose-plan:
    actor: customer
    needs: [remaining_balance, early_exit_fee]
    next: plan-changed
  plan-changed:
    outcome: resolved
"""


def test_jl201_multiple_starts_and_items(lint):
    findings = run_rule(lint, SPLIT, "JL201")
    assert [(f.state, f.key) for f in findings] == [("choose-plan", "early_exit_fee"), ("choose-plan", "remaining_balance")]
    fee, balance = findings
    assert fee.path == ("phone-line", "choose-plan")
    assert fee.message.endswith("which no state discloses: the customer must decide without it")
    # the way that skips the balance screen is the one from the second start
    assert balance.path == ("phone-line", "choose-plan")
    assert balance.message == (
        "'choose-plan' needs 'remaining_balance', but this way reaches the decision without the customer "
        "being told: only 'balance-screen' discloses it, and not on this way")
    assert notes(balance) == [("balance-screen", "discloses 'remaining_balance', not on this way")]


def test_jl201_many_disclosers_are_counted_not_listed(lint):
    screens = "".join(f"  screen-{i}:\n    actor: system\n    channel: app\n    discloses: [remaining_balance]\n"
                      f"    next: choose-plan\n" for i in range(5))
    text = SPLIT.replace("    needs: [remaining_balance, early_exit_fee]\n", "    needs: [remaining_balance]\n").replace(
        "    next: balance-screen\n", "    next: [balance-screen, screen-0, screen-1, screen-2, screen-3, screen-4]\n").replace(
        "  phone-line:\n", screens + "  phone-line:\n")
    [finding] = run_rule(lint, text, "JL201")
    assert "only 'balance-screen', 'screen-0', 'screen-1' and 3 more disclose it, and not on this way" in finding.message
    assert [r.state for r in finding.related] == ["balance-screen", "screen-0", "screen-1"]


def test_jl201_a_discloser_before_commitment_elsewhere_is_not_called_late(lint):
    # one discloser is reachable without passing an irreversible state: the plain message
    text = SPLIT.replace("    needs: [remaining_balance, early_exit_fee]\n", "    needs: [remaining_balance]\n").replace(
        "    next: plan-changed\n", "    next: pay\n  pay:\n    actor: customer\n    irreversible: true\n"
        "    discloses: [remaining_balance]\n    next: plan-changed\n")
    [finding] = run_rule(lint, text, "JL201")
    assert "irreversible" not in finding.message
    assert "only 'balance-screen', 'pay' disclose it" in finding.message


def test_jl201_decision_on_a_loop(lint):
    # told only after the decision: coming round again does not help the first time
    text = """\
    journey: upgrade
    kind: support
    start: offer
    states:
      offer:
        actor: agent
        channel: chat
        needs: [price]
        next: [quote, done]
      quote:
        actor: agent
        channel: chat
        discloses: [price]
        next: offer
      done:
        outcome: resolved
    """
    [finding] = run_rule(lint, text, "JL201")
    assert finding.path == ("offer",)


def test_jl201_unreachable_decision_is_not_reported(lint):
    text = MAGAZINE.replace("      - {to: confirm-cancel, when: customer declines}\n",
                            "      - {to: cancelled, when: customer declines}\n")
    assert run_rule(lint, text, "JL201") == []


def test_jl201_suppressed_at_the_decision(lint):
    text = MAGAZINE.replace("    needs: [remaining_balance]\n",
                            "    needs: [remaining_balance]\n    lint: {ignore: [info-withheld], reason: fixed in Q3}\n")
    assert lint(text, select=["JL201", "JL005"]) == []
    elsewhere = MAGAZINE.replace("    irreversible: true\n", "    irreversible: true\n    lint: {ignore: [JL201]}\n")
    assert [(f.code, f.state) for f in lint(elsewhere, select=["JL201", "JL005"])] == [
        ("JL201", "confirm-cancel"), ("JL005", "cancelled")]


def test_jl201_has_no_options(tmp_path):
    result = cli_config_error(tmp_path, MAGAZINE, "rules:\n  info-withheld: {item: balance}\n")
    assert result.returncode == 2 and result.stdout == ""
    [message] = result.stderr.strip().splitlines()
    assert "journeylint.yaml:2:19: unknown option" in message and "'item'" in message


# -- JL202 undisclosed-restriction ------------------------------------------------------

DOWNLOAD = """\
journey: dvd-software
kind: onboarding
start: product-page
states:
  product-page:
    actor: customer
    channel: web
    next: order-form
  order-form:
    actor: customer
    channel: web
    next: payment-taken
  payment-taken:
    actor: system
    irreversible: true
    next: confirmation-email
  confirmation-email:
    actor: system
    channel: email
    next: download-page
  download-page:
    actor: customer
    channel: web
    restrictions: [download_limit]
    next: installed
  installed:
    outcome: resolved
"""


def test_jl202_restriction_after_commitment(lint):
    [finding] = run_rule(lint, DOWNLOAD, "JL202")
    assert (finding.line, finding.state, finding.key) == (21, "download-page", "download_limit")
    assert finding.severity.label == "error"
    assert finding.message == (
        "'download-page' applies the restriction 'download_limit', which no state discloses: the customer "
        "can commit at the irreversible step 'payment-taken' without knowing it")
    assert finding.path == ("product-page", "order-form", "payment-taken", "confirmation-email", "download-page")
    assert notes(finding) == [("payment-taken", "irreversible step, before 'download_limit' is disclosed")]


def test_jl202_disclosed_before_commitment(lint):
    text = DOWNLOAD.replace("    next: payment-taken\n", "    discloses: [download_limit]\n    next: payment-taken\n")
    assert run_rule(lint, text, "JL202") == []


def test_jl202_disclosure_at_the_irreversible_step_is_in_time(lint):
    text = DOWNLOAD.replace("    irreversible: true\n", "    irreversible: true\n    discloses: [download_limit]\n")
    assert run_rule(lint, text, "JL202") == []


def test_jl202_disclosure_after_commitment_is_too_late(lint):
    # even at the restricted state itself
    text = DOWNLOAD.replace("    restrictions: [download_limit]\n",
                            "    restrictions: [download_limit]\n    discloses: [download_limit]\n")
    [finding] = run_rule(lint, text, "JL202")
    assert finding.message == (
        "'download-page' applies the restriction 'download_limit', but the customer can commit at the "
        "irreversible step 'payment-taken' before any state discloses it ('download-page' discloses it "
        "only later or on another way)")
    assert notes(finding) == [("payment-taken", "irreversible step, before 'download_limit' is disclosed"),
                              ("download-page", "discloses 'download_limit', not before the commitment")]


def test_jl202_the_restricted_state_is_the_irreversible_step(lint):
    text = DOWNLOAD.replace("    irreversible: true\n", "    irreversible: true\n    restrictions: [no_refund]\n")
    findings = run_rule(lint, text, "JL202")
    assert [(f.state, f.key) for f in findings] == [("payment-taken", "no_refund"), ("download-page", "download_limit")]
    assert findings[0].message == (
        "'payment-taken' is irreversible and applies the restriction 'no_refund', which no state discloses: "
        "the customer commits here without knowing it")
    assert findings[0].path == ("product-page", "order-form", "payment-taken")
    assert findings[0].related == ()


def test_jl202_no_commitment_before_the_restriction(lint):
    text = DOWNLOAD.replace("    irreversible: true\n", "")
    assert run_rule(lint, text, "JL202") == []
    before = DOWNLOAD.replace("    restrictions: [download_limit]\n", "").replace(
        "    next: payment-taken\n", "    restrictions: [download_limit]\n    next: payment-taken\n")
    assert run_rule(lint, before, "JL202") == []


def test_jl202_one_way_without_the_disclosure(lint):
    # the terms page is on one way to the payment only; the witness takes the other
    text = DOWNLOAD.replace("    next: order-form\n", "    next: [terms, order-form]\n  terms:\n    actor: customer\n"
                            "    channel: web\n    discloses: [download_limit]\n    next: order-form\n")
    [finding] = run_rule(lint, text, "JL202")
    assert finding.path == ("product-page", "order-form", "payment-taken", "confirmation-email", "download-page")
    assert "('terms' discloses it only later or on another way)" in finding.message
    only_way = text.replace("    next: [terms, order-form]\n", "    next: terms\n")
    assert run_rule(lint, only_way, "JL202") == []


def test_jl202_restriction_reached_again_after_a_commitment_on_a_loop(lint):
    text = """\
    journey: shop
    kind: onboarding
    start: [basket, saved-basket]
    states:
      saved-basket:
        actor: customer
        channel: web
        next: basket
      basket:
        actor: customer
        channel: web
        restrictions: [final_sale]
        next: [pay, done]
      pay:
        actor: customer
        channel: web
        irreversible: true
        next: basket
      done:
        outcome: resolved
    """
    [finding] = run_rule(lint, text, "JL202")
    assert finding.state == "basket"
    assert finding.path == ("basket", "pay", "basket")


def test_jl202_suppressed_at_the_restricted_state(lint):
    text = DOWNLOAD.replace("    restrictions: [download_limit]\n",
                            "    restrictions: [download_limit]\n    lint: {ignore: [JL202], reason: shown on the invoice}\n")
    assert lint(text, select=["JL202", "JL005"]) == []


def test_jl202_severity_from_the_configuration(lint):
    [finding] = lint(DOWNLOAD, config_text="select: [undisclosed-restriction]\nrules:\n  JL202: warning\n")
    assert finding.severity.label == "warning"


# -- JL203 missing-reason -----------------------------------------------------------

CLOSED = """\
journey: card-stopped
kind: support
start: hotline
states:
  hotline:
    actor: agent
    channel: phone
    next: closure-letter
  closure-letter:
    actor: account-closures
    channel: mail
    adverse: true
    discloses: [account_closed]
    next: [call-adviser, branch]
  call-adviser:
    actor: customer
    channel: phone
    next: done
  branch:
    actor: customer
    channel: in-person
    next: done
  done:
    outcome: resolved
"""


def test_jl203_adverse_state_without_reason(lint):
    [finding] = run_rule(lint, CLOSED, "JL203")
    assert (finding.line, finding.state, finding.key) == (9, "closure-letter", "reason")
    assert finding.severity.label == "error"
    assert finding.message == (
        "adverse state 'closure-letter' does not disclose 'reason', and neither do 'call-adviser', 'branch' "
        "right after it: the customer is not told why the company decided against them")
    assert finding.path == ("hotline", "closure-letter", "call-adviser")
    assert notes(finding) == [("call-adviser", "does not disclose 'reason' either"),
                              ("branch", "does not disclose 'reason' either")]


def test_jl203_reason_at_the_state_itself(lint):
    text = CLOSED.replace("discloses: [account_closed]", "discloses: [account_closed, reason]")
    assert run_rule(lint, text, "JL203") == []


def test_jl203_reason_at_every_state_right_after(lint):
    text = CLOSED.replace("    channel: phone\n    next: done", "    channel: phone\n    discloses: [reason]\n    next: done")
    [finding] = run_rule(lint, text, "JL203")
    assert "and 'branch' right after it does not either:" in finding.message
    assert finding.path == ("hotline", "closure-letter", "branch")
    both = text.replace("    channel: in-person\n", "    channel: in-person\n    discloses: [reason]\n")
    assert run_rule(lint, both, "JL203") == []


def test_jl203_adverse_outcome_must_disclose_itself(lint):
    text = """\
    journey: claim
    kind: refund
    start: claim-form
    states:
      claim-form:
        actor: customer
        channel: web
        next: [refund-denied, refunded]
      refund-denied:
        actor: claims
        adverse: true
        outcome: unresolved
      refunded:
        outcome: resolved
    """
    [finding] = run_rule(lint, text, "JL203")
    assert finding.message == (
        "adverse state 'refund-denied' does not disclose 'reason' and nothing comes after it: the customer "
        "is never told why the company decided against them")
    assert finding.path == ("claim-form", "refund-denied")


def test_jl203_adverse_state_repeating_itself(lint):
    # a self-loop is a state right after it, and it does not disclose either
    text = CLOSED.replace("    next: [call-adviser, branch]", "    next: [closure-letter, call-adviser]").replace(
        "  branch:\n    actor: customer\n    channel: in-person\n    next: done\n", "")
    [finding] = run_rule(lint, text, "JL203")
    assert "neither do 'closure-letter', 'call-adviser' right after it" in finding.message
    assert finding.path == ("hotline", "closure-letter", "closure-letter")


def test_jl203_item_option(lint):
    text = CLOSED.replace("discloses: [account_closed]", "discloses: [account_closed, reason]")
    [finding] = run_rule(lint, text, "JL203", config_text="rules:\n  missing-reason: {item: legal_basis}\n")
    assert finding.key == "legal_basis"
    assert finding.message.startswith("adverse state 'closure-letter' does not disclose 'legal_basis'")
    assert run_rule(lint, CLOSED, "JL203", config_text="rules:\n  JL203: {item: account_closed}\n") == []


def test_jl203_unreachable_adverse_state_is_not_reported(lint):
    text = CLOSED.replace("    next: closure-letter\n", "    next: done\n")
    assert run_rule(lint, text, "JL203") == []


def test_jl203_suppressed_at_the_adverse_state(lint):
    text = CLOSED.replace("    adverse: true\n", "    adverse: true\n    lint: {ignore: [missing-reason], reason: legal hold}\n")
    assert lint(text, select=["JL203", "JL005"]) == []


def test_jl203_wrong_option_type_is_a_configuration_error(tmp_path):
    result = cli_config_error(tmp_path, CLOSED, "rules:\n  JL203: {item: [reason]}\n")
    assert result.returncode == 2 and result.stdout == ""
    [message] = result.stderr.strip().splitlines()
    assert message.endswith("journeylint.yaml:2:17: option 'item' of JL203 missing-reason must be text, not a list")


# -- JL204 repeated-ask ------------------------------------------------------------------

TRANSFER = """\
journey: broadband-fault
kind: support
start: call-support
states:
  call-support:
    actor: customer
    channel: phone
    next: first-line
  first-line:
    actor: agent
    channel: phone
    asks: [identity]
    next:
      - {to: technician, kind: transfer, keeps_context: true}
  technician:
    actor: tech-support
    channel: phone
    asks: [identity, fault_description]
    next: fixed
  fixed:
    outcome: resolved
"""


def test_jl204_asked_again_after_a_transfer(lint):
    [finding] = run_rule(lint, TRANSFER, "JL204")
    assert (finding.line, finding.state, finding.key) == (15, "technician", "identity")
    assert finding.severity.label == "warning"
    assert finding.message == (
        "'technician' asks again for 'identity', which the customer already gave at 'first-line': every way "
        "here has asked for it or told it since the last new contact (the transfer from 'first-line' to "
        "'technician' does not reset that), so the customer repeats themselves")
    assert finding.path == ("call-support", "first-line", "technician")
    assert notes(finding) == [("first-line", "asked for 'identity' first")]


def test_jl204_new_contacts_reset(lint):
    for kind in ("redirect", "drop"):
        text = TRANSFER.replace("kind: transfer, keeps_context: true", f"kind: {kind}")
        assert run_rule(lint, text, "JL204") == [], kind
    # a drop the company calls back from is the same contact
    callback = TRANSFER.replace("kind: transfer, keeps_context: true", "kind: drop, callback: true")
    [finding] = run_rule(lint, callback, "JL204")
    assert finding.message.endswith("since the last new contact, so the customer repeats themselves")


def test_jl204_told_counts_like_asked(lint):
    text = TRANSFER.replace("    asks: [identity]\n", "    discloses: [identity]\n")
    [finding] = run_rule(lint, text, "JL204")
    assert "'technician' asks again for 'identity', which the customer was already told at 'first-line'" in finding.message
    assert notes(finding) == [("first-line", "told 'identity' first")]


def test_jl204_one_way_without_the_earlier_ask(lint):
    text = TRANSFER.replace("    next: first-line\n", "    next: [first-line, technician]\n")
    assert run_rule(lint, text, "JL204") == []


def test_jl204_the_state_itself_and_a_loop(lint):
    # asking on every visit of a loop is not a repeat the first time round
    text = TRANSFER.replace("    asks: [identity]\n", "").replace(
        "    next: fixed\n", "    next: [fixed, {to: technician, kind: retry}]\n")
    assert run_rule(lint, text, "JL204") == []
    # asking and telling the same item at one state does not make it asked before
    text = TRANSFER.replace("    asks: [identity]\n", "").replace(
        "    asks: [identity, fault_description]\n", "    asks: [identity]\n    discloses: [identity]\n")
    assert run_rule(lint, text, "JL204") == []


def test_jl204_nearest_earlier_ask_is_named(lint):
    text = TRANSFER.replace("    next: first-line\n", "    asks: [identity]\n    next: first-line\n")
    findings = run_rule(lint, text, "JL204")
    assert [(f.state, f.key) for f in findings] == [("first-line", "identity"), ("technician", "identity")]
    assert "which the customer already gave at 'call-support': every way" in findings[0].message
    assert "(the transfer" not in findings[0].message
    assert notes(findings[1]) == [("first-line", "asked for 'identity' first")]


def test_jl204_redirect_resets_only_after_it(lint):
    text = """\
    journey: refund-call
    kind: refund
    start: [hotline, web-chat]
    states:
      hotline:
        actor: agent
        channel: phone
        asks: [order_id]
        next:
          - {to: billing, kind: redirect, when: call billing yourself}
      web-chat:
        actor: bot
        channel: chat
        asks: [order_id]
        next:
          - {to: billing-agent, kind: transfer}
      billing:
        actor: customer
        channel: phone
        next: billing-agent
      billing-agent:
        actor: billing
        channel: phone
        asks: [order_id]
        next: refunded
      refunded:
        outcome: resolved
    """
    # after the redirect the customer calls anew: asking again is fair on that way
    assert run_rule(lint, text, "JL204") == []
    # without the redirect both ways have asked already
    [finding] = run_rule(lint, text.replace("kind: redirect", "kind: normal"), "JL204")
    assert finding.state == "billing-agent"
    assert finding.path == ("web-chat", "billing-agent")
    assert "(the transfer from 'web-chat' to 'billing-agent' does not reset that)" in finding.message


def test_jl204_several_items(lint):
    text = TRANSFER.replace("    asks: [identity]\n", "    asks: [identity, customer_number]\n").replace(
        "asks: [identity, fault_description]", "asks: [customer_number, identity, fault_description]")
    findings = run_rule(lint, text, "JL204")
    assert [(f.state, f.key) for f in findings] == [("technician", "customer_number"), ("technician", "identity")]


def test_jl204_suppressed_at_the_asking_state(lint):
    text = TRANSFER.replace("    asks: [identity, fault_description]\n",
                            "    asks: [identity, fault_description]\n    lint: {ignore: [repeated-ask], reason: second factor}\n")
    assert lint(text, select=["JL204", "JL005"]) == []
    at_first = TRANSFER.replace("    asks: [identity]\n", "    asks: [identity]\n    lint: {ignore: [JL204]}\n")
    assert [(f.code, f.state) for f in lint(at_first, select=["JL204", "JL005"])] == [
        ("JL005", "first-line"), ("JL204", "technician")]


def test_jl204_switched_off_and_unknown_option(lint, tmp_path):
    assert lint(TRANSFER, config_text="select: [JL2]\nrules:\n  JL204: {enabled: false}\n") == []
    result = cli_config_error(tmp_path, TRANSFER, "rules:\n  repeated-ask: {max_repeats: 1}\n")
    assert result.returncode == 2
    [message] = result.stderr.strip().splitlines()
    assert "journeylint.yaml:2:18: unknown option" in message and "'max_repeats'" in message


# -- against the definitions, on small random journeys --------------------------------

import pytest  # noqa: E402
from hypothesis import given, settings, strategies as st  # noqa: E402

from conftest import session_for  # noqa: E402

KINDS = ("normal", "transfer", "redirect", "drop", "drop-callback")
FLAGS = ("asks", "discloses", "needs", "restrictions", "irreversible")


@st.composite
def small_journeys(draw):
    """Up to five states with one item 'x': (yaml text, starts, states), where
    states[i] = (flags, [(target, kind), ...], terminal)."""
    n = draw(st.integers(2, 5))
    starts = sorted(draw(st.sets(st.integers(0, n - 1), min_size=1, max_size=2)))
    states = []
    for i in range(n):
        flags = draw(st.sets(st.sampled_from(FLAGS), max_size=3))
        terminal = i == n - 1 or draw(st.integers(0, 5)) == 0
        edges = [] if terminal else draw(st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(KINDS)), min_size=1, max_size=2))
        states.append((flags, edges, terminal))
    lines = ["journey: random", "kind: support", f"start: [{', '.join(f's{i}' for i in starts)}]", "states:"]
    for i, (flags, edges, terminal) in enumerate(states):
        lines.append(f"  s{i}:")
        lines.append("    actor: agent")
        for flag in sorted(flags):
            lines.append("    irreversible: true" if flag == "irreversible" else f"    {flag}: [x]")
        if terminal:
            lines.append("    outcome: resolved")
        else:
            lines.append("    next:")
            for target, kind in edges:
                extra = "drop, callback: true" if kind == "drop-callback" else kind
                lines.append(f"      - {{to: s{target}, kind: {extra}}}")
    return "\n".join(lines) + "\n", starts, states


def walks(starts, states, limit):
    """Every walk from a start of at most ``limit`` states, as (states, kinds)."""
    stack = [((s,), ()) for s in starts]
    while stack:
        walk, kinds = stack.pop()
        yield walk, kinds
        if len(walk) < limit:
            for target, kind in states[walk[-1]][1]:
                stack.append((walk + (target,), kinds + (kind,)))


def expected(starts, states):
    """The findings rules.md defines, by brute force over walks: each kind of
    witness is at most two simple paths joined, so walks of 2n states suffice."""
    has = lambda i, flag: flag in states[i][0]
    limit = 2 * len(states)
    out = set()
    for walk, kinds in walks(starts, states, limit):
        end = walk[-1]
        before = walk[:-1]
        if has(end, "needs") and not has(end, "discloses") and not any(has(i, "discloses") for i in before):
            out.add(("JL201", end))
        if has(end, "restrictions"):
            for at, i in enumerate(walk):
                if has(i, "discloses"):
                    break
                if has(i, "irreversible"):
                    out.add(("JL202", end))
                    break
    # JL204: an asking state where no walk to it ends with nothing known since the last new contact
    fresh_end = set()
    reached = set()
    for walk, kinds in walks(starts, states, limit):
        known = False
        for position, i in enumerate(walk[:-1]):
            known = known or has(i, "asks") or has(i, "discloses")
            if kinds[position] in ("redirect", "drop"):
                known = False
        reached.add(walk[-1])
        if not known:
            fresh_end.add(walk[-1])
    out |= {("JL204", i) for i in reached - fresh_end if has(i, "asks")}
    return out


@pytest.fixture(scope="module")
def information_session(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("random"), select=["JL201", "JL202", "JL204"])


@settings(max_examples=300, deadline=None)
@given(case=small_journeys())
def test_jl201_jl202_jl204_match_their_definitions(information_session, case):
    text, starts, states = case
    session = information_session
    result = session.engine.lint_source(text, "random.yaml")
    journey = result.journeys[0]
    found = {(f.code, f.state) for f in result.findings}
    assert found == {(code, f"s{i}") for code, i in expected(starts, states)}, text
    for finding in result.findings:
        assert_witness_is_real(journey, finding.path)
