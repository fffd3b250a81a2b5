"""Twilio Studio flows (the flow definition JSON) -> Flow.

A definition is ``{"description", "states": [...], "initial_state",
"flags"}``; each state is a widget with a ``name``, a ``type``,
``properties`` and ``transitions`` (``{"event", "next", "conditions"}``).
A transition without ``next`` ends the flow on that event; every other
transition becomes a transition of the journey, and every widget a state.
"""
from __future__ import annotations

from .common import (
    ASKS, DISCLOSES, Edge, Flow, Node, Source, compact, is_dynamic, items_in, plain_text, slug,
    team_name,
)

PLATFORM = "Twilio Studio"

#: type -> (title as the Studio editor calls the widget, actor)
MAPPED = {
    "trigger": ("Trigger (start)", "customer"),
    "say-play": ("Say/Play", "bot"),
    "gather-input-on-call": ("Gather input on call", "bot"),
    "split-based-on": ("Split based on...", "system"),
    "send-and-wait-for-reply": ("Send and wait for reply", "bot"),
    "send-message": ("Send message", "bot"),
    "connect-call-to": ("Connect call to", None),
    "send-to-flex": ("Send to Flex", None),
    "enqueue-call": ("Enqueue call", None),
    "record-voicemail": ("Record voicemail", "customer"),
}
UNMAPPED_TITLES = {
    "set-variables": "Set variables",
    "run-function": "Run function",
    "make-http-request": "Make HTTP request",
    "run-subflow": "Run subflow",
    "add-twiml-redirect": "TwiML redirect",
    "capture-payments": "Capture payments",
    "fork-stream": "Fork stream",
    "record-call": "Call recording",
    "make-outgoing-call-v2": "Make outgoing call",
    "send-to-auto-pilot": "Send to Autopilot",
}
TRIGGER_EVENTS = {
    "incomingCall": ("an incoming call", "phone"),
    "incomingMessage": ("an incoming message", "sms"),
    "incomingConversationMessage": ("an incoming conversation message", "chat"),
    "incomingRequest": ("a REST API request", None),
    "incomingParent": ("a call from a parent flow", None),
}
EVENTS = {
    "audioComplete": "the prompt has played", "keypress": "customer presses keys",
    "speech": "customer speaks", "timeout": "no answer in time", "noMatch": "no condition matched",
    "incomingMessage": "customer replies", "deliveryFailure": "the message was not delivered",
    "sent": "the message is sent", "failed": "it failed", "fail": "it failed", "success": "it succeeded",
    "callCompleted": "the call is over", "callComplete": "the call is over", "hangup": "customer hangs up",
    "failedToEnqueue": "it could not be queued", "callFailure": "the call failed",
    "recordingComplete": "the recording is done", "noAudio": "nothing was recorded", "next": None,
}
FAILURE_EVENTS = frozenset({"deliveryFailure", "failed", "fail", "failedToEnqueue", "callFailure"})
TIMEOUT_EVENTS = frozenset({"timeout"})
CONDITION_TYPES = {
    "equal_to": "is", "not_equal_to": "is not", "contains": "contains", "does_not_contain": "does not contain",
    "starts_with": "starts with", "matches_any_of": "is one of", "is_blank": "is blank",
    "is_not_blank": "is not blank", "less_than": "is less than", "greater_than": "is more than",
    "regex": "matches", "is_before_time": "is before", "is_after_time": "is after",
}
#: properties the mapping reads, per type; ``offset`` is the editor layout
READ = {
    "say-play": {"say", "play", "offset"},
    "gather-input-on-call": {"say", "play", "timeout", "offset"},
    "split-based-on": {"input", "offset"},
    "send-and-wait-for-reply": {"body", "timeout", "offset"},
    "send-message": {"body", "offset"},
    "connect-call-to": {"to", "noun", "offset"},
    "send-to-flex": {"workflow", "offset"},
    "enqueue-call": {"queue_name", "workflow_sid", "offset"},
}


def read_flow(source: Source) -> Flow:
    data = source.data
    if not isinstance(data, dict):
        raise source.error("a Twilio Studio flow is a JSON object with 'initial_state' and 'states'")
    states = data.get("states")
    if not isinstance(states, list) or not states:
        raise source.error("not a Twilio Studio flow: no 'states' list", "states")
    nodes: dict = {}
    for index, widget in enumerate(states):
        if not isinstance(widget, dict):
            raise source.error("a widget must be a JSON object", "states", index)
        name = widget.get("name")
        if not isinstance(name, str) or not name:
            raise source.error("the widget has no 'name'", "states", index)
        if name in nodes:
            raise source.error(f"two widgets are named {name!r}", "states", index, "name")
        kind = widget.get("type")
        if not isinstance(kind, str) or not kind:
            raise source.error(f"widget {name!r} has no 'type'", "states", index)
        nodes[name] = _node(source, index, widget, name, kind)
    start = data.get("initial_state")
    if not isinstance(start, str) or start not in nodes:
        raise source.error(f"'initial_state' {start!r} names no widget of the flow", "initial_state")
    flow = Flow(platform=PLATFORM, format="twilio-studio", nodes=nodes, start=start,
                description=data.get("description") if isinstance(data.get("description"), str) else None)
    for key in data:
        if key not in ("description", "states", "initial_state", "flags"):
            flow.header_comments.append(f"not mapped: top-level {key} = {compact(data[key])}")
    if data.get("flags") is not None:
        flow.header_comments.append(f"not mapped: flags = {compact(data['flags'])}")
    flow.header_comments.append("editor layout (properties.offset) is not part of the journey")
    return flow


def _node(source, index, widget, name, kind) -> Node:
    props = widget.get("properties") if isinstance(widget.get("properties"), dict) else {}
    if kind in MAPPED:
        title, actor = MAPPED[kind]
        node = Node(key=name, platform_type=kind, title=title, actor=actor)
    else:
        node = Node(key=name, platform_type=kind, title=UNMAPPED_TITLES.get(kind, kind), actor="system",
                    mapped=False)
    node.id = slug(name)
    text = plain_text(props.get("say")) or plain_text(props.get("body"))
    if text:
        if is_dynamic(text):
            node.comments.append(f"the text is filled in at run time: {text}")
        else:
            node.description = text
    elif kind in ("say-play", "gather-input-on-call") and props.get("play"):
        node.description = f"plays {props.get('play')}"
    if kind in ("gather-input-on-call", "send-and-wait-for-reply"):
        node.asks = items_in(text, ASKS)
        seconds = props.get("timeout")
        try:
            node.timeout_seconds = int(seconds) if seconds not in (None, "") else None
        except (TypeError, ValueError):
            node.comments.append(f"not mapped: properties.timeout = {compact(seconds)}")
    if kind in ("say-play", "gather-input-on-call", "send-and-wait-for-reply", "send-message"):
        node.discloses = items_in(text, DISCLOSES)
    if kind == "connect-call-to":
        noun, to = props.get("noun") or "number", props.get("to")
        digits = "".join(ch for ch in str(to or "") if ch.isdigit())
        if noun in ("number", "number-multi"):
            team = f"number-{digits}" if digits and not is_dynamic(str(to)) else "number-dynamic"
        else:
            team = team_name(slug(noun), to if to and not is_dynamic(str(to)) else "dynamic")
        node.transfer_team = node.actor = team
        node.team_description = f"Twilio Studio connect-call-to {noun} {to}"
        node.comments.insert(0, f"hands the caller to: {noun} {to}")
    if kind == "send-to-flex":
        workflow = props.get("workflow")
        node.transfer_team = node.actor = team_name("flex", workflow or "default")
        node.team_description = f"Twilio Flex workflow {workflow}"
        node.comments.insert(0, f"hands the contact to: Twilio Flex workflow {workflow}")
    if kind == "enqueue-call":
        queue = props.get("queue_name") or props.get("workflow_sid")
        node.transfer_team = node.actor = team_name("queue", queue or "default")
        node.team_description = f"Twilio queue or workflow {queue}"
        node.comments.insert(0, f"hands the caller to: Twilio queue or workflow {queue}")
    skip = READ.get(kind, {"offset"})
    for key, value in props.items():
        if key not in skip:
            node.comments.append(f"not mapped: properties.{key} = {compact(value)}")
    if not isinstance(widget.get("properties"), (dict, type(None))):
        node.comments.append(f"not mapped: properties = {compact(widget.get('properties'))}")
    for key, value in widget.items():
        if key not in ("name", "type", "properties", "transitions"):
            node.comments.append(f"not mapped: {key} = {compact(value)}")
    _edges(source, index, widget, node, kind)
    return node


def _edges(source, index, widget, node: Node, kind: str):
    transitions = widget.get("transitions") or []
    if not isinstance(transitions, list):
        raise source.error(f"the transitions of widget {node.key!r} must be a list", "states", index, "transitions")
    for ti, item in enumerate(transitions):
        if not isinstance(item, dict):
            raise source.error("a transition must be a JSON object", "states", index, "transitions", ti)
        event = str(item.get("event") or "")
        target = item.get("next")
        if target in (None, ""):
            node.loose_ends.append(event)
            continue
        if not isinstance(target, str):
            raise source.error("'next' must be a widget name", "states", index, "transitions", ti, "next")
        if kind == "trigger":
            when = TRIGGER_EVENTS.get(event, (event, None))[0]
        elif event == "match":
            when = _conditions(item.get("conditions"))
        else:
            when = EVENTS.get(event, event)
        if when is None and len([t for t in transitions if isinstance(t, dict) and t.get("next")]) > 1:
            when = event
        node.edges.append(Edge(target, when=when, failure=event in FAILURE_EVENTS,
                               timeout=event in TIMEOUT_EVENTS, origin=f"transitions[{ti}] ({event})",
                               event=event))
        for key in item:
            if key not in ("event", "next", "conditions"):
                node.comments.append(f"not mapped: transitions[{ti}].{key} = {compact(item[key])}")
    if node.loose_ends and node.edges:
        node.comments.append("the flow ends here on: " + ", ".join(node.loose_ends))


def _conditions(conditions) -> str:
    if not isinstance(conditions, list) or not conditions:
        return "a condition matches"
    parts = []
    for condition in conditions:
        if not isinstance(condition, dict):
            continue
        name = condition.get("friendly_name")
        verb = CONDITION_TYPES.get(str(condition.get("type")), str(condition.get("type")))
        value = condition.get("value")
        subject = ", ".join(str(a) for a in condition.get("arguments") or []) or "input"
        parts.append(f"{name}" if name and name != value else f"{subject} {verb} {value}")
    return " and ".join(parts) or "a condition matches"


def assign_channels(flow: Flow):
    """Each widget takes the channel of the trigger event that reaches it,
    when exactly one does (one search per trigger event: a few, so linear)."""
    nodes = flow.nodes
    trigger = nodes[flow.start]
    reached: dict = {key: set() for key in nodes}
    for edge in trigger.edges:
        channel = TRIGGER_EVENTS.get(edge.event, (None, None))[1] if trigger.platform_type == "trigger" else None
        if channel is None or edge.target not in nodes:
            continue
        stack = [edge.target]
        while stack:
            key = stack.pop()
            if channel in reached[key]:
                continue
            reached[key].add(channel)
            stack.extend(e.target for e in nodes[key].edges if e.target in nodes)
    for key, node in nodes.items():
        channels = reached[key]
        if key == flow.start and trigger.platform_type == "trigger":
            channels = {TRIGGER_EVENTS.get(e.event, (None, None))[1] for e in node.edges} - {None}
        if node.actor in (None, "system"):
            continue
        if len(channels) == 1:
            node.channel = next(iter(channels))
        elif len(channels) > 1:
            node.comments.append("reached from several channels: " + ", ".join(sorted(channels)))
