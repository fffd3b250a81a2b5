"""JL601 exit-asymmetry (see ``rules/JL601-exit-asymmetry.md``)."""
from ..api import Finding, Option, rule


@rule(code="JL601", name="exit-asymmetry", severity="error",
      summary="Cancelling takes more steps than signing up did",
      default_enabled=False,
      options={"max_ratio": Option("number", 1.0, "cancel steps allowed per sign-up step")})
def exit_asymmetry(journey, analysis, options):
    if journey.kind != "cancellation" or not journey.signup_steps:
        return
    best = analysis.cheapest("steps")
    if best is None:
        return  # JL004 says no resolution is reachable
    ratio = options["max_ratio"]
    allowed = ratio * journey.signup_steps
    steps = int(best.value)
    if steps <= allowed:
        return
    yield Finding.at(
        journey,
        f"the quickest way to cancel takes {steps} steps, against {journey.signup_steps} to sign up "
        f"(at most {allowed:g} allowed with max_ratio {ratio:g}): leaving must be as easy as joining",
        path=best.path,
    )
