"""JL402 effort-budget (see ``rules/JL402-effort-budget.md``)."""
from ..api import Finding, Option, format_duration, rule


class Unset(Option):
    """An option that may be left unset: ``None`` (``null`` in the
    configuration) means no budget for that figure, which is the default."""

    def parse(self, value):
        return None if value is None else super().parse(value)

    def describe_default(self) -> str:
        return "none" if self.default is None else super().describe_default()


#: figure (also the measure of ``Analysis.cheapest``) -> (option, how a value reads, witness)
FIGURES = {
    "steps": ("max_steps", lambda v: str(int(v)), "fewest steps"),
    "wait": ("max_wait", format_duration, "least waiting"),
    "cost": ("max_cost", lambda v: f"{v:.2f}", "lowest cost"),
}
#: sums of float costs may land a hair above a budget they equal
EPSILON = 1e-9


@rule(code="JL402", name="effort-budget", severity="warning",
      summary="The cheapest way to a resolution exceeds the effort budget",
      options={
          "max_steps": Unset("int", None, "steps allowed (states with an actor); the journey's budget.steps takes precedence"),
          "max_wait": Unset("duration", None, "total wait allowed; the journey's budget.wait takes precedence"),
          "max_cost": Unset("number", None, "total cost allowed; the journey's budget.cost takes precedence"),
      })
def effort_budget(journey, analysis, options):
    over = []
    for measure, (option, show, _) in FIGURES.items():
        budget = getattr(journey.budget, measure)
        if budget is None:
            budget = options[option]
        if budget is None:
            continue
        best = analysis.cheapest(measure)
        if best is None:
            return  # no resolution is reachable: JL004 says so
        if best.value > budget + EPSILON:
            over.append((measure, best, f"{measure} {show(best.value)} (budget {show(budget)})"))
    if not over:
        return
    measure, best, _ = over[0]
    yield Finding.at(
        journey,
        "effort budget exceeded on the cheapest way to a resolution, each figure minimised on its own: "
        + ", ".join(text for _, _, text in over)
        + f"; the path shown is the one with the {FIGURES[measure][2]}",
        path=best.path,
    )
