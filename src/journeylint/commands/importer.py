"""``journeylint import FORMAT FILE``: a contact-centre flow export ->
journey YAML, with a summary of what was mapped and what was not."""
from __future__ import annotations

import os

import click

from ..cli import echo_or_write, fail
from ..model import JOURNEY_KINDS


@click.command("import")
@click.argument("fmt", metavar="FORMAT")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the journey here (default: standard output).")
@click.option("--id", "journey_id", default=None,
              help="The journey id (default: the flow's name or the file name, as a slug).")
@click.option("--kind", type=click.Choice(JOURNEY_KINDS), default="support", show_default=True,
              help="The journey kind: a flow export does not say it.")
@click.option("--channel", default=None,
              help="Channel of the customer's steps (default: phone for Amazon Connect; "
                   "from the trigger for Twilio Studio).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
def import_command(fmt, file, output, journey_id, kind, channel, force):
    """Convert a contact-centre flow into a journey.

    FORMAT is amazon-connect (Amazon Connect flow language JSON) or
    twilio-studio (Twilio Studio flow definition JSON). Every action or
    widget becomes a state and every transition a transition; what the
    importer cannot map is kept as a comment in the YAML. A summary of
    what was mapped goes to standard error. Exit 0 on success, 2 on an
    error in the command or the file.
    """
    from ..importers import FORMATS, FlowError, format_name, import_flow
    from ..importers.common import SLUG_PATTERN
    from ..loading.pipeline import load_bytes

    name = format_name(fmt)
    if name is None:
        fail(f"unknown format '{fmt}' (choose from: {', '.join(FORMATS)})")
    if journey_id is not None and not SLUG_PATTERN.match(journey_id):
        fail(f"--id '{journey_id}' is not a journey id: lowercase letters, digits, '-', '_' and '.', "
             "starting with a letter or digit")
    if channel is not None and not channel.strip():
        fail("--channel needs a channel name")
    if output is not None and os.path.exists(output) and not force:
        fail(f"{output} exists; use --force to overwrite it")
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    try:
        imported = import_flow(name, data, source_name=file, journey_id=journey_id, kind=kind,
                               channel=channel, target=output or "standard output")
    except FlowError as error:
        fail(error.render(file))

    # the importer's own promise: what it writes loads as a journey
    check = load_bytes(imported.yaml.encode("utf-8"), output or "<import>")
    broken = [f for f in check.findings if f.code in ("JL001", "JL002")]
    if broken:
        first = broken[0]
        fail(f"internal error: the imported journey does not load ({first.code} at line {first.line}: "
             f"{first.message}); please report it with the flow file")

    echo_or_write(imported.yaml, output)
    for line in imported.summary:
        click.echo(line, err=True)
