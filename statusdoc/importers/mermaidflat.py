"""A parsed Mermaid state diagram mapped onto an import: statuses, transitions,
entries, finals, descriptions and groups (:class:`Flattening`).

Knows the spec's shape, not Mermaid's syntax (:mod:`statusdoc.importers.mermaidsyntax`
parses); :mod:`statusdoc.importers.mermaid` reads the files and runs the steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from statusdoc.emit.escape import mermaid_unescape, one_line
from statusdoc.importers.common import Edge, Group, Imported, infer_tags
from statusdoc.importers.mermaidscope import Scope, wildcard_scope
from statusdoc.importers.mermaidstyle import (
    DEPRECATED_CLASS,
    HISTORY_CLASS,
    MEANING_CLASSES,
    WILDCARD_CLASS,
)
from statusdoc.importers.mermaidsyntax import START, Diagram

#: The id statusdoc's Mermaid gives a group's composite state.
_GROUP_ID_RE = re.compile(r"g[0-9]+")
_BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


def label_text(raw: str) -> str:
    """A label as Mermaid draws it, on one line: entity codes decoded, ``<br>`` a space."""
    return one_line(mermaid_unescape(_BR_RE.sub(" ", raw))).strip()


def _prose(raw: str) -> str:
    """Note or description text: entity codes decoded, ``<br>`` a line break."""
    return mermaid_unescape(_BR_RE.sub("\n", raw)).strip()


class Flattening:
    """Composite states to flat statuses, each Mermaid arrow to at most one transition.

    A composite state X is a status only when an arrow starts or ends at X
    itself. Then its inner ``[*] --> a`` becomes ``X --> a`` (entering X goes
    on to ``a``) and, when arrows leave X, its inner ``b --> [*]`` becomes
    ``b --> X`` (finishing X goes back to X, where its own arrows leave).
    A composite that no arrow names is only a frame: its ``[*]`` arrows are
    those of the diagram around it (so, at the top, entries and finals).
    """

    def __init__(self, diagram: Diagram, result: Imported) -> None:
        self.d = diagram
        self.result = result
        states = diagram.states
        self.wild = {s for s, st in states.items() if WILDCARD_CLASS in st.classes}
        self.history = {s for s, st in states.items()
                        if HISTORY_CLASS in st.classes and s not in self.wild}
        pseudo = self.wild | self.history
        named = {end for a in diagram.arrows for end in (a.source, a.target)}
        left = {a.source for a in diagram.arrows}
        self.status = [s for s, st in states.items()
                       if s not in pseudo and (not st.composite or s in named)]
        # Where a composite's inner [*] arrows start and end (None: the machine's own).
        self.entry: dict[str | None, str | None] = {None: None}
        self.exit: dict[str | None, str | None] = {None: None}
        for sid in diagram.composites:  # a parent's body opens before its children's
            parent = states[sid].parent
            self.entry[sid] = sid if sid in named else self.entry[parent]
            self.exit[sid] = sid if sid in left else self.exit[parent]
        self.names: dict[str, str] = {}
        #: Groups are named by their titles: all of them, or only statusdoc's g0, g1, ...
        self.titled: Callable[[str], bool] = lambda sid: False
        self._named_groups: dict[str, Group] | None = None

    def name_statuses(self, names_from: str | None) -> None:
        states = self.d.states
        labels = {s: label_text(states[s].texts[0]) if states[s].texts else ""
                  for s in self.status}
        # statusdoc's ids are s0, s1, ... in spec order; a group's body may declare its
        # statuses before others, so their order is restored from the ids.
        ids = {f"s{i}" for i in range(len(self.status))}
        ours = set(self.status) == ids and all(states[s].texts for s in self.status)
        if ours:
            self.status.sort(key=lambda s: int(s[1:]))
        by_label = names_from == "label" or (names_from is None and ours and bool(self.status))
        if names_from == "label":
            self.titled = lambda sid: True
        elif by_label:
            self.titled = lambda sid: _GROUP_ID_RE.fullmatch(sid) is not None
        self.names = {s: s for s in states}
        if by_label:
            taken = [labels[s] for s in self.status]
            if "" in taken or len(set(taken)) < len(taken):
                self.result.note("status names are the diagram's ids: labels are missing "
                                 "or not unique")
            else:
                self.names.update((s, labels[s]) for s in self.status)
                if ours:
                    self.result.note("Mermaid written by statusdoc: status names are "
                                     "the labels of its s0, s1, ... states")
        for sid in self.status:
            name = self.names[sid]
            self.result.add_state(name)
            if labels[sid] and labels[sid] != name:
                self.result.labels[name] = labels[sid]

    def arrows(self, tags: bool) -> None:
        entries: list[tuple[str, str, int]] = []
        ends: dict[str, tuple[int, str]] = {}
        scopes = self._scopes()
        returns: dict[tuple[str, str], int] = {}  # (history id, label) -> its edge's index
        for arrow in self.d.arrows:
            label = label_text(arrow.label)
            src = arrow.source if arrow.source != START else self.entry[arrow.scope]
            dst = arrow.target if arrow.target != START else self.exit[arrow.scope]
            edge_tags = infer_tags(label) if tags else ()
            if src in self.history or (src is None and dst in self.history):
                self.result.note(f"line {arrow.line}: {arrow.source} --> {arrow.target}: "
                                 "arrows leave the 'previous status' pseudo-state only "
                                 "as return rules; not imported")
            elif dst is None:
                if src is None or src in self.wild:
                    self.result.note(f"line {arrow.line}: {arrow.source} --> [*] not imported")
                else:
                    ends.setdefault(self.names[src], (arrow.line, label))
            elif dst in self.wild:
                self.result.note(f"line {arrow.line}: arrow into the 'any status' "
                                 f"pseudo-state {dst!r} not imported")
            elif src is None:
                entries.append((self.names[dst], label, arrow.line))
            elif dst in self.history:
                self._return(src, dst, label, edge_tags, scopes, returns)
            else:
                edge = self._edge(src, self.names[dst], label, edge_tags, scopes)
                self.result.edges.append(edge)
        self._entries(entries)
        self._finals(ends)

    def _edge(self, src: str, target: str, label: str, tags: tuple[str, ...],
              scopes: dict[str, Scope]) -> Edge:
        """The transition from state ``src`` (a status or a wildcard pseudo-state)."""
        if src not in self.wild:
            return Edge(self.names[src], target, label, None, tags)
        scope = scopes[src]
        return Edge("*", target, label, None, tags, excluded=scope.excluded,
                    include_final=scope.include_final, group=scope.group)

    def _return(self, src: str, history: str, label: str, tags: tuple[str, ...],
                scopes: dict[str, Scope], returns: dict[tuple[str, str], int]) -> None:
        """An arrow into a "previous status" state: a source of its ``return = true`` rule
        (one rule per state and label; statusdoc draws one state per rule)."""
        edges = self.result.edges
        at = returns.get((history, label))
        if at is None:
            returns[(history, label)] = len(edges)
            edges.append(replace(self._edge(src, "", label, tags, scopes), returns=True))
        elif src in self.wild or edges[at].source == "*":
            edges.append(replace(self._edge(src, "", label, tags, scopes), returns=True))
        else:
            edges[at] = replace(edges[at], more_sources=(*edges[at].more_sources,
                                                         self.names[src]))

    def _scopes(self) -> dict[str, Scope]:
        """What each wildcard pseudo-state covers, read from its label."""
        titles = {g.title: g.name for g in self._groups().values()}
        statuses = {label_text(self.d.states[s].texts[0]): self.names[s]
                    for s in self.status if self.d.states[s].texts}
        statuses.update((self.names[s], self.names[s]) for s in self.status)
        scopes: dict[str, Scope] = {}
        for sid in sorted(self.wild):
            st = self.d.states[sid]
            text = label_text(st.texts[0]) if st.texts else ""
            scope = wildcard_scope(text, titles, statuses)
            if scope is None:
                self.result.note(f"line {st.line}: the scope {text!r} of the 'any status' "
                                 f"pseudo-state {sid!r} not read: imported as from = '*'")
                scope = Scope()
            scopes[sid] = scope
        return scopes

    def _entries(self, entries: list[tuple[str, str, int]]) -> None:
        """Every ``[*] --> a`` is an entry status, in order; a second arrow to one is noted."""
        seen: set[str] = set()
        for target, label, line in entries:
            if target in seen:
                self.result.note(f"line {line}: second entry arrow [*] --> {target!r} "
                                 "imported once" + (f" (its label {label!r} is not)"
                                                    if label else ""))
                continue
            seen.add(target)
            if self.result.initial is None:
                self.result.initial, self.result.initial_label = target, label
            else:
                self.result.more_initials.append(target)
                if label:
                    self.result.entry_labels[target] = label

    def _finals(self, ends: dict[str, tuple[int, str]]) -> None:
        leaving = {s for e in self.result.edges for s in (e.source, *e.more_sources)}
        for name, (line, label) in ends.items():
            if name in leaving:
                self.result.note(f"line {line}: {name!r} --> [*] not imported: transitions "
                                 f"leave {name!r}, and a final status has none")
                continue
            self.result.finals.add(name)
            if label:
                self.result.note(f"line {line}: label {label!r} of {name!r} --> [*] "
                                 "not imported")

    def describe(self) -> None:
        for sid in self.status:
            st = self.d.states[sid]
            name = self.names[sid]
            parts = [_prose(text) for text in st.texts[1:]] + [_prose(n) for n in st.notes]
            if any(parts):
                self.result.descriptions[name] = "\n\n".join(p for p in parts if p)
            if st.kind:
                self.result.note(f"line {st.line}: {name!r} is a <<{st.kind}>> "
                                 "pseudo-state in Mermaid, imported as a status")
            if DEPRECATED_CLASS in st.classes:
                self.result.deprecated.add(name)
            classes = [c for c in st.classes if c not in MEANING_CLASSES]
            if classes:
                self.result.state_tags[name] = classes
        for sid in self.wild:
            notes = self.d.states[sid].notes
            if notes:
                self.result.note(f"notes of the 'any status' pseudo-state {sid!r} not imported")

    def groups(self) -> None:
        """Composite states become groups (see :meth:`_group_names` for their names).

        The spec's groups are one level deep: a composite inside another adds
        its statuses to the outermost one (noted). A composite that is also a
        status (arrows start or end at it) is noted: its arrows stay its own.
        """
        states = self.d.states
        names = {sid: group.name for sid, group in self._groups().items()}
        for sid in self.status:
            parent = states[sid].parent
            if parent is not None:
                self.result.state_group[self.names[sid]] = names[parent]
        top: dict[str, str] = {}
        for sid in self.d.composites:  # a parent's body opens before its children's
            st = states[sid]
            name = names[sid]
            parent = names[st.parent] if st.parent is not None else None
            top[sid] = top[st.parent] if st.parent is not None else name
            self.result.groups[name] = Group(name, self._groups()[sid].title,
                                             "\n\n".join(_prose(n) for n in st.notes), parent)
            if parent is not None:
                self.result.note(f"line {st.body_line}: composite state {name!r} is inside "
                                 f"{parent!r}: its statuses join group {top[sid]!r} (groups "
                                 "are one level deep)")
            if sid in self.status:
                self.result.note(f"line {st.body_line}: composite state {name!r} is a status "
                                 "too, as arrows start or end at it; its arrows stay its own")
            if st.regions > 1:
                self.result.note(f"line {st.body_line}: the {st.regions} concurrent regions of "
                                 f"{name!r} flattened: a status machine is in one status")

    def _groups(self) -> dict[str, Group]:
        """Group per composite (no parent yet): named by its id, or by its title with
        ``names_from="label"`` and in Mermaid statusdoc wrote for its ids ``g0``, ``g1``,
        ... (they say nothing). A name taken twice gets `` (2)``, ``(3)``, ..."""
        if self._named_groups is not None:
            return self._named_groups
        groups: dict[str, Group] = {}
        taken: set[str] = set()
        for sid in self.d.composites:
            st = self.d.states[sid]
            title = label_text(st.texts[0]) if st.texts else ""
            wanted = self.names[sid]
            if self.titled(sid) and title:
                wanted = title
            name, count = wanted, 1
            while name in taken:
                count += 1
                name = f"{wanted} ({count})"
            taken.add(name)
            groups[sid] = Group(name, title)
        self._named_groups = groups
        return groups
