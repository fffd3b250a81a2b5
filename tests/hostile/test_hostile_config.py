"""Configuration files with the same faults as hostile journeys. A broken
configuration is a one-line error with its position and exit code 2, never
a traceback; a harmless one (empty, comments) changes nothing."""
from __future__ import annotations

import os

import pytest

from hostile_helpers import GOOD_JOURNEY, run_bounded


def billion_laughs(levels=9):
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _run(tmp_path, config: bytes | str | None, *args, name="journeylint.yaml", unprivileged=False):
    (tmp_path / "good.yaml").write_text(GOOD_JOURNEY)
    if config is not None:
        data = config.encode("utf-8") if isinstance(config, str) else config
        (tmp_path / name).write_bytes(data)
    outcome = run_bounded("check", "--jobs", "1", *args, "good.yaml", cwd=tmp_path, unprivileged=unprivileged)
    outcome.assert_bounded()
    return outcome


BROKEN = [
    # -- YAML that must never be expanded, recursed into or constructed -------------
    ("alias-bomb", billion_laughs(), "journeylint.yaml:5:10: aliases expand to more than 10,000 values"),
    ("deep-nesting", "select: " + "[" * 5000 + "]" * 5000 + "\n", "journeylint.yaml:1:40: the document nests deeper than 32 levels"),
    ("python-object", "select: !!python/object/apply:os.system ['echo pwned']\n",
     "journeylint.yaml:1:9: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("binary", bytes(range(256)) * 8, "journeylint.yaml:1:1: cannot read the file as YAML text: the file contains a NUL byte"),
    ("invalid-utf8", b"select: [JL1]\nignore: [caf\xe9]\n", "journeylint.yaml:2:13: cannot read the file as YAML text: byte 0xE9"),
    ("nul-byte", b"select: [JL\x001]\n", "journeylint.yaml:1:12: cannot read the file as YAML text: the file contains a NUL byte"),
    ("tab-indentation", "rules:\n\tJL101: off\n", "journeylint.yaml:2:1: YAML syntax error"),
    ("line-separator", "select: [JL1]  # all\u2028ignore: [JL101]\n", "journeylint.yaml:1:21: the file contains a LINE SEPARATOR"),
    ("crlf-position", "select: [JL1]\r\nignore: [JL101]\r\nfail_on: sometimes\r\n",
     "journeylint.yaml:3:10: unknown severity 'sometimes'"),
    ("duplicate-key", "select: [JL1]\nselect: [JL2]\n", "journeylint.yaml:2:1: duplicate key 'select' (first defined at line 1)"),
    ("two-documents", "select: [JL1]\n---\nignore: [JL101]\n", "journeylint.yaml:2:1: a configuration file holds one YAML document"),
    ("too-large", "# " + "x" * (1024 * 1024) + "\n", "journeylint.yaml: configuration file is larger than 1 MB"),
    # -- shapes and types ------------------------------------------------------------------
    ("top-level-list", "- select\n- JL1\n", "journeylint.yaml:1:1: the configuration must be a mapping of settings, not a list"),
    ("top-level-scalar", "strict\n", "journeylint.yaml:1:1: the configuration must be a mapping of settings, not the text 'strict'"),
    ("number-for-a-rule", "select: [101]\n", "journeylint.yaml:1:10: 'select' entries must be text, not the number 101"),
    ("yaml11-boolean-is-a-rule-name", "ignore: yes\n", "journeylint.yaml:1:9: unknown rule 'yes'"),
    ("boolean-for-a-rule", "ignore: [true]\n", "journeylint.yaml:1:10: 'ignore' entries must be text, not true (true or false)"),
    ("mapping-for-a-list", "select: {JL1: yes}\n", "journeylint.yaml:1:9: 'select' must be a list of rules, not a mapping"),
    ("severity-as-number", "rules:\n  JL101: {severity: 3}\n", "journeylint.yaml:2:21: severity of 'JL101' must be error, warning, info or off, not the number 3"),
    ("yes-for-enabled", "rules:\n  JL101: {enabled: yes}\n", "journeylint.yaml:2:20: 'enabled' must be true or false, not the text 'yes'"),
    ("unknown-setting", "selct: [JL1]\n", "journeylint.yaml:1:1: unknown setting 'selct'; did you mean 'select'?"),
    ("limits-not-a-mapping", "limits: 16MB\n", "journeylint.yaml:1:9: 'limits' must be a mapping, not the text '16MB'"),
    ("negative-size", "limits: {max_file_size: -1}\n", "journeylint.yaml:1:10: 'max_file_size' must be a size such as 16MB"),
    ("infinite-size", "limits: {max_file_size: .inf}\n", "journeylint.yaml:1:10: 'max_file_size' must be a size such as 16MB"),
    ("absurd-size", "limits: {max_file_size: 99999999999999999999GB}\n",
     "journeylint.yaml:1:10: 'max_file_size' can be at most 1GB, not 99999999999999999999GB"),
    ("absurd-size-in-bytes", "limits: {max_file_size: 99999999999999999999}\n",
     "journeylint.yaml:1:10: 'max_file_size' can be at most 1GB, not 99999999999999999999"),
    ("absurd-depth", "limits: {max_depth: 1000000}\n", "journeylint.yaml:1:10: 'max_depth' can be at most 500, not 1000000"),
    ("zero-depth", "limits: {max_depth: 0}\n", "journeylint.yaml:1:10: 'max_depth' must be a whole number above 0, not the number 0"),
    ("boolean-alias-limit", "limits: {max_alias_nodes: true}\n",
     "journeylint.yaml:1:10: 'max_alias_nodes' must be a whole number above 0, not true (true or false)"),
    ("extends-itself", "extends: [journeylint.yaml]\n", "journeylint.yaml: profiles extend each other in a circle"),
    ("extends-a-device", "extends: [/dev/zero]\n", "journeylint.yaml:1:11: profile file '/dev/zero' not found"),
    ("extends-a-number", "extends: [7]\n", "journeylint.yaml:1:11: 'extends' entries must be profile names or files, not the number 7"),
    ("plugin-that-is-not-there", "plugins: [./nowhere.py]\n", "plugin file './nowhere.py' not found"),
]


@pytest.mark.parametrize("name, config, message", BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_configuration_is_one_line_and_exit_2(tmp_path, name, config, message):
    outcome = _run(tmp_path, config)
    outcome.assert_clean_exit(2)
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("journeylint: error: " + message), outcome.stderr


HARMLESS = [
    ("empty", ""),
    ("comments-only", "# nothing configured yet\n"),
    ("null", "null\n"),
    ("utf16-with-bom", "select: [JL0, JL1]\n".encode("utf-16")),
    ("utf8-bom-and-crlf", b"\xef\xbb\xbfselect: [JL0, JL1]\r\n"),
]


@pytest.mark.parametrize("name, config", HARMLESS, ids=[c[0] for c in HARMLESS])
def test_a_harmless_configuration_changes_nothing(tmp_path, name, config):
    outcome = _run(tmp_path, config, "-f", "json")
    outcome.assert_clean_exit(0)
    assert [f["journeys"] for f in outcome.json()["files"]] == [["good-companion"]]


def test_a_configuration_nobody_may_read(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("select: [JL1]\n")
    os.chmod(tmp_path / "journeylint.yaml", 0)
    outcome = _run(tmp_path, None, unprivileged=True)
    outcome.assert_clean_exit(2)
    assert outcome.stderr == "journeylint: error: journeylint.yaml: cannot read configuration: Permission denied\n"


def test_a_configuration_link_that_loops_is_not_passed_over(tmp_path):
    """Before: a looping or dangling journeylint.yaml was skipped and the run
    went on with another configuration (or none) without a word."""
    os.symlink("journeylint.yaml", tmp_path / "journeylint.yaml")
    outcome = _run(tmp_path, None)
    outcome.assert_clean_exit(2)
    assert outcome.stderr == "journeylint: error: journeylint.yaml: cannot read configuration: Too many levels of symbolic links\n"


def test_a_directory_named_like_the_configuration_is_not_passed_over(tmp_path):
    (tmp_path / "journeylint.yaml").mkdir()
    outcome = _run(tmp_path, None)
    outcome.assert_clean_exit(2)
    assert outcome.stderr == "journeylint: error: journeylint.yaml: cannot read configuration: Is a directory\n"


def test_config_option_naming_a_directory_or_nothing(tmp_path):
    (tmp_path / "conf").mkdir()
    outcome = _run(tmp_path, None, "--config", "conf")
    outcome.assert_clean_exit(2)
    assert "'conf' is a directory" in outcome.stderr
    outcome = _run(tmp_path, None, "--config", "missing.yaml")
    outcome.assert_clean_exit(2)
    assert outcome.stderr == "journeylint: error: configuration file 'missing.yaml' not found\n"


PYPROJECT = [
    ("not-toml", b"[tool.journeylint\nselect = [\n", "pyproject.toml: cannot read pyproject.toml: "),
    ("not-utf8", b"[tool.journeylint]\nselect = [\"caf\xe9\"]\n", "pyproject.toml: cannot read pyproject.toml: "),
    ("tool-is-not-a-table", b"tool = 1\n# [tool.journeylint] is not here\n", None),
    ("section-not-a-table", b"[tool]\njourneylint = 5\n", "pyproject.toml: [tool.journeylint] must be a table"),
    ("number-for-a-list", b"[tool.journeylint]\nselect = 5\n", "pyproject.toml:2:1: 'select' must be a list of rules, not the number 5"),
    ("datetime-for-a-severity", b"[tool.journeylint]\nfail_on = 1979-05-27\n", "pyproject.toml:2:1: unknown severity"),
]


@pytest.mark.parametrize("name, content, message", PYPROJECT, ids=[c[0] for c in PYPROJECT])
def test_a_broken_pyproject(tmp_path, name, content, message):
    outcome = _run(tmp_path, content, "--config", "pyproject.toml", name="pyproject.toml")
    if message is None:
        outcome.assert_clean_exit(0)  # no [tool.journeylint]: the defaults
        return
    outcome.assert_clean_exit(2)
    assert outcome.stderr.startswith("journeylint: error: " + message), outcome.stderr
