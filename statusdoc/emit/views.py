"""Smaller diagrams of a big machine: a focus view per status, an overview of the groups.

Both are *derived machines*: a :class:`~statusdoc.spec.model.Machine` built
from the spec's machine that goes through the ordinary DOT emitter and
renderer (:func:`statusdoc.emit.dot.emit_dot`), so it is drawn, styled,
stamped and checked like the full diagram, and its SVG carries the same
hooks (``sd-s-<anchor>`` on status nodes, ``sd-t-<n>`` on edges) that
:mod:`statusdoc.htmldiagram` links.

- :func:`focus_machine`: one status, the statuses it is reached from and the
  statuses it leads to, with the transitions into and out of it, laid out
  left to right (predecessors, the status, successors) so the view stays
  narrow enough to read at a page's column width. A grouped wildcard rule
  into the status ("any non-final status") stays one note, not an arrow from
  every status. The status itself is drawn with a thicker border.
- :func:`overview_machine`: every group of statuses collapsed into one node
  (labelled with its title and size), statuses in no group kept; the
  transitions between two nodes aggregated into one edge whose label gives
  the count (:func:`aggregate_label`); transitions inside a group left out.

Derived machines are for drawing only: they are not validated specs (a
focus view of a status that is no entry has no entry status, ``initial``
is ``""``; a wildcard note's sources may lie outside the view).

Whether a page shows them is a :data:`ViewSetting` (``auto``, ``on``,
``off``): ``auto`` shows them for machines of more than
:data:`FOCUS_MIN_STATUSES` statuses (:func:`wanted`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from statusdoc.emit.dot import grouped_wildcard
from statusdoc.emit.escape import one_line
from statusdoc.emit.wording import edge_text
from statusdoc.spec.model import (
    DiagramStyle,
    Machine,
    State,
    TagStyle,
    Transition,
    TransitionRule,
)

__all__ = [
    "FOCUS_MIN_STATUSES",
    "VIEW_SETTINGS",
    "Neighbours",
    "ViewImages",
    "ViewSetting",
    "aggregate_label",
    "focus_machine",
    "group_nodes",
    "neighbours",
    "overview_machine",
    "parse_setting",
    "wanted",
]

#: ``auto`` shows focus views and the overview for machines with more statuses than this.
FOCUS_MIN_STATUSES = 12

ViewSetting = Literal["auto", "on", "off"]
#: The values of the ``focus`` and ``overview`` settings.
VIEW_SETTINGS: tuple[ViewSetting, ...] = ("auto", "on", "off")

#: How the focused status is drawn (a tag style, so it goes through the DOT emitter).
FOCUS_ATTRS = (("penwidth", "2.5"),)
#: How a group's node is drawn in the overview.
GROUP_ATTRS = (("penwidth", "2"), ("peripheries", "2"))


def parse_setting(value: object, where: str) -> ViewSetting:
    """``auto``/``on``/``off`` (``true``/``false`` mean on/off); ValueError otherwise."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    for setting in VIEW_SETTINGS:
        if value == setting:
            return setting
    raise ValueError(f"{where}: expected auto, on or off, got {value!r}")


def wanted(setting: ViewSetting, machine: Machine) -> bool:
    """Whether ``setting`` shows the views of ``machine`` (``auto``: above the size)."""
    if setting == "auto":
        return len(machine.states) > FOCUS_MIN_STATUSES
    return setting == "on"


@dataclass(frozen=True, slots=True)
class ViewImages:
    """The image files a page without Sphinx shows its views with (``""``: none)."""

    overview: str = ""
    focus: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Neighbours:
    """Where a status is reached from and what it leads to, in spec order.

    ``sources`` and ``targets`` are status names (no duplicates); a grouped
    wildcard rule into the status is in ``wildcards`` instead of listing
    every status it covers. ``incoming``/``outgoing`` index
    ``machine.transitions`` (self-loops are in both).
    """

    sources: tuple[str, ...]
    targets: tuple[str, ...]
    wildcards: tuple[TransitionRule, ...]
    incoming: tuple[int, ...]
    outgoing: tuple[int, ...]


def neighbours(machine: Machine) -> Mapping[str, Neighbours]:
    """The :class:`Neighbours` of every status; one pass over the transitions.

    Compute it once and pass it to :func:`focus_machine` when drawing many views.
    """
    grouped = {r.index for r in machine.rules if grouped_wildcard(machine, r)}
    into: dict[str, list[int]] = {s.name: [] for s in machine.states}
    out: dict[str, list[int]] = {s.name: [] for s in machine.states}
    for index, t in enumerate(machine.transitions):
        into[t.target].append(index)
        out[t.source].append(index)
    result: dict[str, Neighbours] = {}
    for state in machine.states:
        name = state.name
        ins, outs = into[name], out[name]
        drawn = [machine.transitions[i] for i in ins if machine.transitions[i].rule not in grouped]
        rules = dict.fromkeys(machine.transitions[i].rule for i in ins
                              if machine.transitions[i].rule in grouped)
        result[name] = Neighbours(
            sources=tuple(dict.fromkeys(t.source for t in drawn)),
            targets=tuple(dict.fromkeys(machine.transitions[i].target for i in outs)),
            wildcards=tuple(machine.rules[r] for r in rules),
            incoming=tuple(ins), outgoing=tuple(outs))
    return result


def _fresh(base: str, taken: set[str] | frozenset[str]) -> str:
    name = base
    while name in taken:
        name += "_"
    return name


def _view_style(machine: Machine, extra: TagStyle, rankdir: str | None) -> DiagramStyle:
    """The machine's style with legends dropped (a small view has no room for them),
    ``extra`` added, and ``rankdir`` forced when given."""
    style = machine.diagram
    tags = (*(replace(t, legend="") for t in style.tags), extra)
    graph = style.graph + ((("rankdir", rankdir),) if rankdir else ())
    return replace(style, graph=graph, tags=tags)


def focus_machine(machine: Machine, status: str,
                  table: Mapping[str, Neighbours] | None = None) -> Machine:
    """The focus view of ``status`` as a machine (see the module docstring).

    ``table`` is :func:`neighbours` of ``machine``, computed once for many
    views (else computed here). Raises ``KeyError`` for an unknown status.
    """
    near = (table if table is not None else neighbours(machine))[status]
    transitions = machine.transitions
    indices = sorted(set(near.incoming) | set(near.outgoing))
    drawn = [i for i in indices if i not in near.incoming
             or transitions[i].rule not in {r.index for r in near.wildcards}]
    shown = {status, *(transitions[i].source for i in drawn),
             *(transitions[i].target for i in drawn)}
    tag = _fresh("statusdoc-focus", set(machine.tags_in_use))
    states = tuple(
        replace(s, group=None, tags=(*s.tags, tag) if s.name == status else s.tags)
        for s in machine.states if s.name in shown)
    # each transition is its own plain rule: a view draws every arrow it shows (no
    # history marker for a return, no scope note for a group rule)
    rules: list[TransitionRule] = []
    kept: list[Transition] = []
    for i in drawn:
        t = transitions[i]
        rules.append(replace(machine.rules[t.rule], index=len(rules), wildcard=False,
                             group=None, excluded=(), sources=(t.source,), target=t.target,
                             returns=False))
        kept.append(replace(t, rule=len(rules) - 1))
    for rule in near.wildcards:  # one note each, as in the full diagram
        rules.append(replace(rule, index=len(rules)))
    # predecessors, the status, successors: three levels (columns, left to right)
    after = {transitions[i].target for i in drawn if transitions[i].source == status}
    levels = tuple((s.name, 1 if s.name == status else 2 if s.name in after else 0)
                   for s in states)
    entry = (status,) if status in machine.entries else ()
    return Machine(
        name=machine.name,
        title=f"{one_line(machine.title or machine.name)}: {one_line(status)}",
        initial=entry[0] if entry else "",
        initial_label=machine.entry_labels.get(status, "") if entry else "",
        entries=entry or ("",),
        states=states, rules=tuple(rules), transitions=tuple(kept),
        diagram=replace(_view_style(machine, TagStyle(tag, FOCUS_ATTRS, in_text=False), "LR"),
                        levels=levels),
        language=machine.language, source=machine.source,
    )


def group_nodes(machine: Machine) -> dict[str, str]:
    """Every group with members mapped to its node's name in the overview: the group's
    name, made unique against the status names (``_`` appended)."""
    taken = set(machine.state_names)
    nodes: dict[str, str] = {}
    for group in machine.groups:
        if machine.group_members.get(group.name):
            nodes[group.name] = _fresh(group.name, taken)
            taken.add(nodes[group.name])
    return nodes


def aggregate_label(transitions: Sequence[Transition]) -> str:
    """The label of an overview edge standing for ``transitions``.

    One transition keeps its label (``label [guard]``); several that all say
    the same give it with their count (``reset-state (6)``); otherwise the
    count alone (``9 transitions``), which keeps the overview narrow.
    """
    texts = list(dict.fromkeys(
        one_line(edge_text(t.label, t.event, t.guard)) for t in transitions))
    if len(transitions) == 1:
        return texts[0]
    if len(texts) == 1 and texts[0]:
        return f"{texts[0]} ({len(transitions)})"
    return f"{len(transitions)} transitions"


def overview_machine(machine: Machine) -> Machine | None:
    """The overview of ``machine`` (see the module docstring); None without groups."""
    groups = group_nodes(machine)
    if not groups:
        return None
    node_of = {s.name: groups.get(s.group or "", s.name) for s in machine.states}
    tag = _fresh("statusdoc-group", set(machine.tags_in_use))
    states: list[State] = []
    titles = {g.name: g for g in machine.groups}
    for s in machine.states:
        if s.group not in groups:
            states.append(replace(s, group=None))
        elif s.name == machine.group_members[s.group][0]:  # the group's place: its first member
            group = titles[s.group]
            size = len(machine.group_members[s.group])
            states.append(State(groups[s.group], f"{one_line(group.title)} ({size} statuses)",
                                description=group.description, tags=(tag,)))
    grouped = {r.index for r in machine.rules if grouped_wildcard(machine, r)}
    edges: dict[tuple[str, str], list[Transition]] = {}
    for t in machine.transitions:
        ends = (node_of[t.source], node_of[t.target])
        if t.rule in grouped or (ends[0] == ends[1] and ends[0] != t.source):
            continue  # drawn as the rule's note / inside one group
        edges.setdefault(ends, []).append(t)
    rules: list[TransitionRule] = []
    transitions: list[Transition] = []
    for (source, target), members in edges.items():
        first = members[0]
        one = len(members) == 1
        label = aggregate_label(members)
        rules.append(TransitionRule(len(rules), (source,), target, label=label,
                                    event=first.event if one else None,
                                    tags=first.tags if one else (),
                                    description=first.description if one else ""))
        transitions.append(Transition(source, target, label, event=rules[-1].event,
                                      tags=rules[-1].tags, rule=len(rules) - 1))
    for rule in machine.rules:
        if rule.index in grouped and rule.target is not None:
            rules.append(replace(rule, index=len(rules), target=node_of[rule.target],
                                 sources=tuple(dict.fromkeys(node_of[s] for s in rule.sources)),
                                 group=None, excluded=()))
    entries = tuple(dict.fromkeys(node_of[e] for e in machine.entries))
    labels: dict[str, str] = {}
    for name in machine.entries:
        labels.setdefault(node_of[name], machine.entry_labels.get(name, ""))
    return Machine(
        name=machine.name, title=f"{one_line(machine.title or machine.name)}: overview",
        initial=entries[0], initial_label=labels[entries[0]], entries=entries,
        entry_labels={k: v for k, v in labels.items() if v},
        states=tuple(states), rules=tuple(rules), transitions=tuple(transitions),
        diagram=_view_style(machine, TagStyle(tag, GROUP_ATTRS, in_text=False), None),
        language=machine.language, source=machine.source,
    )
