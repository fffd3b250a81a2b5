"""Importers: Amazon Connect and Twilio Studio exports become journeys that
load without JL001, keep the flow's shape (reachable states and
transitions counted from the export itself), carry what the flow means
(transfers, hours, drops, outcomes, asked and told items) and keep
everything else as comments; errors in the export are one line with a
position. The sample flows in tests/data/importers were written for these
tests from the platforms' public documentation."""
from __future__ import annotations

import json
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journeylint.analysis import Analysis
from journeylint.importers import FlowError, import_flow
from journeylint.loading.pipeline import load_bytes

from conftest import ROOT, run_cli

DATA = ROOT / "tests" / "data" / "importers"
CONNECT_SAMPLES = ["connect-cancellation-line.json", "connect-chat-assistant.json"]
TWILIO_SAMPLES = ["twilio-support-line.json"]


# -- the export's own shape, computed here without the importer -----------------------------

def connect_graph(data):
    ids = {a["Identifier"] for a in data["Actions"]}
    succ = {}
    for action in data["Actions"]:
        t = action.get("Transitions") or {}
        targets = ([t["NextAction"]] if "NextAction" in t else [])
        targets += [c["NextAction"] for c in t.get("Conditions", [])]
        targets += [e["NextAction"] for e in t.get("Errors", [])]
        succ[action["Identifier"]] = [x for x in targets if x in ids]
    return data["StartAction"], succ


def twilio_graph(data):
    names = {w["name"] for w in data["states"]}
    succ = {w["name"]: [t["next"] for t in w.get("transitions", []) if t.get("next") in names]
            for w in data["states"]}
    return data["initial_state"], succ


def shape(start, succ):
    seen, queue = {start}, deque([start])
    while queue:
        for v in succ[queue.popleft()]:
            if v not in seen:
                seen.add(v)
                queue.append(v)
    return len(seen), sum(len(succ[v]) for v in seen), len(succ), sum(len(t) for t in succ.values())


def journey_shape(journey):
    analysis = Analysis(journey)
    reachable = analysis.reachable_states()
    return (len(reachable), sum(len(s.transitions) for s in reachable), len(journey.states),
            sum(len(s.transitions) for s in journey.states.values()))


def load(yaml_text):
    loaded = load_bytes(yaml_text.encode(), "imported.yaml")
    assert [(f.code, f.line, f.message) for f in loaded.findings] == []
    [journey] = loaded.journeys
    return journey


SAMPLES = [("amazon-connect", name, connect_graph) for name in CONNECT_SAMPLES] + \
          [("twilio-studio", name, twilio_graph) for name in TWILIO_SAMPLES]


@pytest.mark.parametrize("fmt,name,graph", SAMPLES, ids=[s[1] for s in SAMPLES])
def test_samples_load_and_keep_the_graph_shape(fmt, name, graph):
    raw = (DATA / name).read_bytes()
    imported = import_flow(fmt, raw, source_name=name)
    journey = load(imported.yaml)
    assert journey_shape(journey) == shape(*graph(json.loads(raw)))


@pytest.mark.parametrize("fmt,name,graph", SAMPLES, ids=[s[1] for s in SAMPLES])
def test_cli_import_then_check_has_no_jl001(fmt, name, graph, tmp_path):
    out = tmp_path / "journey.yaml"
    result = run_cli("import", fmt, DATA / name, "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    first = result.stderr.splitlines()[0]
    states, _, total, transitions = shape(*graph(json.loads((DATA / name).read_text())))
    assert first.startswith(f"{fmt} -> {out}: {total} states ({states} reachable from start), "
                            f"{transitions} transitions")
    (tmp_path / "empty.yaml").write_text("")
    check = run_cli("check", "--config", tmp_path / "empty.yaml", "-f", "json", out, cwd=tmp_path)
    assert check.returncode in (0, 1), check.stderr
    found = {f["code"] for f in json.loads(check.stdout)["findings"]}
    assert not found & {"JL000", "JL001", "JL002"}
    # the same run to standard output gives the same journey
    again = run_cli("import", fmt, DATA / name, cwd=tmp_path)
    assert again.stdout == out.read_text()


def imported(name, fmt=None, **options):
    fmt = fmt or ("amazon-connect" if name.startswith("connect") else "twilio-studio")
    result = import_flow(fmt, (DATA / name).read_bytes(), source_name=name, **options)
    return result, load(result.yaml)


def edges(journey, source):
    return [(t.target, t.when, t.kind) for t in journey.states[source].transitions]


def test_connect_meaning():
    result, journey = imported("connect-cancellation-line.json", kind="cancellation")
    states = journey.states
    assert journey.id == "membership-cancellation-line" and journey.kind == "cancellation"
    assert journey.title == "Membership cancellation line"
    assert journey.start == ("update-flow-logging-behavior",)
    # prompts and inputs: the bot speaks on the chosen channel, items only when the text says so
    assert (states["welcome"].actor, states["welcome"].channel) == ("bot", "phone")
    assert states["welcome"].discloses == ("opening_hours",)
    assert states["ask-account"].asks == ("account_number",)
    assert states["main-menu"].asks == () and states["main-menu"].discloses == ()
    assert states["annual-plan-notice"].discloses == ("remaining_balance",)
    assert states["ask-account"].description == "Please enter your account number, then press the pound key."
    # conditions and errors become labelled transitions; a timeout that hangs up is a drop
    assert edges(journey, "main-menu") == [
        ("ask-account", "customer presses 1", "normal"),
        ("set-billing-queue", "customer presses 2", "normal"),
        ("main-menu", "otherwise", "normal"),
        ("main-menu", "no option matched (NoMatchingCondition)", "normal"),
        ("no-input-goodbye", "no input in time (InputTimeLimitExceeded)", "drop"),
        ("sorry-error", "error (NoMatchingError)", "normal"),
    ]
    assert states["main-menu"].timeout == 8
    # hours checks give the channel its hours
    assert journey.channels["phone"].hours == "Amazon Connect hours of operation Member services hours"
    assert [t.when for t in states["check-hours"].transitions][:2] == ["in hours", "out of hours"]
    # queue transfers: the queue set on the way is the team, and the way in is a transfer
    assert states["to-cancellations"].actor == "queue-cancellations"
    assert states["to-billing"].actor == "queue-billing"
    assert edges(journey, "set-billing-queue")[0] == ("to-billing", "otherwise", "transfer")
    assert "arn:aws:connect" in journey.teams["queue-cancellations"].description
    # the flow's ends: how each is reached decides the guessed outcome
    outcomes = {s.id: s.outcome for s in states.values() if s.outcome}
    assert outcomes == {"to-billing": "resolved", "no-input-goodbye": "abandoned",
                        "error-hangup": "unresolved", "goodbye": "resolved"}
    # system steps are not on a channel
    assert states["check-hours"].actor == "system" and states["check-hours"].channel is None


def test_connect_second_sample_and_channel_option():
    result, journey = imported("connect-chat-assistant.json", channel="chat")
    states = journey.states
    assert states["assistant"].channel == "chat" and states["assistant"].actor == "bot"
    assert [t.when for t in states["assistant"].transitions][:2] == ["intent CheckOrder", "intent TalkToAgent"]
    # offering to tell a balance is not telling it
    assert states["assistant"].discloses == ()
    assert states["hold-music"].discloses == ("wait_time",)
    assert states["partner-line"].actor == "number-441632960000"
    assert edges(journey, "sales-or-care")[0] == ("partner-line", "is less than 20", "transfer")
    assert edges(journey, "partner-line")[0] == ("survey-flow", "after the call", "normal")
    assert states["order-status"].outcome == "resolved"
    assert states["done"].outcome == "resolved"
    assert "retired-step" in result.yaml and "which is not in the export" in result.yaml
    assert "  not mapped, kept as comments: 12 details, 1 transition to a missing target" in result.summary


def test_twilio_meaning():
    result, journey = imported("twilio-support-line.json")
    states = journey.states
    assert journey.id == "twilio-support-line" and journey.start == ("trigger",)
    assert journey.description == "Support line: calls and text messages"
    # the trigger is the customer reaching out; each branch takes its trigger's channel
    assert states["trigger"].actor == "customer"
    assert edges(journey, "trigger") == [("sms-menu", "an incoming message", "normal"),
                                         ("record-calls", "an incoming call", "normal")]
    assert states["greeting"].channel == "phone" and states["sms-menu"].channel == "sms"
    assert states["flex-agent"].channel == "sms"
    # widgets' meaning
    assert states["greeting"].discloses == ("opening_hours",)
    assert states["main-menu"].asks == () and states["sms-menu"].asks == ("order_id",)
    assert states["thanks-goodbye"].discloses == ("confirmation",)
    assert edges(journey, "split-key") == [
        ("main-menu", "no condition matched", "normal"),
        ("set-topic", "order question", "normal"),
        ("billing-number", "{{widgets.main_menu.Digits}} is 2", "transfer"),
        ("voicemail", "leave a message", "normal"),
    ]
    assert states["orders-queue"].actor == "queue-orders"
    assert states["billing-number"].actor == "number-15555550123"
    assert states["flex-agent"].actor == "flex-ww000000"
    assert states["voicemail"].actor == "customer"
    # timeouts that end the contact are drops, with the widget's timeout
    assert ("no-input-goodbye", "no answer in time", "drop") in edges(journey, "main-menu")
    assert states["main-menu"].timeout == 6 and states["sms-menu"].timeout == 3600
    outcomes = {s.id: s.outcome for s in states.values() if s.outcome}
    assert outcomes == {
        "thanks-goodbye": "resolved", "sorry-busy": "resolved", "no-input-goodbye": "abandoned",
        "order-status": "resolved", "sms-sorry": "unresolved", "sms-timeout": "abandoned",
        "billing-sub": "resolved",
    }


@pytest.mark.parametrize("name", CONNECT_SAMPLES + TWILIO_SAMPLES)
def test_nothing_unmapped_is_lost(name):
    """Every action type, parameter and property the importer does not turn
    into journey keys is named in a comment of the YAML."""
    result, journey = imported(name)
    data = json.loads((DATA / name).read_text())
    comments = "\n".join(line for line in result.yaml.splitlines() if line.lstrip().startswith("#"))
    if name.startswith("connect"):
        from journeylint.importers.amazon_connect import MAPPED, READ

        for action in data["Actions"]:
            assert f"Amazon Connect {action['Type']} {action['Identifier']!r}" in comments
            if action["Type"] not in MAPPED:
                assert f"not mapped: {action['Type']} has no journeylint meaning" in comments
            for key, value in (action.get("Parameters") or {}).items():
                if key in READ.get(action["Type"], set()) or key == "PromptId":
                    continue
                assert f"Parameters.{key} = {json.dumps(value, sort_keys=True)}" in comments
        kept = {k for k in data["Metadata"] if k not in ("name", "description", "ActionMetadata")}
        for key in kept:
            assert f'"{key}"' in comments
    else:
        from journeylint.importers.twilio_studio import MAPPED, READ

        for widget in data["states"]:
            assert f"Twilio Studio {widget['type']} {widget['name']!r}" in comments
            if widget["type"] not in MAPPED:
                assert f"not mapped: {widget['type']} has no journeylint meaning" in comments
            for key, value in widget.get("properties", {}).items():
                if key in READ.get(widget["type"], {"offset"}):
                    continue
                assert f"properties.{key} = {json.dumps(value, sort_keys=True, ensure_ascii=False)}" in comments
        assert 'not mapped: flags = {"allow_concurrent_calls": true}' in comments


def test_summary_says_what_was_and_was_not_mapped(tmp_path):
    result = run_cli("import", "twilio", DATA / "twilio-support-line.json", "-o", tmp_path / "t.yaml", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"twilio-studio -> {tmp_path / 't.yaml'}: 22 states (20 reachable from start), 29 transitions "
        "(4 transfer, 2 drop)",
        "  mapped: 16 of 22 widgets; kept as system steps with their meaning in comments: 6 "
        "(capture-payments, make-http-request, record-call, run-function, run-subflow, set-variables)",
        "  outcomes guessed for the flow's ends: 4 resolved, 1 unresolved, 2 abandoned",
        "  teams from transfers: queue-orders, number-15555550123, flex-ww000000",
        "  not mapped, kept as comments: 35 details, 1 transition to a missing target",
        "  unconnected events that end the flow, noted in comments: 13",
    ]


# -- errors in the command or the export -------------------------------------------------------

def one_line_error(result):
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize("fmt,text,expected", [
    ("amazon-connect", '{"Actions": [\n  {"Identifier": "a",}\n]}',
     "bad.json:2:22: not valid JSON: Expecting property name enclosed in double quotes"),
    ("amazon-connect", '[1, 2]', "bad.json:1:1: an Amazon Connect flow is a JSON object"),
    ("amazon-connect", '{"StartAction": "a",\n "Actions": {}}', "bad.json:2:13: not an Amazon Connect flow: no 'Actions' list"),
    ("amazon-connect", '{"StartAction": "x",\n "Actions": [{"Identifier": "a", "Type": "DisconnectParticipant"}]}',
     "bad.json:1:17: 'StartAction' 'x' names no action of the flow"),
    ("amazon-connect", '{"StartAction": "a", "Actions": [\n {"Identifier": "a", "Type": "DisconnectParticipant"},\n'
                       ' {"Identifier": "a", "Type": "DisconnectParticipant"}]}',
     "bad.json:3:17: two actions have the Identifier 'a'"),
    ("amazon-connect", '{"StartAction": "a", "Actions": [\n {"Identifier": "a", "Type": "MessageParticipant",\n'
                       '  "Transitions": {"Conditions": [{"Condition": {}}]}}]}',
     "bad.json:3:34: a condition needs a 'NextAction'"),
    ("twilio-studio", '{"initial_state": "Trigger",\n "states": [{"name": "Trigger", "type": "trigger",\n'
                      '  "transitions": [{"event": "incomingCall", "next": 7}]}]}',
     "bad.json:3:53: 'next' must be a widget name"),
    ("twilio-studio", '{"initial_state": "Start", "states": [{"name": "Trigger", "type": "trigger"}]}',
     "bad.json:1:19: 'initial_state' 'Start' names no widget of the flow"),
    ("twilio-studio", '{"states": [{"type": "trigger"}], "initial_state": "Trigger"}',
     "bad.json:1:13: the widget has no 'name'"),
    ("twilio-studio", '\xff', "bad.json: the file is not UTF-8 text (byte 0)"),
])
def test_errors_in_the_export_are_one_line_with_a_position(tmp_path, fmt, text, expected):
    (tmp_path / "bad.json").write_bytes(text.encode("latin-1") if text == "\xff" else text.encode())
    line = one_line_error(run_cli("import", fmt, "bad.json", cwd=tmp_path))
    assert line.startswith("journeylint: error: " + expected), line


def test_command_mistakes(tmp_path):
    sample = DATA / "twilio-support-line.json"
    assert one_line_error(run_cli("import", "genesys", sample, cwd=tmp_path)) == (
        "journeylint: error: unknown format 'genesys' (choose from: amazon-connect, twilio-studio)")
    assert "cannot read missing.json" in one_line_error(run_cli("import", "twilio", "missing.json", cwd=tmp_path))
    assert "is not a journey id" in one_line_error(run_cli("import", "twilio", sample, "--id", "Bad Id", cwd=tmp_path))
    (tmp_path / "out.yaml").write_text("journey: hand-edited\n")
    assert one_line_error(run_cli("import", "twilio", sample, "-o", "out.yaml", cwd=tmp_path)) == (
        "journeylint: error: out.yaml exists; use --force to overwrite it")
    assert (tmp_path / "out.yaml").read_text() == "journey: hand-edited\n"
    forced = run_cli("import", "twilio", sample, "-o", "out.yaml", "--force", "--id", "support-line",
                     "--kind", "complaint", cwd=tmp_path)
    assert forced.returncode == 0
    journey = load((tmp_path / "out.yaml").read_text())
    assert (journey.id, journey.kind) == ("support-line", "complaint")
    bad_kind = run_cli("import", "twilio", sample, "--kind", "sales", cwd=tmp_path)
    assert bad_kind.returncode == 2 and "'sales' is not one of" in bad_kind.stderr


def test_texts_that_could_break_yaml_survive(tmp_path):
    nasty = 'Line one\nline two: "quoted" # not a comment \u2028 {braces} [x] & *a !tag \x07 é'
    flow = {
        "StartAction": "first",
        "Metadata": {"name": "Weird: name # here"},
        "Actions": [
            {"Identifier": "first", "Type": "MessageParticipant", "Parameters": {"Text": nasty},
             "Transitions": {"NextAction": "odd id: with / slash"}},
            {"Identifier": "odd id: with / slash", "Type": "DisconnectParticipant",
             "Parameters": {"Note\nkey": nasty}},
        ],
    }
    result = import_flow("amazon-connect", json.dumps(flow).encode(), source_name="weird.json")
    journey = load(result.yaml)
    assert journey.title == "Weird: name # here"
    assert journey.states["first"].description == " ".join(nasty.split())
    assert list(journey.states) == ["first", "odd-id-with-slash"]
    # a parameter with a line break in its name and value stays one comment line
    [note] = [line for line in result.yaml.splitlines() if "Parameters.Note" in line]
    assert note.lstrip().startswith("# not mapped: Parameters.Note\\u000akey = ") and "\\u2028" in note
    # characters JSON allows and YAML does not: a lone surrogate, astral planes
    flow["Actions"][0]["Parameters"]["Text"] = "half \ud800 and \U0001F600 smile"
    journey = load(import_flow("amazon-connect", json.dumps(flow).encode(), source_name="w.json").yaml)
    assert journey.states["first"].description == "half \ufffd and \U0001F600 smile"


def test_with_no_positions_a_flow_error_still_names_the_file():
    with pytest.raises(FlowError) as caught:
        import_flow("twilio-studio", b"", source_name="empty.json")
    assert caught.value.render("empty.json").startswith("empty.json:1:1: not valid JSON")


# -- any flow, whatever its shape ------------------------------------------------------------

CONNECT_TYPES = ["MessageParticipant", "GetParticipantInput", "Compare", "CheckHoursOfOperation",
                 "UpdateContactTargetQueue", "TransferContactToQueue", "DisconnectParticipant",
                 "TransferParticipantToThirdParty", "InvokeLambdaFunction", "Loop", "SomethingNew"]


@st.composite
def connect_flows(draw):
    n = draw(st.integers(1, 12))
    ids = [draw(st.sampled_from(["", "menu", "Menu", "x" * 60])) + f"{i}" if draw(st.booleans())
           else f"{i:08x}-1111-2222-3333-444455556666" for i in range(n)]
    ids = list(dict.fromkeys(ids))
    target = st.sampled_from(ids + ["missing-action"])
    actions = []
    for identifier in ids:
        transitions = {}
        if draw(st.booleans()):
            transitions["NextAction"] = draw(target)
        conditions = draw(st.lists(target, max_size=3))
        if conditions:
            transitions["Conditions"] = [{"NextAction": c, "Condition": {"Operator": "Equals", "Operands": [str(i)]}}
                                         for i, c in enumerate(conditions)]
        errors = draw(st.lists(st.tuples(target, st.sampled_from(
            ["InputTimeLimitExceeded", "NoMatchingError", "NoMatchingCondition", "QueueAtCapacity"])), max_size=3))
        if errors:
            transitions["Errors"] = [{"NextAction": t, "ErrorType": e} for t, e in errors]
        actions.append({"Identifier": identifier, "Type": draw(st.sampled_from(CONNECT_TYPES)),
                        "Parameters": {"Text": draw(st.text(max_size=30)), "InputTimeLimitSeconds": "5"},
                        "Transitions": transitions})
    return {"StartAction": draw(st.sampled_from(ids)), "Actions": actions}


@settings(max_examples=150, deadline=None)
@given(connect_flows())
def test_any_connect_flow_loads_with_its_shape(flow):
    result = import_flow("amazon-connect", json.dumps(flow).encode(), source_name="random.json")
    journey = load(result.yaml)
    assert journey_shape(journey) == shape(*connect_graph(flow))


@st.composite
def twilio_flows(draw):
    n = draw(st.integers(1, 10))
    names = [f"w_{i}" for i in range(n)]
    types = ["say-play", "gather-input-on-call", "split-based-on", "send-to-flex", "enqueue-call",
             "connect-call-to", "set-variables", "send-and-wait-for-reply", "record-voicemail", "fork-stream"]
    events = ["audioComplete", "keypress", "timeout", "match", "noMatch", "failedToEnqueue", "callComplete",
              "next", "incomingMessage", "hangup"]
    states = [{"name": "Trigger", "type": "trigger", "transitions": [
        {"event": e, "next": draw(st.sampled_from(names))} for e in
        draw(st.lists(st.sampled_from(["incomingCall", "incomingMessage", "incomingRequest"]), min_size=1,
                      max_size=3, unique=True))], "properties": {"offset": {"x": 0, "y": 0}}}]
    for name in names:
        transitions = [{"event": draw(st.sampled_from(events)),
                        **({"next": draw(st.sampled_from(names + ["gone"]))} if draw(st.booleans()) else {})}
                       for _ in range(draw(st.integers(0, 3)))]
        states.append({"name": name, "type": draw(st.sampled_from(types)), "transitions": transitions,
                       "properties": {"say": draw(st.text(max_size=20)), "timeout": 5}})
    return {"initial_state": "Trigger", "states": states}


@settings(max_examples=150, deadline=None)
@given(twilio_flows())
def test_any_twilio_flow_loads_with_its_shape(flow):
    result = import_flow("twilio-studio", json.dumps(flow).encode(), source_name="random.json")
    journey = load(result.yaml)
    assert journey_shape(journey) == shape(*twilio_graph(flow))
