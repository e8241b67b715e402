"""What the diagram draws: every arrow and helper node, decided once from the model.

:func:`drawing` turns a :class:`~statusdoc.spec.model.Machine` into a
:class:`Drawing`; the DOT emitter writes it, :mod:`statusdoc.emit.dotlayout`
places it, and :mod:`statusdoc.htmldiagram` titles and links the same
arrows in the rendered SVG. One rule of the spec becomes:

* a rule listing its sources: one arrow per expanded transition
  (``sd-t-<n>``, class ``statusdoc-transition``);
* a wildcard rule (``from = "*"``, ``[diagram] wildcards = "group"``): a
  note stating its exact scope ("any status except running (final statuses
  included)") with one arrow from it (``sd-w-<rule>``, ``statusdoc-wildcard``);
* a group rule (``from = { group = ... }``): one arrow leaving the group's
  box (``ltail``; ``sd-w-<rule>``, ``statusdoc-wildcard``), labelled with the
  members it does not cover; when its target is itself in the group the box
  cannot be left towards it, and a note says the scope instead (the layout
  also turns the box's arrow into a note when no source lies above the
  target: :mod:`statusdoc.emit.dotlayout`);
* a return rule (``return = true``): a history marker "H" (UML shallow
  history, ``sd-h-<rule>``, ``statusdoc-history``) with one arrow into it per
  source (``sd-r-<rule>-<k>`` for ``sources[k]``, ``statusdoc-return``), or,
  for a wildcard or group source, the one arrow above into it;
* each entry status: its own start dot and arrow (``statusdoc-initial``).

With ``wildcards = "expand"`` every rule draws its expanded transitions
(returns included, to each previous status).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from statusdoc.emit.wording import PLAIN, Inline, Scopes, edge_text, source_phrase
from statusdoc.spec.model import Machine, TransitionRule

__all__ = ["Arrow", "Drawing", "Helper", "drawing", "group_exceptions", "scope_words",
           "state_svg_id", "transition_svg_id", "wildcard_svg_id", "wrap"]

HelperKind = Literal["start", "note", "history", "badge"]
ArrowKind = Literal["initial", "transition", "wildcard", "return", "fanin"]


@dataclass(frozen=True, slots=True)
class Helper:
    """A node that is no status: an entry's start dot, a scope note, a history marker."""

    ident: str
    kind: HelperKind
    label: str = ""
    #: The group whose cluster holds it (a history marker of one group's statuses).
    group: str | None = None
    svg_id: str | None = None


@dataclass(frozen=True, slots=True)
class Arrow:
    """One drawn edge. ``tail``/``head`` are DOT node names (statuses or helpers);
    ``sources``/``targets`` the statuses it stands for (several for a broad rule
    or a return), which the live diagram highlights together."""

    tail: str
    head: str
    label: str
    kind: ArrowKind
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    rule: int | None = None
    svg_id: str | None = None
    #: The group whose box the arrow leaves (``ltail``).
    ltail: str | None = None
    tags: tuple[str, ...] = ()
    #: "from -> to" in words, for the arrow's tooltip.
    ends: str = ""
    #: More for the tooltip (a badge's list of transitions).
    detail: str = ""
    #: A badge's arrow: the ``(source, label)`` of each transition it stands for.
    absorbed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Drawing:
    """Helpers and arrows in drawing order (entries, then rules in spec order)."""

    helpers: tuple[Helper, ...]
    arrows: tuple[Arrow, ...]


def state_svg_id(machine: Machine, name: str) -> str:
    """The ``id`` of status ``name``'s node: ``sd-s-<status anchor>`` (stable, unique)."""
    from statusdoc.emit.rst import status_anchor

    return f"sd-s-{status_anchor(machine, name)}"


def transition_svg_id(index: int) -> str:
    """The ``id`` of the edge of ``machine.transitions[index]``: ``sd-t-<index>``."""
    return f"sd-t-{index}"


def wildcard_svg_id(rule: int) -> str:
    """The ``id`` of the one edge drawn for wildcard or group rule ``rule``."""
    return f"sd-w-{rule}"


def return_svg_id(rule: int, source: int) -> str:
    """The ``id`` of the edge from ``rules[rule].sources[source]`` into its history marker."""
    return f"sd-r-{rule}-{source}"


def history_svg_id(rule: int) -> str:
    """The ``id`` of the history marker of return rule ``rule``."""
    return f"sd-h-{rule}"


def _inline(machine: Machine) -> Inline:
    """Plain words that name a status by its label, as its box in the diagram does."""
    labels = {s.name: s.label for s in machine.states}
    return dataclasses.replace(PLAIN, code=lambda name: labels.get(name, name))


def scope_words(machine: Machine, rule: TransitionRule, scopes: Scopes | None = None) -> str:
    """What a wildcard or group ``rule``'s note says: the page's and Mermaid's phrase
    (:func:`statusdoc.emit.wording.source_phrase`) with statuses named by label."""
    return source_phrase(machine, rule, _inline(machine), scopes)


def group_exceptions(machine: Machine, rule: TransitionRule) -> str:
    """For a group rule drawn from the group's box: the members it does not leave, in
    words (``"except a, b"``), or ``""`` when it leaves every member but its target.

    A member is left out by ``except`` or for being final without
    ``include_final``; the reader of the box needs the names either way.
    """
    assert rule.group is not None
    covered = set(rule.sources)
    labels = machine.state_map
    missing = [labels[s].label for s in machine.group_members.get(rule.group, ())
               if s not in covered and s != rule.target]
    return "except " + ", ".join(missing) if missing else ""


class _Ids:
    """Helper-node names guaranteed not to clash with any status name."""

    def __init__(self, machine: Machine) -> None:
        self.taken = set(machine.state_names)

    def new(self, base: str) -> str:
        name = base
        while name in self.taken:
            name += "_"
        self.taken.add(name)
        return name


class _Planner:
    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.ids = _Ids(machine)
        self.helpers: list[Helper] = []
        self.arrows: list[Arrow] = []
        self.labels = {s.name: s.label for s in machine.states}
        self.expand = machine.diagram.wildcards == "expand"
        self.scopes = Scopes.of(machine)

    def entries(self) -> None:
        m = self.machine
        for entry in m.entries:
            if entry not in m.state_map:  # a focus view (emit.views) may have no entry
                continue
            start = self.ids.new("__statusdoc_start__")
            self.helpers.append(Helper(start, "start"))
            self.arrows.append(Arrow(start, entry, m.entry_labels.get(entry, ""), "initial",
                                     (), (entry,)))

    def rule(self, rule: TransitionRule, transitions: list[int]) -> None:
        broad = rule.wildcard or rule.group is not None
        if self.expand or not (broad or rule.returns):
            self.each(rule, transitions)
        elif rule.sources:
            head, targets, head_words = self.head(rule, transitions)
            if broad:
                self.broad(rule, head, targets, head_words)
            else:
                for k, src in enumerate(rule.sources):
                    self.arrows.append(Arrow(
                        src, head, self.text(rule), "return", (src,), targets, rule.index,
                        return_svg_id(rule.index, k), tags=rule.tags,
                        ends=f"{self.labels[src]} → {head_words}"))

    def each(self, rule: TransitionRule, transitions: list[int]) -> None:
        ts = self.machine.transitions
        for index in transitions:
            t = ts[index]
            self.arrows.append(Arrow(
                t.source, t.target, self.text(rule), "transition", (t.source,), (t.target,),
                rule.index, transition_svg_id(index), tags=rule.tags,
                ends=f"{self.labels[t.source]} → {self.labels[t.target]}"))

    def head(self, rule: TransitionRule, transitions: list[int]
             ) -> tuple[str, tuple[str, ...], str]:
        """Where the rule's arrows end: its target, or a new history marker."""
        if not rule.returns:
            assert rule.target is not None
            return rule.target, (rule.target,), self.labels[rule.target]
        ts = self.machine.transitions
        targets = tuple(dict.fromkeys(ts[i].target for i in transitions))
        state_map = self.machine.state_map
        groups = {state_map[s].group for s in rule.sources}
        # inside the box of the one group its sources share; a broad rule's arrow
        # comes from the box (or a note) and cannot end inside it
        broad = rule.wildcard or rule.group is not None
        group = groups.pop() if len(groups) == 1 and not broad else None
        marker = self.ids.new(f"__statusdoc_history_{rule.index}__")
        self.helpers.append(Helper(marker, "history", "H", group, history_svg_id(rule.index)))
        words = ", ".join(self.labels[t] for t in targets)
        return marker, targets, f"back to the previous status ({words})"

    def broad(self, rule: TransitionRule, head: str, targets: tuple[str, ...],
              head_words: str) -> None:
        """One arrow for a wildcard or group rule: from the group's box, or from a note."""
        m = self.machine
        scope = scope_words(m, rule, self.scopes)
        members = m.group_members.get(rule.group, ()) if rule.group is not None else ()
        label = self.text(rule)
        ltail = None
        if rule.group is not None and not set(targets) & set(members):
            ltail, tail = rule.group, rule.sources[0]
            rest = group_exceptions(m, rule)
            label = f"{label}\n({rest})" if rest and label else (f"({rest})" if rest else label)
        else:
            tail = self.ids.new(f"__statusdoc_any_{rule.index}__")
            self.helpers.append(Helper(tail, "note", wrap(scope)))
        self.arrows.append(Arrow(tail, head, label, "wildcard", rule.sources, targets,
                                 rule.index, wildcard_svg_id(rule.index), ltail, rule.tags,
                                 ends=f"{scope} → {head_words}"))

    def text(self, rule: TransitionRule) -> str:
        return edge_text(rule.label, rule.event, rule.guard)


#: Longest line of a scope note before it wraps (in characters).
NOTE_WIDTH = 28


def wrap(text: str, width: int = NOTE_WIDTH) -> str:
    """``text`` over lines of about ``width`` characters, broken at spaces."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def drawing(machine: Machine) -> Drawing:
    """What ``machine``'s diagram draws (see the module docstring)."""
    planner = _Planner(machine)
    planner.entries()
    by_rule: dict[int, list[int]] = {}
    for index, t in enumerate(machine.transitions):
        by_rule.setdefault(t.rule, []).append(index)
    for rule in machine.rules:
        planner.rule(rule, by_rule.get(rule.index, []))
    return Drawing(tuple(planner.helpers), tuple(planner.arrows))
