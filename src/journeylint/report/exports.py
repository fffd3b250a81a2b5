"""A journey's graph as text for wikis and slides: Mermaid, Graphviz DOT,
or JSON; with findings marked on their states when given.

Every label is escaped for its language (Mermaid entity codes, DOT quoted
strings, JSON), so a title such as ``"]; click n0 call x()`` stays a
title. Node names are generated (``n0``, ``n1``... in file order) rather
than taken from state ids, which may hold any character.
"""
from __future__ import annotations

import json

from ..model import Journey

SEVERITY_COLOURS = {"error": "#b3261e", "warning": "#a15c00", "info": "#1565c0"}
OUTCOME_FILLS = {"resolved": "#e6f4ea", "retained": "#e3f2fd", "unresolved": "#f1f1f1", "abandoned": "#f1f1f1"}


def state_findings(journey: Journey, findings) -> dict[str, list]:
    """State id -> the findings located at it (journey-level ones are left out)."""
    out: dict[str, list] = {}
    for finding in findings or ():
        state = finding.location.state
        if state in journey.states:
            out.setdefault(state, []).append(finding)
    return out


def _worst(found) -> str | None:
    return max((f.severity for f in found), default=None).label if found else None


def _who(state) -> str:
    return " \u00b7 ".join(x for x in (state.actor, state.channel) if x)


def _tags(state) -> str:
    tags = []
    if state.outcome:
        tags.append(f"outcome: {state.outcome}")
    if state.type != "step":
        tags.append(state.type)
    if state.irreversible:
        tags.append("irreversible")
    return " \u00b7 ".join(tags)


def _edge_label(t) -> str:
    text = t.when or ""
    if t.kind != "normal":
        text = f"{text} [{t.kind}]" if text else f"[{t.kind}]"
    return text


# -- Mermaid ------------------------------------------------------------------------------

def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: Mermaid reads ``#name;`` entity
    codes there, and HTML-like text could become markup."""
    out = []
    for ch in text:
        if ch in '"#<>&`':
            out.append(f"#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(journey: Journey, findings=None) -> str:
    marked = state_findings(journey, findings) if findings is not None else {}
    ids = {sid: f"n{i}" for i, sid in enumerate(journey.states)}
    title = journey.title or journey.id
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", "---", "flowchart TD"]
    for sid, state in journey.states.items():
        parts = [state.label]
        if state.label != sid:
            parts.append(f"({sid})")
        label = _mermaid_text(" ".join(parts))
        details = [d for d in (_who(state), _tags(state)) if d]
        found = marked.get(sid)
        if found:
            details.append(", ".join(dict.fromkeys(f.code for f in found)))
        text = "<br/>".join([label] + [_mermaid_text(d) for d in details])
        if state.outcome:
            shape = f'(["{text}"])'
        elif state.irreversible:
            shape = f'[["{text}"]]'
        else:
            shape = f'["{text}"]'
        lines.append(f"    {ids[sid]}{shape}")
    for n, sid in enumerate(journey.start):
        lines.append(f'    start{n}(("start")) --> {ids[sid]}')
    for t in journey.transitions():
        arrow = "-.->" if t.kind == "drop" else ("==>" if t.kind in ("transfer", "redirect") else "-->")
        label = _edge_label(t)
        label = f'|"{_mermaid_text(label)}"|' if label else ""
        lines.append(f"    {ids[t.source]} {arrow}{label} {ids[t.target]}")
    lines.append("    classDef resolved fill:#e6f4ea,stroke:#2e7d32")
    lines.append("    classDef retained fill:#e3f2fd,stroke:#1565c0")
    lines.append("    classDef failed fill:#f1f1f1,stroke:#6d4c41")
    lines.append("    classDef irreversible fill:#f3e5f5,stroke:#4a148c,stroke-width:3px")
    for severity, colour in SEVERITY_COLOURS.items():
        lines.append(f"    classDef {severity} stroke:{colour},stroke-width:4px")
    groups: dict[str, list[str]] = {}
    for sid, state in journey.states.items():
        if state.outcome:
            groups.setdefault("resolved" if state.outcome == "resolved" else
                              "retained" if state.outcome == "retained" else "failed", []).append(ids[sid])
        elif state.irreversible:
            groups.setdefault("irreversible", []).append(ids[sid])
    # the finding classes come last so their border wins
    for sid, found in marked.items():
        groups.setdefault(_worst(found), []).append(ids[sid])
    for name in ("resolved", "retained", "failed", "irreversible", "info", "warning", "error"):
        if groups.get(name):
            lines.append(f"    class {','.join(groups[name])} {name}")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT -----------------------------------------------------------------------------

def _dot_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n")
    return f'"{escaped}"'


def to_dot(journey: Journey, findings=None) -> str:
    marked = state_findings(journey, findings) if findings is not None else {}
    lines = [f"digraph {_dot_string(journey.id)} {{"]
    lines.append(f"    label={_dot_string(journey.title or journey.id)}; labelloc=t;")
    lines.append("    rankdir=TB;")
    if len(journey.states) > 100:
        # dot's network simplex and crossing minimisation are slow on large
        # graphs unless bounded; these limits keep it to seconds
        lines.append("    nslimit=2; nslimit1=2; mclimit=0.5;")
    lines.append('    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];')
    lines.append('    edge [fontname="Helvetica", fontsize=10];')
    for sid, state in journey.states.items():
        text = "\n".join(x for x in (state.label, _who(state), _tags(state)) if x)
        attrs = [f"label={_dot_string(text)}"]
        if state.outcome:
            attrs += ["peripheries=2", f'fillcolor="{OUTCOME_FILLS[state.outcome]}"']
        if state.irreversible:
            attrs += ['penwidth=3', 'color="#4a148c"']
        found = marked.get(sid)
        if found:
            worst = _worst(found)
            attrs += [f'color="{SEVERITY_COLOURS[worst]}"', "penwidth=4",
                      f"tooltip={_dot_string('; '.join(f'{f.code} {f.name}: {f.message}' for f in found))}",
                      f"xlabel={_dot_string(', '.join(dict.fromkeys(f.code for f in found)))}"]
        lines.append(f"    {_dot_string(sid)} [{', '.join(attrs)}];")
    for n, sid in enumerate(journey.start):
        name = f"__start{n}"
        while name in journey.states:
            name = "_" + name
        lines.append(f'    {_dot_string(name)} [shape=point, width=0.15, label=""];')
        lines.append(f"    {_dot_string(name)} -> {_dot_string(sid)};")
    styles = {"transfer": "dashed", "redirect": "dashed", "drop": "dotted"}
    for t in journey.transitions():
        attrs = []
        label = _edge_label(t)
        if label:
            attrs.append(f"label={_dot_string(label)}")
        if t.kind in styles:
            attrs.append(f"style={styles[t.kind]}")
        if t.kind == "escalate":
            attrs.append('color="#6a1b9a"')
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {_dot_string(t.source)} -> {_dot_string(t.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- JSON -----------------------------------------------------------------------------------

def graph_document(journey: Journey, findings=None) -> dict:
    """The graph as plain data (``version`` 1): states in file order with
    their properties, transitions in file order, and, with findings, each
    state's findings and the journey's."""
    marked = state_findings(journey, findings) if findings is not None else {}
    states = []
    for sid, s in journey.states.items():
        entry = {
            "id": sid, "title": s.title, "actor": s.actor, "channel": s.channel, "type": s.type,
            "outcome": s.outcome, "irreversible": s.irreversible, "adverse": s.adverse,
            "scripted": s.scripted, "wait_seconds": s.wait, "cost": s.cost,
            "asks": list(s.asks), "discloses": list(s.discloses), "needs": list(s.needs),
            "line": s.location.line, "column": s.location.column,
        }
        if findings is not None:
            found = marked.get(sid, [])
            entry["worst_severity"] = _worst(found)
            entry["findings"] = [f.code for f in found]
        states.append(entry)
    doc = {
        "version": 1,
        "journey": journey.id,
        "title": journey.title,
        "kind": journey.kind,
        "file": journey.file,
        "start": list(journey.start),
        "states": states,
        "transitions": [
            {"from": t.source, "to": t.target, "kind": t.kind, "when": t.when,
             "keeps_context": t.keeps_context, "callback": t.callback}
            for t in journey.transitions()
        ],
    }
    if findings is not None:
        doc["findings"] = [f.to_dict() for f in findings]
    return doc


def to_json(journey: Journey, findings=None) -> str:
    return json.dumps(graph_document(journey, findings), indent=2, ensure_ascii=False) + "\n"


EXPORTS = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}

