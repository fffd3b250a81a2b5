"""``journeylint graph``: one journey's graph as Mermaid, DOT or JSON."""
from __future__ import annotations

import os

import click

from ..cli import echo_or_write, fail, open_session_or_fail, session_options


@click.command()
@click.argument("file", type=click.Path())
@click.option("--format", "-f", "fmt", type=click.Choice(["mermaid", "dot", "json"]), default="mermaid",
              show_default=True, help="Diagram language.")
@click.option("--journey", "journey_id", default=None,
              help="The journey to draw, for a file that holds several.")
@click.option("--findings", is_flag=True,
              help="Check the journey and mark each state that has findings with its worst severity.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
@session_options
def graph(file, fmt, journey_id, findings, output, config_path, select, extend_select, ignore, profiles):
    """Write the graph of the journey in FILE, to paste into a wiki or a slide.

    With --findings the journey is checked as 'check' would (same
    configuration and suppressions) and its findings are marked."""
    from ..discovery import display_path
    from ..engine import finish
    from ..loading import load_file
    from ..report.exports import EXPORTS

    if not os.path.exists(file):
        fail(f"{file}: no such file")
    if os.path.isdir(file):
        fail(f"{file} is a directory: give one journey file")
    session = open_session_or_fail(config_path, select, extend_select, ignore, profiles)
    display = display_path(file, os.getcwd())
    if findings:
        result = finish([session.engine.lint_file(file, display)])
        journeys, problems, all_findings = result.journeys, result.findings, result.findings
    else:
        loaded = load_file(file, session.config.limits, display)
        journeys, problems, all_findings = loaded.journeys, loaded.findings, None

    if not journeys:
        first = min((p for p in problems if p.code in ("JL001", "JL002")), key=lambda p: (p.line, p.column), default=None)
        if first is None:
            fail(f"{display}: no journey in this file")
        fail(f"{first.file}:{first.line}:{first.column}: {first.message}")
    if journey_id is None:
        if len(journeys) > 1:
            ids = ", ".join(j.id for j in journeys)
            fail(f"{display} holds {len(journeys)} journeys ({ids}): choose one with --journey")
        journey = journeys[0]
    else:
        journey = next((j for j in journeys if j.id == journey_id), None)
        if journey is None:
            fail(f"no journey '{journey_id}' in {display} (it holds: {', '.join(j.id for j in journeys)})")
    own = None
    if all_findings is not None:
        own = [f for f in all_findings if f.journey == journey.id]
    echo_or_write(EXPORTS[fmt](journey, own), output)
