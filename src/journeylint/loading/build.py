"""A validated document -> the journey model, plus the problems only the
model can see (JL002 unknown states, terminal states with ``next``, a
``timeout`` with no ``drop``).

The builder is tolerant: a value the schema rejected is left out, the rest of
the journey is still built, and the other rules still run on it (rules.md:
"skip only what is broken").
"""
from __future__ import annotations

from ..findings import Location
from ..model import (
    CONTEXT_KEEPING_KINDS,
    JOURNEY_KINDS,
    OUTCOMES,
    STATE_TYPES,
    TRANSITION_KINDS,
    Budget,
    Channel,
    Journey,
    State,
    Suppression,
    Team,
    Transition,
)
from .durations import parse_duration
from .validate import journey_schema
from .yamlreader import YMap, YSeq


_STATE_KEYS = frozenset(journey_schema()["$defs"]["state"]["properties"])


class Problem:
    """A JL001 (``code='JL001'``) or JL002 problem found while building."""

    __slots__ = ("code", "message", "line", "column", "state")

    def __init__(self, code, message, line, column, state=None):
        self.code, self.message, self.line, self.column, self.state = code, message, line, column, state


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _state_id(value, text=None):
    """Where an id is expected, a number is read as its text as written
    (``text``, kept by the reader when it differs from ``str(value)``), so
    that ``01`` names the state ``01``, not ``1``."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, bool):
        return None
    # an integral float (1.0, 1e3) is an integer to the schema, so an id too
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return text or str(value)
    return None


def _items(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(dict.fromkeys(v for v in value if isinstance(v, str) and v))
    return ()


def _bool(value, default=False):
    return value if isinstance(value, bool) else default


def _number(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _duration(value):
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError:
        return None  # the schema check reported it


def _int(value):
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _marks(mapping, key, *, key_mark=False):
    """Where ``key`` (or its value) stands; the mapping's own place if absent."""
    at = mapping.key_position(key) if key_mark else mapping.value_position(key)
    return at or (mapping.line, mapping.column)


def closest(name: str, candidates) -> str | None:
    import difflib  # only for a mistake: not on every start

    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return found[0] if found else None


class JourneyBuilder:
    def __init__(self, file: str, root: YMap, document: int, doc_line: int, doc_column: int, texts=None):
        self.file = file
        self.texts = texts or {}
        self.root = root
        self.document = document
        self.doc_line, self.doc_column = doc_line, doc_column
        self.problems: list[Problem] = []

    def loc(self, line, column, state=None, transition=None) -> Location:
        return Location(self.file, line, column, state, transition)

    def problem(self, code, message, mark, state=None):
        self.problems.append(Problem(code, message, mark[0], mark[1], state))

    def build(self) -> Journey | None:
        root = self.root
        journey_id = _state_id(root.get("journey"), self.texts.get(_marks(root, "journey")))
        if "journey" in root:
            jline, jcol = _marks(root, "journey", key_mark=True)
        else:
            jline, jcol = self.doc_line, self.doc_column
        journey_location = self.loc(jline, jcol)

        raw_states = root.get("states")
        if not isinstance(raw_states, YMap) or not raw_states:
            return None  # nothing to run rules on; the schema check said why
        state_ids = set(raw_states)
        states: dict[str, State] = {}
        for state_id, raw in raw_states.items():
            states[state_id] = self.build_state(state_id, raw, raw_states, state_ids)

        start = self.build_start(root, state_ids)
        if not start:
            return None

        kind = root.get("kind") if root.get("kind") in JOURNEY_KINDS else None
        return Journey(
            id=journey_id if journey_id is not None else "",
            kind=kind,
            file=self.file,
            location=journey_location,
            states=states,
            start=start,
            title=_text(root.get("title")),
            description=_text(root.get("description")),
            owner=_text(root.get("owner")),
            channels=self.build_channels(root.get("channels")),
            teams=self.build_teams(root.get("teams")),
            signup_channels=_items(root["signup_channels"]) if "signup_channels" in root else None,
            signup_steps=_int(root.get("signup_steps")) or None,
            budget=self.build_budget(root.get("budget")),
            lint=self.build_lint(root.get("lint"), root, "lint", None),
            document=self.document,
        )

    def build_start(self, root, state_ids) -> tuple[str, ...]:
        raw = root.get("start")
        if raw is None:
            return ()
        if isinstance(raw, YSeq):
            positions = [raw.position(i) for i in range(len(raw))]
            candidates = [(_state_id(v, self.texts.get(at)), at) for v, at in zip(raw, positions)]
        else:
            candidates = [(_state_id(raw, self.texts.get(_marks(root, "start"))), _marks(root, "start"))]
        start = []
        for state_id, mark in candidates:
            if state_id is None:
                continue
            if state_id in state_ids:
                start.append(state_id)
            else:
                self.problem("JL002", _unknown_state_message("start", state_id, state_ids), mark)
        return tuple(dict.fromkeys(start))

    def build_state(self, state_id, raw, raw_states, state_ids) -> State:
        key_mark = raw_states.key_position(state_id)
        location = Location(self.file, key_mark[0], key_mark[1], state_id)
        if not isinstance(raw, YMap):
            if raw is None:
                self.problem("JL001", f"state '{state_id}' is empty: give it 'next' (where the "
                             "customer goes) or 'outcome' (how the journey ends)", key_mark, state_id)
            # JL001 said what is wrong with it; a dead end would say it again
            return State(id=state_id, location=location, broken_next=True)

        # Once per state of every file: each key is looked up once and absent
        # ones cost no call (most states have a handful of keys).
        get = raw.get
        outcome = get("outcome")
        if outcome not in OUTCOMES:
            outcome = None
        has_next = "next" in raw
        transitions = self.build_transitions(state_id, raw, state_ids) if has_next else ()
        if outcome is not None and has_next:
            self.problem(
                "JL001",
                f"state '{state_id}' has outcome '{outcome}' and 'next': a terminal state has no "
                "way out, so its transitions are ignored; remove 'next' or the outcome",
                _marks(raw, "next", key_mark=True), state_id)
            transitions = ()
        broken_next = outcome is None and (
            (has_next and self._next_is_broken(raw["next"], transitions))
            # a misspelt key ('nxt') is reported once, as JL001, not again as a dead end
            or not _STATE_KEYS.issuperset(raw))
        timeout = get("timeout")
        timeout = _duration(timeout) if timeout is not None else None
        if "timeout" in raw and outcome is None and not any(t.kind == "drop" for t in transitions):
            self.problem(
                "JL001",
                f"state '{state_id}' has a timeout but no transition of kind 'drop': say where "
                "the customer goes when the contact is cut off",
                _marks(raw, "timeout", key_mark=True), state_id)
        actor, channel, kind, wait, cost = get("actor"), get("channel"), get("type"), get("wait"), get("cost")
        title, description, lint = get("title"), get("description"), get("lint")
        asks, discloses, needs = get("asks"), get("discloses"), get("needs")
        restrictions, requires, grants = get("restrictions"), get("requires"), get("grants")
        irreversible, adverse, scripted = get("irreversible"), get("adverse"), get("scripted")
        # positional, in the order of State's fields (a third of the cost of
        # keywords, once per state; tests/test_loader.py checks the order)
        return State(
            state_id,
            location,
            _text(title) if title is not None else None,
            _text(description) if description is not None else None,
            actor if isinstance(actor, str) and actor else None,
            channel if isinstance(channel, str) and channel else None,
            kind if kind in STATE_TYPES else "step",
            _duration(wait) if wait is not None else None,
            _number(cost) if cost is not None else None,
            _items(asks) if asks is not None else (),
            _items(discloses) if discloses is not None else (),
            _items(needs) if needs is not None else (),
            _items(restrictions) if restrictions is not None else (),
            _items(requires) if requires is not None else (),
            _items(grants) if grants is not None else (),
            irreversible if irreversible.__class__ is bool else False,
            adverse if adverse.__class__ is bool else False,
            scripted if scripted.__class__ is bool else False,
            timeout,
            outcome,
            transitions,
            self.build_lint(lint, raw, "lint", state_id) if lint is not None else None,
            broken_next,
        )

    @staticmethod
    def _next_is_broken(value, transitions) -> bool:
        declared = len(value) if isinstance(value, YSeq) else 1
        return declared != len(transitions)

    def build_transitions(self, state_id, raw, state_ids):
        if "next" not in raw:
            return ()
        value = raw["next"]
        if isinstance(value, YSeq):
            entries = ((item, value.position(i)) for i, item in enumerate(value))
        else:
            entries = ((value, _marks(raw, "next")),)
        texts = self.texts
        file = self.file

        transitions = []
        for item, mark in entries:
            if isinstance(item, YMap):
                get = item.get
                target_mark = item.value_position("to") or (item.line, item.column)
                target = get("to")
                if not (isinstance(target, str) and target):
                    target = _state_id(target, texts.get(target_mark))
                kind = get("kind")
                if kind not in TRANSITION_KINDS:
                    kind = "normal"
                when = get("when")
                when = _text(when) if when is not None else None
                keeps = get("keeps_context")
                if keeps.__class__ is not bool:
                    keeps = kind in CONTEXT_KEEPING_KINDS
                callback = get("callback")
                if callback.__class__ is not bool:
                    callback = False
            else:
                target = item if isinstance(item, str) and item else _state_id(item, texts.get(mark))
                target_mark = mark
                kind, when, keeps, callback = "normal", None, True, False
            if target is None:
                continue  # the schema check reported it
            if target not in state_ids:
                self.problem("JL002", _unknown_state_message(f"a transition of '{state_id}'", target, state_ids),
                             target_mark, state_id)
                continue
            # positional, in the order of Transition's fields (as State above)
            transitions.append(Transition(
                state_id, target, kind, when, keeps, callback, Location(file, mark[0], mark[1], state_id, target)))
        return tuple(transitions)

    def build_channels(self, raw):
        if not isinstance(raw, YMap):
            return {}
        channels = {}
        for name, props in raw.items():
            props = props if isinstance(props, YMap) else {}
            channels[name] = Channel(
                name=name,
                cost_per_minute=_number(props.get("cost_per_minute")) or 0.0,
                hours=props.get("hours") if isinstance(props.get("hours"), str) else None,
                response_time=_duration(props.get("response_time")),
                live=props.get("live") if isinstance(props.get("live"), bool) else None,
                description=_text(props.get("description")),
                location=self.loc(*raw.key_position(name)),
            )
        return channels

    def build_teams(self, raw):
        if not isinstance(raw, YMap):
            return {}
        teams = {}
        for name, props in raw.items():
            props = props if isinstance(props, YMap) else {}
            teams[name] = Team(
                name=name,
                contact=_bool(props.get("contact"), True),
                description=_text(props.get("description")),
                location=self.loc(*raw.key_position(name)),
            )
        return teams

    def build_budget(self, raw):
        if not isinstance(raw, YMap):
            return Budget()
        return Budget(
            steps=_int(raw.get("steps")),
            wait=_duration(raw.get("wait")),
            transfers=_int(raw.get("transfers")),
            cost=_number(raw.get("cost")),
            channel_switches=_int(raw.get("channel_switches")),
        )

    def build_lint(self, raw, parent, key, state_id):
        if not isinstance(raw, YMap):
            return None
        ignore = raw.get("ignore")
        entries = []
        if isinstance(ignore, YSeq):
            for i, entry in enumerate(ignore):
                if isinstance(entry, str) and entry:
                    entries.append((entry, self.loc(*ignore.position(i), state=state_id)))
        elif isinstance(ignore, str) and ignore:
            entries.append((ignore, self.loc(*_marks(raw, "ignore"), state=state_id)))
        return Suppression(
            entries=tuple(entries),
            reason=_text(raw.get("reason")),
            location=self.loc(*_marks(parent, key, key_mark=True), state=state_id),
        )


def _unknown_state_message(where: str, target: str, state_ids) -> str:
    message = f"{where} names state '{target}', which does not exist"
    suggestion = closest(target, state_ids)
    if suggestion:
        message += f"; did you mean '{suggestion}'?"
    return message
