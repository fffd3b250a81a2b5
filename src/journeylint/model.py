"""The journey model: what a journey file means, independent of YAML.

Dataclasses built by :mod:`journeylint.loading`; rules read them and never
change them. States keep file order (``Journey.states`` is an ordered
mapping), which is the order findings refer to ("its first state in file
order"). The networkx view of the graph is built on first use only, since
the shared analyses run on compact adjacency lists (see ``analysis``).

The classes made once per state or per finding (State, Transition, and
Location and Finding in ``findings``) are slotted but not frozen: a frozen
dataclass sets each field through ``object.__setattr__``, which made
building the model five times dearer (7 us instead of 1.4 us a state).
They still compare and hash by value, as the frozen ones do.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .findings import Location

CUSTOMER, SYSTEM, BOT, AGENT = "customer", "system", "bot", "agent"
NON_STAFF_ACTORS = frozenset({CUSTOMER, SYSTEM, BOT})
LIVE_CHANNELS = frozenset({"phone", "chat", "in-person"})

JOURNEY_KINDS = (
    "cancellation", "refund", "password-reset", "escalation", "complaint",
    "support", "billing", "onboarding", "other",
)
STATE_TYPES = ("step", "retention", "escalation", "feedback")
TRANSITION_KINDS = ("normal", "transfer", "redirect", "retry", "drop", "escalate")
OUTCOMES = ("resolved", "retained", "unresolved", "abandoned")
#: transitions that carry what the customer said unless told otherwise
CONTEXT_KEEPING_KINDS = frozenset({"normal", "retry", "escalate"})


@dataclass(frozen=True, slots=True)
class Suppression:
    """A ``lint: {ignore: [...], reason: ...}`` block on a journey or a state."""

    entries: tuple[tuple[str, Location], ...]
    reason: str | None
    location: Location


@dataclass(slots=True, unsafe_hash=True)
class Transition:
    source: str
    target: str
    kind: str = "normal"
    when: str | None = None
    keeps_context: bool = True
    callback: bool = False
    location: Location | None = None

    @property
    def is_new_contact(self) -> bool:
        """The customer starts a fresh contact: a redirect, or a drop nobody calls back."""
        return self.kind == "redirect" or (self.kind == "drop" and not self.callback)


@dataclass(slots=True, unsafe_hash=True)
class State:
    id: str
    location: Location
    title: str | None = None
    description: str | None = None
    actor: str | None = None
    channel: str | None = None
    type: str = "step"
    wait: int | None = None          # seconds
    cost: float | None = None
    asks: tuple[str, ...] = ()
    discloses: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    restrictions: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    grants: tuple[str, ...] = ()
    irreversible: bool = False
    adverse: bool = False
    scripted: bool = False
    timeout: int | None = None       # seconds
    outcome: str | None = None
    transitions: tuple[Transition, ...] = ()
    lint: Suppression | None = None
    #: some of its transitions were left out as broken (JL001/JL002 said why):
    #: rules about its way out skip it rather than pile up on the same mistake
    broken_next: bool = False

    @property
    def is_terminal(self) -> bool:
        return self.outcome is not None

    @property
    def is_resolution(self) -> bool:
        return self.outcome == "resolved"

    @property
    def is_staff(self) -> bool:
        """A person of the company: any actor but customer, system and bot."""
        return self.actor is not None and self.actor not in NON_STAFF_ACTORS

    @property
    def is_decision(self) -> bool:
        return bool(self.needs)

    @property
    def label(self) -> str:
        return self.title or self.id


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    cost_per_minute: float = 0.0
    hours: str | None = None
    response_time: int | None = None  # seconds
    live: bool | None = None          # None: decided by the channel's name
    description: str | None = None
    location: Location | None = None

    @property
    def is_live(self) -> bool:
        return self.live if self.live is not None else self.name in LIVE_CHANNELS

    @property
    def always_open(self) -> bool:
        return self.hours is not None and self.hours.strip().lower() == "24/7"


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    contact: bool = True
    description: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Budget:
    steps: int | None = None
    wait: int | None = None           # seconds
    transfers: int | None = None
    cost: float | None = None
    channel_switches: int | None = None


@dataclass(frozen=True)
class Journey:
    id: str
    kind: str
    file: str
    location: Location
    states: dict[str, State]
    start: tuple[str, ...]
    title: str | None = None
    description: str | None = None
    owner: str | None = None
    channels: dict[str, Channel] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    signup_channels: tuple[str, ...] | None = None
    signup_steps: int | None = None
    budget: Budget = field(default_factory=Budget)
    lint: Suppression | None = None
    #: position of this journey among the documents of its file (0-based)
    document: int = 0

    def channel(self, name: str | None) -> Channel | None:
        """The channel's properties; a channel without an entry has the defaults."""
        if name is None:
            return None
        return self.channels.get(name) or Channel(name)

    def team(self, name: str | None) -> Team | None:
        if name is None:
            return None
        return self.teams.get(name) or Team(name)

    def transitions(self):
        for state in self.states.values():
            yield from state.transitions

    def disclosers(self, item: str) -> list[State]:
        return [s for s in self.states.values() if item in s.discloses]

    @cached_property
    def graph(self):
        """The journey as a networkx ``DiGraph`` (for plugins and exports).

        Nodes are state ids with the ``State`` under ``"state"``; edges carry
        the first ``Transition`` between the two states under
        ``"transition"`` and all of them under ``"transitions"``.
        """
        import networkx as nx

        graph = nx.DiGraph(journey=self.id)
        for state in self.states.values():
            graph.add_node(state.id, state=state)
        for t in self.transitions():
            if graph.has_edge(t.source, t.target):
                graph.edges[t.source, t.target]["transitions"].append(t)
            else:
                graph.add_edge(t.source, t.target, transition=t, transitions=[t])
        return graph
