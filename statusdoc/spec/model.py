"""The immutable model of a status machine.

A :class:`Machine` is pure declaration (frozen dataclasses, tuples, read-only
mappings). It knows nothing of files, formats or outputs; emitters read it,
the runtime enforces it. Derived lookups are computed once, at construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from statusdoc.runtime import MachineRuntime
from statusdoc.spec.keys import DEFAULT_ASPECT

#: Graphviz attributes as ``(name, value)`` pairs, in spec order.
Attrs = tuple[tuple[str, str], ...]

WildcardMode = Literal["group", "expand"]


@dataclass(frozen=True, slots=True)
class State:
    """One status. ``label`` is the display name (defaults to ``name``).

    ``deprecated``: the code no longer sets it, but stored rows may hold it;
    ``deprecation`` is the reason given (``""`` for ``deprecated = true``).
    ``group`` names the :class:`Group` it belongs to, if any.
    """

    name: str
    label: str
    description: str = ""
    final: bool = False
    tags: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)
    deprecated: bool = False
    deprecation: str = ""
    group: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A named set of statuses (``[groups.<name>]``): shown together, usable as a source.

    Groups are one level deep: they hold statuses, never other groups.
    """

    name: str
    title: str
    description: str = ""
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class TransitionRule:
    """One ``[[transitions]]`` entry as written, before wildcard expansion.

    ``sources`` is already expanded; ``wildcard`` records that the entry said
    ``from = "*"`` and ``group`` that it said ``from = { group = ... }``, so
    that emitters can draw it as one arrow, not thirty. ``excluded`` is its
    ``except`` list, ``include_final`` whether it may leave final statuses.
    A ``returns`` rule goes back to the previous status: its ``target`` is
    None, and its expanded :class:`Transition` s have ``returning = True``.
    """

    index: int
    sources: tuple[str, ...]
    target: str | None
    wildcard: bool = False
    label: str = ""
    event: str | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    line: int = field(default=0, compare=False)
    group: str | None = None
    excluded: tuple[str, ...] = ()
    include_final: bool = False
    guard: str = ""
    returns: bool = False


@dataclass(frozen=True, slots=True)
class Transition:
    """One allowed move ``source -> target``; ``rule`` indexes ``Machine.rules``."""

    source: str
    target: str
    label: str = ""
    event: str | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    rule: int = 0
    guard: str = ""
    #: Expanded from a ``return = true`` rule: back to this previous status.
    returning: bool = False


@dataclass(frozen=True, slots=True)
class TagStyle:
    """Graphviz attributes for states/transitions carrying ``name``, and its legend text."""

    name: str
    attrs: Attrs = ()
    legend: str = ""
    #: Whether pages list the tag in text ("Tags: ..."); false for a tag used only for colour.
    in_text: bool = True


@dataclass(frozen=True, slots=True)
class DiagramStyle:
    """Presentational Graphviz attributes (already checked against the allow-list)."""

    graph: Attrs = ()
    node: Attrs = ()
    edge: Attrs = ()
    final: Attrs = ()
    tags: tuple[TagStyle, ...] = ()
    wildcards: WildcardMode = "group"
    #: Broadest breadth:depth before levels are wrapped (``[diagram] aspect``).
    aspect: float = DEFAULT_ASPECT
    #: Fixed layout levels ``(status, level)`` of a derived view (a focus view's
    #: predecessors, status and successors); no spec key sets them. Empty: levels
    #: follow the distance from the entry statuses.
    levels: tuple[tuple[str, int], ...] = ()

    def tag(self, name: str) -> TagStyle | None:
        for style in self.tags:
            if style.name == name:
                return style
        return None


def _no_labels() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Machine(MachineRuntime):
    """A validated status machine. Build one with :func:`statusdoc.load`.

    ``transitions`` has wildcards, groups and returns expanded, in spec order.
    ``entries`` are the entry statuses in spec order, ``initial`` the first of
    them (``entries`` defaults to ``(initial,)``); ``entry_labels`` the labels
    of the labelled entry arrows, ``initial_label`` the first entry's label.
    ``null`` names the status stored as ``None`` (or is None). The runtime
    methods (``can``, ``check``, ``targets``, ``fire``, ``Status``, ``field``)
    come from :class:`statusdoc.runtime.MachineRuntime`.
    """

    name: str
    title: str
    initial: str
    states: tuple[State, ...]
    rules: tuple[TransitionRule, ...]
    transitions: tuple[Transition, ...]
    intro: str = ""
    initial_label: str = ""
    diagram: DiagramStyle = DiagramStyle()
    #: docutils language code of the RST prose ("" = English): localised directive names.
    language: str = ""
    #: Path of the spec file as given to :func:`statusdoc.load` ("" for strings).
    source: str = field(default="", compare=False)
    entries: tuple[str, ...] = ()
    entry_labels: Mapping[str, str] = field(default_factory=_no_labels, hash=False)
    null: str | None = None
    groups: tuple[Group, ...] = ()

    # Derived lookups, filled in __post_init__.
    state_map: Mapping[str, State] = field(init=False, repr=False, compare=False)
    group_members: Mapping[str, tuple[str, ...]] = field(
        init=False, repr=False, compare=False
    )
    targets_by_state: Mapping[str, frozenset[str]] = field(
        init=False, repr=False, compare=False
    )
    transitions_by_event: Mapping[str, tuple[Transition, ...]] = field(
        init=False, repr=False, compare=False
    )
    # The runtime's tables; with ``null`` set, None is an alias of the null status.
    _targets: dict[str | None, frozenset[str | None]] = field(
        init=False, repr=False, compare=False
    )
    _names: dict[str | None, frozenset[str]] = field(init=False, repr=False, compare=False)
    _events: dict[tuple[str | None, str], tuple[str | None, ...]] = field(
        init=False, repr=False, compare=False
    )
    _guards: dict[tuple[str, str, str], str] = field(init=False, repr=False, compare=False)
    _cache: dict[str, object] = field(init=False, repr=False, compare=False)
    # Status names in spec order, made once: emitters look them up per status.
    _state_names: tuple[str, ...] = field(init=False, repr=False, compare=False)
    # Transitions exercised while coverage records (statusdoc.coverage): status ->
    # targets reached from it. One dict per machine for good, emptied in place.
    _covered: dict[str | None, set[str | None]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        entries = tuple(self.entries) or (self.initial,)
        if entries[0] != self.initial:
            raise ValueError(f"Machine {self.name!r}: initial {self.initial!r} must be the "
                             f"first entry (entries: {entries!r})")
        labels = dict(self.entry_labels)
        if not labels and self.initial_label:
            labels[self.initial] = self.initial_label
        if labels.get(self.initial, "") != self.initial_label:
            raise ValueError(f"Machine {self.name!r}: initial_label {self.initial_label!r} "
                             f"differs from the first entry's label in entry_labels")
        setattr_(self, "entries", entries)
        setattr_(self, "entry_labels", MappingProxyType(labels))
        setattr_(self, "state_map", MappingProxyType({s.name: s for s in self.states}))
        setattr_(self, "_state_names", tuple(s.name for s in self.states))
        members: dict[str, list[str]] = {g.name: [] for g in self.groups}
        for s in self.states:
            if s.group in members:
                members[s.group].append(s.name)
        setattr_(self, "group_members",
                 MappingProxyType({g: tuple(names) for g, names in members.items()}))
        by_event: dict[str, list[Transition]] = {}
        for t in self.transitions:
            if t.event:
                by_event.setdefault(t.event, []).append(t)
        setattr_(self, "transitions_by_event",
                 MappingProxyType({e: tuple(ts) for e, ts in by_event.items()}))
        names, events, guards = _tables(self.states, self.transitions)
        setattr_(self, "targets_by_state", MappingProxyType(names))
        setattr_(self, "_guards", guards)
        setattr_(self, "_cache", {})
        setattr_(self, "_covered", {})
        null = self.null
        if null is None:
            setattr_(self, "_names", names)
            setattr_(self, "_targets", names)
            setattr_(self, "_events", events)
            return
        if null not in names:
            raise ValueError(f"Machine {self.name!r}: null status {null!r} is not a status")
        # None is an alias of the null status: one more key, and in every set holding it.
        targets: dict[str | None, frozenset[str | None]] = {
            k: (v | {None}) if null in v else v for k, v in names.items()}
        targets[None] = targets[null]
        stored: dict[tuple[str | None, str], tuple[str | None, ...]] = {
            k: tuple(None if d == null else d for d in v) for k, v in events.items()}
        stored.update({(None, e): v for (s, e), v in list(stored.items()) if s == null})
        setattr_(self, "_names", {**names, None: names[null]})
        setattr_(self, "_targets", targets)
        setattr_(self, "_events", stored)

    @property
    def state_names(self) -> tuple[str, ...]:
        """Status names in spec order."""
        return self._state_names

    @property
    def events(self) -> tuple[str, ...]:
        """Event names in order of first use."""
        return tuple(self.transitions_by_event)

    @property
    def tags_in_use(self) -> tuple[str, ...]:
        """Tags used by any state or transition, in order of first use."""
        seen: dict[str, None] = {}
        for s in self.states:
            seen.update(dict.fromkeys(s.tags))
        for r in self.rules:
            seen.update(dict.fromkeys(r.tags))
        return tuple(seen)


def _tables(states: tuple[State, ...], transitions: tuple[Transition, ...]) -> tuple[
        dict[str, frozenset[str]], dict[tuple[str | None, str], tuple[str | None, ...]],
        dict[tuple[str, str, str], str]]:
    """The runtime's tables by name: targets, ``(status, event)`` targets, guards."""
    targets: dict[str, dict[str, None]] = {s.name: {} for s in states}
    events: dict[tuple[str | None, str], dict[str | None, None]] = {}
    guards: dict[tuple[str, str, str], str] = {}
    for t in transitions:
        targets[t.source][t.target] = None
        if t.event:
            events.setdefault((t.source, t.event), {})[t.target] = None
            if t.guard:
                key = (t.source, t.event, t.target)
                known = guards.get(key)
                guards[key] = t.guard if not known or known == t.guard else (
                    f"{known} or {t.guard}")
    # Each collecting dict is let go as its frozen form is made: never all of
    # them and all the frozen tables at once.
    frozen = {name: frozenset(targets.pop(name)) for name in list(targets)}
    return frozen, {key: tuple(events.pop(key)) for key in list(events)}, guards
