"""The command line: parses options, calls the session, prints, exits.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage or
configuration error. Every error a user can cause is one line on stderr.
"""
from __future__ import annotations

import importlib
import os
import sys

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

#: commands that live in their own modules, imported only when run
LAZY_COMMANDS = {
    "report": "journeylint.commands.report:report",
    "metrics": "journeylint.commands.metrics:metrics",
    "graph": "journeylint.commands.graph:graph",
    "import": "journeylint.commands.importer:import_command",
    "profiles": "journeylint.commands.profiles:profiles",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


def fail(message: str, code: int = EXIT_USAGE):
    click.echo(f"journeylint: error: {message}", err=True)
    sys.exit(code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="journeylint", message="%(prog)s %(version)s")
def cli():
    """journeylint: find the friction customers suffer in support journeys."""


def use_color(no_color: bool) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def session_options(function):
    """Options shared by check, report and metrics."""
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (default: journeylint.yaml, .journeylint.yaml or pyproject.toml, searched upwards)."),
        click.option("--select", multiple=True, help="Only these rules (codes, names or prefixes such as JL1; comma-separated or repeated)."),
        click.option("--extend-select", multiple=True, help="Add these rules to the configured ones."),
        click.option("--ignore", multiple=True, help="Switch these rules off."),
        click.option("--profile", "profiles", multiple=True, help="Apply a profile on top of the configuration (see 'journeylint profiles')."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def open_session_or_fail(config_path, select, extend_select, ignore, profiles):
    from .config import ConfigError
    from .registry import PluginError
    from .session import open_session

    try:
        return open_session(config_path=config_path, select=list(select) or None,
                            extend_select=extend_select, ignore=ignore, profiles=profiles)
    except (ConfigError, PluginError) as error:
        fail(str(error))


def lint_or_fail(session, paths, jobs=1, progress=None, full_journeys=True):
    from .discovery import DiscoveryError
    from .session import lint_paths

    try:
        return lint_paths(session, paths, jobs=jobs, progress=progress, full_journeys=full_journeys)
    except DiscoveryError as error:
        fail(str(error))


def write_or_fail(target: str, text: str, *, newline: str = "\n"):
    """Write ``text`` to the file ``target``; a one-line error (exit 2) if it
    cannot be written. ``newline=""`` keeps line ends as written (CSV)."""
    try:
        with open(target, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
    except OSError as error:
        fail(f"cannot write {target}: {error.strerror or error}")


def echo_or_write(text: str, target: str | None, *, newline: str = "\n"):
    """``text`` to standard output, or to the file ``target`` when one is given."""
    if target is None:
        click.echo(text, nl=False)
    else:
        write_or_fail(target, text, newline=newline)


def exit_for(findings, session, fail_on, exit_zero):
    """The exit-code policy shared by check and report (the README's table)."""
    from .findings import Severity

    threshold = Severity.parse(fail_on) if fail_on else (session.config.fail_on or Severity.WARNING)
    worst = max((f.severity for f in findings), default=None)
    sys.exit(EXIT_FINDINGS if worst is not None and worst >= threshold and not exit_zero else EXIT_CLEAN)


def _progress_printer():
    if not sys.stderr.isatty():
        return None

    def progress(done, total):
        if total >= 50 and (done % 25 == 0 or done == total):
            end = "\n" if done == total else ""
            click.echo(f"\rchecked {done}/{total} files", err=True, nl=False)
            if end:
                click.echo("\r" + " " * 40 + "\r", err=True, nl=False)

    return progress


def _cores() -> int:
    """The cores this process may use (a container's CPU limit, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _append_step_summary(path, report):
    """GitHub shows only 10 annotations of each level per step: the full list goes to the job page."""
    from .outputs.github import step_summary

    try:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(step_summary(report))
    except OSError as error:
        click.echo(f"journeylint: warning: cannot write the step summary {path}: {error.strerror or error}", err=True)


@cli.command()
# readable=False: an unreadable file is a finding like any other broken file,
# not a usage error that stops the whole run
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--format", "-f", "formats", multiple=True, metavar="FORMAT",
              help="Output format: text (default; github when GITHUB_ACTIONS=true), json, sarif, junit, github, "
                   "gitlab; repeat with --output for several reports from one run.")
@click.option("--output", "-o", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write the report to this file (pairs with --format in order).")
@session_options
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit code 1 (default: warning).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--no-color", is_flag=True, help="No colour, even on a terminal (NO_COLOR works too).")
@click.option("--quiet", "-q", is_flag=True, help="Only the findings: no summary line.")
@click.option("--statistics", is_flag=True, help="Add a count of findings per rule.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: the number of cores; 1: no workers).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Report only findings that are not in this baseline, and list its entries that no longer occur.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Record today's findings in FILE; the exit code then counts only what a baseline cannot hold (JL000, JL001).")
def check(paths, formats, outputs, config_path, select, extend_select, ignore, profiles,
          fail_on, exit_zero, no_color, quiet, statistics, jobs, baseline_path, write_baseline_path):
    """Check journey files (or directories of them)."""
    from .outputs import FORMATS, Report, renderer

    if not formats:
        formats = ("github",) if os.environ.get("GITHUB_ACTIONS") == "true" and "github" in FORMATS else ("text",)
    for name in formats:
        if name not in FORMATS:
            fail(f"unknown format '{name}' (choose from: {', '.join(FORMATS)})")
    if len(outputs) > len(formats):
        fail("more --output files than --format options: give one --format per --output")
    if len(formats) - len(outputs) > 1:
        fail("only one report can go to standard output: give an --output for each other --format")

    if baseline_path and write_baseline_path:
        fail("give either --baseline or --write-baseline, not both (--write-baseline alone rewrites a baseline)")
    from . import baseline

    entries = None
    if baseline_path:
        try:
            entries = baseline.load(baseline_path)  # before linting: a bad file fails at once
        except baseline.BaselineError as error:
            fail(str(error))

    session = open_session_or_fail(config_path, select, extend_select, ignore, profiles)
    jobs = jobs or _cores()
    # these formats read a journey's id and place only, not its states
    summaries_do = {"text", "json", "junit", "github", "gitlab"}.issuperset(formats)
    result, files_checked = lint_or_fail(session, paths or (".",), jobs=jobs, progress=_progress_printer(),
                                         full_journeys=not summaries_do)
    if files_checked == 0:
        click.echo("journeylint: no journey files found in " + ", ".join(paths or (".",)), err=True)

    fixed = []
    gating = result.findings
    if write_baseline_path:
        try:
            recorded = baseline.write(write_baseline_path, result)
        except baseline.BaselineError as error:
            fail(str(error))
        click.echo(f"journeylint: recorded {recorded} finding{'' if recorded == 1 else 's'} "
                   f"in the baseline {write_baseline_path}", err=True)
        gating = [f for f in result.findings if not baseline.recordable(f)]
    elif entries is not None:
        result, fixed = baseline.apply(result, entries)
        gating = result.findings

    from .session import rule_infos

    report = Report(result=result, rules=rule_infos(session), files_checked=files_checked, fixed=fixed)
    color = use_color(no_color)
    for index, name in enumerate(formats):
        target = outputs[index] if index < len(outputs) else None
        text = renderer(name)(report, color=color and target is None, quiet=quiet, statistics=statistics)
        if target is None:
            # click strips ANSI codes when stdout is not a terminal, unless told
            click.echo(text, nl=False, color=color)
        else:
            write_or_fail(target, text)
    if "github" in formats and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(os.environ["GITHUB_STEP_SUMMARY"], report)

    exit_for(gating, session, fail_on, exit_zero)


@cli.command("rules")
@session_options
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table")
def list_rules(config_path, select, extend_select, ignore, profiles, fmt):
    """List every rule: code, name, severity, summary, and whether it is on."""
    session = open_session_or_fail(config_path, select, extend_select, ignore, profiles)
    rows = [
        (r.code, r.name, session.ruleset.severity[r.code].label, r.summary,
         "yes" if r.code in session.ruleset.enabled else "no")
        for r in session.registry.rules
    ]
    if fmt == "json":
        import json

        click.echo(json.dumps([dict(zip(("code", "name", "severity", "summary", "enabled"), row)) for row in rows], indent=2))
        return
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.table import Table

        table = Table("code", "name", "severity", "summary", "enabled")
        for row in rows:
            table.add_row(*row)
        Console().print(table)
        return
    widths = [max(len(row[i]) for row in rows + [("code", "name", "severity", "summary", "enabled")]) for i in range(5)]
    header = ("code", "name", "severity", "summary", "enabled")
    for row in [header] + rows:
        click.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


@cli.command()
@click.argument("rule")
def explain(rule):
    """Show a rule's page: what it finds, why it hurts, examples, how to fix."""
    from . import docs
    from .config import ConfigError
    from .registry import PluginError, RESERVED
    from .session import open_session

    try:
        session = open_session()
    except (ConfigError, PluginError) as error:
        fail(str(error))
    found = session.registry.find(rule)
    if found is None:
        import difflib

        names = [r.code for r in session.registry.rules] + [r.name for r in session.registry.rules]
        close = difflib.get_close_matches(rule, names, n=1, cutoff=0.5)
        fail(f"unknown rule '{rule}'" + (f"; did you mean '{close[0]}'?" if close else "; see 'journeylint rules'"))
    text = docs.page_text(found) or f"# {found.code} {found.name}\n\n{found.summary}\n"
    if sys.stdout.isatty() and not os.environ.get("NO_COLOR"):
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text, nl=not text.endswith("\n"))


@cli.command()
def schema():
    """Print the JSON Schema of the journey format (for editors)."""
    from importlib import resources

    click.echo(resources.files("journeylint.schema").joinpath("journey.schema.json").read_text("utf-8"), nl=False)


def main(argv=None):
    try:
        code = cli.main(args=argv, prog_name="journeylint", standalone_mode=False)
    except click.exceptions.Exit as exit_:
        code = exit_.exit_code
    except click.UsageError as error:
        message = error.format_message().replace("\n", " ")
        command = error.ctx.command_path if error.ctx else "journeylint"
        click.echo(f"journeylint: error: {message} (see '{command} --help')", err=True)
        code = EXIT_USAGE
    except click.Abort:
        click.echo("journeylint: interrupted", err=True)
        code = 130
    except BrokenPipeError:
        # the reader went away (| head): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_FINDINGS
    except click.ClickException as error:
        click.echo(f"journeylint: error: {error.format_message()}", err=True)
        code = error.exit_code
    sys.exit(code or 0)
