"""JL203 missing-reason (see ``rules/JL203-missing-reason.md``)."""
from ..api import Finding, Option, SHOWN, rule, some_names


@rule(code="JL203", name="missing-reason", severity="error",
      summary="A decision against the customer without its reason",
      options={"item": Option("str", "reason", "the item an adverse state must disclose")})
def missing_reason(journey, analysis, options):
    item = options["item"]
    states = journey.states
    for state in analysis.reachable_states():
        if not state.adverse or item in state.discloses:
            continue
        after = list(dict.fromkeys(t.target for t in state.transitions))
        path = analysis.path_to(state.id)
        if not after:
            if state.broken_next:
                continue  # what comes after it is unknown (JL001/JL002)
            yield Finding.at(
                state,
                f"adverse state '{state.id}' does not disclose '{item}' and nothing comes after it: "
                "the customer is never told why the company decided against them",
                path=path, key=item,
            )
            continue
        silent = [t for t in after if item not in states[t].discloses]
        if not silent:
            continue
        if len(silent) == len(after):
            where = f"neither {'does' if len(silent) == 1 else 'do'} {some_names(silent)} right after it"
        else:
            where = f"{some_names(silent)} right after it {'does' if len(silent) == 1 else 'do'} not either"
        yield Finding.at(
            state,
            f"adverse state '{state.id}' does not disclose '{item}', and {where}: "
            "the customer is not told why the company decided against them",
            path=path + (silent[0],),
            related=tuple(states[t].location.with_note(f"does not disclose '{item}' either") for t in silent[:SHOWN]),
            key=item,
        )
