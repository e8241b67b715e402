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

#: Graphviz attributes as ``(name, value)`` pairs, in spec order.
Attrs = tuple[tuple[str, str], ...]

WildcardMode = Literal["group", "expand"]


@dataclass(frozen=True, slots=True)
class State:
    """One status. ``label`` is the display name (defaults to ``name``)."""

    name: str
    label: str
    description: str = ""
    final: bool = False
    tags: tuple[str, ...] = ()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class TransitionRule:
    """One ``[[transitions]]`` entry as written, before wildcard expansion.

    ``sources`` is already expanded; ``wildcard`` records that the entry said
    ``from = "*"`` so that emitters can draw it as one arrow, not thirty.
    """

    index: int
    sources: tuple[str, ...]
    target: str
    wildcard: bool = False
    label: str = ""
    event: str | None = None
    tags: tuple[str, ...] = ()
    description: str = ""
    line: int = field(default=0, compare=False)


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

    def tag(self, name: str) -> TagStyle | None:
        for style in self.tags:
            if style.name == name:
                return style
        return None


@dataclass(frozen=True, slots=True)
class Machine(MachineRuntime):
    """A validated status machine. Build one with :func:`statusdoc.load`.

    ``transitions`` has wildcards expanded, in spec order. The runtime methods
    (``can``, ``check``, ``targets``, ``fire``, ``Status``, ``field``) come
    from :class:`statusdoc.runtime.MachineRuntime`.
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

    # Derived lookups, filled in __post_init__.
    state_map: Mapping[str, State] = field(init=False, repr=False, compare=False)
    targets_by_state: Mapping[str, frozenset[str]] = field(
        init=False, repr=False, compare=False
    )
    transitions_by_event: Mapping[str, tuple[Transition, ...]] = field(
        init=False, repr=False, compare=False
    )
    _targets: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _events: dict[tuple[str, str], tuple[str, ...]] = field(
        init=False, repr=False, compare=False
    )
    _cache: dict[str, object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        state_map = {s.name: s for s in self.states}
        targets: dict[str, list[str]] = {s.name: [] for s in self.states}
        by_event: dict[str, list[Transition]] = {}
        events: dict[tuple[str, str], list[str]] = {}
        for t in self.transitions:
            if t.target not in targets[t.source]:
                targets[t.source].append(t.target)
            if t.event:
                by_event.setdefault(t.event, []).append(t)
                dsts = events.setdefault((t.source, t.event), [])
                if t.target not in dsts:
                    dsts.append(t.target)
        frozen_targets = {name: frozenset(dsts) for name, dsts in targets.items()}
        setattr_ = object.__setattr__
        setattr_(self, "state_map", MappingProxyType(state_map))
        setattr_(self, "_targets", frozen_targets)
        setattr_(self, "targets_by_state", MappingProxyType(frozen_targets))
        setattr_(
            self,
            "transitions_by_event",
            MappingProxyType({e: tuple(ts) for e, ts in by_event.items()}),
        )
        setattr_(self, "_events", {k: tuple(v) for k, v in events.items()})
        setattr_(self, "_cache", {})

    @property
    def state_names(self) -> tuple[str, ...]:
        """Status names in spec order."""
        return tuple(s.name for s in self.states)

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
