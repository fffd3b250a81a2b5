"""The rule API: what a rule is, for built-in rules and plugins alike.

A rule is a function decorated with :func:`rule`::

    from journeylint.api import Finding, Option, rule

    @rule(code="ACME001", name="no-night-shift", severity="warning",
          summary="A live channel is staffed at night",
          options={"max_states": Option("int", 50, "states allowed")})
    def check(journey, analysis, options):
        for state in analysis.reachable_states():
            ...
            yield Finding.at(state, "message naming the state", path=...)

``check`` receives the :class:`~journeylint.model.Journey`, its shared
:class:`~journeylint.analysis.Analysis` and the rule's options (a dict with
every declared option, defaults filled in), and yields findings. The engine
adds the code, name and severity, applies suppressions and sorts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .analysis import Analysis
from .findings import Finding, Location, Severity
from .loading.durations import format_duration, parse_duration
from .model import Journey, State, Transition

__all__ = [
    "Analysis", "Finding", "Journey", "Location", "Option", "Rule", "Severity", "State",
    "Transition", "rule", "format_duration", "SHOWN", "some_names",
]

#: names listed in one message; a big journey may have hundreds to name
SHOWN = 3


def some_names(ids, count: int | None = None) -> str:
    """``'a', 'b', 'c' and 4 more``: the first SHOWN of ``ids`` quoted, and how
    many more. ``count`` is the full number when ``ids`` holds only the first
    ones; a list is read only as far as it is shown."""
    ids = ids if isinstance(ids, (list, tuple)) else list(ids)
    count = len(ids) if count is None else count
    shown = ", ".join(f"'{i}'" for i in ids[:SHOWN])
    return shown + (f" and {count - SHOWN} more" if count > SHOWN else "")

OPTION_KINDS = ("int", "number", "duration", "bool", "str", "items")


@dataclass(frozen=True)
class Option:
    """A rule option: its kind, default and one line of help.

    Kinds: ``int`` (whole number >= 0), ``number`` (>= 0), ``duration``
    (``10m``; the rule receives seconds), ``bool``, ``str``, ``items`` (a
    list of names).
    """

    kind: str
    default: Any
    help: str = ""

    def __post_init__(self):
        if self.kind not in OPTION_KINDS:
            raise ValueError(f"unknown option kind {self.kind!r}; use one of {', '.join(OPTION_KINDS)}")

    def parse(self, value):
        """The value a rule receives, or ``ValueError`` saying what is expected."""
        kind = self.kind
        if kind == "int":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                return value
            raise ValueError("a whole number (0 or more)")
        if kind == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                return value
            raise ValueError("a number (0 or more)")
        if kind == "duration":
            try:
                return parse_duration(value)
            except ValueError as error:
                raise ValueError(f"a duration such as 10m ({error})") from None
        if kind == "bool":
            if isinstance(value, bool):
                return value
            raise ValueError("true or false")
        if kind == "str":
            if isinstance(value, str):
                return value
            raise ValueError("text")
        if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
            return tuple(value)
        raise ValueError("a list of names")

    def describe_default(self) -> str:
        if self.kind == "duration":
            return str(self.default)
        if self.kind == "items":
            return ", ".join(self.default) or "(none)"
        return str(self.default).lower() if isinstance(self.default, bool) else str(self.default)


CheckFunction = Callable[[Journey, Analysis, dict], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: CheckFunction = field(compare=False, repr=False)
    options: dict[str, Option] = field(default_factory=dict)
    #: on in the ``recommended`` profile (JL6xx rules are opt-in)
    default_enabled: bool = True
    #: documentation for rules without a page under ``rules/`` (plugins)
    doc: str | None = None
    #: who provides it: "builtin", an entry point, or a plugin path
    origin: str = "builtin"

    def default_options(self) -> dict:
        return {name: option.parse(option.default) for name, option in self.options.items()}


def rule(
    *,
    code: str,
    name: str,
    severity: str | Severity,
    summary: str,
    options: dict[str, Option] | None = None,
    default_enabled: bool = True,
    doc: str | None = None,
):
    """Declare a rule; the decorated function becomes a :class:`Rule`."""
    if isinstance(severity, str):
        severity = Severity.parse(severity)

    def decorate(function: CheckFunction) -> Rule:
        return Rule(
            code=code, name=name, severity=severity, summary=summary, check=function,
            options=dict(options or {}), default_enabled=default_enabled,
            doc=doc if doc is not None else (function.__doc__ or None),
        )

    return decorate
