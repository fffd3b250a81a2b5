"""Output formats. Each module has ``render(report, **options) -> str`` and
knows findings and rule metadata only (never rules themselves). Modules are
imported on demand so a plain check never loads what SARIF or HTML need."""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field

from .. import __version__
from ..engine import RunResult

FORMATS = {
    "text": "journeylint.outputs.text",
    "json": "journeylint.outputs.json_format",
    "sarif": "journeylint.outputs.sarif",
    "junit": "journeylint.outputs.junit",
    "github": "journeylint.outputs.github",
    "gitlab": "journeylint.outputs.gitlab",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Neutralise terminal control characters (and bidi overrides) that a
    journey file could carry into a message: shown, never obeyed."""
    return _CONTROL.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 256 else "\\u%04x" % ord(m.group()), text)


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    severity: str
    summary: str
    description: str
    help_markdown: str
    url: str | None
    enabled: bool
    origin: str = "builtin"


@dataclass
class Report:
    """Everything an output format may show."""

    result: RunResult
    rules: dict[str, RuleInfo]
    version: str = __version__
    #: baseline entries that no longer occur (``--baseline``)
    fixed: list[dict] = field(default_factory=list)
    title: str | None = None
    files_checked: int = 0


def renderer(name: str):
    if name not in FORMATS:
        raise KeyError(name)
    return importlib.import_module(FORMATS[name]).render
