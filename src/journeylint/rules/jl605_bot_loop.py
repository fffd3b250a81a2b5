"""JL605 bot-loop (see ``rules/JL605-bot-loop.md``)."""
from ..api import Finding, rule
from ..model import BOT, SYSTEM


@rule(code="JL605", name="bot-loop", severity="warning",
      summary="A chatbot or phone-menu loop with no way to a person",
      default_enabled=False)
def bot_loop(journey, analysis, options):
    states = analysis.states
    # the customer's own turns (typing, pressing a key) are part of the machine's loop
    automated = [i for i, s in enumerate(states) if not s.is_staff and not s.is_terminal]
    staff = [i for i, s in enumerate(states) if s.is_staff]
    reaches_staff = analysis.can_reach(staff)
    for members in analysis.cycles_within(automated):
        first = members[0]
        if not analysis.is_reachable(first):
            continue
        if not any(journey.states[m].actor in (BOT, SYSTEM) for m in members):
            continue
        if reaches_staff[analysis.index[first]]:
            continue
        names = ", ".join(f"'{m}'" for m in members)
        yield Finding.at(
            journey.states[first],
            f"bot loop: {names} go round without a person, and no person can be reached from "
            "them; give the customer a way to a human",
            path=analysis.path_to(first) + analysis.loop_through(first)[1:],
            key=first,
        )
