"""The shipped examples are real: every story journey and every bad example gives exactly the
findings its header promises (codes, and where they are), every repaired or good journey gives
none, and every witness path can be walked in its journey.

The expectations are written from the rule definitions in the design (rules.md) and the stories
in the seeds, not copied from a run: a finding that appears or disappears here is either a rule
changing behaviour or an example no longer telling its story.
"""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from journeylint.engine import finish

from conftest import ROOT, assert_witness_is_real, run_cli, session_for

EXAMPLES = ROOT / "examples"
#: example folders whose findings another test file pins (enforcement cases: test_jl6_exit_rights.py)
PINNED_ELSEWHERE = {"enforcement"}
WHOLE = None  # a whole-journey finding is located at the journey, not at a state

# file (relative to examples/) -> journey id -> the findings, as (code, state) with repetition
BAD = {
    "stories/magazine-cancellation.yaml": {
        "magazine-cancellation": [("JL201", "confirm-cancel")],
    },
    "stories/comcast-retention.yaml": {
        "comcast-retention": [
            ("JL104", WHOLE), ("JL104", "make-offer"), ("JL104", "ask-why-again"),
            ("JL204", "ask-why-again"), ("JL103", "make-offer"),
        ],
    },
    "stories/bank-account-closed.yaml": {
        "bank-account-closed": [
            ("JL301", "branch-teller"), ("JL301", "hotline-agent"), ("JL301", "closure-letter"),
            ("JL405", "call-hotline"), ("JL305", "hotline-agent"), ("JL302", WHOLE),
            ("JL101", "hq-reception"), ("JL203", "closure-letter"), ("JL103", "closure-letter"),
        ],
    },
    "stories/british-airways-twitter.yaml": {
        "british-airways-twitter": [("JL403", "promoted-tweet")],
    },
    "stories/amazon-chat-copy-paste.yaml": {
        "amazon-chat-copy-paste": [("JL502", "canned-reply"), ("JL103", "canned-reply")],
    },
    "stories/smuckers-deleted-comments.yaml": {
        "smuckers-deleted-comments": [("JL501", "facebook-comment"), ("JL103", "page-moderation")],
    },
    "stories/dvd-software-vendor.yaml": {
        "dvd-software-vendor": [
            ("JL202", "download"), ("JL202", "download"), ("JL105", "support-login"),
            ("JL103", "support-login"), ("JL103", "sales-canned-reply"),
            ("JL502", "sales-canned-reply"), ("JL301", "sales-redirects"),
            ("JL401", "call-us-support"),
        ],
    },
    "stories/airline-seat-no-authority.yaml": {
        "airline-seat-no-authority": [("JL103", "uk-desk-refuses")],
    },
    "stories/premium-hotline.yaml": {
        "premium-hotline": [
            ("JL401", "call-support-line"), ("JL401", "transfer-hold"),
            ("JL204", "expert"), ("JL204", "expert"), ("JL303", "expert"),
            ("JL103", "call-support-line"),
        ],
    },
    "bad/cancellation-streaming-phone-only.yaml": {
        "streaming-cancellation-phone-only": [("JL404", WHOLE)],
    },
    "bad/refund-restocking-fee.yaml": {
        "refund-restocking-fee": [
            ("JL202", "refund-issued"), ("JL203", "refund-refused"), ("JL103", "refund-refused"),
        ],
    },
    "bad/password-reset-sms-to-old-number.yaml": {
        "password-reset-sms-to-old-number": [
            ("JL105", "change-phone-number"), ("JL303", "enter-code"), ("JL103", "forgot-password"),
        ],
    },
    "bad/escalation-write-to-executive-office.yaml": {
        "escalation-write-to-executive-office": [
            ("JL301", "support-agent"), ("JL305", "write-letter"), ("JL403", "write-letter"),
            ("JL402", WHOLE),
        ],
    },
    "bad/complaint-comment-card.yaml": {
        "complaint-comment-card": [("JL501", "comment-card"), ("JL103", "shift-manager")],
    },
    "bad/billing-double-charge.yaml": {
        "billing-double-charge": [
            ("JL401", "billing-queue"), ("JL405", "billing-queue"), ("JL204", "billing-agent"),
        ],
    },
    "telecom-suite.yaml": {
        "isp-move-house": [("JL304", WHOLE)],
        "isp-outage-report": [],
        "isp-cancel": [],
    },
}

STORIES = sorted(p for p in BAD if p.startswith("stories/"))
REPAIRED = [p.replace(".yaml", ".repaired.yaml") for p in STORIES]
GOOD = REPAIRED + [
    "good/cancellation-streaming-online.yaml",
    "good/refund-restocking-fee.yaml",
    "good/password-reset-email-link.yaml",
    "good/escalation-supervisor-on-the-call.yaml",
    "good/complaint-comment-card.yaml",
    "good/billing-double-charge.yaml",
    "suppressed-second-id-check.yaml",
]


def lint_example(relative, tmp_path):
    """Findings and journeys of one example, with the default rules, as `journeylint check`."""
    session = session_for(tmp_path)
    result = finish([session.engine.lint_file(str(EXAMPLES / relative), relative)])
    return result.findings, result.journeys


def test_every_example_is_expected():
    """A new example cannot slip in without saying what it shows."""
    on_disk = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yaml")}
    on_disk = {p for p in on_disk if p.split("/")[0] not in PINNED_ELSEWHERE}
    assert on_disk == set(BAD) | set(GOOD)


def test_every_story_has_a_repaired_version():
    seeds = {"000", "001", "002", "003", "004"}
    told = set()
    for story in STORIES:
        header = (EXAMPLES / story).read_text().split("\njourney:")[0]
        told |= set(re.findall(r"seeds/(\d{3})", header))
        assert (EXAMPLES / story.replace(".yaml", ".repaired.yaml")).is_file()
    assert told == seeds
    assert len(STORIES) == 9  # 000, the five of 001, 002, 003, 004


@pytest.mark.parametrize("relative", sorted(BAD))
def test_bad_example_findings(relative, tmp_path):
    findings, journeys = lint_example(relative, tmp_path)
    expected = BAD[relative]
    assert {j.id for j in journeys} == set(expected)
    for journey_id, wanted in expected.items():
        got = [f for f in findings if f.journey == journey_id]
        assert {f.code for f in got} == {code for code, _ in wanted}
        assert Counter((f.code, f.state) for f in got) == Counter(wanted), [
            (f.code, f.state, f.message) for f in got]
        for f in got:
            assert f.whole_journey == (f.state is None)


@pytest.mark.parametrize("relative", GOOD)
def test_good_example_has_no_finding(relative, tmp_path):
    findings, journeys = lint_example(relative, tmp_path)
    assert journeys, "nothing was loaded"
    assert findings == [], [(f.code, f.state, f.message) for f in findings]


@pytest.mark.parametrize("relative", sorted(BAD))
def test_witnesses_are_real_paths(relative, tmp_path):
    findings, journeys = lint_example(relative, tmp_path)
    by_id = {j.id: j for j in journeys}
    with_path = [f for f in findings if f.path]
    # every finding in these examples is about a way through the journey, so each has a witness
    assert len(with_path) == len(findings)
    for f in with_path:
        journey = by_id[f.journey]
        assert_witness_is_real(journey, f.path)
        if f.state is not None:
            # a witness shows the way to the place of the finding
            assert f.state in f.path, (f.code, f.state, f.path)


def finding(findings, code, state):
    matches = [f for f in findings if f.code == code and f.state == state]
    assert len(matches) == 1, [(f.code, f.state) for f in findings]
    return matches[0]


def test_magazine_balance_only_after_the_irreversible_step(tmp_path):
    findings, journeys = lint_example("stories/magazine-cancellation.yaml", tmp_path)
    f = finding(findings, "JL201", "confirm-cancel")
    assert "remaining_balance" in f.message and "cancelled" in f.message
    assert "irreversible" in f.message
    assert f.path == ("call-hotline", "agent-greets", "renewal-offer", "balance-refused", "confirm-cancel")
    assert [r.state for r in f.related] == ["cancelled"]


def test_dvd_vendor_login_is_circular_and_restrictions_come_after_payment(tmp_path):
    findings, _ = lint_example("stories/dvd-software-vendor.yaml", tmp_path)
    f = finding(findings, "JL105", "support-login")
    assert "account_access" in f.message and "circular" in f.message
    restricted = [f.message for f in findings if f.code == "JL202"]
    named = sorted([r for r in ("download_limit", "no_download_accelerator") if f"'{r}'" in m] for m in restricted)
    assert named == [["download_limit"], ["no_download_accelerator"]]  # one finding per restriction
    assert all("'payment'" in m for m in restricted)
    f = finding(findings, "JL301", "sales-redirects")
    assert f.location.transition == "call-us-support" and "tech-support" in f.message


def test_hotline_repeats_both_questions_after_the_transfer(tmp_path):
    findings, _ = lint_example("stories/premium-hotline.yaml", tmp_path)
    asked_again = [f.message for f in findings if f.code == "JL204"]
    named = sorted([i for i in ("identity", "customer_number") if f"'{i}'" in m] for m in asked_again)
    assert named == [["customer_number"], ["identity"]]  # one finding per item asked again
    drop = finding(findings, "JL303", "expert")
    assert drop.location.transition == "line-cut"


def test_comcast_offer_comes_back(tmp_path):
    findings, _ = lint_example("stories/comcast-retention.yaml", tmp_path)
    whole = finding(findings, "JL104", None)
    # the witness is the way with the fewest offers: both of the first two offers, then out
    assert whole.path[-1] == "disconnected"
    assert {"ask-why-leaving", "make-offer"} <= set(whole.path) and "ask-why-again" not in whole.path


def test_bank_closed_door_is_the_closures_team(tmp_path):
    findings, _ = lint_example("stories/bank-account-closed.yaml", tmp_path)
    f = finding(findings, "JL305", "hotline-agent")
    assert f.location.transition == "closures-department" and "account-closures" in f.message
    relay_targets = sorted(f.location.transition for f in findings if f.code == "JL301")
    assert relay_targets == ["call-adviser", "call-hotline", "closures-department"]


def test_suppression_is_what_keeps_the_example_clean(tmp_path):
    """Without its lint block, the suppressed example gives the repeated ask it documents."""
    text = (EXAMPLES / "suppressed-second-id-check.yaml").read_text()
    unsuppressed = re.sub(r"\n    lint:\n(      .*\n)+", "\n", text)
    assert unsuppressed != text
    session = session_for(tmp_path)
    findings = finish([session.engine.lint_source(unsuppressed, "unsuppressed.yaml")]).findings
    assert [(f.code, f.state) for f in findings] == [("JL204", "close-account")]


def test_multi_journey_findings_name_their_journey(tmp_path):
    findings, journeys = lint_example("telecom-suite.yaml", tmp_path)
    assert [j.id for j in journeys] == ["isp-move-house", "isp-outage-report", "isp-cancel"]
    assert [j.document for j in journeys] == [0, 1, 2]
    assert [(f.journey, f.code) for f in findings] == [("isp-move-house", "JL304")]


# -- the command, as a user runs it ------------------------------------------------------------

@pytest.fixture
def no_config(tmp_path):
    config = tmp_path / "journeylint.yaml"
    config.write_text("")
    return config


def test_cli_good_example_exits_zero(no_config):
    result = run_cli("check", "--config", no_config, "examples/good/refund-restocking-fee.yaml", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No problems found" in result.stdout


def test_cli_bad_example_exits_one_with_its_codes(no_config):
    result = run_cli("check", "--config", no_config, "examples/stories/magazine-cancellation.yaml", cwd=ROOT)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if re.match(r"\S+:\d+:\d+: JL", line)]
    assert len(lines) == 1
    assert lines[0].startswith("examples/stories/magazine-cancellation.yaml:57:3: JL201 info-withheld [error] ")
    assert "path: call-hotline -> agent-greets -> renewal-offer -> balance-refused -> confirm-cancel" in result.stdout


def test_cli_whole_examples_directory_matches_the_table(no_config):
    """One run over these examples, read back as JSON: the same findings as the table, nothing else."""
    paths = ["examples/stories", "examples/bad", "examples/good"] + [
        f"examples/{p}" for p in sorted(set(BAD) | set(GOOD)) if "/" not in p]
    result = run_cli("check", "--config", no_config, "--format", "json", *paths, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    got = Counter((f["file"], f["journey"], f["code"], f["state"]) for f in report["findings"])
    wanted = Counter(
        (f"examples/{relative}", journey, code, state)
        for relative, journeys in BAD.items()
        for journey, entries in journeys.items()
        for code, state in entries
    )
    assert got == wanted
    assert report["summary"]["files"] == len(BAD) + len(GOOD)
