"""Rule plugins: from a path named in the configuration, from an installed
entry point, and isolation of a plugin that fails."""
from __future__ import annotations

import json
import textwrap

from conftest import ROOT, lint_text, run_cli

JOURNEY = """\
journey: signup-help
kind: support
start: form
states:
  form:
    actor: customer
    channel: web
    asks: [name, email, phone, address]
    next: done
  done:
    outcome: resolved
"""


def test_plugin_from_a_path_in_the_configuration(tmp_path):
    config = f"plugins: [{ROOT / 'docs/plugin-example/acme_rules.py'}]\nrules:\n  ACME002: {{max_items: 2}}\n"
    findings = lint_text(JOURNEY, tmp_path, config_text=config)
    assert [(f.code, f.name, f.severity.label, f.line) for f in findings] == [
        ("ACME001", "missing-owner", "warning", 1),
        ("ACME002", "too-many-questions", "info", 5),
    ]
    assert findings[1].message == "state 'form' asks for 4 items at once (limit 2): name, email, phone, address"


def test_plugin_path_is_relative_to_the_configuration_file(tmp_path):
    (tmp_path / "lint").mkdir()
    (tmp_path / "lint" / "rules.py").write_text((ROOT / "docs/plugin-example/acme_rules.py").read_text())
    (tmp_path / "journeylint.yaml").write_text("plugins: [lint/rules.py]\n")
    (tmp_path / "j.yaml").write_text(JOURNEY)
    result = run_cli("check", "j.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["ACME001", "ACME002"]


def test_plugins_are_never_loaded_unless_named(tmp_path):
    (tmp_path / "journeylint_rules.py").write_text("raise SystemExit('loaded by itself!')\n")
    (tmp_path / "j.yaml").write_text(JOURNEY.replace("kind: support", "kind: support\nowner: web-team"))
    result = run_cli("check", "j.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_plugin_from_an_installed_entry_point(tmp_path):
    site = tmp_path / "site"
    (site / "acme_rules-1.0.dist-info").mkdir(parents=True)
    (site / "acme_rules.py").write_text((ROOT / "docs/plugin-example/acme_rules.py").read_text())
    (site / "acme_rules-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (site / "acme_rules-1.0.dist-info" / "entry_points.txt").write_text("[journeylint.rules]\nacme = acme_rules\n")
    (tmp_path / "j.yaml").write_text(JOURNEY)
    env = {"PYTHONPATH": str(site)}
    listing = run_cli("rules", "--format", "json", cwd=tmp_path, env=env)
    rules = {r["code"]: r for r in json.loads(listing.stdout)}
    assert rules["ACME001"]["enabled"] == "yes" and rules["JL101"]["enabled"] == "yes"
    result = run_cli("check", "j.yaml", "--format", "json", cwd=tmp_path, env=env)
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["ACME001", "ACME002"]


def test_a_broken_configured_plugin_is_a_configuration_error(tmp_path):
    (tmp_path / "bad.py").write_text("import does_not_exist_anywhere\n")
    (tmp_path / "journeylint.yaml").write_text("plugins: [bad.py]\n")
    (tmp_path / "j.yaml").write_text(JOURNEY)
    result = run_cli("check", "j.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "plugin 'bad.py' could not be loaded: ModuleNotFoundError" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plugin_that_raises_is_an_internal_error_and_other_rules_still_run(tmp_path):
    (tmp_path / "crashy.py").write_text(textwrap.dedent("""\
        from journeylint.api import rule

        @rule(code="ACME900", name="crashy", severity="error", summary="always fails")
        def crashy(journey, analysis, options):
            raise ValueError("boom")
            yield
        """))
    broken = JOURNEY.replace("    next: done", "    next: []")
    findings = lint_text(broken, tmp_path, config_text=f"plugins: [{tmp_path / 'crashy.py'}]\n")
    assert [f.code for f in findings] == ["JL000", "JL004", "JL101", "JL003"]
    assert findings[0].message.startswith("rule ACME900 crashy (")
    assert "raised ValueError: boom" in findings[0].message


def test_a_rule_code_clash_is_a_configuration_error(tmp_path):
    (tmp_path / "clash.py").write_text(textwrap.dedent("""\
        from journeylint.api import rule

        @rule(code="JL101", name="my-dead-end", severity="error", summary="clash")
        def clash(journey, analysis, options):
            return ()
        """))
    (tmp_path / "journeylint.yaml").write_text("plugins: [clash.py]\n")
    (tmp_path / "j.yaml").write_text(JOURNEY)
    result = run_cli("check", "j.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "clashes with JL101 dead-end from builtin" in result.stderr


def test_reference_cycles_a_plugin_leaves_are_collected_during_a_run(tmp_path):
    """The automatic collector is off while linting (the pipeline makes no
    cycles); a plugin's stray cycles must still be freed as the run goes."""
    import gc
    import weakref

    from conftest import session_for
    from journeylint.discovery import discover
    from journeylint.engine import run

    (tmp_path / "leaky.py").write_text(textwrap.dedent("""
        import weakref
        from journeylint.api import rule

        LEFT = []
        #: how many of the cycles left so far were already freed, at each call
        FREED = []

        class Cycle:
            pass

        @rule(code="LEAK001", name="leaves-a-cycle", severity="info", summary="makes a reference cycle")
        def leaves_a_cycle(journey, analysis, options):
            garbage = Cycle()
            garbage.itself = garbage
            LEFT.append(weakref.ref(garbage))
            FREED.append(sum(1 for ref in LEFT if ref() is None))
            return ()
    """))
    files = tmp_path / "journeys"
    files.mkdir()
    for i in range(200):
        (files / f"j{i:03}.yaml").write_text(JOURNEY.replace("signup-help", f"signup-help-{i}"))
    session = session_for(tmp_path, config_text=f"plugins: [{tmp_path / 'leaky.py'}]\n")
    import sys

    leaky = next(m for name, m in sys.modules.items() if name.startswith("journeylint_plugin_leaky"))
    assert gc.isenabled()
    run(session.engine, discover([str(files)]), jobs=1)
    assert gc.isenabled()  # given back as it was
    assert len(leaky.FREED) == 200
    assert leaky.FREED[-1] >= 128, leaky.FREED[-1]
