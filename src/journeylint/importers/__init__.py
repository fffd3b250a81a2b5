"""Importers: contact-centre flow exports -> journey YAML.

``import_flow(format, data, ...)`` reads an export (Amazon Connect flow
language, Twilio Studio flow definition), maps each action or widget to a
state and each transition to a transition, and returns the journey as
YAML text, in which everything it could not map is a comment, with a
summary of what it mapped. Errors in the export are :class:`FlowError`
with a line and column.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import amazon_connect, twilio_studio
from .common import Flow, FlowError, finish, read_source, slug, summary, to_yaml

FORMATS = {"amazon-connect": amazon_connect, "twilio-studio": twilio_studio}
ALIASES = {"connect": "amazon-connect", "twilio": "twilio-studio", "studio": "twilio-studio"}

__all__ = ["ALIASES", "FORMATS", "FlowError", "Imported", "import_flow", "format_name"]


@dataclass
class Imported:
    yaml: str
    summary: list
    flow: Flow


def format_name(name: str) -> str | None:
    name = name.lower()
    name = ALIASES.get(name, name)
    return name if name in FORMATS else None


def import_flow(fmt: str, data: bytes, *, source_name: str, journey_id: str | None = None,
                kind: str = "support", channel: str | None = None, target: str = "standard output") -> Imported:
    module = FORMATS[format_name(fmt)]
    flow = module.read_flow(read_source(data))
    if journey_id is None:
        stem = os.path.splitext(os.path.basename(source_name))[0]
        journey_id = slug(flow.name or stem, default="imported-flow")
    if module is amazon_connect:
        chosen = channel or "phone"
        if "__default__" in flow.channels:
            flow.channels[chosen] = flow.channels.pop("__default__")
        counts = finish(flow, chosen)
    else:
        counts = finish(flow, channel)
        if channel is None:
            twilio_studio.assign_channels(flow)
    text = to_yaml(flow, journey_id, kind, os.path.basename(source_name))
    return Imported(text, summary(flow, counts, target), flow)
