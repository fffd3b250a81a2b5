"""Synthetic journeys for the benchmark: seeded, reproducible, realistic shapes.

A journey is a chain of *blocks*, each one contact with the company: the
customer calls or writes in, a bot menu answers (with a canned FAQ the
customer can loop through), an agent checks identity under a timeout (the
call can drop back to the start, with or without a callback), the case is
transferred or redirected to a team that asks again and discloses things, a
retention offer and a decision that needs an item, an irreversible step with
restrictions, an escalation, an adverse refusal, feedback, and outcomes of
every kind. Some teams redirect the customer back to an earlier block, so
long journeys have large cycles as real ones do. Every field a rule reads
appears somewhere; the journeys load without JL001 (the format is followed)
and carry the usual mix of findings.

``tangle`` builds the pathological case: thousands of states in one strongly
connected component with twenty transitions each, where anything that
enumerates cycles or paths never finishes.

Output depends only on the arguments (``random.Random(seed)``, no set or
hash order), so a seed names a data set.

    python bench/generate.py journey --states 50000 --seed 7 -o big.yaml
    python bench/generate.py corpus --count 1000 --states 30 --seed 1 -o corpus/
    python bench/generate.py tangle --states 2000 --transitions 40000 -o tangle.yaml
"""
from __future__ import annotations

import argparse
import os
import random
import sys

KINDS = ("cancellation", "refund", "complaint", "support", "billing", "password-reset", "escalation")
CONTACT_CHANNELS = ("phone", "chat", "web", "email", "app")
TEAMS = ("billing", "tech-support", "retention", "complaints", "accounts", "fraud-desk", "logistics")
ASKED = ("identity", "account_number", "order_id", "postcode", "date_of_birth", "serial_number")
DISCLOSED = ("remaining_balance", "refund_amount", "case_number", "delivery_date", "early_termination_fee",
             "download_limit", "confirmation")
RESTRICTIONS = ("early_termination_fee", "download_limit", "no_refund_after_7_days")
WHEN = ("customer asks about a charge", "customer wants to cancel", "customer reports a fault",
        "customer asks for a refund", "customer chooses an option", "customer says no",
        "customer accepts", "customer insists", "agent cannot help", "customer is verified")
WAITS = ("30s", "2m", "4m", "8m", "15m", "25m", "1h", "2h", "1d", "3d")

TANGLE_HEADER = """\
signup_channels: [web, app]
signup_steps: 4
budget: {steps: 14, wait: 2h, transfers: 2, channel_switches: 2}
channels:
  phone: {cost_per_minute: 0.0, hours: "Mon-Fri 08:00-20:00"}
  premium-line: {cost_per_minute: 0.45, hours: "Mon-Fri 09:00-18:00", live: true}
  chat: {hours: "24/7"}
  web: {hours: "24/7"}
  email: {response_time: 2d}
  social: {response_time: 8h, hours: "Mon-Fri 09:00-17:00"}
teams:
  fraud-desk: {contact: false, description: back office}
  accounts: {description: account closures and data}
"""


def _header(rng: random.Random, f) -> str:
    """Sign-up, budget, channels and teams, which vary from journey to journey."""
    phone_hours = "24/7" if rng.random() < f["phone_24_7"] else "Mon-Fri 08:00-20:00"
    social = "45m" if rng.random() < f["fast_social"] else "8h"
    email = "30m" if rng.random() < f["fast_email"] else "2d"
    signup = "[phone, web, app]" if rng.random() < f["signup_by_phone"] else "[web, app]"
    lines = [f"signup_channels: {signup}", "signup_steps: 4"]
    if rng.random() < f["budget"]:
        lines.append("budget: {steps: 40, wait: 4h, transfers: 5, channel_switches: 3}")
    lines += [
        "channels:",
        f'  phone: {{cost_per_minute: 0.0, hours: "{phone_hours}"}}',
        '  premium-line: {cost_per_minute: 0.45, hours: "Mon-Fri 09:00-18:00", live: true}',
        '  chat: {hours: "24/7"}',
        '  web: {hours: "24/7"}',
        f"  email: {{response_time: {email}}}",
        f"  social: {{response_time: {social}, hours: \"24/7\"}}" if social == "45m"
        else f'  social: {{response_time: {social}, hours: "Mon-Fri 09:00-17:00"}}',
        "teams:",
        "  fraud-desk: {contact: false, description: back office}",
        "  accounts: {description: account closures and data}",
    ]
    return "\n".join(lines) + "\n"


class _Journey:
    """States in order, as (id, list of YAML lines) pairs."""

    def __init__(self):
        self.states: list[tuple[str, list[str]]] = []

    def add(self, state_id: str, **fields):
        self.states.append((state_id, _state_lines(fields)))


def _flow_items(items) -> str:
    return "[" + ", ".join(items) + "]"


def _transition(target, kind=None, when=None, callback=None, keeps_context=None) -> str:
    if kind is None and when is None and callback is None and keeps_context is None:
        return target
    parts = [f"to: {target}"]
    if when is not None:
        parts.append(f"when: {when}")
    if kind is not None:
        parts.append(f"kind: {kind}")
    if keeps_context is not None:
        parts.append(f"keeps_context: {'true' if keeps_context else 'false'}")
    if callback is not None:
        parts.append(f"callback: {'true' if callback else 'false'}")
    return "{" + ", ".join(parts) + "}"


_ORDER = ("title", "type", "actor", "channel", "wait", "cost", "timeout", "asks", "discloses", "needs",
          "restrictions", "requires", "grants", "irreversible", "adverse", "scripted", "outcome", "lint")


def _state_lines(fields) -> list[str]:
    lines = []
    for key in _ORDER:
        value = fields.get(key)
        if value is None or value is False or value == ():
            continue
        if value is True:
            lines.append(f"    {key}: true")
        elif isinstance(value, (list, tuple)):
            lines.append(f"    {key}: {_flow_items(value)}")
        else:
            lines.append(f"    {key}: {value}")
    transitions = fields.get("next") or []
    if len(transitions) == 1 and not transitions[0].startswith("{"):
        lines.append(f"    next: {transitions[0]}")
    elif transitions:
        lines.append("    next:")
        lines.extend(f"      - {t}" for t in transitions)
    return lines


def _render(journey_id, kind, title, start, body: _Journey, header: str) -> str:
    out = [
        f"journey: {journey_id}",
        f"title: {title}",
        f"kind: {kind}",
        "owner: customer-operations",
        f"start: {start}",
    ]
    text = "\n".join(out) + "\n" + header + "states:\n"
    parts = [text]
    for state_id, lines in body.states:
        parts.append(f"  {state_id}:\n")
        parts.append("\n".join(lines) + "\n")
    return "".join(parts)


#: how often each source of friction appears: a repository before it is
#: cleaned up, where most contacts are fine and a few hurt (about one
#: finding per five states)
FRICTION = dict(
    faq=0.4, scripted_faq=0.3, scripted_menu=0.15, timeout=0.5, callback=0.6, drop_to_start=0.2,
    ask_again=0.1, second_team=0.4, redirect_team=0.15, escalation=0.5, reply_to_feedback=0.75,
    reason=0.85, needs_disclosed=0.85, irreversible=0.5, restriction=0.3, restriction_disclosed=0.7,
    requires=0.5, redirect_topic=0.08, long_wait=0.07, premium=0.1, gave_up=0.1, offer=0.3, review=0.7,
    phone_24_7=0.5, fast_social=0.5, fast_email=0.6, signup_by_phone=0.8, budget=0.3,
)
WAITS_SHORT = ("30s", "1m", "2m", "4m", "8m")
WAITS_LONG = ("15m", "25m", "1h", "2h", "1d")
FANOUT = 8


def _block_roles(rng: random.Random, kind: str, f) -> list[str]:
    """Which steps this contact has, in order (contact, identify, team and
    execute are always there: they carry the chain)."""
    roles = ["contact"]
    if rng.random() < 0.5:
        roles.append("menu")
        if rng.random() < f["faq"]:
            roles.append("faq")
    roles += ["identify", "team"]
    if rng.random() < f["second_team"]:
        roles.append("second-team")
    if kind == "cancellation" or rng.random() < f["offer"]:
        roles += ["offer", "kept"]
    if rng.random() < 0.6:
        roles.append("decide")
    roles.append("execute")
    if rng.random() < f["escalation"]:
        roles += ["escalation", "refused", "feedback"]
        if rng.random() < f["reply_to_feedback"]:
            roles.append("reply")
        roles.append("unresolved")
    if rng.random() < f["gave_up"]:
        roles.append("gave-up")
    return roles


_ESSENTIAL = ("contact", "identify", "team", "execute")
#: what a block gives up, in this order, to fit the states left
_OPTIONAL_GROUPS = (("gave-up",), ("escalation", "refused", "feedback", "reply", "unresolved"), ("second-team",),
                    ("faq",), ("decide",), ("offer", "kept"), ("menu",))
_TOPIC_TAIL = 2  # confirmation, done


def _menus(topics: int) -> int:
    """Menu states above ``topics`` leaves, ``FANOUT`` options each."""
    count = 0
    while topics > 1:
        topics = -(-topics // FANOUT)
        count += topics
    return count


def journey_text(states: int, seed: int, index: int = 0, friction: dict | None = None) -> str:
    """One journey of exactly ``states`` states (at least 7).

    Its shape is a support line's: a welcome, a phone menu (a tree of menus
    with ``FANOUT`` options for a large journey), and under it topics of one
    to three contacts each, ending in a confirmation and a resolution. Drops
    can go back to the welcome and some teams send the customer to another
    topic, so cycles span topics, while the way from the welcome to any
    state stays short, as in a real support line."""
    if states < 1 + len(_ESSENTIAL) + _TOPIC_TAIL:
        raise ValueError("a generated journey has at least 7 states")
    f = dict(FRICTION, **(friction or {}))
    rng = random.Random(f"journey:{seed}:{index}:{states}")
    kind = rng.choice(KINDS)

    topics: list[list[list[str]]] = []
    used = 1  # the welcome
    while True:
        blocks = [_block_roles(rng, kind, f) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        menus = _menus(len(topics) + 1)
        size = sum(map(len, blocks)) + _TOPIC_TAIL
        for group in _OPTIONAL_GROUPS:
            if used + size + menus <= states:
                break
            blocks = [[r for r in roles if r not in group] for roles in blocks]
            size = sum(map(len, blocks)) + _TOPIC_TAIL
        while used + size + menus > states and len(blocks) > 1:
            size -= len(blocks.pop())
        if used + size + menus > states:
            break
        topics.append(blocks)
        used += size
    filler = states - used - _menus(len(topics))

    tw = len(str(len(topics) - 1))
    ids = [[{role: f"t{t:0{tw}d}-b{b}-{role}" for role in roles} for b, roles in enumerate(blocks)]
           for t, blocks in enumerate(topics)]
    entries = [blocks[0]["contact"] for blocks in ids]
    body = _Journey()
    body.add("welcome", title="Customer calls the support line", actor="customer", channel="phone",
             wait=rng.choice(WAITS_SHORT),
             next=[_menu_tree(body, entries, rng, f)] if len(entries) > 1 else [entries[0]])

    for t, blocks in enumerate(topics):
        topic_ids = ids[t]
        confirm = f"t{t:0{tw}d}-confirmation"
        asked: set[str] = set()
        for b, roles in enumerate(blocks):
            after = topic_ids[b + 1]["contact"] if b + 1 < len(blocks) else confirm
            other_topic = entries[rng.randrange(len(entries))] if len(entries) > 1 else None
            _block(body, rng, f, topic_ids[b], roles, after, other_topic, b, asked)
        notes = [f"t{t:0{tw}d}-notify-{i}" for i in range(filler if t == len(topics) - 1 else 0)]
        chain = [confirm] + notes + [f"t{t:0{tw}d}-done"]
        for i, sid in enumerate(chain[:-1]):
            body.add(sid, actor="system", channel="email",
                     discloses=["confirmation" if i == 0 else "case_number"], next=[chain[i + 1]])
        body.add(chain[-1], outcome="resolved")
    assert len(body.states) == states, (len(body.states), states)
    return _render(f"bench-{seed}-{index:05d}", kind, f"Synthetic {kind} journey {index}", "welcome", body,
                   header=_header(rng, f))


def _menu_tree(body: _Journey, entries: list[str], rng, f) -> str:
    """Menus over ``entries``, bottom up; returns the top menu's id."""
    level = 0
    below = entries
    while len(below) > 1:
        width = len(str(-(-len(below) // FANOUT) - 1))
        groups = [below[i:i + FANOUT] for i in range(0, len(below), FANOUT)]
        menus = []
        for k, group in enumerate(groups):
            sid = f"menu-{level}-{k:0{width}d}" if len(groups) > 1 else "main-menu"
            body.add(sid, actor="bot", channel="phone", scripted=rng.random() < f["scripted_menu"],
                     next=[_transition(target, when=f"customer presses {n + 1}") for n, target in enumerate(group)])
            menus.append(sid)
        below = menus
        level += 1
    return below[0]


def _block(body, rng, f, here, roles, after, other_topic, number, already_asked):
    channel = rng.choice(CONTACT_CHANNELS)
    premium = channel == "phone" and rng.random() < f["premium"]
    line = "premium-line" if premium else channel
    live = line in ("phone", "chat", "premium-line")
    team = rng.choice(TEAMS[:5])
    other_team = rng.choice([t for t in TEAMS if t != team and t != "fraud-desk"])
    asked = rng.sample([a for a in ASKED if a not in already_asked] or ASKED, 2)
    already_asked.update(asked)
    disclosed = rng.choice(DISCLOSED)
    restriction = rng.choice(RESTRICTIONS)

    def wait():
        if rng.random() < f["long_wait"]:
            return rng.choice(WAITS_LONG)
        return rng.choice(WAITS_SHORT)

    def nxt(*candidates):
        for c in candidates:
            if c in here:
                return here[c]
        return after

    for role in roles:
        sid = here[role]
        if role == "contact":
            body.add(sid, title=f"Customer gets in touch by {channel}" if number == 0 else "Customer contacts support again",
                     actor="customer", channel=line, wait=wait() if live else None,
                     cost="1.5" if premium else None, next=[nxt("menu", "identify")],
                     lint="{ignore: [paid-waiting], reason: the premium line is the contract's}" if premium else None)
        elif role == "menu":
            options = [_transition(nxt("identify"), when=rng.choice(WHEN))]
            if "faq" in here:
                options.append(_transition(here["faq"], when="customer picks frequent questions"))
            body.add(sid, actor="bot", channel=line, scripted=rng.random() < f["scripted_menu"], next=options)
        elif role == "faq":
            scripted = rng.random() < f["scripted_faq"]
            options = [_transition(nxt("identify"), when="customer wants a person")]
            if scripted:
                options.append(_transition(here["menu"], kind="retry", when="customer asks again"))
            body.add(sid, actor="bot", channel=line, scripted=scripted, discloses=[disclosed], next=options)
        elif role == "identify":
            options = [_transition(nxt("team"), kind="transfer", when=rng.choice(WHEN))]
            timeout = live and rng.random() < f["timeout"]
            if timeout:
                back = "welcome" if rng.random() < f["drop_to_start"] else here["contact"]
                options.append(_transition(back, kind="drop", when="the call is cut off",
                                           callback=rng.random() < f["callback"]))
            body.add(sid, title="Agent checks identity", actor="agent", channel=line, wait=wait() if live else None,
                     timeout="30m" if timeout else None, asks=asked, grants=["account_access"], next=options)
        elif role in ("team", "second-team"):
            actor = team if role == "team" else other_team
            options = []
            if role == "team" and "second-team" in here:
                hand = "redirect" if rng.random() < f["redirect_team"] else "transfer"
                options.append(_transition(here["second-team"], kind=hand, when="agent cannot help"))
            options.append(_transition(nxt("offer", "decide", "execute"), when=rng.choice(WHEN)))
            if "escalation" in here and role == "team":
                options.append(_transition(here["escalation"], kind="escalate", when="customer insists"))
            if other_topic is not None and rng.random() < f["redirect_topic"]:
                options.append(_transition(other_topic, kind="transfer", when="agent cannot help"))
            told = [disclosed]
            if "execute" in here and rng.random() < f["restriction_disclosed"]:
                told.append(restriction)
            body.add(sid, actor=actor, channel=line, wait=wait() if live else None,
                     asks=[asked[0]] if rng.random() < f["ask_again"] else None,
                     discloses=told, next=options)
        elif role == "offer":
            body.add(sid, title="Retention offer", type="retention", actor="retention", channel=line,
                     next=[_transition(here["kept"], when="customer accepts the offer"),
                           _transition(nxt("decide", "execute"), when="customer declines")])
        elif role == "kept":
            body.add(sid, outcome="retained")
        elif role == "decide":
            options = [_transition(here["execute"], when="customer confirms")]
            if "kept" in here:
                options.append(_transition(here["kept"], when="customer changes their mind"))
            needed = disclosed if rng.random() < f["needs_disclosed"] else rng.choice(DISCLOSED)
            body.add(sid, actor="customer", channel=line, needs=[needed], next=options)
        elif role == "execute":
            options = [_transition(after, when="done")]
            if "gave-up" in here:
                options.append(_transition(here["gave-up"], when="customer gives up"))
            body.add(sid, title="Request carried out", actor=team, channel=line,
                     irreversible=rng.random() < f["irreversible"],
                     restrictions=[restriction] if rng.random() < f["restriction"] else None,
                     requires=["account_access"] if rng.random() < f["requires"] else None,
                     discloses=[rng.choice(DISCLOSED)], next=options)
        elif role == "escalation":
            body.add(sid, title="Supervisor reviews the case", type="escalation", actor="supervisor",
                     channel=line, wait=wait() if live else None,
                     next=[_transition(here["execute"], when="supervisor approves"),
                           _transition(here["refused"], when="supervisor refuses")])
        elif role == "refused":
            body.add(sid, actor="accounts", channel="mail", adverse=True,
                     discloses=["reason"] if rng.random() < f["reason"] else None, next=[here["feedback"]])
        elif role == "feedback":
            body.add(sid, type="feedback", actor="customer", channel="social",
                     next=[_transition(nxt("reply", "unresolved"), when="customer posts a complaint")])
        elif role == "reply":
            options = [_transition(here["unresolved"], when="nothing changes")]
            if rng.random() < f["review"]:
                options.append(_transition(here["escalation"], kind="escalate", when="complaints ask for a review"))
            body.add(sid, actor="complaints", channel="social", discloses=["case_number"], next=options)
        elif role == "unresolved":
            body.add(sid, outcome="unresolved")
        elif role == "gave-up":
            body.add(sid, outcome="abandoned")


def tangle_text(states: int = 2000, transitions: int = 40000, seed: int = 0) -> str:
    """``states`` states of which all but four (the outcomes) form one
    strongly connected component; ``transitions`` transitions in all."""
    rng = random.Random(f"tangle:{seed}:{states}:{transitions}")
    outcomes = [("resolved", "resolved"), ("retained", "retained"), ("unresolved", "unresolved"),
                ("abandoned", "abandoned")]
    n = states - len(outcomes)
    if n < 2 or transitions < n + len(outcomes) or transitions > n * (n + len(outcomes)):
        raise ValueError("a tangle needs at least 6 states and one transition per state and outcome")
    width = len(str(n - 1))
    ids = [f"t{i:0{width}d}" for i in range(n)]
    per_state = [transitions // n] * n
    for i in range(transitions - sum(per_state)):
        per_state[i] += 1
    # the states that lead out to an outcome, one per outcome at least
    exits = {i: outcomes[k % len(outcomes)][0] for k, i in enumerate(rng.sample(range(n), max(4, n // 50)))}
    actors = ("customer", "system", "bot", "agent") + TEAMS
    kinds = ("normal", "normal", "normal", "transfer", "redirect", "retry", "drop", "escalate")
    items = ASKED + DISCLOSED
    body = _Journey()
    for i, sid in enumerate(ids):
        targets = [ids[(i + 1) % n]]
        if i in exits:
            targets.append(exits[i])
        others = rng.sample(range(n), min(n - 1, per_state[i] + 1))
        for t in others:
            if len(targets) >= per_state[i]:
                break
            if t != (i + 1) % n:
                targets.append(ids[t])
        options = []
        has_drop = False
        for target in targets:
            kind = rng.choice(kinds)
            has_drop = has_drop or kind == "drop"
            options.append(_transition(target, kind=None if kind == "normal" else kind,
                                       callback=True if kind == "drop" and rng.random() < 0.3 else None))
        fields = dict(
            actor=rng.choice(actors), channel=rng.choice(CONTACT_CHANNELS + ("premium-line", "social")),
            type=rng.choice(("retention", "escalation", "feedback")) if rng.random() < 0.15 else None,
            wait=rng.choice(WAITS) if rng.random() < 0.5 else None,
            timeout="20m" if has_drop and rng.random() < 0.5 else None,
            asks=rng.sample(items, 2) if rng.random() < 0.3 else None,
            discloses=rng.sample(items, 1) if rng.random() < 0.3 else None,
            needs=rng.sample(items, 1) if rng.random() < 0.1 else None,
            restrictions=[rng.choice(RESTRICTIONS)] if rng.random() < 0.05 else None,
            requires=["account_access"] if rng.random() < 0.05 else None,
            grants=["account_access"] if rng.random() < 0.05 else None,
            irreversible=rng.random() < 0.05, adverse=rng.random() < 0.05, scripted=rng.random() < 0.1,
            next=options,
        )
        body.add(sid, **fields)
    for sid, outcome in outcomes:
        body.add(sid, outcome=outcome)
    return _render(f"tangle-{seed}", "cancellation", "A strongly connected tangle", ids[0], body, TANGLE_HEADER)


def write_corpus(directory: str, count: int, states: int, seed: int) -> list[str]:
    os.makedirs(directory, exist_ok=True)
    paths = []
    width = len(str(count - 1))
    for i in range(count):
        path = os.path.join(directory, f"journey-{i:0{width}d}.yaml")
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(journey_text(states, seed, i))
        paths.append(path)
    return paths


def _write(text: str, output: str | None):
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    one = sub.add_parser("journey", help="one journey")
    one.add_argument("--states", type=int, default=30)
    one.add_argument("--seed", type=int, default=1)
    one.add_argument("--index", type=int, default=0)
    one.add_argument("-o", "--output")
    many = sub.add_parser("corpus", help="a directory of journeys, one per file")
    many.add_argument("--count", type=int, default=1000)
    many.add_argument("--states", type=int, default=30)
    many.add_argument("--seed", type=int, default=1)
    many.add_argument("-o", "--output", required=True)
    knot = sub.add_parser("tangle", help="the pathological journey")
    knot.add_argument("--states", type=int, default=2000)
    knot.add_argument("--transitions", type=int, default=40000)
    knot.add_argument("--seed", type=int, default=0)
    knot.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    if args.what == "journey":
        _write(journey_text(args.states, args.seed, args.index), args.output)
    elif args.what == "corpus":
        write_corpus(args.output, args.count, args.states, args.seed)
    else:
        _write(tangle_text(args.states, args.transitions, args.seed), args.output)


if __name__ == "__main__":
    main()
