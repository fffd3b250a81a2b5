"""JL603 exit-data-overreach (see ``rules/JL603-exit-data-overreach.md``)."""
from ..api import Finding, Option, rule

#: what BGB section 312k (2) lets a cancellation page ask, as slugs
ALLOWED = [
    "identity", "name", "address", "email", "phone_number", "account_number", "customer_number",
    "contract_id", "subscription_id", "order_id", "termination_type", "termination_date",
]


@rule(code="JL603", name="exit-data-overreach", severity="error",
      summary="A step every cancellation passes asks for more than cancelling needs",
      default_enabled=False,
      options={"allowed_items": Option("items", ALLOWED, "what a cancellation may ask")})
def exit_data_overreach(journey, analysis, options):
    if journey.kind != "cancellation":
        return
    states, path = analysis.unavoidable(analysis.resolutions)
    allowed = set(options["allowed_items"])
    for sid in states:
        state = journey.states[sid]
        extra = [item for item in state.asks if item not in allowed]
        if not extra:
            continue
        items = ", ".join(f"'{i}'" for i in extra)
        yield Finding.at(
            journey,
            f"every way to cancel passes '{sid}', which asks for {items}: more than cancelling "
            "needs (see allowed_items); make it optional or drop it",
            path=path,
            related=(state.location.with_note("asks " + ", ".join(extra)),),
            key=sid,
        )
