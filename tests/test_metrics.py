"""Effort metrics: figures computed by hand for two story journeys, the
formats of ``journeylint metrics``, and its command-line behaviour."""
from __future__ import annotations

import csv
import io
import json
import textwrap

import pytest

from conftest import assert_witness_is_real, run_cli, session_for
from journeylint.engine import finish
from journeylint.report.metrics import format_csv, format_json, format_table, journey_metrics, run_metrics

# The magazine subscriber of story 000, as the format page tells it.
MAGAZINE = """\
journey: magazine-cancellation
title: Cancel a magazine subscription
kind: cancellation
owner: subscriptions-team
start: call-hotline
channels:
  phone: {cost_per_minute: 0.0, hours: "Mon-Fri 08:00-20:00"}
teams:
  billing: {contact: false}
states:
  call-hotline:
    actor: customer
    channel: phone
    wait: 8m
    next: agent-greets
  agent-greets:
    actor: subscriptions
    channel: phone
    asks: [account_number, identity]
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
    actor: billing
    channel: mail
    wait: 6w
    outcome: resolved
  renewed:
    outcome: retained
"""

# The Comcast retention call of story 001 (example 1), with a second door:
# cancelling in a shop. Each figure is least on a different path, which is
# the point: every figure is minimised on its own.
COMCAST = """\
journey: comcast-retention
kind: cancellation
start: [call, shop]
channels:
  phone: {cost_per_minute: 0.10}
states:
  call:
    actor: customer
    channel: phone
    wait: 10m
    next: front-line
  front-line:
    actor: agent
    channel: phone
    next:
      - {to: offer-1, kind: transfer, when: agent hands over to retention}
  offer-1:
    actor: retention
    channel: phone
    type: retention
    next:
      - {to: offer-2, when: customer says no}
      - {to: kept, when: customer says yes}
  offer-2:
    actor: retention
    channel: phone
    type: retention
    wait: 5m
    next:
      - {to: supervisor, kind: escalate, when: customer insists}
      - {to: kept, when: customer gives in}
  supervisor:
    actor: supervisor
    channel: phone
    type: escalation
    next: disconnect
  disconnect:
    actor: system
    channel: web
    irreversible: true
    next: confirmation
  confirmation:
    actor: customer
    channel: email
    discloses: [confirmation]
    outcome: resolved
  kept:
    outcome: retained
  shop:
    actor: customer
    channel: in-person
    wait: 45m
    cost: 2.5
    next: shop-clerk
  shop-clerk:
    actor: shop-staff
    channel: in-person
    next: disconnect
"""

# No way to a resolution at all: every path figure is absent.
NO_WAY = """\
journey: no-way-out
kind: support
start: ask
states:
  ask:
    actor: customer
    channel: chat
    next: bot
  bot:
    actor: bot
    channel: chat
    scripted: true
    next: [ask, gave-up]
  gave-up:
    outcome: abandoned
"""


def _run(tmp_path, *texts, select=None):
    """Lint the journeys (one file each) and return the metrics rows."""
    session = session_for(tmp_path, select=select)
    results = [session.engine.lint_source(textwrap.dedent(t), f"j{n}.yaml") for n, t in enumerate(texts)]
    return run_metrics(finish(results))


def test_magazine_figures_match_hand_count(tmp_path):
    [row] = _run(tmp_path, MAGAZINE, select=["JL201"])
    assert (row.journey, row.kind, row.owner, row.file) == ("magazine-cancellation", "cancellation",
                                                          "subscriptions-team", "j0.yaml")
    assert (row.states, row.entry_points, row.resolutions) == (7, 1, 1)
    # call-hotline, agent-greets, renewal-offer, confirm-cancel, cancelled, refund-cheque
    assert row.steps == 6
    assert row.wait == 8 * 60 + 6 * 7 * 24 * 3600
    assert row.cost == 0.0
    # staff: subscriptions x3, then billing: one change of team
    assert row.handoffs == 1
    # the customer uses the phone only (confirm-cancel has no channel)
    assert row.switches == 0
    # the renewal offer stands on every way to the refund
    assert row.offers == 1
    # JL201: remaining_balance only after the irreversible step
    assert (row.errors, row.warnings, row.infos) == (1, 0, 0)


def test_comcast_each_figure_is_minimised_on_its_own(tmp_path):
    [row] = _run(tmp_path, COMCAST, select=["JL101"])
    assert (row.states, row.entry_points, row.resolutions) == (10, 2, 1)
    # the shop: shop, shop-clerk, disconnect, confirmation
    assert row.steps == 4
    assert row.paths["steps"][0] == ("shop", "shop-clerk", "disconnect", "confirmation")
    # the phone: 10m + 5m against 45m in the shop
    assert row.wait == 15 * 60
    assert row.paths["wait"][0][0] == "call"
    # the phone: 0.10/min x 15m = 1.50 against the shop's 2.50
    assert row.cost == 1.5
    # the phone has a transfer (agent -> retention; escalate to the
    # supervisor never counts); the shop has one staff member only
    assert row.handoffs == 0
    # phone -> email, or in-person -> email: one switch either way
    assert row.switches == 1
    # the shop passes no offer; the phone passes two
    assert row.offers == 0
    assert (row.errors, row.warnings, row.infos) == (0, 0, 0)
    from journeylint.loading.pipeline import load_bytes

    journey = load_bytes(COMCAST.encode(), "c.yaml").journeys[0]
    for path, _ in row.paths.values():
        assert_witness_is_real(journey, path)


def test_handoffs_counted_on_the_phone_path(tmp_path):
    """Without the shop, the only way has one hand-off (the transfer) and two offers."""
    phone_only = COMCAST.replace("start: [call, shop]", "start: call")
    [row] = _run(tmp_path, phone_only, select=["JL101"])
    assert (row.entry_points, row.steps, row.wait, row.cost, row.handoffs, row.switches, row.offers) == (
        1, 7, 900, 1.5, 1, 1, 2)
    assert row.paths["handoffs"][1] == ("offer-1",)


def test_no_resolution_means_no_figures(tmp_path):
    [row] = _run(tmp_path, NO_WAY, select=["JL101"])
    assert (row.states, row.entry_points, row.resolutions) == (3, 1, 0)
    assert (row.steps, row.wait, row.cost, row.handoffs, row.switches, row.offers) == (None,) * 6
    assert row.paths == {}


def test_offers_only_for_cancellations(tmp_path):
    refund = MAGAZINE.replace("kind: cancellation", "kind: refund")
    [row] = _run(tmp_path, refund, select=["JL101"])
    assert row.offers is None and row.steps == 6


def test_findings_counted_per_journey_and_file(tmp_path):
    """Two files may (by mistake) hold the same journey id: the rows keep
    their own findings."""
    rows = _run(tmp_path, NO_WAY, NO_WAY, select=["JL004"])
    assert [(r.file, r.journey, r.errors) for r in rows] == [
        ("j0.yaml", "no-way-out", 1),          # JL004
        ("j1.yaml", "no-way-out", 2),          # JL004 and JL001 duplicate id
    ]


def test_journey_metrics_takes_findings_given(tmp_path):
    from journeylint.loading.pipeline import load_bytes

    journey = load_bytes(MAGAZINE.encode(), "m.yaml").journeys[0]
    row = journey_metrics(journey)
    assert (row.errors, row.warnings, row.infos) == (0, 0, 0)
    assert row.steps == 6


# -- formats -------------------------------------------------------------------------------


def test_table_json_csv(tmp_path):
    rows = _run(tmp_path, MAGAZINE, NO_WAY, select=["JL201", "JL004"])
    table = format_table(rows).splitlines()
    assert table[0].split() == ["journey", "kind", "states", "entries", "resolutions", "steps", "wait",
                                "cost", "hand-offs", "switches", "offers", "errors", "warnings", "infos"]
    assert table[1].split() == ["magazine-cancellation", "cancellation", "7", "1", "1", "6", "6w8m",
                                "0.00", "1", "0", "1", "1", "0", "0"]
    assert table[2].split() == ["no-way-out", "support", "3", "1", "0", "-", "-", "-", "-", "-", "-",
                                "1", "0", "0"]

    data = json.loads(format_json(rows))
    assert data["version"] == 1
    first, second = data["journeys"]
    assert first == {
        "journey": "magazine-cancellation", "file": "j0.yaml", "kind": "cancellation",
        "owner": "subscriptions-team", "states": 7, "entry_points": 1, "resolutions": 1,
        "steps": 6, "wait_seconds": 3629280, "cost": 0.0, "handoffs": 1, "switches": 0, "offers": 1,
        "findings": {"error": 1, "warning": 0, "info": 0},
    }
    assert second["steps"] is None and second["wait_seconds"] is None and second["offers"] is None

    parsed = list(csv.DictReader(io.StringIO(format_csv(rows))))
    assert parsed[0]["journey"] == "magazine-cancellation"
    assert parsed[0]["wait_seconds"] == "3629280" and parsed[0]["errors"] == "1"
    assert parsed[1]["steps"] == "" and parsed[1]["cost"] == ""


def test_csv_defuses_formulas(tmp_path):
    hostile = MAGAZINE.replace("owner: subscriptions-team", 'owner: "=HYPERLINK(\\"http://x\\")"')
    rows = _run(tmp_path, hostile, select=["JL201"])
    parsed = list(csv.DictReader(io.StringIO(format_csv(rows))))
    assert parsed[0]["owner"].startswith("'=")


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def stories(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("")
    (tmp_path / "magazine.yaml").write_text(MAGAZINE)
    (tmp_path / "comcast.yaml").write_text(COMCAST)
    (tmp_path / "no-way.yaml").write_text(NO_WAY)
    return tmp_path


def test_cli_json(stories):
    done = run_cli("metrics", ".", "--format", "json", cwd=stories)
    assert done.returncode == 0, done.stderr
    rows = {r["journey"]: r for r in json.loads(done.stdout)["journeys"]}
    assert [r["file"] for r in json.loads(done.stdout)["journeys"]] == ["comcast.yaml", "magazine.yaml", "no-way.yaml"]
    assert (rows["comcast-retention"]["steps"], rows["comcast-retention"]["wait_seconds"],
            rows["comcast-retention"]["cost"], rows["comcast-retention"]["handoffs"],
            rows["comcast-retention"]["switches"], rows["comcast-retention"]["offers"]) == (4, 900, 1.5, 0, 1, 0)
    assert rows["magazine-cancellation"]["findings"]["error"] >= 1   # JL201 at least, whatever else runs


def test_cli_table_csv_and_output_file(stories):
    done = run_cli("metrics", "magazine.yaml", "--select", "JL201", cwd=stories)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1].split()[:11] == ["magazine-cancellation", "cancellation", "7", "1", "1",
                                                       "6", "6w8m", "0.00", "1", "0", "1"]
    done = run_cli("metrics", ".", "-f", "csv", "-o", "out.csv", cwd=stories)
    assert done.returncode == 0 and done.stdout == ""
    assert (stories / "out.csv").read_text().startswith("journey,file,kind,owner,states,")


def test_cli_errors(stories):
    done = run_cli("metrics", ".", "--format", "xml", cwd=stories)
    assert done.returncode == 2 and done.stderr.startswith("journeylint: error:")
    assert len(done.stderr.strip().splitlines()) == 1
    done = run_cli("metrics", "missing-dir", cwd=stories)
    assert done.returncode == 2 and "missing-dir" in done.stderr and "Traceback" not in done.stderr
