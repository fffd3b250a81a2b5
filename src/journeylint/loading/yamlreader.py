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
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")


class YamlProblem(Exception):
    """A problem in the YAML itself, with a 1-based position."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class YMap(dict):
    """A mapping that remembers where it, its keys and its values stand."""

    __slots__ = ("line", "column", "key_marks", "value_marks", "flow")


class YSeq(list):
    """A sequence that remembers where it and its items stand."""

    __slots__ = ("line", "column", "marks", "flow")


class Document:
    __slots__ = ("root", "line", "column")

    def __init__(self, root, line, column):
        self.root, self.line, self.column = root, line, column


def plain_scalar(value: str):
    """Resolve an untagged plain scalar as the YAML 1.2 core schema does."""
    try:
        return _SPECIAL_PLAIN[value]
    except KeyError:
        pass
    if value[0] in _NUMBER_START:
        if value[:2] in ("0o", "0x") and (_OCT.match(value) or _HEX.match(value)):
            return int(value[2:], 8 if value[1] == "o" else 16)
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        if _INF.match(value):
            return float("-inf") if value[0] == "-" else float("inf")
        if _NAN.match(value):
            return float("nan")
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
    loader = EventLoader(data)
    try:
        _compose(loader, documents, max_depth, max_alias_nodes)
    except YamlProblem as problem:
        return documents, problem
    except yaml.MarkedYAMLError as error:
        return documents, _from_yaml_error(error)
    except yaml.YAMLError as error:  # reader errors: bad bytes, no mark
        return documents, _from_reader_error(error, data)
    finally:
        loader.dispose()
    return documents, None


def _from_yaml_error(error) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    text = " ".join(p for p in (error.context, error.problem) if p) or "YAML syntax error"
    if "flow mapping" in text:
        text += " (inside { }, a label that contains ', ' or ': ' must be quoted: when: \"...\")"
    if mark is None:
        return YamlProblem(f"YAML syntax error: {text}", 1, 1)
    return YamlProblem(f"YAML syntax error: {text}", mark.line + 1, mark.column + 1)


def _from_reader_error(error, data) -> YamlProblem:
    position = getattr(error, "position", None)
    reason = getattr(error, "reason", None) or str(error).splitlines()[0]
    if isinstance(position, int) and isinstance(data, (bytes, bytearray)):
        before = data[:position]
        line = before.count(b"\n") + 1
        column = position - (before.rfind(b"\n") + 1) + 1
    else:
        line, column = 1, 1
    if "NUL" in reason.upper() or "#x0000" in reason:
        reason = "the file contains a NUL byte; is it a binary file?"
    return YamlProblem(f"cannot read the file as YAML text: {reason}", line, column)


def _compose(loader, documents, max_depth, max_alias_nodes):
    get_event = loader.get_event
    # Each frame: [container, is_mapping, pending_key, key_line, key_col,
    #              anchor, nodes_at_start]
    stack: list[list] = []
    anchors: dict[str, tuple[object, int]] = {}
    nodes = 0          # nodes in the document, aliases counted as expanded
    alias_nodes = 0
    doc_line = doc_col = 1
    root = None

    while True:
        event = get_event()
        cls = event.__class__

        if cls is ScalarEvent:
            nodes += 1
            if event.implicit[0]:
                value = event.value if event.style else plain_scalar(event.value)
            elif event.tag is None:
                value = event.value
            else:
                value = _tagged_scalar(event)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if len(stack) >= max_depth:
                raise _problem(
                    f"the document nests deeper than {max_depth} levels; "
                    "journey files need only a few", event)
            nodes += 1
            mark = event.start_mark
            if cls is MappingStartEvent:
                _check_collection_tag(event, "map")
                container = YMap()
                container.key_marks = {}
                container.value_marks = {}
                is_mapping = True
            else:
                _check_collection_tag(event, "seq")
                container = YSeq()
                container.marks = []
                is_mapping = False
            container.line = mark.line + 1
            container.column = mark.column + 1
            container.flow = bool(event.flow_style)
            stack.append([container, is_mapping, _NO_KEY, 0, 0, event.anchor, nodes])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            frame = stack.pop()
            value = frame[0]
            if frame[1] and frame[2] is not _NO_KEY:  # pragma: no cover - parser guarantees pairs
                raise _problem("a key without a value", event)
            if frame[5] is not None:
                anchors[frame[5]] = (value, nodes - frame[6] + 1)
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
        elif cls is DocumentStartEvent:
            mark = event.start_mark
            doc_line, doc_col = mark.line + 1, mark.column + 1
            anchors = {}
            nodes = alias_nodes = 0
            root = None
            continue
        elif cls is DocumentEndEvent:
            documents.append(Document(root, doc_line, doc_col))
            continue
        elif cls is StreamEndEvent:
            return
        else:  # StreamStartEvent
            continue

        # Attach the finished node (value) to its parent.
        if not stack:
            root = value
            continue
        frame = stack[-1]
        container = frame[0]
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            position = (value.line, value.column)
        else:
            mark = event.start_mark
            position = (mark.line + 1, mark.column + 1)
        if frame[1]:
            key = frame[2]
            if key is _NO_KEY:
                frame[2] = _mapping_key(event, value, container)
                frame[3], frame[4] = position
            else:
                container[key] = value
                container.key_marks[key] = (frame[3], frame[4])
                container.value_marks[key] = position
                frame[2] = _NO_KEY
        else:
            container.append(value)
            container.marks.append(position)


_NO_KEY = object()


def _mapping_key(event, value, container) -> str:
    """Keys are names in this format: keep the text as written, so that a
    state called ``no`` or ``1`` keeps its name."""
    if event.__class__ is not ScalarEvent:
        raise _problem("a key must be a plain name, not a list or a mapping", event)
    key = event.value
    if key == "<<" and not event.style and event.implicit[0]:
        raise _problem("merge keys ('<<') are not part of YAML 1.2; write the keys out", event)
    if key in container:
        first = container.key_marks[key]
        raise _problem(f"duplicate key '{key}' (first defined at line {first[0]})", event)
    return key
