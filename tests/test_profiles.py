"""Profiles: the shipped ones (what each turns on and sets, its page with
source and date), using them through 'extends' and '--profile', a user's
own profile file, and 'journeylint profiles'."""
from __future__ import annotations

import json
import re

import pytest

from journeylint.config import available_profiles
from journeylint.registry import build_registry

from conftest import ROOT, run_cli, session_for

SHIPPED = ["california-arl", "de-312k", "es-customer-service", "eu-consumer", "recommended",
           "strict", "us-click-to-cancel"]
JL6 = {"JL601", "JL602", "JL603", "JL604", "JL605", "JL606"}
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")

# what each profile adds to the default rule set, and the options it sets
EXPECTED = {
    "recommended": (set(), {}),
    "strict": (JL6, {"JL302": {"max_transfers": 1}, "JL405": {"max_hold": 180}}),
    "us-click-to-cancel": ({"JL601"}, {"JL104": {"max_offers": 1}}),
    "california-arl": (set(), {"JL104": {"max_offers": 1}}),
    "eu-consumer": ({"JL601", "JL602", "JL604"}, {}),
    "de-312k": ({"JL602", "JL603", "JL604"}, {}),
    "es-customer-service": ({"JL605", "JL606"}, {"JL302": {"max_transfers": 1}, "JL606": {"max_exit_wait": 180}}),
}


@pytest.fixture(scope="module")
def default_ruleset(tmp_path_factory):
    return session_for(tmp_path_factory.mktemp("defaults")).ruleset


def test_the_shipped_profiles():
    assert list(available_profiles()) == SHIPPED
    for name in SHIPPED:
        assert (ROOT / "rules" / "profiles" / f"{name}.yaml").is_file()
        assert (ROOT / "rules" / "profiles" / f"{name}.md").is_file()


@pytest.mark.parametrize("name", SHIPPED)
def test_profile_turns_on_and_sets(name, tmp_path, default_ruleset):
    ruleset = session_for(tmp_path, profiles=[name]).ruleset
    added, options = EXPECTED[name]
    assert set(ruleset.enabled) - set(default_ruleset.enabled) == added
    assert set(default_ruleset.enabled) <= set(ruleset.enabled)
    for code, values in options.items():
        for option, value in values.items():
            assert ruleset.options[code][option] == value
    # nothing else changes (some profiles restate a default, such as max_offers 1, to pin it)
    changed = {code for code in ruleset.options if ruleset.options[code] != default_ruleset.options[code]}
    assert changed <= set(options)


def test_recommended_is_the_default_rule_set(tmp_path, default_ruleset):
    ruleset = session_for(tmp_path, config_text="extends: [recommended]\n").ruleset
    assert ruleset.enabled.keys() == default_ruleset.enabled.keys()
    assert ruleset.options == default_ruleset.options
    assert not JL6 & set(ruleset.enabled)
    registry = build_registry()
    assert set(ruleset.enabled) == {r.code for r in registry.rules if r.default_enabled}


@pytest.mark.parametrize("name", SHIPPED)
def test_profile_page_cites_its_source_and_date(name):
    profile = (ROOT / "rules" / "profiles" / f"{name}.yaml").read_text()
    page = (ROOT / "rules" / "profiles" / f"{name}.md").read_text()
    assert page.startswith(f"# Profile: {name}\n")
    assert re.search(r"^\*\*Status:\*\*", page, re.M)
    assert DATE.search(page.split("\n## ")[0]), "the status line gives the date of the legal status"
    for section in ("## What it sets", "## Source"):
        assert section in page
    for key in ("title:", "source:", "status:"):
        assert re.search(rf"^{key} \S", profile, re.M)
    assert DATE.search(re.search(r"^status: (.*)$", profile, re.M).group(1))
    added, options = EXPECTED[name]
    sets = page.split("## What it sets")[1].split("\n## ")[0]
    for code in added | set(options):
        assert code in sets, f"{name}: page does not say it sets {code}"
    for values in options.values():
        for option in values:
            assert f"`{option}:" in sets


def test_the_vacated_ftc_rule_is_labelled_best_practice():
    profile = (ROOT / "rules" / "profiles" / "us-click-to-cancel.yaml").read_text()
    page = (ROOT / "rules" / "profiles" / "us-click-to-cancel.md").read_text()
    status = re.search(r"^status: (.*)$", profile, re.M).group(1)
    assert status.startswith("best practice, not law") and "2025-07-08" in status
    assert "**not law**" in page and "8 July 2025" in page and "vacated" in page
    for name in SHIPPED:
        if name != "us-click-to-cancel":
            assert "best practice" not in re.search(r"^status: (.*)$", (ROOT / "rules" / "profiles" / f"{name}.yaml").read_text(), re.M).group(1)


JOURNEY = """\
journey: queue-to-cancel
kind: cancellation
start: call
states:
  call:
    actor: customer
    channel: phone
    wait: 5m
    next: agent
  agent:
    actor: agent
    channel: phone
    irreversible: true
    next: done
  done:
    outcome: resolved
"""


def codes_of(result):
    return sorted(f["code"] for f in json.loads(result.stdout)["findings"])


@pytest.fixture
def project(tmp_path):
    (tmp_path / "j.yaml").write_text(JOURNEY)
    return tmp_path


def test_extends_and_profile_option_agree(project):
    assert codes_of(run_cli("check", "-f", "json", "j.yaml", cwd=project)) == []
    by_option = run_cli("check", "-f", "json", "--profile", "es-customer-service", "--profile", "de-312k",
                        "j.yaml", cwd=project)
    assert by_option.returncode == 1
    assert codes_of(by_option) == ["JL604", "JL606"]
    (project / "journeylint.yaml").write_text("extends: [recommended, es-customer-service, de-312k]\n")
    assert codes_of(run_cli("check", "-f", "json", "j.yaml", cwd=project)) == ["JL604", "JL606"]


def test_a_users_own_profile_file(project):
    (project / "house.yaml").write_text(
        "title: Our house rules\n"
        "extends: [de-312k]\n"
        "extend_select: [JL606]\n"
        "ignore: [JL604]\n"
        "rules:\n"
        "  JL606: {max_exit_wait: 6m}\n")
    (project / "journeylint.yaml").write_text("extends: [recommended, ./house.yaml]\n")
    assert codes_of(run_cli("check", "-f", "json", "j.yaml", cwd=project)) == []
    (project / "house.yaml").write_text(
        "extends: [de-312k]\nextend_select: [JL606]\nrules:\n  JL606: {max_exit_wait: 4m}\n")
    assert codes_of(run_cli("check", "-f", "json", "j.yaml", cwd=project)) == ["JL604", "JL606"]
    # the same file on the command line
    (project / "journeylint.yaml").unlink()
    assert codes_of(run_cli("check", "-f", "json", "--profile", "house.yaml", "j.yaml", cwd=project)) == [
        "JL604", "JL606"]


def test_unknown_profile_is_a_one_line_error(project):
    (project / "journeylint.yaml").write_text("extends:\n  - recommended\n  - eu-consumr\n")
    result = run_cli("check", "j.yaml", cwd=project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "journeylint: error: journeylint.yaml:3:5: unknown profile 'eu-consumr'; did you mean 'eu-consumer'?"]
    (project / "journeylint.yaml").unlink()
    result = run_cli("check", "--profile", "de312k", "j.yaml", cwd=project)
    assert result.returncode == 2
    assert "unknown profile 'de312k'; did you mean 'de-312k'?" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_broken_user_profile_points_at_the_line(project):
    (project / "house.yaml").write_text("rules:\n  JL606: {max_exit_wait: 3}\n")
    (project / "journeylint.yaml").write_text("extends: [house.yaml]\n")
    result = run_cli("check", "j.yaml", cwd=project)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert re.search(r"house\.yaml:2:\d+: option 'max_exit_wait' of JL606 slow-exit-queue must be a duration", line)


def test_profiles_command_lists_every_profile_with_its_source(tmp_path):
    result = run_cli("profiles", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")
             and not line.startswith("Use ")]
    assert names == SHIPPED
    assert result.stdout.count("source: ") == len(SHIPPED)
    assert result.stdout.count("status: ") == len(SHIPPED)
    assert "sets:   turns on JL404, JL601, JL602, JL604" in result.stdout
    assert "sets:   turns on JL302, JL605, JL606; JL302 max_transfers: 1; JL606 max_exit_wait: 3m" in result.stdout

    result = run_cli("profiles", "--format", "json", cwd=tmp_path)
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert list(rows) == SHIPPED
    for name, row in rows.items():
        yaml_text = (ROOT / "rules" / "profiles" / f"{name}.yaml").read_text()
        assert row["source"] and row["source"].split()[0] in yaml_text
        assert DATE.search(row["status"])
        assert row["page"] == f"rules/profiles/{name}.md"
    assert rows["strict"]["turns_on"] == sorted(JL6)
    assert rows["strict"]["settings"] == {"JL302": {"max_transfers": 1}, "JL405": {"max_hold": "3m"}}
    assert rows["us-click-to-cancel"]["status"].startswith("best practice, not law")


def test_profiles_command_shows_a_page(tmp_path):
    result = run_cli("profiles", "de-312k", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == (ROOT / "rules" / "profiles" / "de-312k.md").read_text()
    result = run_cli("profiles", "eu-consumr", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "journeylint: error: unknown profile 'eu-consumr'; did you mean 'eu-consumer'?\n"
