"""What both importers share: reading a flow export with positions, the
neutral graph they fill (one node per action or widget, one edge per
transition), the guesses made on that graph, and writing it as journey
YAML with every unmapped detail kept as a comment.

A platform module only reads its format into :class:`Flow`; the rules for
what becomes an outcome, a ``drop`` or a ``transfer`` live here once, so
both platforms give the same journey for the same shape.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..loading.durations import format_duration

#: an export larger than this is not a contact flow (Amazon Connect allows 250 actions)
MAX_FILE_SIZE = 16 * 1024 * 1024
#: what a journey id may be (the schema's slug)
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


class FlowError(Exception):
    """The file cannot be imported: one line, with file, line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column

    def render(self, file: str) -> str:
        where = file if self.line is None else f"{file}:{self.line}:{self.column or 1}"
        return f"{where}: {self.message}"


# -- reading JSON with positions ------------------------------------------------------------

class Source:
    """A parsed JSON export and where each value stands in the text."""

    def __init__(self, data, positions: dict):
        self.data = data
        self._positions = positions

    def at(self, *path) -> tuple[int | None, int | None]:
        """Line and column of the value at ``path`` (keys and indexes), or of
        its nearest ancestor that has one."""
        path = tuple(path)
        while path not in self._positions and path:
            path = path[:-1]
        return self._positions.get(path, (None, None))

    def error(self, message: str, *path) -> FlowError:
        return FlowError(message, *self.at(*path))


def read_source(raw: bytes) -> Source:
    if len(raw) > MAX_FILE_SIZE:
        raise FlowError(f"the file is {len(raw):,} bytes, more than any flow export ({MAX_FILE_SIZE:,})")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FlowError(f"the file is not UTF-8 text (byte {error.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FlowError(f"not valid JSON: {error.msg}", error.lineno, error.colno) from None
    except RecursionError:
        raise FlowError("the JSON is nested too deeply to be a flow export") from None
    return Source(data, _positions(text))


_WS = " \t\r\n"


def _positions(text: str) -> dict:
    """Path -> (line, column) of every value in a JSON text that ``json``
    already accepted; iterative, one pass."""
    out: dict = {}
    line, line_start = 1, 0
    stack: list = []        # [container kind, current key or index]
    i, n = 0, len(text)
    pending_key = None

    def here():
        return (line, i - line_start + 1)

    def path():
        return tuple(frame[1] for frame in stack)

    def value_starts():
        out.setdefault(path(), here())

    while i < n:
        c = text[i]
        if c in _WS:
            if c == "\n":
                line += 1
                line_start = i + 1
            i += 1
            continue
        if c == '"':
            start = i
            i += 1
            while text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            i += 1
            if stack and stack[-1][0] == "object" and stack[-1][1] is None:
                pending_key = json.loads(text[start:i])
                continue
            out.setdefault(path(), (line, start - line_start + 1))
            continue
        if c == ":":
            stack[-1][1] = pending_key
            i += 1
            continue
        if c == ",":
            frame = stack[-1]
            if frame[0] == "array":
                frame[1] += 1
            else:
                frame[1] = None
            i += 1
            continue
        if c in "{[":
            value_starts()
            stack.append(["object", None] if c == "{" else ["array", 0])
            i += 1
            continue
        if c in "}]":
            stack.pop()
            i += 1
            continue
        # a number, true, false or null
        value_starts()
        while i < n and text[i] not in _WS + ",}]":
            i += 1
    return out


# -- the neutral graph ------------------------------------------------------------------

@dataclass
class Edge:
    target: str                 # the source key of the target node
    when: str | None = None
    kind: str = "normal"
    failure: bool = False       # an error branch: the flow gave up
    timeout: bool = False       # the customer did not answer in time
    #: where the transition stands in the export, for comments
    origin: str = ""
    #: the platform's event name, where it has one (Twilio Studio)
    event: str = ""


@dataclass
class Node:
    key: str                    # identifier in the export
    platform_type: str
    title: str
    actor: str | None = None
    channel: str | None = None
    description: str | None = None
    asks: list = field(default_factory=list)
    discloses: list = field(default_factory=list)
    timeout_seconds: int | None = None
    edges: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    mapped: bool = True
    #: the node hands the customer to a team (queue, number, agent workflow)
    transfer_team: str | None = None
    #: what the export says about that team (queue ARN, number, workflow)
    team_description: str | None = None
    #: what ends the flow from here without an edge (events left unconnected)
    loose_ends: list = field(default_factory=list)
    # filled in by finish()
    id: str = ""
    outcome: str | None = None
    outcome_why: str = ""


@dataclass
class Flow:
    platform: str               # "Amazon Connect", "Twilio Studio"
    format: str                 # the command-line name
    nodes: dict                 # key -> Node, in export order
    start: str
    name: str | None = None
    description: str | None = None
    channels: dict = field(default_factory=dict)    # name -> {"hours": text}
    teams: dict = field(default_factory=dict)       # name -> description
    header_comments: list = field(default_factory=list)
    #: transitions whose target is not in the export: (source key, target, origin)
    dangling: list = field(default_factory=list)


# -- reading meaning out of texts, only when explicit --------------------------------------

#: an input step asks for an item only when a sentence requests it
#: ("please enter your account number"), not when it merely names it
_REQUEST = r"\b(?:enter|say|type|key in|provide|give us|reply with|tell us|confirm)\b[^.?!]*?"
ASKS = tuple((re.compile(_REQUEST + pattern, re.I), item) for pattern, item in (
    (r"\baccount (?:number|no\b)", "account_number"),
    (r"\b(?:customer|member(?:ship)?|contract) (?:number|id)\b", "customer_number"),
    (r"\border (?:number|id)\b", "order_id"),
    (r"\b(?:date of birth|birth ?date)\b", "date_of_birth"),
    (r"\b(?:pin|passcode)\b", "pin"),
    (r"\bpassword\b", "password"),
    (r"\b(?:phone|telephone|mobile|callback) number\b", "phone_number"),
    (r"\be-?mail(?: address)?\b", "email"),
    (r"\b(?:post ?code|zip code|postal code)\b", "postcode"),
))
#: a prompt discloses an item only when it tells it ("your balance is ..."),
#: not when it offers to ("ask for your balance")
DISCLOSES = (
    (re.compile(r"\b(?:confirmation|cancell?ation|reference) (?:number|code) is\b|"
                r"\b(?:has|have) been cancell?ed\b|\bis (?:now )?cancell?ed\b|\bwe have cancell?ed\b", re.I),
     "confirmation"),
    (re.compile(r"\bwait(?:ing)? time is\b|\bhold time is\b", re.I), "wait_time"),
    (re.compile(r"\b(?:remaining|outstanding) balance (?:is|of)\b", re.I), "remaining_balance"),
    (re.compile(r"\brefund (?:amount )?(?:is|of)\b", re.I), "refund_amount"),
    (re.compile(r"\b(?:opening|office|business) hours are\b|\bhours of operation are\b|\bwe are open\b",
                re.I), "opening_hours"),
    (re.compile(r"\bbecause\b|\bthe reason is\b", re.I), "reason"),
)
_TAG = re.compile(r"<[^>]*>")


def plain_text(text) -> str | None:
    """A prompt's words: SSML tags dropped, spaces folded; None if empty."""
    if not isinstance(text, str):
        return None
    words = " ".join(_TAG.sub(" ", text).split())
    return words or None


def is_dynamic(text: str | None) -> bool:
    """A text wholly filled in at run time ($.Attributes.x, {{flow.variables.x}});
    a sentence with a value inside it still has its own words."""
    if not text:
        return False
    text = text.strip()
    return text.startswith("$.") or bool(re.fullmatch(r"\{\{[^{}]*\}\}", text))


def items_in(text: str | None, table) -> list:
    if not text or is_dynamic(text):
        return []
    return list(dict.fromkeys(item for pattern, item in table if pattern.search(text)))


def slug(text, default: str = "x") -> str:
    """A lowercase id: camel case split, anything else folded to dashes."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", str(text))
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or default


_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}\Z")


def team_name(prefix: str, name) -> str:
    if isinstance(name, str) and _SID.match(name):
        name = name[:8]   # a Twilio SID: its type and the start are enough to tell teams apart
    base = slug(name, default="unknown")
    base = re.sub(r"(^queue-|-queue$|^queue$)", "", base) or "default"
    return f"{prefix}-{base}"[:60].rstrip("-")


# -- the guesses, once for both platforms ------------------------------------------------

def finish(flow: Flow, channel: str | None = None) -> dict:
    """Ids, transfer kinds, outcomes of the flow's ends, drops, and channel
    defaults; returns counts for the summary."""
    nodes = flow.nodes
    # transitions to actions that are not in the export cannot be kept as transitions
    for node in nodes.values():
        kept = []
        for edge in node.edges:
            if edge.target in nodes:
                kept.append(edge)
            else:
                flow.dangling.append((node.key, edge.target, edge.origin))
                node.comments.append(f"not mapped: transition {edge.origin} to {edge.target!r}, "
                                     "which is not in the export")
        node.edges = kept
    # ids
    used: set = set()
    for node in nodes.values():
        base = node.id or slug(node.key)
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        node.id = candidate
    # hand-offs: the way into a team is a transfer
    for node in nodes.values():
        if node.transfer_team:
            flow.teams.setdefault(node.transfer_team, node.team_description or node.transfer_team)
        for edge in node.edges:
            if nodes[edge.target].transfer_team is not None:
                edge.kind = "transfer"
    # the flow's ends get an outcome from the ways that reach them: through
    # designed branches only (resolved), only when the customer did not
    # answer in time (abandoned), or only through error branches (unresolved)
    normal = _reach(flow, lambda e: not e.failure and not e.timeout)
    patient = _reach(flow, lambda e: not e.failure)
    anyway = _reach(flow, lambda e: True)
    counts = {"resolved": 0, "unresolved": 0, "abandoned": 0, "drop": 0, "transfer": 0}
    for node in nodes.values():
        if node.edges:
            continue
        if node.key in normal or node.key not in anyway:
            node.outcome, node.outcome_why = "resolved", "the flow ends here"
            if node.transfer_team:
                node.outcome_why = (f"the customer is handed to {node.transfer_team}; what happens "
                                    "then is outside the flow")
        elif node.key in patient:
            node.outcome, node.outcome_why = "abandoned", "reached only when the customer does not answer in time"
        else:
            node.outcome, node.outcome_why = "unresolved", "reached only through error branches"
        counts[node.outcome] += 1
    # a timeout that ends the contact is a drop
    for node in nodes.values():
        for edge in node.edges:
            if edge.timeout and nodes[edge.target].outcome is not None:
                edge.kind = "drop"
        if node.timeout_seconds is not None and not any(e.kind == "drop" for e in node.edges):
            node.timeout_seconds = None
    for node in nodes.values():
        for edge in node.edges:
            if edge.kind in counts:
                counts[edge.kind] += 1
    if channel:
        for node in nodes.values():
            if node.actor not in (None, "system") and node.outcome is None:
                node.channel = channel
    return counts


def _reach(flow: Flow, follow) -> set:
    seen = {flow.start}
    stack = [flow.start]
    while stack:
        for edge in flow.nodes[stack.pop()].edges:
            if edge.target not in seen and follow(edge):
                seen.add(edge.target)
                stack.append(edge.target)
    return seen


def reachable_keys(flow: Flow) -> list:
    seen = {flow.start}
    order = [flow.start]
    for key in order:
        for edge in flow.nodes[key].edges:
            if edge.target not in seen:
                seen.add(edge.target)
                order.append(edge.target)
    return order


# -- writing YAML -------------------------------------------------------------------------

def _escape(c: str) -> str:
    code = ord(c)
    if 0xD800 <= code <= 0xDFFF:
        return "\\ufffd"  # a lone surrogate from the JSON: no character to keep
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def quote(text) -> str:
    """A YAML double-quoted scalar (JSON escapes are YAML escapes); anything
    a reader could take for a line break or a control is escaped."""
    out = json.dumps(str(text), ensure_ascii=False)
    return "".join(c if c.isprintable() or c == " " else _escape(c) for c in out)


def comment(text) -> str:
    """One comment line: line breaks and controls are escaped, not lost."""
    flat = "".join(c if c.isprintable() or c == " " else _escape(c) for c in str(text).strip())
    return f"# {flat}" if flat else "#"


def compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def to_yaml(flow: Flow, journey_id: str, kind: str, source_name: str) -> str:
    nodes = flow.nodes
    lines = [
        comment(f"Imported from the {flow.platform} flow {source_name} by 'journeylint import {flow.format}'."),
        comment("Outcomes marked 'guessed' and items read from prompt texts are guesses: check them."),
    ]
    lines += [comment(c) for c in flow.header_comments]
    lines.append(f"journey: {journey_id}")
    if flow.name:
        lines.append(f"title: {quote(flow.name)}")
    if flow.description:
        lines.append(f"description: {quote(flow.description)}")
    lines.append(f"kind: {kind}")
    lines.append(f"start: {nodes[flow.start].id}")
    if flow.channels:
        lines.append("channels:")
        for name, props in flow.channels.items():
            lines.append(f"  {name}: {{hours: {quote(props['hours'])}}}")
    if flow.teams:
        lines.append("teams:")
        for name, description in flow.teams.items():
            lines.append(f"  {name}: {{description: {quote(description)}}}")
    lines.append("")
    lines.append("states:")
    for node in nodes.values():
        lines.append(f"  {comment(f'{flow.platform} {node.platform_type} {node.key!r}')}")
        if not node.mapped:
            lines.append(f"  {comment(f'not mapped: {node.platform_type} has no journeylint meaning; kept as a system step')}")
        for text in node.comments:
            lines.append(f"  {comment(text)}")
        if node.outcome is not None:
            lines.append(f"  {comment(f'outcome guessed: {node.outcome_why}')}")
        lines.append(f"  {node.id}:")
        body = []
        body.append(f"title: {quote(node.title)}")
        if node.description:
            body.append(f"description: {quote(node.description)}")
        if node.actor:
            body.append(f"actor: {node.actor}")
        if node.channel and node.outcome is None:
            body.append(f"channel: {node.channel}")
        if node.asks:
            body.append(f"asks: [{', '.join(node.asks)}]")
        if node.discloses:
            body.append(f"discloses: [{', '.join(node.discloses)}]")
        if node.timeout_seconds is not None:
            body.append(f"timeout: {format_duration(node.timeout_seconds)}")
        if node.outcome is not None:
            body.append(f"outcome: {node.outcome}")
        else:
            body.append("next:")
            for edge in node.edges:
                parts = [f"to: {nodes[edge.target].id}"]
                if edge.when:
                    parts.append(f"when: {quote(edge.when)}")
                if edge.kind != "normal":
                    parts.append(f"kind: {edge.kind}")
                body.append(f"  - {{{', '.join(parts)}}}")
        lines += [f"    {line}" for line in body]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summary(flow: Flow, counts: dict, target: str) -> list[str]:
    nodes = list(flow.nodes.values())
    unmapped = [n for n in nodes if not n.mapped]
    types = sorted({n.platform_type for n in unmapped})
    reachable = reachable_keys(flow)
    edges = sum(len(n.edges) for n in nodes)
    kinds = ", ".join(f"{counts[k]} {k}" for k in ("transfer", "drop") if counts[k])
    head = (f"{flow.format} -> {target}: {len(nodes)} states ({len(reachable)} reachable from start), "
            f"{edges} transitions")
    lines = [head + (f" ({kinds})" if kinds else "")]
    mapped = len(nodes) - len(unmapped)
    lines.append(f"  mapped: {mapped} of {len(nodes)} {'actions' if flow.format == 'amazon-connect' else 'widgets'}"
                 + (f"; kept as system steps with their meaning in comments: {len(unmapped)} "
                    f"({', '.join(types)})" if unmapped else ""))
    ends = ", ".join(f"{counts[k]} {k}" for k in ("resolved", "unresolved", "abandoned") if counts[k])
    if ends:
        lines.append(f"  outcomes guessed for the flow's ends: {ends}")
    if flow.teams:
        lines.append(f"  teams from transfers: {', '.join(flow.teams)}")
    if flow.channels:
        lines.append("  channel hours: " + ", ".join(f"{name} ({props['hours']})" for name, props in flow.channels.items()))
    not_mapped = sum(1 for n in nodes for c in n.comments if c.startswith("not mapped"))
    not_mapped += sum(1 for c in flow.header_comments if c.startswith("not mapped"))
    if not_mapped or flow.dangling:
        lines.append(f"  not mapped, kept as comments: {_count(not_mapped, 'detail')}"
                     + (f", {_count(len(flow.dangling), 'transition')} to a missing target"
                        if flow.dangling else ""))
    loose = sum(len(n.loose_ends) for n in nodes if n.edges)
    if loose:
        lines.append(f"  unconnected events that end the flow, noted in comments: {loose}")
    return lines
