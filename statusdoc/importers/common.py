"""What every importer produces: statuses, transitions and diagram style, as spec data.

An importer fills an :class:`Imported` and adds a note for everything in the
source it could not carry over (comments, unsupported attributes, ...), so
that nothing is lost silently. :meth:`Imported.to_data` turns it into the
plain data that :mod:`statusdoc.spec.dump` writes as TOML or YAML.
"""

from __future__ import annotations

import os
import re
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


@dataclass
class Edge:
    """One imported transition."""

    source: str
    target: str
    label: str = ""
    event: str | None = None
    tags: tuple[str, ...] = ()


@dataclass
class Group:
    """A group of statuses (a Mermaid composite state), kept for ``[groups.<name>]``.

    The spec has no groups yet: importers flatten them and say so in a note;
    this keeps what ``[groups.<name>]`` will hold (``title``, ``description``)
    and where the group sits (``parent``, a group name or ``None``).
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
    ``groups`` and ``state_group`` (status -> group name) hold the grouping a
    source has, for the day the spec carries it; ``more_initials`` lists
    entry statuses after the first (a spec has one ``initial`` for now).
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
    finals: set[str] = field(default_factory=set)
    descriptions: dict[str, str] = field(default_factory=dict)
    state_tags: dict[str, list[str]] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    state_group: dict[str, str] = field(default_factory=dict)
    diagram: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    _known: set[str] = field(default_factory=set, repr=False)
    _finished: bool = field(default=False, repr=False)

    def note(self, message: str) -> None:
        """Record something from the source that the spec does not carry."""
        self.notes.append(f"note: {message}")

    def add_state(self, name: str) -> None:
        """Add status ``name`` (once; the first call fixes its position)."""
        if name not in self._known:
            self._known.add(name)
            self.states.append(name)

    def has_state(self, name: str) -> bool:
        return name in self._known

    def to_data(self) -> dict[str, Any]:
        """The spec as plain data (the shape the TOML/YAML loaders produce)."""
        self._finish()
        machine: dict[str, Any] = {
            "name": self.name,
            "title": self.title or title_for(self.name),
        }
        if self.initial is not None:
            machine["initial"] = self.initial
        if self.initial_label:
            machine["initial_label"] = self.initial_label
        states: dict[str, Any] = {}
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
            if self.state_tags.get(name):
                body["tags"] = list(self.state_tags[name])
            states[name] = body
        transitions = []
        for edge in self.edges:
            entry: dict[str, Any] = {"from": edge.source, "to": edge.target}
            if edge.label:
                entry["label"] = edge.label
            if edge.event:
                entry["event"] = edge.event
            if edge.tags:
                entry["tags"] = list(edge.tags)
            transitions.append(entry)
        data: dict[str, Any] = {"machine": machine, "states": states}
        if transitions:
            data["transitions"] = transitions
        if self.diagram:
            data["diagram"] = self.diagram
        return data

    def _finish(self) -> None:
        """Settle what the source left open (once, however often ``to_data`` runs)."""
        if self._finished:
            return
        self._finished = True
        self._drop_duplicates()
        if self.initial is None and self.states:
            self.initial = self.states[0]
            self.note(
                "no entry arrow in the source: initial status set to the first one, "
                f"{self.initial!r}"
            )

    def _drop_duplicates(self) -> None:
        seen: set[tuple[str, str, str, str | None]] = set()
        kept = []
        for edge in self.edges:
            key = (edge.source, edge.target, edge.label, edge.event)
            if key in seen:
                self.note(
                    f"duplicate transition {edge.source!r} -> {edge.target!r}"
                    f" ({edge.label or edge.event or 'no label'}) imported once"
                )
                continue
            seen.add(key)
            kept.append(edge)
        self.edges = kept


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
