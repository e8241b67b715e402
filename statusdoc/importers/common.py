"""What every importer produces: statuses, transitions and diagram style, as spec data.

An importer fills an :class:`Imported` and adds a note for everything in the
source it could not carry over (comments, unsupported attributes, ...), so
that nothing is lost silently. :meth:`Imported.to_data` turns it into the
plain data that :mod:`statusdoc.spec.dump` writes as TOML or YAML.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from statusdoc.errors import StatusdocError, UnreadableInput

#: The description every imported status gets; ``validate --strict`` flags it.
TODO_DESCRIPTION = "TODO: describe {name}"


class ImportFailure(StatusdocError):
    """The source cannot be imported at all (unparsable, not UTF-8, unknown kind).

    A source file that cannot be read at all is an
    :class:`~statusdoc.errors.UnreadableInput` instead.
    """


def read_source(path: str | os.PathLike[str]) -> str:
    """The text of source file ``path``: a regular file of at most 5 MiB, UTF-8 (a
    byte order mark is dropped). UnreadableInput or ImportFailure otherwise."""
    from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular

    try:
        data = read_regular(path, MAX_INPUT_BYTES)
    except OSError as exc:
        raise UnreadableInput(f"{os.fspath(path)}: cannot read: {exc}", str(exc)) from None
    try:
        return data.decode("utf-8-sig")  # an editor's BOM is no statement
    except UnicodeDecodeError as exc:
        raise ImportFailure(f"{os.fspath(path)}: cannot read: {exc}") from None


@dataclass(slots=True)
class Edge:
    """One imported transition rule: ``source`` a status or ``"*"`` (``group`` set: the
    statuses of that group), ``target`` a status, or ``""`` for a return rule
    (``returns``); ``excluded`` and ``include_final`` as the spec's ``except`` and
    ``include_final``."""

    source: str
    target: str
    label: str = ""
    event: str | None = None
    tags: tuple[str, ...] = ()
    group: str | None = None
    excluded: tuple[str, ...] = ()
    include_final: bool = False
    returns: bool = False
    #: Further sources of the same rule (``from`` is then a list).
    more_sources: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        """The ``[[transitions]]`` table of this rule."""
        entry: dict[str, Any] = {}
        if self.group:
            entry["from"] = {"group": self.group}
        elif self.more_sources:
            entry["from"] = [self.source, *self.more_sources]
        else:
            entry["from"] = self.source
        if self.excluded:
            entry["except"] = list(self.excluded)
        if self.include_final:
            entry["include_final"] = True
        if self.returns:
            entry["return"] = True
        else:
            entry["to"] = self.target
        if self.label:
            entry["label"] = self.label
        if self.event:
            entry["event"] = self.event
        if self.tags:
            entry["tags"] = list(self.tags)
        return entry


@dataclass
class Group:
    """A group of statuses (a Mermaid composite state, a DOT cluster): ``[groups.<name>]``.

    ``title`` and ``description`` are what the group table holds; ``parent``
    (a group name or ``None``) keeps the nesting the source has. The spec's
    groups are one level deep: :meth:`Imported.to_data` puts each status in
    its outermost group.
    """

    name: str
    title: str = ""
    description: str = ""
    parent: str | None = None


@dataclass
class Imported:
    """An imported machine, before it is written as a spec.

    ``descriptions`` and ``state_tags`` hold what the source says about a
    status (a status without a description gets the TODO placeholder);
    ``groups`` (in source order, parents first) and ``state_group`` (status
    -> its innermost group) hold the grouping a source has; ``more_initials``
    lists the entry statuses after the first, ``entry_labels`` their arrows'
    labels; ``null`` names the status stored as ``None``, if any; ``deprecated``
    the statuses the source marks deprecated. ``taken`` counts the edges
    :meth:`take_edges` handed over to be written.
    """

    name: str
    source: str
    title: str = ""
    states: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    initial: str | None = None
    initial_label: str = ""
    more_initials: list[str] = field(default_factory=list)
    entry_labels: dict[str, str] = field(default_factory=dict)
    null: str | None = None
    finals: set[str] = field(default_factory=set)
    deprecated: set[str] = field(default_factory=set)
    descriptions: dict[str, str] = field(default_factory=dict)
    state_tags: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    state_group: dict[str, str] = field(default_factory=dict)
    diagram: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    taken: int = 0
    #: the statuses, as a dict (for a big import, smaller than a set)
    _known: dict[str, None] = field(default_factory=dict, repr=False)
    _finished: bool = field(default=False, repr=False)
    _noted_at: int = field(default=0, repr=False)
    _deduplicated: bool = field(default=False, repr=False)

    def note(self, message: str) -> None:
        """Record something from the source that the spec does not carry."""
        self.notes.append(f"note: {message}")

    def add_state(self, name: str) -> None:
        """Add status ``name`` (once; the first call fixes its position)."""
        if name not in self._known:
            self._known[name] = None
            self.states.append(name)

    def has_state(self, name: str) -> bool:
        return name in self._known

    def to_data(self, edges: list[Edge] | None = None) -> dict[str, Any]:
        """The spec as plain data (the shape the TOML/YAML loaders produce); its
        transitions are ``edges`` (from :meth:`take_edges`), by default :attr:`edges`."""
        machine = self.machine_table()
        groups, member_of = self.group_tables()
        if edges is None:
            self.edges = edges = list(self._unique(self.edges))
        transitions = [edge.to_data() for edge in edges]
        data: dict[str, Any] = {"machine": machine}
        if groups:
            data["groups"] = groups
        data["states"] = dict(self.state_tables(member_of))
        if transitions:
            data["transitions"] = transitions
        if self.diagram:
            data["diagram"] = self.diagram
        return data

    def take_edges(self) -> Iterator[Edge]:
        """The edges, duplicates dropped, handed over one at a time to be written:
        :attr:`edges` is empty from the start and :attr:`taken` counts them. The
        import lets go of each as it hands it over, so a writer that lets it go
        once written never holds the edges and the spec together."""
        edges, self.edges = self.edges, []
        for edge in self._unique(edges):
            self.taken += 1
            yield edge

    def machine_table(self) -> dict[str, Any]:
        """The ``[machine]`` table (the source's open ends settled first)."""
        self._finish()
        machine: dict[str, Any] = {
            "name": self.name,
            "title": self.title or title_for(self.name),
        }
        machine.update(self._entries())
        if self.null is not None:
            machine["null"] = self.null
        return machine

    def state_tables(self, member_of: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each ``[states.<name>]`` table, in order; ``member_of``: each status's group."""
        for name in self.states:
            body: dict[str, Any] = {}
            label = self.labels.get(name)
            if label is not None and label != name:
                body["label"] = label
            body["description"] = self.descriptions.get(name) or TODO_DESCRIPTION.format(
                name=name
            )
            if name in self.finals:
                body["final"] = True
            if name in self.deprecated:
                body["deprecated"] = True
            if self.state_tags.get(name):
                body["tags"] = list(self.state_tags[name])
            if name in member_of:
                body["group"] = member_of[name]
            yield name, body

    def _entries(self) -> dict[str, Any]:
        """``initial`` (a status, or a list of them) and ``initial_label`` (a string
        when every entry arrow has the same label, else a table of the labelled ones)."""
        if self.initial is None:
            return {}
        entries = [self.initial, *(e for e in self.more_initials if e != self.initial)]
        if len(entries) == 1:
            return {"initial": self.initial, **(
                {"initial_label": self.initial_label} if self.initial_label else {})}
        labels = {**self.entry_labels, self.initial: self.initial_label}
        out: dict[str, Any] = {"initial": entries}
        if self.initial_label and all(labels.get(e) == self.initial_label for e in entries):
            out["initial_label"] = self.initial_label
        elif any(labels.get(e) for e in entries):
            out["initial_label"] = {e: labels[e] for e in entries if labels.get(e)}
        return out

    def group_tables(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The ``[groups]`` tables and each status's group: its outermost one, as the
        spec's groups are one level deep. Groups without a status are left out."""
        top: dict[str, str] = {}
        for name, group in self.groups.items():  # parents come before their children
            parent = group.parent
            top[name] = top.get(parent, name) if parent is not None else name
        member_of = {s: top[g] for s, g in self.state_group.items()
                     if g in top and s in self._known}
        used = set(member_of.values())
        tables: dict[str, Any] = {}
        for name, group in self.groups.items():
            if name in used:
                body: dict[str, Any] = {}
                if group.title and group.title != name:
                    body["title"] = group.title
                if group.description:
                    body["description"] = group.description
                tables[name] = body
        return tables, member_of

    def _finish(self) -> None:
        """Settle what the source left open (once, however often it is asked)."""
        if self._finished:
            return
        self._finished = True
        self._noted_at = len(self.notes)  # duplicates found later are noted here
        if self.initial is None and self.states:
            self.initial = self.states[0]
            self.note(
                "no entry arrow in the source: initial status set to the first one, "
                f"{self.initial!r}"
            )

    def _unique(self, edges: list[Edge]) -> Iterator[Edge]:
        """``edges`` (used up: each let go here) without those that repeat an edge
        before; each dropped one gets a note, among the notes of what the source
        left open (so the notes read alike however the edges are written)."""
        self._finish()
        if self._deduplicated:
            edges.reverse()
            while edges:
                yield edges.pop()
            return
        self._deduplicated = True
        seen: set[object] = set()
        edges.reverse()
        while edges:
            edge = edges.pop()
            key = _edge_key(edge)
            if key not in seen:
                seen.add(key)
                yield edge
                continue
            self.notes.insert(self._noted_at, "note: " + (
                f"duplicate transition {edge.source!r} -> {edge.target!r}"
                f" ({edge.label or edge.event or 'no label'}) imported once"))
            self._noted_at += 1


def _edge_key(edge: Edge) -> object:
    """What makes two imported edges the same rule (tags follow from the label).

    Most edges have one source, a target and a label, and nothing else: their
    key is one string spelling the three out, each name after its length (a
    tuple of the three kept each label alive, and took more than the edge)."""
    if (edge.event is None and edge.group is None and not edge.excluded and not edge.more_sources
            and edge.include_final is False and edge.returns is False):
        return f"{len(edge.source)}:{edge.source}{len(edge.target)}:{edge.target}{edge.label}"
    return (edge.source, edge.more_sources, edge.group, edge.excluded, edge.include_final,
            edge.target, edge.returns, edge.label, edge.event)


def slug(text: str) -> str:
    """A machine name (``[a-z0-9][a-z0-9_-]*``) derived from ``text``."""
    value = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return value or "machine"


def title_for(name: str) -> str:
    """A page title for machine ``name``: ``image`` -> ``Image Statuses``."""
    words = re.split(r"[-_]+", name)
    return " ".join(w[:1].upper() + w[1:] for w in words if w) + " Statuses"


def infer_tags(label: str) -> tuple[str, ...]:
    """Tags named by leading ``[v1]``-style brackets of ``label`` (the label stays as is)."""
    tags: list[str] = []
    rest = label
    while True:
        match = re.match(r"\s*\[([A-Za-z0-9][A-Za-z0-9_.-]*)\]", rest)
        if not match:
            return tuple(tags)
        if match.group(1) not in tags:
            tags.append(match.group(1))
        rest = rest[match.end() :]
