"""JL001 invalid-journey: reported by the loader (see ``rules/JL001-invalid-journey.md``)."""
from ..api import rule


@rule(code="JL001", name="invalid-journey", severity="error",
      summary="The file breaks the journey format")
def invalid_journey(journey, analysis, options):
    # The loader reports these while reading the file; nothing is left to check here.
    return ()
