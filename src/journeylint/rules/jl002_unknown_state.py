"""JL002 unknown-state: reported by the loader (see ``rules/JL002-unknown-state.md``)."""
from ..api import rule


@rule(code="JL002", name="unknown-state", severity="error",
      summary="A transition or start names a state that does not exist")
def unknown_state(journey, analysis, options):
    # The loader reports these while building the graph; the broken transition is left out.
    return ()
