"""``journeylint report``: the run as one self-contained HTML file."""
from __future__ import annotations

import os

import click

from ..cli import echo_or_write, exit_for, lint_or_fail, open_session_or_fail, session_options


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="report.html", show_default=True,
              help="The HTML file to write ('-': standard output).")
@click.option("--title", default=None, help="The report's title (default: journeylint report).")
@session_options
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: the number of cores; 1: no workers).")
def report(paths, output, title, config_path, select, extend_select, ignore, profiles, fail_on, exit_zero, jobs):
    """Write an HTML report: overview, effort table, a diagram per journey
    with its findings. Checks exactly as 'check' does (same discovery,
    configuration, suppressions and exit code)."""
    from ..outputs import Report
    from ..report.html import render_report
    from ..session import rule_infos

    session = open_session_or_fail(config_path, select, extend_select, ignore, profiles)
    jobs = jobs or os.cpu_count() or 1
    result, files_checked = lint_or_fail(session, paths or (".",), jobs=jobs)
    if files_checked == 0:
        click.echo("journeylint: no journey files found in " + ", ".join(paths or (".",)), err=True)
    text = render_report(Report(result=result, rules=rule_infos(session), files_checked=files_checked, title=title),
                         jobs=jobs)
    echo_or_write(text, None if output == "-" else output)
    if output != "-":
        n = len(result.findings)
        click.echo(f"journeylint: wrote {output} ({len(result.journeys)} journeys, "
                   f"{n} finding{'' if n == 1 else 's'})", err=True)
    exit_for(result.findings, session, fail_on, exit_zero)
