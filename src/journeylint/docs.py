"""Rule pages: the one documentation of each rule.

Pages live in the top-level ``rules/`` folder of the repository (shipped as
the package ``journeylint.catalogue``) as ``<CODE>-<name>.md``. The CLI's
``explain``, the SARIF help text, the HTML report and the tests all read
them from here; a plugin rule without a page uses its ``doc``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from . import DOCS_URL

_HEADING = re.compile(r"^(#{2,3}) +(.+?)\s*$", re.M)
_FENCE = re.compile(r"```ya?ml\n(.*?)```", re.S)


@lru_cache(maxsize=None)
def _catalogue_files() -> dict[str, str]:
    root = resources.files("journeylint.catalogue")
    out = {}
    for entry in root.iterdir():
        if entry.name.endswith(".md") and "-" in entry.name:
            out[entry.name.split("-", 1)[0].upper()] = entry.name
    return out


def page_name(code: str) -> str | None:
    return _catalogue_files().get(code.upper())


def page_text(rule) -> str | None:
    name = page_name(rule.code)
    if name is not None:
        return resources.files("journeylint.catalogue").joinpath(name).read_text("utf-8")
    return rule.doc


def page_url(rule) -> str | None:
    name = page_name(rule.code)
    return DOCS_URL + name if name else None


def sections(text: str) -> dict[str, str]:
    """``## Heading`` -> the text under it (level-3 headings stay inside)."""
    out = {}
    matches = [m for m in _HEADING.finditer(text) if m.group(1) == "##"]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        out[m.group(2).strip().lower()] = text[m.end():end].strip()
    return out


def examples(text: str) -> dict[str, str]:
    """The first YAML block under each ``### Bad`` / ``### Good`` heading."""
    out = {}
    matches = list(_HEADING.finditer(text))
    for i, m in enumerate(matches):
        title = m.group(2).strip().lower()
        if m.group(1) != "###" or title not in ("bad", "good"):
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        fence = _FENCE.search(text, m.end(), end)
        if fence:
            out[title] = fence.group(1)
    return out


def first_paragraph(markdown: str) -> str:
    for block in markdown.strip().split("\n\n"):
        block = block.strip()
        if block and not block.startswith(("#", "|", "```", "**Severity")):
            return " ".join(line.strip() for line in block.splitlines())
    return ""


def full_description(rule) -> str:
    """One paragraph: what the rule finds (for SARIF and the report)."""
    text = page_text(rule)
    if not text:
        return rule.summary
    part = sections(text).get("what it finds") or text
    return first_paragraph(part) or rule.summary
