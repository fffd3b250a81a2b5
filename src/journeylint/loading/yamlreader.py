"""YAML documents with positions, composed straight from libyaml's events.

PyYAML's own composer is recursive (the C loader crashes near 50,000 nesting
levels) and shares aliased nodes, so a 500-byte alias bomb composes at once
but takes hours to walk. Composing from the event stream ourselves lets us
stop at a nesting limit, count what aliases would expand to before anything
walks the document, read scalars as the YAML 1.2 core schema does, and keep
the line and column of every key and value on the way, at the parser's speed.
"""
from __future__ import annotations

import re

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

EventLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_SPECIAL_PLAIN = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}
_NUMBER_START = frozenset("0123456789+-.")
_NOT_SPECIAL = object()
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
#: Python refuses to parse longer decimal integers (quadratic time, CVE-2020-10735)
_MAX_INT_DIGITS = 4300


class YamlProblem(Exception):
    """A problem in the YAML itself, with a 1-based position."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class YMap(dict):
    """A mapping that remembers where it, its keys and its values stand.

    ``line`` and ``column`` are 1-based; ``key_marks`` and ``value_marks``
    hold the parser's own marks (0-based), turned into positions only when
    asked: a document has a mark for every key and value, and making a
    position of each cost a fifth of composing a 50,000-state journey."""

    __slots__ = ("line", "column", "mark", "key_marks", "value_marks", "flow")

    def key_position(self, key) -> tuple[int, int] | None:
        """1-based line and column of ``key``; None if the mapping has no such key."""
        mark = self.key_marks.get(key)
        return None if mark is None else (mark.line + 1, mark.column + 1)

    def value_position(self, key) -> tuple[int, int] | None:
        """1-based line and column of the value of ``key``; None if there is none."""
        mark = self.value_marks.get(key)
        return None if mark is None else (mark.line + 1, mark.column + 1)


class YSeq(list):
    """A sequence that remembers where it and its items stand (as YMap)."""

    __slots__ = ("line", "column", "mark", "marks", "flow")

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column of the item at ``index``."""
        mark = self.marks[index]
        return mark.line + 1, mark.column + 1


class Document:
    __slots__ = ("root", "line", "column", "texts")

    def __init__(self, root, line, column, texts=None):
        self.root, self.line, self.column = root, line, column
        #: (line, column) -> the text of a number written otherwise than
        #: Python prints it (``01``, ``0x1F``, ``1e3``): where an id is
        #: expected, the id is the text as written
        self.texts = texts if texts is not None else {}


def plain_scalar(value: str):
    """Resolve an untagged plain scalar as the YAML 1.2 core schema does."""
    special = _SPECIAL_PLAIN.get(value, _NOT_SPECIAL)
    if special is not _NOT_SPECIAL:
        return special
    if value[0] in _NUMBER_START:
        if value[:2] in ("0o", "0x") and (_OCT.match(value) or _HEX.match(value)):
            return int(value[2:], 8 if value[1] == "o" else 16)
        if _INT.match(value):
            # as text, an absurdly long number is reported where it stands
            return int(value) if len(value) <= _MAX_INT_DIGITS else value
        if _FLOAT.match(value):
            return float(value)
        if _INF.match(value):
            return float("-inf") if value[0] == "-" else float("inf")
        # .nan stays text: NaN is no quantity a journey can use, fails every
        # comparison (so "minimum: 0" lets it through), and as text the
        # schema check reports it where a number is expected
    return value


def _tagged_scalar(event):
    tag, value = event.tag, event.value
    if tag == "!":  # a quoted scalar carries the non-specific tag
        return value
    if tag.startswith(_CORE):
        kind = tag[len(_CORE):]
        if kind == "str":
            return value
        resolved = plain_scalar(value) if value else None
        expected = {"int": int, "float": (float, int), "bool": bool, "null": type(None)}.get(kind)
        if expected is not None and isinstance(resolved, expected) and not (
            kind in ("int", "float") and isinstance(resolved, bool)
        ):
            return float(resolved) if kind == "float" else resolved
        if expected is not None:
            raise _problem(f"{value!r} is not a valid !!{kind}", event)
    raise _problem(
        f"unsupported YAML tag {tag!r}: journey files use plain YAML values only", event
    )


def _problem(message, event):
    mark = event.start_mark
    return YamlProblem(message, mark.line + 1, mark.column + 1)


def _check_collection_tag(event, core_kind):
    tag = event.tag
    if tag is not None and tag != "!" and tag != _CORE + core_kind:
        raise _problem(
            f"unsupported YAML tag {tag!r}: journey files use plain YAML values only", event
        )


def compose_documents(data, *, max_depth: int = 64, max_alias_nodes: int = 100_000):
    """Compose every document of ``data`` (bytes or str).

    Returns ``(documents, problem)``: the documents composed before any
    problem, and the first :class:`YamlProblem` (or ``None``). Never raises
    for bad input.
    """
    documents: list[Document] = []
    odd = _odd_line_break(data)
    if odd is not None:
        return documents, odd
    loader = EventLoader(data)
    try:
        _compose(loader, documents, max_depth, max_alias_nodes)
    except YamlProblem as problem:
        return documents, problem
    except yaml.MarkedYAMLError as error:
        return documents, _from_yaml_error(error, data)
    except yaml.YAMLError as error:  # reader errors: bad bytes, no mark
        return documents, _from_reader_error(error, data)
    finally:
        loader.dispose()
    return documents, None


def _from_yaml_error(error, data=None) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    text = " ".join(p for p in (error.context, error.problem) if p) or "YAML syntax error"
    if "flow mapping" in text:
        text += " (inside { }, a label that contains ', ' or ': ' must be quoted: when: \"...\")"
    if mark is None:
        return YamlProblem(f"YAML syntax error: {text}", 1, 1)
    if "expected ':'" in text and mark.column > 1024:
        text += " (a key written on one line can be at most 1024 characters long)"
    elif "tab" not in text and _char_at(data, mark.line, mark.column) == "\t":
        # libyaml's C scanner does not say which character it found
        text += " (a tab: YAML indents with spaces only)"
    return YamlProblem(f"YAML syntax error: {text}", mark.line + 1, mark.column + 1)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decode(data) -> str:
    """The text of ``data`` as libyaml reads it (UTF-8, or UTF-16 with a BOM),
    without the BOM, undecodable bytes replaced: for positions only."""
    if isinstance(data, str):
        return data[1:] if data[:1] == "\ufeff" else data
    if data[:2] in _UTF16_BOMS:
        return bytes(data).decode("utf-16", "replace")
    return bytes(data).decode("utf-8-sig", "replace")


def _position(text: str) -> tuple[int, int]:
    """1-based line and column just after ``text`` (breaks: LF, CRLF, CR)."""
    line = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    return line, len(text) - max(text.rfind("\n"), text.rfind("\r"))


def _char_at(data, line: int, column: int) -> str | None:
    if data is None:
        return None
    lines = _decode(data).splitlines()
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return None


_ODD_BREAKS = {
    "\x85": "NEXT LINE (U+0085)",
    "\u2028": "LINE SEPARATOR (U+2028)",
    "\u2029": "PARAGRAPH SEPARATOR (U+2029)",
}
_ODD_BREAK_BYTES = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def _odd_line_break(data) -> YamlProblem | None:
    """libyaml reads YAML 1.1, where NEL, LS and PS end a line; YAML 1.2 and
    editors do not. Past one of them every position would be wrong, and the
    rest of a comment would be read as content: reject the file at the
    character instead."""
    if isinstance(data, (bytes, bytearray)) and data[:2] not in _UTF16_BOMS:
        if not any(b in data for b in _ODD_BREAK_BYTES):
            return None
    text = _decode(data)
    found = [i for i in (text.find(c) for c in _ODD_BREAKS) if i >= 0]
    if not found:
        return None
    at = min(found)
    line, column = _position(text[:at])
    return YamlProblem(
        f"the file contains a {_ODD_BREAKS[text[at]]} character, which YAML 1.1 reads as a line "
        "break and YAML 1.2 and editors do not; replace it with a space or a real line break",
        line, column)


def _from_reader_error(error, data) -> YamlProblem:
    position = getattr(error, "position", None)
    reason = getattr(error, "reason", None) or str(error).splitlines()[0]
    line, column = 1, 1
    character = getattr(error, "character", None)
    is_bytes = isinstance(position, int) and isinstance(data, (bytes, bytearray))
    if is_bytes and "UTF-8" in reason:
        if "trailing" in reason:
            # libyaml points at the byte after the one that began the character
            lead = position - 1
            while lead > max(0, position - 4) and data[lead] & 0xC0 == 0x80:
                lead -= 1
            position = lead
        if position < len(data):
            reason = (f"byte 0x{data[position]:02X} begins no UTF-8 character ({reason}); journey "
                      "files are UTF-8 text: was this one saved as Latin-1 or Windows-1252?")
    elif character == 0 or "NUL" in reason.upper() or "#x0000" in reason:
        reason = ("the file contains a NUL byte: is it a binary file, or UTF-16 without a "
                  "byte-order mark? Journey files are UTF-8 text")
    elif isinstance(character, int) and character > 0 and "control" in reason:
        reason = f"control character U+{character:04X} is not allowed in YAML"
    if is_bytes:
        # libyaml gives a byte offset; editors count characters
        line, column = _position(_decode(data[:position]))
    return YamlProblem(f"cannot read the file as YAML text: {reason}", line, column)


def _compose(loader, documents, max_depth, max_alias_nodes):
    # The hot loop of every run: one pass per event, the open collection kept
    # in local variables (a stack entry is saved only on entering a nested
    # one), keys taken as written without resolving them as values.
    get_event = loader.get_event
    special = _SPECIAL_PLAIN.get
    number_start = _NUMBER_START
    missing = _NO_KEY
    # Each saved entry: the enclosing collection's locals, then the anchor
    # and node count of the collection being entered.
    stack: list[tuple] = []
    container = None   # the open YMap or YSeq; None at the top of a document
    is_map = False
    pending = _NO_KEY  # in a mapping: the key waiting for its value
    key_pos = None
    key_marks = value_marks = None  # of a YMap; a YSeq's marks are value_marks
    anchors: dict[str, tuple[object, int]] = {}
    nodes = 0          # nodes in the document, aliases counted as expanded
    alias_nodes = 0
    doc_line = doc_col = 1
    root = None
    texts: dict = {}

    while True:
        event = get_event()
        cls = event.__class__

        if cls is ScalarEvent:
            nodes += 1
            mark = event.start_mark
            if is_map and pending is missing:
                if event.anchor is None and (event.tag is None or event.implicit[0]):
                    key = event.value
                    if key in container or key == "<<":
                        pending = _mapping_key(event, key, container)
                    else:
                        pending = key
                else:  # an anchored or tagged key: the tag is checked as for a value
                    value = _scalar_value(event, texts)
                    if event.anchor is not None:
                        anchors[event.anchor] = (value, 1)
                    pending = _mapping_key(event, value, container)
                key_pos = mark
                continue
            if event.implicit[0]:
                text = event.value
                if event.style:
                    value = text
                else:
                    value = special(text, missing)
                    if value is missing:
                        if text[0] in number_start:
                            value = plain_scalar(text)
                            if (value.__class__ is int or value.__class__ is float) and str(value) != text:
                                texts[(mark.line + 1, mark.column + 1)] = text
                        else:
                            value = text
            elif event.tag is None:
                value = event.value
            else:
                value = _tagged_scalar(event)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            position = mark
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if len(stack) >= max_depth:
                raise _problem(
                    f"the document nests deeper than {max_depth} levels; "
                    "journey files need only a few", event)
            nodes += 1
            mark = event.start_mark
            stack.append((container, is_map, pending, key_pos, key_marks, value_marks, event.anchor, nodes))
            if cls is MappingStartEvent:
                if event.tag is not None:
                    _check_collection_tag(event, "map")
                container = YMap()
                key_marks = container.key_marks = {}
                value_marks = container.value_marks = {}
                is_map = True
            else:
                if event.tag is not None:
                    _check_collection_tag(event, "seq")
                container = YSeq()
                key_marks = None
                value_marks = container.marks = []
                is_map = False
            container.mark = mark
            container.line = mark.line + 1
            container.column = mark.column + 1
            container.flow = bool(event.flow_style)
            pending = missing
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            value = container
            if is_map and pending is not missing:  # pragma: no cover - parser guarantees pairs
                raise _problem("a key without a value", event)
            container, is_map, pending, key_pos, key_marks, value_marks, anchor, start = stack.pop()
            if anchor is not None:
                anchors[anchor] = (value, nodes - start + 1)
            position = value.mark
        elif cls is AliasEvent:
            try:
                value, weight = anchors[event.anchor]
            except KeyError:
                raise _problem(f"unknown or unfinished anchor '*{event.anchor}'", event) from None
            nodes += weight
            alias_nodes += weight
            if alias_nodes > max_alias_nodes:
                raise _problem(
                    f"aliases expand to more than {max_alias_nodes:,} values "
                    "(an alias bomb?); the document was not expanded", event)
            position = event.start_mark
        elif cls is DocumentStartEvent:
            mark = event.start_mark
            doc_line, doc_col = mark.line + 1, mark.column + 1
            anchors = {}
            nodes = alias_nodes = 0
            root = None
            texts = {}
            continue
        elif cls is DocumentEndEvent:
            documents.append(Document(root, doc_line, doc_col, texts))
            continue
        elif cls is StreamEndEvent:
            return
        else:  # StreamStartEvent
            continue

        # Attach the finished node (value) to the open collection.
        if container is None:
            root = value
        elif is_map:
            if pending is missing:  # a list, a mapping or an alias where a key belongs
                pending = _mapping_key(event, value, container)
                key_pos = position
            else:
                container[pending] = value
                key_marks[pending] = key_pos
                value_marks[pending] = position
                pending = missing
        else:
            container.append(value)
            value_marks.append(position)


def _scalar_value(event, texts):
    """A scalar event's value, as the composing loop resolves it."""
    if event.implicit[0]:
        if event.style:
            return event.value
        value = plain_scalar(event.value)
        if (value.__class__ is int or value.__class__ is float) and str(value) != event.value:
            mark = event.start_mark
            texts[(mark.line + 1, mark.column + 1)] = event.value
        return value
    if event.tag is None:
        return event.value
    return _tagged_scalar(event)


_NO_KEY = object()


def _mapping_key(event, value, container) -> str:
    """Keys are names in this format: keep the text as written, so that a
    state called ``no`` or ``1`` keeps its name."""
    if event.__class__ is AliasEvent:
        raise _problem("a key must be a plain name, not an alias", event)
    if event.__class__ is not ScalarEvent:
        # the event is the end of the list or mapping: point at its start
        raise YamlProblem("a key must be a plain name, not a list or a mapping", value.line, value.column)
    key = event.value
    if key == "<<" and not event.style and event.implicit[0]:
        raise _problem("merge keys ('<<') are not part of YAML 1.2; write the keys out", event)
    if key in container:
        first_line = container.key_marks[key].line + 1
        raise _problem(f"duplicate key '{key}' (first defined at line {first_line})", event)
    return key
