"""Amazon Connect flows (the Flow language, version 2019-10-30) -> Flow.

An export is ``{"Version", "StartAction", "Metadata", "Actions": [...]}``;
each action has an ``Identifier``, a ``Type``, ``Parameters`` and
``Transitions`` (``NextAction``, ``Conditions`` with ``Condition:
{Operator, Operands}``, ``Errors`` with ``ErrorType``). Every action
becomes a state and every transition a transition, so the journey has the
flow's shape; what an action means for the customer decides its actor.
"""
from __future__ import annotations

import re

from .common import (
    ASKS, DISCLOSES, Edge, Flow, Node, Source, compact, is_dynamic, items_in, plain_text, slug,
    team_name,
)

PLATFORM = "Amazon Connect"

#: Type -> (title as the flow designer calls the block, actor, short id)
MAPPED = {
    "MessageParticipant": ("Play prompt", "bot", "prompt"),
    "MessageParticipantIteratively": ("Loop prompts", "bot", "loop-prompts"),
    "GetParticipantInput": ("Get customer input", "bot", "input"),
    "ConnectParticipantWithLexBot": ("Get customer input (Lex bot)", "bot", "lex-bot"),
    "Compare": ("Check contact attributes", "system", "check-attribute"),
    "CheckHoursOfOperation": ("Check hours of operation", "system", "check-hours"),
    "CheckMetricData": ("Check queue status", "system", "check-queue"),
    "DistributeByPercentage": ("Distribute by percentage", "system", "distribute"),
    "UpdateContactTargetQueue": ("Set working queue", "system", "set-queue"),
    "TransferContactToQueue": ("Transfer to queue", None, "transfer-to-queue"),
    "TransferParticipantToThirdParty": ("Transfer to phone number", None, "transfer-to-number"),
    "DisconnectParticipant": ("Disconnect / hang up", None, "disconnect"),
    "EndFlowExecution": ("End flow / Resume", None, "end-flow"),
    "TransferToFlow": ("Transfer to flow", "system", "transfer-to-flow"),
}
#: blocks whose effect is outside the customer's journey as journeylint models it
UNMAPPED_TITLES = {
    "UpdateContactAttributes": "Set contact attributes",
    "UpdateFlowAttributes": "Set flow attributes",
    "InvokeLambdaFunction": "Invoke AWS Lambda function",
    "UpdateContactRecordingBehavior": "Set recording and analytics behavior",
    "UpdateContactTextToSpeechVoice": "Set voice",
    "UpdateFlowLoggingBehavior": "Set logging behavior",
    "UpdateContactEventHooks": "Set event hooks",
    "UpdateContactRoutingBehavior": "Change routing priority / age",
    "UpdateContactCallbackNumber": "Set callback number",
    "CreateCallbackContact": "Create callback",
    "CreateTask": "Create task",
    "Wait": "Wait",
    "Loop": "Loop",
}
OPERATORS = {
    "Equals": "is", "NumberLessThan": "is less than", "NumberGreaterThan": "is more than",
    "NumberLessOrEqualTo": "is at most", "NumberGreaterOrEqualTo": "is at least",
    "TextStartsWith": "starts with", "StartsWith": "starts with", "TextContains": "contains",
    "Contains": "contains", "TextEndsWith": "ends with",
}
ERRORS = {
    "InputTimeLimitExceeded": "no input in time",
    "NoMatchingCondition": "no option matched",
    "NoMatchingError": "error",
    "QueueAtCapacity": "the queue is full",
    "InvalidPhoneNumber": "invalid phone number",
    "ConnectionTimeLimitExceeded": "the number did not answer",
    "CallFailed": "the call failed",
}
#: parameters that the mapping reads, per type (the rest go to comments)
READ = {
    "MessageParticipant": {"Text", "SSML"},
    "MessageParticipantIteratively": {"Messages"},
    "GetParticipantInput": {"Text", "SSML", "InputTimeLimitSeconds"},
    "ConnectParticipantWithLexBot": {"Text", "SSML"},
    "Compare": {"ComparisonValue"},
    "CheckHoursOfOperation": {"HoursOfOperationId"},
    "UpdateContactTargetQueue": {"QueueId"},
    "TransferParticipantToThirdParty": {"ThirdPartyPhoneNumber"},
}


def read_flow(source: Source) -> Flow:
    data = source.data
    if not isinstance(data, dict):
        raise source.error("an Amazon Connect flow is a JSON object with 'StartAction' and 'Actions'")
    actions = data.get("Actions")
    if not isinstance(actions, list) or not actions:
        raise source.error("not an Amazon Connect flow: no 'Actions' list", "Actions")
    metadata = data.get("Metadata") if isinstance(data.get("Metadata"), dict) else {}
    odd_metadata = data.get("Metadata") if not isinstance(data.get("Metadata"), (dict, type(None))) else None
    action_meta = metadata.get("ActionMetadata") if isinstance(metadata.get("ActionMetadata"), dict) else {}

    nodes: dict = {}
    for index, action in enumerate(actions):
        if not isinstance(action, dict):
            raise source.error("an action must be a JSON object", "Actions", index)
        key = action.get("Identifier")
        if not isinstance(key, str) or not key:
            raise source.error("the action has no 'Identifier'", "Actions", index)
        if key in nodes:
            raise source.error(f"two actions have the Identifier {key!r}", "Actions", index, "Identifier")
        kind = action.get("Type")
        if not isinstance(kind, str) or not kind:
            raise source.error(f"action {key!r} has no 'Type'", "Actions", index)
        nodes[key] = _node(source, index, action, key, kind, action_meta.get(key))

    start = data.get("StartAction")
    if not isinstance(start, str) or start not in nodes:
        raise source.error(f"'StartAction' {start!r} names no action of the flow", "StartAction")

    flow = Flow(platform=PLATFORM, format="amazon-connect", nodes=nodes, start=start,
                name=_text(metadata.get("name")), description=_text(metadata.get("description")))
    _name_queues(flow, actions, action_meta)
    _hours(flow, actions, action_meta)
    if data.get("Version") is not None:
        flow.header_comments.append(f"flow language version {data.get('Version')}")
    extra = [k for k in data if k not in ("Version", "StartAction", "Metadata", "Actions")]
    for k in extra:
        flow.header_comments.append(f"not mapped: top-level {k} = {compact(data[k])}")
    if odd_metadata is not None:
        flow.header_comments.append(f"not mapped: Metadata = {compact(odd_metadata)}")
    if metadata:
        kept = [k for k in metadata if k not in ("name", "description", "ActionMetadata")]
        if kept:
            flow.header_comments.append("not mapped: Metadata " + compact({k: metadata[k] for k in kept}))
        flow.header_comments.append("editor layout (Metadata.ActionMetadata positions) is not part of the journey")
    return flow


def _text(value):
    return value if isinstance(value, str) and value.strip() else None


def _node(source, index, action, key, kind, meta) -> Node:
    params = action.get("Parameters") if isinstance(action.get("Parameters"), dict) else {}
    odd_params = action.get("Parameters") if not isinstance(action.get("Parameters"), (dict, type(None))) else None
    if kind in MAPPED:
        title, actor, short = MAPPED[kind]
        node = Node(key=key, platform_type=kind, title=title, actor=actor)
    else:
        title = UNMAPPED_TITLES.get(kind, kind)
        node = Node(key=key, platform_type=kind, title=title, actor="system", mapped=False)
        short = slug(kind)
    node.id = key if _readable(key) else short
    node.id = slug(node.id)

    text = plain_text(params.get("Text")) or plain_text(params.get("SSML"))
    if text:
        if is_dynamic(text):
            node.comments.append(f"the prompt text is set at run time: {text}")
        else:
            node.description = text
    if kind in ("GetParticipantInput", "ConnectParticipantWithLexBot"):
        node.asks = items_in(text, ASKS)
    if kind in ("MessageParticipant", "GetParticipantInput", "ConnectParticipantWithLexBot"):
        node.discloses = items_in(text, DISCLOSES)
    if kind == "MessageParticipantIteratively":
        texts = [plain_text(m.get("Text")) or plain_text(m.get("SSML")) for m in params.get("Messages") or []
                 if isinstance(m, dict)]
        texts = [t for t in texts if t]
        if texts:
            node.description = " / ".join(texts)
            node.discloses = items_in(node.description, DISCLOSES)
    if kind == "GetParticipantInput":
        seconds = params.get("InputTimeLimitSeconds")
        try:
            node.timeout_seconds = int(seconds) if seconds is not None else None
        except (TypeError, ValueError):
            node.comments.append(f"not mapped: InputTimeLimitSeconds = {compact(seconds)}")
    if kind in ("GetParticipantInput", "ConnectParticipantWithLexBot") and params.get("PromptId"):
        node.comments.append(f"plays the recorded prompt {params.get('PromptId')} (its words are not in the export)")
    if kind == "TransferParticipantToThirdParty":
        number = params.get("ThirdPartyPhoneNumber")
        digits = "".join(ch for ch in str(number or "") if ch.isdigit())
        node.transfer_team = f"number-{digits}" if digits and not is_dynamic(str(number)) else "number-dynamic"
        node.actor = node.transfer_team
        node.team_description = f"outside phone number {number} (Amazon Connect transfer)"
        node.comments.append(f"hands the caller to {number or 'a number set at run time'}")
    if kind == "TransferToFlow":
        node.comments.append(f"continues in another flow ({params.get('ContactFlowId')}), not part of this import")
    skip = READ.get(kind, set()) | ({"PromptId"} if kind in ("GetParticipantInput", "ConnectParticipantWithLexBot") else set())
    for name, value in params.items():
        if name not in skip:
            node.comments.append(f"not mapped: Parameters.{name} = {compact(value)}")
    if odd_params is not None:
        node.comments.append(f"not mapped: Parameters = {compact(odd_params)}")
    for name, value in action.items():
        if name not in ("Identifier", "Type", "Parameters", "Transitions"):
            node.comments.append(f"not mapped: {name} = {compact(value)}")
    _edges(source, index, action, node, kind)
    return node


def _readable(key: str) -> bool:
    """An identifier someone chose (\"main-menu\"), not a generated UUID."""
    return len(key) <= 50 and not re.fullmatch(r"[0-9a-fA-F-]{16,}", key) and any(c.isalpha() for c in key)


def _edges(source, index, action, node: Node, kind: str):
    transitions = action.get("Transitions")
    if transitions is None:
        return
    if not isinstance(transitions, dict):
        raise source.error(f"the Transitions of action {node.key!r} must be an object",
                           "Actions", index, "Transitions")
    conditions = transitions.get("Conditions") or []
    errors = transitions.get("Errors") or []
    if not isinstance(conditions, list) or not isinstance(errors, list):
        raise source.error(f"Conditions and Errors of action {node.key!r} must be lists",
                           "Actions", index, "Transitions")
    for ci, item in enumerate(conditions):
        if not isinstance(item, dict) or not isinstance(item.get("NextAction"), str):
            raise source.error("a condition needs a 'NextAction'", "Actions", index, "Transitions", "Conditions", ci)
        node.edges.append(Edge(item["NextAction"], when=_condition(kind, node, item.get("Condition")),
                               origin=f"Conditions[{ci}]"))
    nxt = transitions.get("NextAction")
    if nxt is not None:
        if not isinstance(nxt, str):
            raise source.error("'NextAction' must be an action Identifier", "Actions", index, "Transitions", "NextAction")
        when = None
        if conditions or errors:
            when = "after the call" if kind == "TransferParticipantToThirdParty" else "otherwise"
        node.edges.append(Edge(nxt, when=when, origin="NextAction"))
    for ei, item in enumerate(errors):
        if not isinstance(item, dict) or not isinstance(item.get("NextAction"), str):
            raise source.error("an error branch needs a 'NextAction'", "Actions", index, "Transitions", "Errors", ei)
        error_type = str(item.get("ErrorType") or "error")
        label = ERRORS.get(error_type, error_type)
        node.edges.append(Edge(item["NextAction"], when=f"{label} ({error_type})",
                               failure=error_type not in ("NoMatchingCondition", "InputTimeLimitExceeded"),
                               timeout=error_type == "InputTimeLimitExceeded", origin=f"Errors[{ei}]"))
    if kind in ("TransferContactToQueue", "TransferToFlow"):
        # a transfer that succeeds leaves the flow: every way on is a failed transfer
        for edge in node.edges:
            edge.failure = True
            if edge.origin == "NextAction":
                edge.when = "the transfer did not happen"
    for name in transitions:
        if name not in ("NextAction", "Conditions", "Errors"):
            node.comments.append(f"not mapped: Transitions.{name} = {compact(transitions[name])}")


def _condition(kind, node, condition) -> str:
    if not isinstance(condition, dict):
        return "condition"
    operator = str(condition.get("Operator") or "Equals")
    operands = condition.get("Operands") or []
    value = ", ".join(str(o) for o in operands) if isinstance(operands, list) else str(operands)
    if kind == "CheckHoursOfOperation" and value in ("True", "False"):
        return "in hours" if value == "True" else "out of hours"
    verb = OPERATORS.get(operator, operator)
    if kind == "GetParticipantInput":
        return f"customer presses {value}" if operator == "Equals" else f"input {verb} {value}"
    if kind == "ConnectParticipantWithLexBot":
        return f"intent {value}"
    return f"{verb} {value}"


def _display_name(meta, parameter: str):
    if not isinstance(meta, dict):
        return None
    params = meta.get("parameters")
    if isinstance(params, dict) and isinstance(params.get(parameter), dict):
        name = params[parameter].get("displayName")
        if isinstance(name, str) and name:
            return name
    for key in ("queue", "hoursOfOperation"):
        if isinstance(meta.get(key), dict) and isinstance(meta[key].get("text"), str):
            return meta[key]["text"]
    return None


SEVERAL = ("more than a few queues", None)
MAX_QUEUES = 8


def _name_queues(flow: Flow, actions, action_meta):
    """A Transfer to queue sends the caller to the queue set before it on the
    way there: follow 'Set working queue' forward (a small data flow over
    the graph; few queues, so near-linear)."""
    nodes = flow.nodes
    queue_of: dict = {}
    for action in actions:
        if action.get("Type") == "UpdateContactTargetQueue":
            params = action.get("Parameters") if isinstance(action.get("Parameters"), dict) else {}
            arn = params.get("QueueId") or params.get("AgentId")
            name = _display_name(action_meta.get(action["Identifier"]), "QueueId")
            if name is None and isinstance(arn, str) and not is_dynamic(arn):
                name = arn.rstrip("/").split("/")[-1][:8]
            queue_of[action["Identifier"]] = (name or "dynamic", arn)
    arriving: dict = {key: set() for key in nodes}
    work = [flow.start]
    arriving[flow.start].add(None)
    while work:
        key = work.pop()
        carried = {queue_of[key]} if key in queue_of else arriving[key]
        for edge in nodes[key].edges:
            here = arriving.get(edge.target)
            if here is None or carried <= here or SEVERAL in here:
                continue
            here |= carried
            if len(here) > MAX_QUEUES:
                # past a few names the answer is "several": each state's set then
                # grows a bounded number of times, so the search stays linear
                here.clear()
                here.add(SEVERAL)
            work.append(edge.target)
    for key, node in nodes.items():
        if node.platform_type != "TransferContactToQueue":
            continue
        queues = sorted((q for q in arriving[key] if q is not None), key=lambda q: str(q[0]))
        if len(queues) == 1 and queues[0] != SEVERAL:
            name, arn = queues[0]
            team = team_name("queue", name)
            node.team_description = f"Amazon Connect queue {name} ({arn})"
        else:
            team = "queue-unknown" if not queues else "queue-several"
            what = ", ".join(str(q[0]) for q in queues) or "none set on the way here"
            node.team_description = f"Amazon Connect queue set before the transfer: {what}"
        node.transfer_team = node.actor = team
        node.comments.append(f"on success the caller waits in the queue for an agent of {team} and leaves "
                             "this flow: add the agent's steps and their outcome by hand")


def _hours(flow: Flow, actions, action_meta):
    names = []
    for action in actions:
        if action.get("Type") != "CheckHoursOfOperation":
            continue
        params = action.get("Parameters") if isinstance(action.get("Parameters"), dict) else {}
        name = _display_name(action_meta.get(action["Identifier"]), "HoursOfOperationId")
        ref = params.get("HoursOfOperationId")
        names.append(name or (ref.rstrip("/").split("/")[-1] if isinstance(ref, str) else "of the working queue"))
    if names:
        flow.channels["__default__"] = {"hours": "Amazon Connect hours of operation " + " / ".join(dict.fromkeys(names))}
