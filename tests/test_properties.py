"""Properties that hold for every journey, checked on random ones.

Hypothesis generates valid journeys (any graph shape, every state and
transition property, ids that YAML likes to reinterpret: ``no``, ``1``,
``01``) and random mutations of them, and checks:

* nothing escapes: no exception, no JL000 internal error from a rule;
* a valid journey gives no JL001/JL002, and every finding's position lies
  inside the file;
* every witness path is a real path from ``start``;
* the findings do not depend on the order of the states in the file;
* a repair removes exactly the finding it repairs and nothing else;
* the same input gives the same findings twice.
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter

import yaml
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from journeylint.analysis import Analysis
from journeylint.engine import finish
from journeylint.loading.pipeline import load_bytes
from journeylint.model import JOURNEY_KINDS, OUTCOMES, STATE_TYPES, TRANSITION_KINDS

from conftest import assert_witness_is_real, session_for

#: JOURNEYLINT_EXAMPLES=5000 for a longer search than the test suite's
SETTINGS = settings(max_examples=int(os.environ.get("JOURNEYLINT_EXAMPLES", "150")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# every rule, the opt-in ones too: more code under the properties
_SESSION = session_for(tempfile.mkdtemp(prefix="journeylint-properties-"), extend_select=["JL6"])

TRICKY_IDS = ["no", "yes", "on", "off", "true", "null", "1", "2", "01", "0x1", "1.0", "x y", "état", "a.b", "end"]
ACTORS = ["customer", "system", "bot", "agent", "billing", "fraud-desk", "supervisors"]
CHANNELS = ["phone", "chat", "email", "web", "mail", "in-person", "social", "fax"]
ITEMS = ["identity", "reason", "remaining_balance", "receipt", "account_access", "password", "confirmation"]
DURATIONS = ["0m", "45s", "5m", "20m", "1h30m", "2d", "6w"]

ids_strategy = st.lists(
    st.one_of(st.sampled_from(TRICKY_IDS), st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)),
    min_size=1, max_size=14, unique=True)
items = st.lists(st.sampled_from(ITEMS), max_size=3, unique=True)


@st.composite
def transitions(draw, ids):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(ids))
        if draw(st.booleans()):
            out.append(target)
            continue
        t = {"to": target}
        if draw(st.booleans()):
            t["kind"] = draw(st.sampled_from(TRANSITION_KINDS))
        if draw(st.booleans()):
            t["when"] = draw(st.sampled_from(["customer agrees", "no answer: call back", "after 3 tries, or a #"]))
        if draw(st.booleans()):
            t["keeps_context"] = draw(st.booleans())
        if draw(st.booleans()):
            t["callback"] = draw(st.booleans())
        out.append(t)
    return out


@st.composite
def journeys(draw):
    """A valid journey as a dict, ready for YAML."""
    ids = draw(ids_strategy)
    states = {}
    for sid in ids:
        state = {}
        for key, strategy in (("actor", st.sampled_from(ACTORS)), ("channel", st.sampled_from(CHANNELS)),
                              ("type", st.sampled_from(STATE_TYPES)), ("wait", st.sampled_from(DURATIONS)),
                              ("cost", st.one_of(st.integers(0, 50), st.floats(0, 20, allow_nan=False))),
                              ("asks", items), ("discloses", items), ("needs", items), ("restrictions", items),
                              ("requires", items), ("grants", items), ("irreversible", st.booleans()),
                              ("adverse", st.booleans()), ("scripted", st.booleans())):
            if draw(st.integers(0, 3)) == 0:
                state[key] = draw(strategy)
        if draw(st.integers(0, 3)) == 0:
            state["outcome"] = draw(st.sampled_from(OUTCOMES))
        else:
            nexts = draw(transitions(ids))
            if nexts:
                state["next"] = nexts if len(nexts) > 1 or draw(st.booleans()) else (
                    nexts[0] if isinstance(nexts[0], str) else [nexts[0]])
                kinds = [t.get("kind") for t in nexts if isinstance(t, dict)]
                if "drop" in kinds and draw(st.booleans()):
                    state["timeout"] = draw(st.sampled_from(DURATIONS))
        states[sid] = state
    starts = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
    journey = {
        "journey": draw(st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
        "kind": draw(st.sampled_from(JOURNEY_KINDS)),
        "start": starts[0] if len(starts) == 1 else starts,
        "states": states,
    }
    if draw(st.booleans()):
        journey["channels"] = {"phone": {"cost_per_minute": 0.5, "hours": "Mon-Fri 09:00-17:00"},
                               "chat": {"hours": "24/7", "response_time": "2h"}}
    if draw(st.booleans()):
        journey["teams"] = {"fraud-desk": {"contact": False}}
    if draw(st.booleans()):
        journey["signup_channels"] = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=2, unique=True))
        journey["signup_steps"] = draw(st.integers(1, 5))
    if draw(st.booleans()):
        journey["budget"] = {"steps": draw(st.integers(1, 6)), "wait": draw(st.sampled_from(DURATIONS)),
                             "transfers": draw(st.integers(0, 3)), "cost": draw(st.integers(0, 30)),
                             "channel_switches": draw(st.integers(0, 2))}
    return journey


def dump(journey: dict) -> str:
    # PyYAML quotes every string YAML 1.1 would read otherwise ('no', '01')
    return yaml.safe_dump(journey, sort_keys=False, allow_unicode=True, width=1000)


def lint(text: str):
    loaded = load_bytes(text.encode("utf-8"), "journey.yaml")
    result = finish([_SESSION.engine.lint_loaded(loaded)])
    return loaded, result.findings


def check_invariants(text: str, findings, loaded):
    lines = len(text.splitlines()) + 1
    for f in findings:
        assert f.code != "JL000", f.message
        assert 1 <= f.line <= lines and f.column >= 1, f
    for f in findings:
        if not f.path:
            continue
        # a finding names its journey by id, and two documents of one file
        # may share one (itself a JL001): the witness is real in one of them
        problems = []
        for journey in (j for j in loaded.journeys if j.id == f.journey):
            try:
                assert_witness_is_real(journey, f.path)
                break
            except AssertionError as error:
                problems.append(str(error))
        else:
            raise AssertionError(f"{f.code} witness {f.path} is no path from start: {problems}")


def _fresh_id(states) -> str:
    fresh = "added"
    while fresh in states:
        fresh += "-again"
    return fresh


# -- the properties -----------------------------------------------------------------------

@SETTINGS
@given(journeys())
def test_a_valid_journey_loads_clean_and_every_witness_is_real(journey):
    text = dump(journey)
    loaded, findings = lint(text)
    assert [(f.code, f.message) for f in findings if f.code in ("JL000", "JL001", "JL002")] == []
    assert len(loaded.journeys) == 1 and list(loaded.journeys[0].states) == list(journey["states"])
    check_invariants(text, findings, loaded)
    assert lint(text)[1] == findings  # deterministic


#: rules that report a loop or a channel at its first state in file order
_AT_FIRST_IN_FILE_ORDER = {"JL102", "JL103", "JL605", "JL403"}


def canonical(findings, journey) -> Counter:
    """What the findings say, without what depends on file order: lines,
    witness ties, and the member of a loop a loop finding is put at."""
    analysis = Analysis(journey)
    out = Counter()
    for f in findings:
        state = f.location.state
        if f.code == "JL403":
            subject = ("channel", f.key)
        elif f.code in _AT_FIRST_IN_FILE_ORDER and state is not None and analysis.on_cycle(state):
            component = analysis.components[analysis.index[state]]
            subject = ("loop", frozenset(analysis.ids[i] for i in analysis.component_members[component]))
        else:
            subject = (state, f.location.transition, f.key)
        out[(f.code, f.whole_journey, subject)] += 1
    return out


@SETTINGS
@given(journeys(), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_the_order_of_states(journey, rng):
    _, before = lint(dump(journey))
    ids = list(journey["states"])
    rng.shuffle(ids)
    shuffled = dict(journey, states={sid: journey["states"][sid] for sid in ids})
    loaded, after = lint(dump(shuffled))
    check_invariants(dump(shuffled), after, loaded)
    built = loaded.journeys[0]
    assert canonical(before, built) == canonical(after, built)


@st.composite
def with_dead_end(draw):
    """A journey with a reachable dead end (at least one)."""
    journey = draw(journeys())
    states = journey["states"]
    sid = draw(st.sampled_from(list(states)))
    state = states[sid]
    states[sid] = {k: v for k, v in state.items() if k not in ("next", "outcome", "timeout")}
    first = journey["start"] if isinstance(journey["start"], str) else journey["start"][0]
    if first != sid:
        head = dict(states[first])
        head.pop("outcome", None)
        nexts = head.get("next", [])
        head["next"] = ([nexts] if not isinstance(nexts, list) else list(nexts)) + [sid]
        states[first] = head
    return journey


@st.composite
def with_trap_loop(draw):
    """A journey with a reachable loop of one to three states and no way out."""
    journey = draw(journeys())
    states = journey["states"]
    members = draw(st.lists(st.sampled_from(list(states)), min_size=1, max_size=3, unique=True))
    for i, sid in enumerate(members):
        state = {k: v for k, v in states[sid].items() if k not in ("next", "outcome", "timeout")}
        state["next"] = members[(i + 1) % len(members)]
        states[sid] = state
    journey["start"] = members[0]
    return journey


@SETTINGS
@given(with_dead_end(), st.data())
def test_a_way_out_of_a_dead_end_removes_exactly_that_finding(journey, data):
    loaded, before = lint(dump(journey))
    dead_ends = [f for f in before if f.code == "JL101"]
    assert dead_ends, [(f.code, f.message) for f in before]
    target = data.draw(st.sampled_from(dead_ends))
    state_id = target.location.state
    repaired = dict(journey, states=dict(journey["states"]))
    # a way to a new state with an outcome that is neither a resolution nor a
    # failure, and that discloses nothing (an adverse dead end that did not
    # give its reason still does not: JL203 stays): no rule has anything new
    # to say about it
    fresh = _fresh_id(journey["states"])
    repaired["states"][state_id] = dict(repaired["states"][state_id], next=fresh)
    repaired["states"][state_id].pop("timeout", None)
    repaired["states"][fresh] = {"outcome": "retained"}
    _, after = lint(dump(repaired))

    def key(f):
        # what and where; the message and witness of a finding about the
        # repaired state may now name the added one (JL203: "neither does 'x'")
        return f.code, f.location.state, f.location.transition, f.key

    expected = Counter(key(f) for f in before) - Counter([key(target)])
    assert Counter(key(f) for f in after) == expected


@SETTINGS
@given(with_trap_loop(), st.data())
def test_an_exit_from_a_trap_loop_removes_exactly_that_finding(journey, data):
    loaded, before = lint(dump(journey))
    traps = [f for f in before if f.code == "JL102"]
    assert traps, [(f.code, f.message) for f in before]
    target = data.draw(st.sampled_from(traps))
    first = target.location.state
    repaired = dict(journey, states=dict(journey["states"]))
    state = dict(repaired["states"][first])
    nexts = state.get("next", [])
    nexts = [nexts] if not isinstance(nexts, list) else list(nexts)
    fresh = _fresh_id(journey["states"])
    state["next"] = nexts + [fresh]
    repaired["states"][first] = state
    # it discloses the reason: an adverse state whose every next state did
    # (JL203) must not lose that by the repair
    repaired["states"][fresh] = {"outcome": "retained", "discloses": ["reason"]}
    _, after = lint(dump(repaired))

    def key(f):
        # the loop's own findings may now carry the new way in their path: compare what and where
        return f.code, f.location.state, f.location.transition, f.key

    expected = Counter(key(f) for f in before) - Counter([key(target)])
    assert Counter(key(f) for f in after) == expected


# -- mutations: anything a person (or a merge) can do to a journey ---------------------------

VALUES = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=False),
                   st.text(max_size=12), st.lists(st.text(max_size=5), max_size=3),
                   st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@st.composite
def mutated(draw):
    journey = draw(journeys())
    for _ in range(draw(st.integers(1, 4))):
        states = journey["states"]
        sid = draw(st.sampled_from(list(states)))
        action = draw(st.integers(0, 5))
        if action == 0:       # a key with a value of any type
            key = draw(st.sampled_from(["actor", "wait", "next", "outcome", "asks", "type", "cost", "timeout",
                                        "lint", "irreversible", "nxt"]))
            target = states[sid] if isinstance(states[sid], dict) else {}
            states[sid] = dict(target, **{key: draw(VALUES)})
        elif action == 1:     # a state replaced by anything
            states[sid] = draw(VALUES)
        elif action == 2:     # a top-level key removed or replaced
            key = draw(st.sampled_from(["journey", "kind", "start", "states", "budget", "channels"]))
            if draw(st.booleans()):
                journey.pop(key, None)
            else:
                journey[key] = draw(VALUES)
            if not isinstance(journey.get("states"), dict) or not journey["states"]:
                journey["states"] = {"only": {"outcome": "resolved"}}
        elif action == 3:     # a transition to a state that is not there
            target = states[sid] if isinstance(states[sid], dict) else {}
            states[sid] = dict(target, next=[draw(st.text(min_size=1, max_size=6))])
        elif action == 4:     # a suppression, used or not
            target = states[sid] if isinstance(states[sid], dict) else {}
            states[sid] = dict(target, lint={"ignore": draw(st.lists(
                st.sampled_from(["JL101", "dead-end", "JL003", "JL999", "JL001", "JL005"]), max_size=3)),
                "reason": "test"})
        elif len(states) > 1:  # a state removed
            del states[sid]
    text = dump(journey)
    if draw(st.booleans()):   # the same journey twice in one file
        text += "---\n" + text
    return text


@SETTINGS
@given(mutated())
def test_a_mutated_journey_never_breaks_the_linter(text):
    loaded, findings = lint(text)
    check_invariants(text, findings, loaded)
    assert lint(text)[1] == findings
    keys = [(f.code, f.location, f.journey, f.key, f.message) for f in findings]
    assert len(keys) == len(set(keys)), "a finding reported twice"


@SETTINGS
@given(mutated(), st.data())
def test_a_mutated_journey_cut_anywhere_never_breaks_the_linter(text, data):
    cut = data.draw(st.integers(0, len(text)))
    loaded, findings = lint(text[:cut])
    check_invariants(text[:cut], findings, loaded)


def test_the_generator_reaches_the_interesting_cases():
    """A generator that stopped making tricky ids, dead ends or trap loops
    would let the properties above pass without testing anything
    (find() fails when no example has the property)."""
    find(journeys(), lambda j: any(k in TRICKY_IDS for k in j["states"]))
    find(journeys(), lambda j: any(f.code == "JL101" for f in lint(dump(j))[1]))
    find(journeys(), lambda j: any(f.code == "JL102" for f in lint(dump(j))[1]))
