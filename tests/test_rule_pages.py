"""Every rule has a page under rules/, in the same shape, and the page's
examples are real: the bad journey gives exactly that rule's finding, the
good one gives nothing at all (every default rule on, plus the page's rule)."""
from __future__ import annotations

import pytest

from journeylint import docs
from journeylint.engine import finish
from journeylint.loading.pipeline import load_bytes
from journeylint.registry import build_registry

from conftest import ROOT, assert_witness_is_real, session_for

REQUIRED_SECTIONS = ("what it finds", "why it hurts", "the story", "example", "how to fix", "options")
BUILTIN = [r for r in build_registry().rules if r.origin == "builtin"]


def test_every_page_names_a_builtin_rule():
    codes = {r.code for r in BUILTIN}
    for page in sorted((ROOT / "rules").glob("*.md")):
        code, name = page.stem.split("-", 1)
        assert code in codes, f"{page.name} documents no built-in rule"
        assert next(r for r in BUILTIN if r.code == code).name == name, f"{page.name}: name differs from the rule's"


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.code)
def test_page_has_every_section(rule):
    text = docs.page_text(rule)
    assert text is not None and docs.page_name(rule.code), f"{rule.code} has no page under rules/"
    assert text.startswith(f"# {rule.code} {rule.name}\n")
    found = docs.sections(text)
    for section in REQUIRED_SECTIONS:
        assert found.get(section), f"{rule.code}: section '## {section}' is missing or empty"
    for option in rule.options:
        assert f"`{option}`" in found["options"], f"{rule.code}: option {option} is not documented"


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.code)
def test_page_examples(rule, tmp_path):
    examples = docs.examples(docs.page_text(rule))
    assert set(examples) == {"bad", "good"}, f"{rule.code}: needs a ### Bad and a ### Good YAML example"
    session = session_for(tmp_path, extend_select=[rule.code])

    bad = finish([session.engine.lint_source(examples["bad"], "bad.yaml")]).findings
    assert bad, f"{rule.code}: the bad example gives no finding"
    assert {f.code for f in bad} == {rule.code}, f"{rule.code}: bad example gives {[(f.code, f.message) for f in bad]}"

    good = finish([session.engine.lint_source(examples["good"], "good.yaml")]).findings
    assert good == [], f"{rule.code}: good example gives {[(f.code, f.message) for f in good]}"

    journeys = load_bytes(examples["bad"].encode(), "bad.yaml").journeys
    for finding in bad:
        if finding.path:
            assert_witness_is_real(journeys[0], finding.path)
