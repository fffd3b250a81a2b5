"""JL004 no-resolution (see ``rules/JL004-no-resolution.md``)."""
from ..api import Finding, rule


@rule(code="JL004", name="no-resolution", severity="error",
      summary="No resolution is reachable from start")
def no_resolution(journey, analysis, options):
    if analysis.resolution_reachable:
        return
    resolutions = [analysis.ids[i] for i in analysis.resolutions]
    if not resolutions:
        message = ("the journey has no resolution: no state has 'outcome: resolved', "
                   "so no customer ever gets what they came for")
        related = ()
    else:
        names = ", ".join(f"'{r}'" for r in resolutions)
        message = (f"no resolution is reachable from start: {names} "
                   f"{'is' if len(resolutions) == 1 else 'are'} never reached")
        related = tuple(journey.states[r].location.with_note("unreachable resolution") for r in resolutions)
    yield Finding.at(journey, message, related=related)
