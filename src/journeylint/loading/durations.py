"""Durations: ``45s``, ``20m``, ``1h30m``, ``3d``, ``6w`` -> seconds."""
from __future__ import annotations

import re

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_DURATION = re.compile(r"(?=[0-9])(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?\Z")
_PART = re.compile(r"([0-9]+)\s*([a-zA-Z]+)")


def parse_duration(value) -> int:
    """Seconds in ``value``; raises ``ValueError`` with a message a person can act on."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"a duration such as 20m or 1h30m is expected, not {describe(value)}")
    if isinstance(value, (int, float)):
        n = int(value) if float(value).is_integer() else value
        raise ValueError(f"the bare number {n} is ambiguous: give a unit, as in {n}m or {n}s")
    match = _DURATION.match(value)
    if match:
        return sum(int(g) * f for g, f in zip(match.groups(), _UNITS.values()) if g)
    raise ValueError(explain_bad_duration(value))


def explain_bad_duration(text: str) -> str:
    stripped = text.strip()
    if stripped.isdigit():
        return f"the bare number {stripped} is ambiguous: give a unit, as in {stripped}m or {stripped}s"
    parts = _PART.findall(stripped)
    units = [u for _, u in parts]
    if any(u.lower() in ("mo", "mon", "month", "months") for u in units):
        return f"{text!r}: months are not a duration unit (their length varies): say 4w or 30d"
    hint = "write integers with units w, d, h, m, s, largest first, no spaces: 45s, 20m, 1h30m, 3d, 6w"
    if parts and all(u in _UNITS for u in units):
        if " " in stripped:
            return f"{text!r} is not a duration: no spaces, as in {''.join(n + u for n, u in parts)}"
        if len(set(units)) != len(units):
            return f"{text!r} is not a duration: each unit at most once"
        return f"{text!r} is not a duration: largest unit first, as in {''.join(n + u for n, u in sorted(parts, key=lambda p: -_UNITS[p[1]]))}"
    return f"{text!r} is not a duration: {hint}"


def format_duration(seconds: float | int | None) -> str:
    """``5400`` -> ``1h30m``; the inverse of :func:`parse_duration`."""
    if seconds is None:
        return "-"
    seconds = int(round(seconds))
    if seconds == 0:
        return "0m"
    out = []
    for unit, size in _UNITS.items():
        if seconds >= size:
            out.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(out)


def describe(value) -> str:
    """How a value reads in an error message: its kind and, when short, itself."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) <= 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
