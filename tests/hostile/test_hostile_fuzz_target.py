"""The fuzz target (fuzz/fuzz_loader.py) runs in the normal test suite too:
on its seeds, on what fuzzing found, and on a few hundred mutations, so that
it cannot rot between fuzzing sessions and its checks keep holding."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import HealthCheck, given, settings

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("fuzz_loader", ROOT / "fuzz" / "fuzz_loader.py")
fuzz_loader = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fuzz_loader)


def test_every_seed_passes_the_checks():
    seeds = fuzz_loader.seeds()
    assert len(seeds) >= 5
    for data in seeds:
        fuzz_loader.check(data)


def test_the_checks_catch_a_lie():
    """check() must fail on a forged finding line, or it proves nothing."""
    from journeylint.outputs import text

    render = text.render
    try:
        text.render = lambda report, **options: render(report, **options) + "fuzz.yaml:1:1: JL999 forged\n"
        try:
            fuzz_loader.check(b"journey: j\nkind: support\nstart: a\nstates: {a: {next: b}}\n")
        except AssertionError as error:
            assert "finding lines" in str(error)
        else:
            raise AssertionError("check() accepted a forged finding line")
    finally:
        text.render = render


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(fuzz_loader.mutations())
def test_mutations_of_the_seeds(data):
    fuzz_loader.check(data)
