"""``journeylint metrics``: effort figures per journey (table, JSON or CSV)."""
from __future__ import annotations

import os

import click

from ..cli import echo_or_write, lint_or_fail, open_session_or_fail, session_options


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@session_options
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: the number of cores; 1: no workers).")
def metrics(paths, fmt, output, config_path, select, extend_select, ignore, profiles, jobs):
    """Effort per journey: states, entry points, resolutions, the fewest steps,
    least wait, least cost, fewest hand-offs and channel switches to a
    resolution, retention offers (cancellations), and findings by severity.

    A figure is '-' (JSON null, empty CSV cell) when no resolution is
    reachable. Exits 0 whatever the findings; 2 on a usage error.
    """
    from ..report.metrics import FORMATTERS, run_metrics

    session = open_session_or_fail(config_path, select, extend_select, ignore, profiles)
    result, files_checked = lint_or_fail(session, paths or (".",), jobs=jobs or os.cpu_count() or 1)
    if files_checked == 0:
        click.echo("journeylint: no journey files found in " + ", ".join(paths or (".",)), err=True)
    # newline="": the CSV writer ends its rows itself
    echo_or_write(FORMATTERS[fmt](run_metrics(result)), output, newline="")
