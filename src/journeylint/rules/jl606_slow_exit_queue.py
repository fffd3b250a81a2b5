"""JL606 slow-exit-queue (see ``rules/JL606-slow-exit-queue.md``)."""
from ..api import Finding, Option, format_duration, rule

EXIT_KINDS = ("cancellation", "complaint")


@rule(code="JL606", name="slow-exit-queue", severity="warning",
      summary="A long live wait on the way to cancel or complain",
      default_enabled=False,
      options={
          "max_exit_wait": Option("duration", "3m", "longest live wait on an exit path"),
          "sales_wait": Option("duration", "0s", "the sales line's wait (0s: not set)"),
      })
def slow_exit_queue(journey, analysis, options):
    if journey.kind not in EXIT_KINDS:
        return
    limit, sales = options["max_exit_wait"], options["sales_wait"]
    for state in analysis.reachable_states():
        channel = journey.channel(state.channel)
        if not state.wait or channel is None or not channel.is_live:
            continue
        reasons = []
        if state.wait > limit:
            reasons.append(f"max_exit_wait {format_duration(limit)}")
        if sales and state.wait > sales:
            reasons.append(f"the sales line's {format_duration(sales)} (sales_wait)")
        if not reasons:
            continue
        yield Finding.at(
            state,
            f"'{state.id}' keeps the customer waiting {format_duration(state.wait)} on "
            f"{state.channel} to {'cancel' if journey.kind == 'cancellation' else 'complain'}, "
            f"longer than {' and '.join(reasons)}",
            path=analysis.path_to(state.id),
        )
