"""Hostile files and directories: sizes past the limit, very long lines,
links that loop or lead nowhere, files nobody may read, FIFOs and devices,
names that are not UTF-8, thousands of files. Each run is bounded (2 s of
CPU, 300 MB) and never stops the other files."""
from __future__ import annotations

import os

from hostile_helpers import GOOD_JOURNEY, assert_companion_checked, check_with_companion, isolate, run_bounded

OK = "journey: j\nkind: support\nstart: a\nstates:\n  a: {actor: agent, outcome: resolved}\n"
MB = 1024 * 1024


# -- size ------------------------------------------------------------------------------

def test_file_of_tens_of_megabytes_is_refused_without_reading_it(tmp_path):
    padding = ("# " + "y" * 1021 + "\n").encode() * (40 * 1024)  # 40 MB of comments
    outcome = check_with_companion(tmp_path, "huge.yaml", OK.encode() + padding[: 40 * MB - len(OK)])
    assert outcome.findings("huge.yaml") == [("JL001", 1, 1)]
    assert outcome.messages("huge.yaml") == [
        "the file is 40.0 MB, over the limit of 16.0 MB; raise limits.max_file_size in the configuration "
        "if it is meant to be this large"]
    outcome.assert_clean_exit(1)
    assert outcome.max_rss_mb < 100, "a refused file must not be read"


def test_the_size_limit_is_configurable(tmp_path):
    (tmp_path / "journeylint.yaml").write_text("limits:\n  max_file_size: 1MB\n")
    big = (OK + "# padding\n" * (2 * MB // 10)).encode()[: 2 * MB]
    (tmp_path / "big.yaml").write_bytes(big)
    (tmp_path / "small.yaml").write_text(OK.replace("journey: j", "journey: small") + "# padding\n" * 50_000)
    (tmp_path / "good.yaml").write_text(GOOD_JOURNEY)
    outcome = run_bounded("check", "--jobs", "1", "-f", "json", "big.yaml", "small.yaml", "good.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    outcome.assert_clean_exit(1)
    assert outcome.findings() == [("JL001", 1, 1)]
    assert outcome.messages("big.yaml") == [
        "the file is 2.0 MB, over the limit of 1.0 MB; raise limits.max_file_size in the configuration "
        "if it is meant to be this large"]
    assert sorted(j for f in outcome.json()["files"] for j in f["journeys"]) == ["good-companion", "small"]


def test_a_stream_without_a_size_is_cut_at_the_limit(tmp_path):
    """stat() says 0 for a device: the limit must hold while reading."""
    os.symlink("/dev/zero", tmp_path / "zeros.yaml")
    (tmp_path / "good.yaml").write_text(GOOD_JOURNEY)
    isolate(tmp_path)
    outcome = run_bounded("check", "--jobs", "1", "-f", "json", "zeros.yaml", "good.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    outcome.assert_clean_exit(1)
    assert_companion_checked(outcome)
    assert outcome.findings("zeros.yaml") == [("JL001", 1, 1)]
    assert outcome.messages("zeros.yaml")[0].startswith("the file is larger than 16.0 MB, over the limit of 16.0 MB")


def test_a_very_long_line(tmp_path):
    description = "word " * (2 * MB)  # one line of 10 MB
    content = OK.replace("kind: support", f"kind: support\ndescription: {description}")
    outcome = check_with_companion(tmp_path, "long-line.yaml", content)
    assert outcome.findings("long-line.yaml") == []
    outcome.assert_clean_exit(0)


def test_a_very_long_line_with_a_mistake_at_its_end(tmp_path):
    content = "journey: j\nkind: support\nstart: a\nstates: {a: {outcome: resolved, title: '" + "x" * (5 * MB) + "', nxt: 1}}\n"
    outcome = check_with_companion(tmp_path, "long-line.yaml", content)
    assert outcome.findings("long-line.yaml") == [("JL001", 4, 5 * MB + 44)]
    assert outcome.messages("long-line.yaml") == ["unknown key 'nxt' in state 'a'; did you mean 'next'?"]


def test_a_long_state_name(tmp_path):
    name = "s" * 1024  # the longest key YAML allows on one line
    content = OK + f"  {name}: {{outcome: resolved}}\n"
    outcome = check_with_companion(tmp_path, "long-name.yaml", content)
    assert outcome.findings("long-name.yaml") == [("JL003", 6, 3)]
    assert outcome.json()["findings"][0]["state"] == name


def test_a_state_name_of_a_megabyte(tmp_path):
    content = OK + "  " + "s" * MB + ": {outcome: resolved}\n"
    outcome = check_with_companion(tmp_path, "long-name.yaml", content)
    assert outcome.findings("long-name.yaml") == [("JL001", 6, MB + 3)]
    assert outcome.messages("long-name.yaml") == [
        "YAML syntax error: while scanning a simple key could not find expected ':' "
        "(a key written on one line can be at most 1024 characters long)"]


def test_thousands_of_states_on_one_line(tmp_path):
    n = 3000
    states = ", ".join(f"s{i}: {{actor: agent, next: s{i + 1}}}" for i in range(n))
    content = (f"journey: j\nkind: support\nstart: s0\nstates: {{{states}, s{n}: {{outcome: resolved}}, "
               f"s{n + 1}: {{nxt: s0}}}}\n")
    outcome = check_with_companion(tmp_path, "wide.yaml", content)
    line_start = content.index("states:")
    state_column = content.index(f"s{n + 1}:") - line_start + 1
    key_column = content.index("nxt") - line_start + 1
    assert sorted(outcome.findings("wide.yaml")) == [("JL001", 4, key_column), ("JL003", 4, state_column)]
    assert state_column > 100_000


# -- directories -------------------------------------------------------------------------

def _tree(root):
    """A directory with every kind of hostile entry, and one good journey."""
    (root / "good.yaml").write_text(GOOD_JOURNEY)
    os.symlink("loop-b.yaml", root / "loop-a.yaml")
    os.symlink("loop-a.yaml", root / "loop-b.yaml")
    os.symlink("nowhere.yaml", root / "dangling.yaml")
    os.symlink(".", root / "self")                       # a directory loop
    os.symlink("..", root / "parent")
    os.makedirs(root / "folder.yaml")                      # a directory named like a journey
    (root / "folder.yaml" / "inner.yaml").write_text(OK.replace("journey: j", "journey: inner"))
    os.mkfifo(root / "pipe.yaml")                          # opening it would block for ever
    os.symlink("/dev/zero", root / "device.yaml")          # reading it would never end
    (root / "locked.yaml").write_text(OK.replace("journey: j", "journey: locked"))
    os.chmod(root / "locked.yaml", 0)
    (root / os.fsdecode(b"latin-\xe9.yaml")).write_text(OK.replace("journey: j", "journey: latin"))
    (root / "new\nline.yaml").write_text(OK.replace("journey: j", "journey: newline") + "  b:\n")
    deep = root
    for i in range(100):
        deep = deep / f"d{i}"
    os.makedirs(deep)
    (deep / "deep.yaml").write_text(OK.replace("journey: j", "journey: deep"))


def test_a_directory_of_hostile_entries(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    _tree(root)
    isolate(root)
    outcome = run_bounded("check", "--jobs", "1", "-f", "json", ".", cwd=root, unprivileged=True)
    outcome.assert_bounded()
    outcome.assert_clean_exit(1)
    by_file = {}
    for f in outcome.json()["findings"]:
        by_file.setdefault(f["file"], []).append((f["code"], f["line"], f["column"], f["message"]))
    assert by_file == {
        "dangling.yaml": [("JL001", 1, 1, "cannot read the file: No such file or directory")],
        "locked.yaml": [("JL001", 1, 1, "cannot read the file: Permission denied")],
        "loop-a.yaml": [("JL001", 1, 1, "cannot read the file: Too many levels of symbolic links")],
        "loop-b.yaml": [("JL001", 1, 1, "cannot read the file: Too many levels of symbolic links")],
        "new\nline.yaml": [
            ("JL001", 6, 3, "state 'b' is empty: give it 'next' (where the customer goes) or 'outcome' (how the journey ends)"),
            ("JL003", 6, 3, "state 'b' cannot be reached from start ('a'): no transition leads to it")],
    }
    journeys = {f["file"]: f["journeys"] for f in outcome.json()["files"]}
    assert journeys == {
        "dangling.yaml": [], "locked.yaml": [], "loop-a.yaml": [], "loop-b.yaml": [],
        "d0/" + "/".join(f"d{i}" for i in range(1, 100)) + "/deep.yaml": ["deep"],
        "folder.yaml/inner.yaml": ["inner"],
        "good.yaml": ["good-companion"],
        "latin-\\xe9.yaml": ["latin"],
        "new\nline.yaml": ["newline"],
    }


def test_hostile_entries_named_on_the_command_line(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    _tree(root)
    isolate(root)
    outcome = run_bounded("check", "--jobs", "1", "-f", "json", "locked.yaml", "loop-a.yaml", "dangling.yaml",
                          "folder.yaml", os.fsdecode(b"latin-\xe9.yaml"), "good.yaml", cwd=root, unprivileged=True)
    outcome.assert_bounded()
    outcome.assert_clean_exit(1)
    assert_companion_checked(outcome)
    assert sorted(outcome.findings()) == [("JL001", 1, 1)] * 3
    assert sorted(outcome.json()["files"], key=lambda f: f["file"]) == [
        {"file": "dangling.yaml", "journeys": [], "findings": 1},
        {"file": "folder.yaml/inner.yaml", "journeys": ["inner"], "findings": 0},
        {"file": "good.yaml", "journeys": ["good-companion"], "findings": 0},
        {"file": "latin-\\xe9.yaml", "journeys": ["latin"], "findings": 0},
        {"file": "locked.yaml", "journeys": [], "findings": 1},
        {"file": "loop-a.yaml", "journeys": [], "findings": 1},
    ]


def test_text_output_of_hostile_names_is_one_line_per_finding(tmp_path):
    root = tmp_path / "tree"
    root.mkdir()
    _tree(root)
    isolate(root)
    outcome = run_bounded("check", "--jobs", "1", ".", cwd=root, unprivileged=True)
    outcome.assert_clean_exit(1)
    lines = outcome.stdout.splitlines()
    assert "new\\nline.yaml:6:3: JL001 invalid-journey [error] state 'b' is empty: give it 'next' (where the " \
           "customer goes) or 'outcome' (how the journey ends)" in lines
    assert len([line for line in lines if ": JL" in line]) == 6
    assert lines[-1] == "Found 6 problems (5 errors, 1 warning) in 5 of 9 files (5 journeys checked)."


def test_a_path_that_does_not_exist(tmp_path):
    isolate(tmp_path)
    (tmp_path / "good.yaml").write_text(GOOD_JOURNEY)
    outcome = run_bounded("check", "--jobs", "1", "good.yaml", "missing.yaml", cwd=tmp_path)
    outcome.assert_bounded()
    outcome.assert_clean_exit(2)
    assert outcome.stdout == ""
    assert outcome.stderr == "journeylint: error: path 'missing.yaml' does not exist\n"


def test_thousands_of_files(tmp_path):
    root = tmp_path / "many"
    for i in range(2000):
        folder = root / f"team-{i % 40}"
        folder.mkdir(parents=True, exist_ok=True)
        text = OK.replace("journey: j", f"journey: j{i}")
        if i % 500 == 7:
            text += "  b: {next: nowhere}\n"
        (folder / f"journey-{i}.yaml").write_text(text)
    isolate(root)
    outcome = run_bounded("check", "--jobs", "1", "-f", "json", ".", cwd=root)
    outcome.assert_bounded()
    outcome.assert_clean_exit(1)
    document = outcome.json()
    assert document["summary"]["files"] == 2000
    assert document["summary"]["journeys"] == 2000
    assert sorted((f["file"], f["code"], f["line"], f["column"]) for f in document["findings"]) == sorted(
        (f"team-{i % 40}/journey-{i}.yaml", code, 6, column)
        for i in (7, 507, 1007, 1507) for code, column in (("JL002", 13), ("JL003", 3)))
