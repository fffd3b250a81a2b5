"""Hostile YAML: alias bombs, deep nesting, unsafe tags, bytes that are not
text, odd encodings and line endings, numbers that are not what they seem.

Every case runs the installed command on the hostile file and a good journey
together, and checks the exact findings (code, line, column), the exit code,
the bounds (2 s of CPU, 300 MB), that nothing escaped as a traceback, and
that the good journey was still checked.
"""
from __future__ import annotations

import pytest

from hostile_helpers import check_with_companion

OK = "journey: j\nkind: support\nstart: a\nstates:\n  a: {actor: agent, outcome: resolved}\n"


def billion_laughs(levels=9, width=9):
    lines = ['l0: &l0 [' + ", ".join(['"lol"'] * width) + ']']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def nested_anchors(levels=100):
    """Each anchor a list holding the previous one twice: 2**levels values,
    written in a few kilobytes, in block style and nested, not flat."""
    out = ["journey: j", "kind: support", "start: a", "states:", "  a: {outcome: resolved}", "extra:"]
    out.append("  - &n0 [x, y]")
    for i in range(1, levels):
        out.append(f"  - &n{i}\n    - *n{i - 1}\n    - *n{i - 1}")
    return "\n".join(out) + "\n"


def wide_alias_fan():
    """One anchor of 1,000 values aliased 300 times: 300,000 values."""
    big = "[" + ", ".join(["x"] * 1000) + "]"
    return "base: &b " + big + "\nuses:\n" + "".join("  - *b\n" for _ in range(300))


def alias_keys_bomb():
    """Mappings whose values are aliases of mappings (the bomb in mapping form)."""
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9}"]
    for i in range(1, 9):
        lines.append(f"m{i}: &m{i} {{" + ", ".join(f"k{k}: *m{i - 1}" for k in range(9)) + "}")
    return "\n".join(lines) + "\n"


def deep_flow(n):
    return "journey: j\nstates: " + "[" * n + "]" * n + "\n"


def deep_flow_mapping(n):
    return "journey: j\nstates: " + "{a: " * n + "1" + "}" * n + "\n"


def deep_block(n):
    lines = ["journey: j", "states:"]
    for i in range(n):
        lines.append("  " * (i + 1) + "a:")
    lines.append("  " * (n + 1) + "b: 1")
    return "\n".join(lines) + "\n"


def deep_block_sequence(n):
    return "journey: j\nstates:\n" + "".join("  " * (i + 1) + "-\n" for i in range(n)) + "  " * (n + 1) + "- x\n"


BAD_STATE = "  b: {nxt: a}\n"


CASES = [
    # -- alias bombs: rejected while composing, never expanded ---------------
    ("billion-laughs", billion_laughs(), [("JL001", 6, 10)], "aliases expand to more than 100,000 values"),
    ("billion-laughs-deep", billion_laughs(levels=30, width=2), [("JL001", 15, 18)], "aliases expand"),
    ("nested-anchors", nested_anchors(), [("JL001", 49, 7)], "aliases expand"),
    ("wide-alias-fan", wide_alias_fan(), [("JL001", 102, 5)], "aliases expand"),
    ("mapping-bomb", alias_keys_bomb(), [("JL001", 5, 59)], "aliases expand"),
    ("alias-to-itself", "a: &a [*a]\n", [("JL001", 1, 8)], "unknown or unfinished anchor '*a'"),
    ("undefined-alias", "journey: *nope\n", [("JL001", 1, 10)], "unknown or unfinished anchor '*nope'"),
    ("merge-key", "base: &b {outcome: resolved}\n" + OK.replace("{actor: agent, outcome: resolved}", "{<<: *b}"),
     [("JL001", 6, 7)], "merge keys ('<<') are not part of YAML 1.2"),
    # -- nesting: a limit, never a RecursionError -----------------------------
    ("deep-flow-5000", deep_flow(5000), [("JL001", 2, 72)], "nests deeper than 64 levels"),
    ("deep-flow-200000", deep_flow(200_000), [("JL001", 2, 72)], "nests deeper than 64 levels"),
    ("deep-flow-mapping", deep_flow_mapping(5000), [("JL001", 2, 261)], "nests deeper than 64 levels"),
    ("deep-block-mapping", deep_block(1000), [("JL001", 66, 129)], "nests deeper than 64 levels"),
    ("deep-block-sequence", deep_block_sequence(1000), [("JL001", 66, 129)], "nests deeper than 64 levels"),
    ("unclosed-flow", "journey: j\nstates: " + "[" * 50, [("JL001", 3, 1)], "YAML syntax error"),
    # -- tags: nothing is constructed ------------------------------------------
    ("python-object", OK.replace("journey: j", "journey: !!python/object:os.system j"), [("JL001", 1, 10)],
     "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'"),
    ("python-apply", OK.replace("{actor: agent, outcome: resolved}", "!!python/object/apply:os.system ['echo pwned']"),
     [("JL001", 5, 6)], "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("python-name-on-root", "--- !!python/name:os.system\n" + OK, [("JL001", 1, 5)], "unsupported YAML tag"),
    ("local-tag", OK.replace("{actor", "!custom {actor"), [("JL001", 5, 6)], "unsupported YAML tag '!custom'"),
    ("binary-tag", OK.replace("outcome: resolved", "outcome: !!binary cmVzb2x2ZWQ="), [("JL001", 5, 30)],
     "unsupported YAML tag 'tag:yaml.org,2002:binary'"),
    ("set-tag", OK.replace("{actor", "!!set {actor"), [("JL001", 5, 6)], "unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ("tag-directive", "%TAG !e! tag:example.com,2000:\n---\n" + OK.replace("journey: j", "journey: !e!x j"),
     [("JL001", 3, 10)], "unsupported YAML tag 'tag:example.com,2000:x'"),
    ("bad-int-tag", OK.replace("outcome: resolved", "outcome: !!int resolved"), [("JL001", 5, 30)],
     "'resolved' is not a valid !!int"),
    ("str-tag-is-fine", OK.replace("journey: j", "journey: !!str j"), [], None),
    # -- bytes that are not UTF-8 text ---------------------------------------------
    ("binary", bytes(range(256)) * 64, [("JL001", 1, 1)], "the file contains a NUL byte"),
    ("png-header", b"\x89PNG\r\n\x1a\n" + bytes(200), [("JL001", 1, 1)], "byte 0x89 begins no UTF-8 character"),
    ("invalid-utf8", OK.encode() + b"  b: {title: caf\xe9, outcome: resolved}\n", [("JL001", 6, 17)],
     "byte 0xE9 begins no UTF-8 character"),
    ("truncated-utf8", OK.encode() + "  b: {title: é".encode()[:-1], [("JL001", 6, 14)], "byte 0xC3 begins no UTF-8 character"),
    ("nul-byte", OK.encode() + b"  b: {title: a\x00b, outcome: resolved}\n", [("JL001", 6, 15)],
     "the file contains a NUL byte"),
    ("control-character", OK.encode() + b"  b: {title: a\x07b, outcome: resolved}\n", [("JL001", 6, 15)],
     "control character U+0007 is not allowed"),
    ("control-after-accents", OK.encode() + "  é: {title: éé\x07, outcome: resolved}\n".encode(), [("JL001", 6, 16)],
     "control character U+0007"),
    ("utf16-le-bom", OK.encode("utf-16"), [], None),
    ("utf16-be-bom", b"\xfe\xff" + OK.encode("utf-16-be"), [], None),
    ("utf16-without-bom", OK.encode("utf-16-le"), [("JL001", 1, 2)], "UTF-16 without a byte-order mark"),
    ("utf32", OK.encode("utf-32"), [("JL001", 1, 1)], "the file contains a NUL byte"),
    ("utf8-bom", b"\xef\xbb\xbf" + OK.encode() + BAD_STATE.encode(), [("JL001", 6, 7), ("JL003", 6, 3)],
     "unknown key 'nxt'"),
    ("bom-in-the-middle", OK.replace("start: a", "\ufeffstart: a"), [("JL001", 3, 2)], "YAML syntax error"),
    # -- line ends and whitespace: positions as an editor shows them -------------------
    ("tab-indentation", OK.replace("  a: {", "\ta: {"), [("JL001", 5, 1)], "(a tab: YAML indents with spaces only)"),
    ("tab-in-block", "journey: j\nkind: support\nstart: a\nstates:\n  a:\n\t  outcome: resolved\n", [("JL001", 6, 1)],
     "tab"),
    ("tab-after-value", OK.replace("start: a", "start: a\t# the way in"), [], None),
    ("crlf", (OK + BAD_STATE).replace("\n", "\r\n"), [("JL001", 6, 7), ("JL003", 6, 3)], "unknown key 'nxt'"),
    ("cr-only", (OK + BAD_STATE).replace("\n", "\r"), [("JL001", 6, 7), ("JL003", 6, 3)], "unknown key 'nxt'"),
    ("mixed-line-ends", "journey: j\r\nkind: support\rstart: a\nstates:\r\n  a: {actor: agent, outcome: resolved}\r" + BAD_STATE,
     [("JL001", 6, 7), ("JL003", 6, 3)], "unknown key 'nxt'"),
    ("cr-only-reader-error", (OK + "  b: {title: a\x07}\n").replace("\n", "\r"), [("JL001", 6, 15)], "U+0007"),
    ("line-separator", OK.replace("kind: support", "kind: support\ndescription: one\u2028two"),
     [("JL001", 3, 17)], "LINE SEPARATOR (U+2028)"),
    ("next-line-in-comment", OK.replace("start: a", "start: a  # note\x85states: {}"), [("JL001", 3, 17)],
     "NEXT LINE (U+0085)"),
    ("paragraph-separator-utf16", ("journey: j\n# \u2029\n" + OK[11:]).encode("utf-16"), [("JL001", 2, 3)],
     "PARAGRAPH SEPARATOR (U+2029)"),
    ("no-final-newline", OK.rstrip("\n"), [], None),
    ("whitespace-with-tab", "   \n\t\n  \n", [("JL001", 2, 1)], "a tab"),
    ("only-whitespace", "   \n\n  \n", [("JL001", 1, 1)], "holds no journey"),
    # -- numbers that are not what they seem -----------------------------------------
    ("int-over-4300-digits", OK.replace("states:", "budget: {steps: " + "9" * 5000 + "}\nstates:"), [("JL001", 4, 17)],
     "'steps' in 'budget' must be a whole number, not a text"),
    ("nan-cost", OK.replace("outcome: resolved", "outcome: resolved, cost: .nan"), [("JL001", 5, 46)],
     "'cost' in state 'a' must be a number, not the text '.nan'"),
    ("huge-float", OK.replace("outcome: resolved", "outcome: resolved, cost: 1e400"), [], None),
    ("negative-inf", OK.replace("outcome: resolved", "outcome: resolved, cost: -.inf"), [("JL001", 5, 46)],
     "'cost' in state 'a' must be at least 0"),
]


@pytest.mark.parametrize("name, content, expected, message", CASES, ids=[c[0] for c in CASES])
def test_hostile_yaml(tmp_path, name, content, expected, message):
    outcome = check_with_companion(tmp_path, "hostile.yaml", content)
    found = sorted(outcome.findings("hostile.yaml"))
    assert found == sorted(expected), outcome.messages("hostile.yaml")
    outcome.assert_clean_exit(1 if expected else 0)
    if message is not None:
        assert any(message in m for m in outcome.messages("hostile.yaml")), outcome.messages("hostile.yaml")
