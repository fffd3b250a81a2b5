"""An example journeylint rule plugin (tested by tests/test_plugins.py).

Load it from a configuration file::

    plugins: [docs/plugin-example/acme_rules.py]

or package it and register it under the ``journeylint.rules`` entry-point
group (``[project.entry-points."journeylint.rules"] acme = "acme_rules"``).
"""
from journeylint.api import Finding, Option, rule


@rule(
    code="ACME001",
    name="missing-owner",
    severity="warning",
    summary="A journey without an owning team",
    doc="Every journey names the team that answers for it (`owner:`), so that a finding reaches someone.",
)
def missing_owner(journey, analysis, options):
    if not journey.owner:
        yield Finding.at(journey, f"journey '{journey.id}' has no owner: say which team answers for it")


@rule(
    code="ACME002",
    name="too-many-questions",
    severity="info",
    summary="A state asks the customer for many items at once",
    options={"max_items": Option("int", 3, "items one state may ask for")},
)
def too_many_questions(journey, analysis, options):
    for state in analysis.reachable_states():
        if len(state.asks) > options["max_items"]:
            yield Finding.at(
                state,
                f"state '{state.id}' asks for {len(state.asks)} items at once "
                f"(limit {options['max_items']}): {', '.join(state.asks)}",
            )
