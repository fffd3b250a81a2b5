"""Fuzz target: raw bytes -> loader -> every rule -> text and JSON output.

Coverage-guided, with atheris (libFuzzer; ``pip install -e '.[fuzz]'``)::

    mkdir -p /tmp/jl-corpus
    python fuzz/fuzz_loader.py /tmp/jl-corpus fuzz/corpus -dict=fuzz/yaml.dict \\
        -max_total_time=600 -timeout=2 -rss_limit_mb=300 -max_len=4096

(new inputs go to the first directory; fuzz/corpus holds the seeds). A
crash or a timeout stops the run and writes the input to ``crash-*`` or
``timeout-*``; replay it with ``python fuzz/fuzz_loader.py crash-...``.

Without atheris, the same checks on random bytes and byte-level mutations
of the seeds, with hypothesis (not coverage-guided)::

    python fuzz/fuzz_loader.py --hypothesis --seconds 600

Besides "no exception escapes", each input is checked for lies: every
finding lies inside the file, no rule fails (JL000), no finding is reported
twice, every witness path is a real path from ``start``, the JSON output
parses, and the text output carries no control character and exactly one
line per finding.
"""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

_engine = None


def _setup():
    """Import journeylint and build an engine with every rule, the opt-in
    ones too, so that the fuzzer reaches them all."""
    global _engine
    from journeylint.config import Config, resolve
    from journeylint.engine import Engine
    from journeylint.loading import Limits
    from journeylint.registry import build_registry

    registry = build_registry()
    ruleset = resolve(Config(layers=[], source=None, base_dir="."), registry,
                      extend_select=[r.code for r in registry.rules])
    _engine = Engine(ruleset, Limits(), known_ref=registry.known_ref)


def _line_count(data: bytes) -> int:
    """An upper bound on the lines an editor or YAML reader sees in ``data``."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return len(data) + 1
    return len(decoded.splitlines()) + 1  # splitlines knows every break YAML knows, and more


def check(data: bytes) -> None:
    """Lint ``data`` as a journey file; AssertionError on any lie."""
    from journeylint.engine import finish
    from journeylint.loading import Limits
    from journeylint.loading.pipeline import load_bytes
    from journeylint.outputs import Report, json_format, text

    if _engine is None:
        _setup()
    loaded = load_bytes(data, "fuzz.yaml", Limits())
    result = finish([_engine.lint_loaded(loaded)])
    findings = result.findings

    max_line = _line_count(data)
    for f in findings:
        assert f.code != "JL000", f"a rule failed: {f.message}"
        assert 1 <= f.line <= max_line and f.column >= 1, f"position outside the file: {f}"
        assert f.file == "fuzz.yaml"
    keys = [(f.code, f.location, f.journey, f.key, f.message) for f in findings]
    assert len(keys) == len(set(keys)), "the same finding is reported twice"

    for f in findings:
        if not f.path:
            continue
        # findings name their journey by id, which two documents may share
        # (itself a JL001): the witness must be real in one of them
        assert any(_is_walk(j, f.path) for j in result.journeys if j.id == f.journey), \
            f"{f.code} witness {f.path} is no path from start"

    report = Report(result=result, rules={}, files_checked=1)
    assert len(json.loads(json_format.render(report))["findings"]) == len(findings)
    shown = text.render(report)
    bad = [c for c in shown if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert not bad, f"control characters in the text output: {bad[:5]!r}"
    heads = [line for line in shown.splitlines() if not line.startswith("    ")]
    assert len(heads) == len(findings) + 1, f"{len(heads) - 1} finding lines for {len(findings)} findings"
    assert all(line.startswith("fuzz.yaml:") for line in heads[:-1]), heads


def _is_walk(journey, path) -> bool:
    if path[0] not in journey.start:
        return False
    return all(any(t.target == b for t in journey.states[a].transitions) for a, b in zip(path, path[1:]))


def TestOneInput(data: bytes) -> None:  # noqa: N802 - the name atheris calls
    check(data)


# -- without atheris -------------------------------------------------------------------

def seeds() -> list[bytes]:
    corpus = os.path.join(HERE, "corpus")
    out = []
    for name in sorted(os.listdir(corpus)):
        with open(os.path.join(corpus, name), "rb") as handle:
            out.append(handle.read())
    return out


def dictionary_tokens() -> list[bytes]:
    tokens = []
    with open(os.path.join(HERE, "yaml.dict"), encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith('"') and line.endswith('"'):
                tokens.append(line[1:-1].encode("latin-1").decode("unicode_escape").encode("latin-1"))
    return tokens


def mutations():
    """Hypothesis strategy: random bytes, or a seed cut, spliced and salted
    with dictionary tokens."""
    from hypothesis import strategies as st

    corpus, tokens = seeds(), dictionary_tokens()

    @st.composite
    def mutated(draw):
        data = bytearray(draw(st.sampled_from(corpus)))
        for _ in range(draw(st.integers(0, 8))):
            op = draw(st.integers(0, 3))
            at = draw(st.integers(0, len(data)))
            if op == 0 and data:
                del data[at:at + draw(st.integers(1, 16))]
            elif op == 1:
                data[at:at] = draw(st.binary(min_size=1, max_size=16))
            elif op == 2 and data:
                start = draw(st.integers(0, len(data) - 1))
                data[at:at] = data[start:start + draw(st.integers(1, 64))]
            else:
                data[at:at] = draw(st.sampled_from(tokens))
        return bytes(data)

    return st.one_of(st.binary(max_size=512), mutated())


def run_hypothesis(seconds: float) -> int:
    import time

    from hypothesis import HealthCheck, given, settings

    strategy = mutations()
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:
        @settings(max_examples=500, deadline=2000, database=None, suppress_health_check=list(HealthCheck))
        @given(strategy)
        def batch(data):
            check(data)

        batch()
        runs += 500
    print(f"hypothesis fuzzing: {runs} inputs in {seconds:g} s, no failure")
    return 0


def main(argv: list[str]) -> int:
    try:
        import atheris
    except ImportError:
        atheris = None
    if "--hypothesis" in argv or atheris is None:
        seconds = float(argv[argv.index("--seconds") + 1]) if "--seconds" in argv else 60.0
        return run_hypothesis(seconds)
    with atheris.instrument_imports(include=["journeylint", "yaml"]):
        _setup()
        import journeylint.outputs.json_format  # noqa: F401 - instrumented now, used by check()
        import journeylint.outputs.text  # noqa: F401
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
