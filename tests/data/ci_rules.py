"""A rule plugin for the CI output tests: findings whose text the formats
must escape, with a related location, and two findings about the same
place (they must still get two fingerprints)."""
from journeylint.api import Finding, rule


@rule(code="CI001", name="odd-text", severity="info",
      summary="Test rule: text that output formats must escape")
def odd_text(journey, analysis, options):
    for state in journey.states.values():
        if (state.description or "").startswith("odd"):
            yield Finding.at(
                state,
                "100% odd: a, b\r\nsecond line \x1b[31mred\x1b[0m <b>&amp;</b> | pipe",
                related=(journey.location.with_note("journey, here: 50%"),),
                path=analysis.path_to(state.id) or (),
            )
            yield Finding.at(state, "the same place again")
