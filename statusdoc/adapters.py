"""Read the transition table out of machines built with other libraries.

So that a project whose enforcement lives in an ``automaton.FiniteMachine``
(OpenStack Ironic's provision states) or a ``transitions.Machine`` can be
compared with a spec without being rewritten. Objects are recognised by duck
typing; neither library is imported here.

* automaton ``FiniteMachine``: iterating it yields ``(start, event, end)``;
  every state in ``states`` is a status; ``default_start_state`` is the
  initial status.
* transitions ``Machine``: ``states`` (name -> State) are the statuses, each
  trigger in ``events`` contributes its ``source -> dest`` pairs. The
  ``to_<state>`` triggers that ``auto_transitions=True`` adds (they lead
  from every state to every state) are skipped unless ``include_auto=True``;
  internal transitions (``dest=None``) do not change the state and are
  skipped; reflexive ones (``dest="="``) are self-loops.
* python-statemachine ``StateMachine`` (class or instance): ``states`` in
  order are the statuses (by ``id``), each state's ``transitions`` with their
  ``events``; internal transitions (``internal=True``) are skipped, like
  transitions' ``dest=None``; ``initial_state`` is the initial status.

A ``None`` state (automaton accepts one; Ironic-style code keeps "no
status" as ``None``) stays ``None`` in the :class:`ExternalMachine`: it is
the spec's null status, which each reader names (``compare`` as the spec's
``[machine] null``, ``import`` as a new null status).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = [
    "ExternalMachine",
    "StateName",
    "adapt",
    "from_automaton",
    "from_statemachine",
    "from_transitions",
    "is_automaton_machine",
    "is_statemachine",
    "is_transitions_machine",
    "state_name",
]


@dataclass(frozen=True)
class ExternalMachine:
    """The statuses, transitions and events of a machine from another library.

    ``targets`` maps every state (in the library's order) to the states it may
    move to, in first-seen order; ``events`` maps ``(state, event)`` to the
    states that event leads to. ``edges`` lists every ``(source, target,
    event)`` in the library's order (what ``statusdoc import`` writes),
    ``finals`` the states the library marks final or terminal, and
    ``skipped`` describes each transition left out (internal ones). A state
    ``None`` is kept as ``None`` (the null status); ``initial`` is ``None``
    when the library names no initial state.
    """

    kind: str
    targets: dict[StateName, tuple[StateName, ...]]
    events: dict[tuple[StateName, str], tuple[StateName, ...]] = field(default_factory=dict)
    initial: str | None = None
    edges: tuple[tuple[StateName, StateName, str | None], ...] = ()
    finals: frozenset[StateName] = frozenset()
    skipped: tuple[str, ...] = ()


#: A state's name, or ``None`` for a state that is ``None`` (the null status).
StateName = str | None


def state_name(value: Any) -> str:
    """A state name as a string (Enum states are named by their value or name)."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, Enum):
        return value.value if isinstance(value.value, str) else value.name
    return str(value)


def _state(value: Any) -> StateName:
    """A state's name, keeping ``None`` (the null status) as ``None``."""
    return None if value is None else state_name(value)


def is_automaton_machine(obj: Any) -> bool:
    """True for an ``automaton.machines.FiniteMachine`` (or look-alike)."""
    return (
        hasattr(obj, "process_event")
        and hasattr(obj, "is_actionable_event")
        and hasattr(obj, "states")
        and hasattr(obj, "__iter__")
    )


def is_transitions_machine(obj: Any) -> bool:
    """True for a ``transitions.Machine`` (or look-alike)."""
    return (
        hasattr(obj, "get_transitions")
        and isinstance(getattr(obj, "events", None), dict)
        and isinstance(getattr(obj, "states", None), dict)
    )


def is_statemachine(obj: Any) -> bool:
    """True for a python-statemachine ``StateMachine`` class or instance (or look-alike)."""
    return (
        isinstance(getattr(obj, "states_map", None), dict)
        and hasattr(obj, "states")
        and hasattr(obj, "initial_state")
    )


class _Builder:
    def __init__(self, states: Iterable[Any]) -> None:
        self.targets: dict[StateName, list[StateName]] = {_state(s): [] for s in states}
        self.events: dict[tuple[StateName, str], list[StateName]] = {}
        self.edges: list[tuple[StateName, StateName, str | None]] = []
        self.finals: set[StateName] = set()
        self.skipped: list[str] = []

    def add(self, src: Any, dst: Any, event: Any) -> None:
        s, d = _state(src), _state(dst)
        self.edges.append((s, d, None if event is None else state_name(event)))
        for state in (s, d):
            self.targets.setdefault(state, [])
        if d not in self.targets[s]:
            self.targets[s].append(d)
        if event is not None:
            dsts = self.events.setdefault((s, state_name(event)), [])
            if d not in dsts:
                dsts.append(d)

    def build(self, kind: str, initial: Any) -> ExternalMachine:
        return ExternalMachine(
            kind=kind,
            targets={k: tuple(v) for k, v in self.targets.items()},
            events={k: tuple(v) for k, v in self.events.items()},
            initial=None if initial is None else state_name(initial),
            edges=tuple(self.edges),
            finals=frozenset(self.finals),
            skipped=tuple(self.skipped),
        )


def from_automaton(machine: Any) -> ExternalMachine:
    """The table of an ``automaton`` ``FiniteMachine``."""
    builder = _Builder(machine.states)
    for start, event, end in machine:
        builder.add(start, end, event)
    meta = getattr(machine, "_states", {})  # automaton keeps 'terminal' only here
    builder.finals = {_state(s) for s, info in meta.items() if info.get("terminal")}
    return builder.build("automaton", getattr(machine, "default_start_state", None))


def from_transitions(machine: Any, *, include_auto: bool = False) -> ExternalMachine:
    """The table of a ``transitions`` ``Machine`` (see the module docs for the rules)."""
    states = list(machine.states)
    builder = _Builder(states)
    builder.finals = {
        state_name(n) for n, st in machine.states.items() if getattr(st, "final", False)
    }
    auto = set()
    if getattr(machine, "auto_transitions", False) and not include_auto:
        auto = {f"to_{s}" for s in states}
    for trigger, event in machine.events.items():
        if trigger in auto:
            continue
        for source, transitions in event.transitions.items():
            for transition in transitions:
                if transition.dest is None:  # internal: the state does not change
                    builder.skipped.append(f"internal transition {source!r} ({trigger})")
                    continue
                builder.add(source, transition.dest, trigger)
    initial = getattr(machine, "initial", None)
    return builder.build("transitions", initial)


def _state_id(state: Any) -> Any:
    return getattr(state, "id", state)


def from_statemachine(machine: Any) -> ExternalMachine:
    """The table of a python-statemachine ``StateMachine`` class or instance."""
    states = list(machine.states)
    builder = _Builder(_state_id(s) for s in states)
    builder.finals = {state_name(_state_id(s)) for s in states if getattr(s, "final", False)}
    for state in states:
        for transition in state.transitions:
            src, dst = _state_id(transition.source), _state_id(transition.target)
            events = list(getattr(transition, "events", ()) or ())
            if getattr(transition, "internal", False):
                names = ", ".join(state_name(getattr(e, "id", e)) for e in events)
                builder.skipped.append(f"internal transition {state_name(src)!r} ({names})")
                continue
            if not events:
                builder.add(src, dst, None)
            for event in events:
                builder.add(src, dst, getattr(event, "id", event))
    initial = getattr(machine, "initial_state", None)
    return builder.build("python-statemachine", None if initial is None else _state_id(initial))


def adapt(obj: Any) -> ExternalMachine | None:
    """An :class:`ExternalMachine` for a supported machine object, else ``None``."""
    if is_transitions_machine(obj):
        return from_transitions(obj)
    if is_automaton_machine(obj):
        return from_automaton(obj)
    if is_statemachine(obj):
        return from_statemachine(obj)
    return None
