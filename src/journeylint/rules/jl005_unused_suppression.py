"""JL005 unused-suppression: reported by the engine after suppressions are
applied (see ``rules/JL005-unused-suppression.md``)."""
from ..api import rule


@rule(code="JL005", name="unused-suppression", severity="warning",
      summary="A lint: ignore entry that suppressed nothing")
def unused_suppression(journey, analysis, options):
    # Only the engine knows which suppressions were used.
    return ()
