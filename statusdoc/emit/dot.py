"""Graphviz DOT of a status machine, written by hand with every string quoted.

Layout of the output (stable, spec order, same bytes on every run)::

    // generated from <spec> — edit the spec, not this file
    digraph "<machine>" {
      graph [...]; node [...]; edge [...];        defaults, then [diagram] overrides
      "<state>" [label="...", id="sd-s-<anchor>", class="statusdoc-state"];
      subgraph "cluster_<group>" { graph [label="<title>", ...]; "<member>"; ... }
      "<start>" -> "<entry>" [label="<entry label>", class="statusdoc-initial"];
      "<source>" -> "<target>" [label="...", id="sd-t-<n>", class="statusdoc-transition"];
      "<note>" -> "<target>" [id="sd-w-<rule>", ...]       wildcard rules
      "<member>" -> "<target>" [ltail="cluster_<group>", id="sd-w-<rule>", ...]   group rules
      "<source>" -> "<history>" [id="sd-r-<rule>-<k>", class="statusdoc-return"]  returns
      { rank="same"; ... }                            one set per row (statusdoc.emit.dotlayout)
      subgraph "cluster_statusdoc_legend" { ... }     statusdoc.emit.dotlegend
    }

What is drawn for each rule is decided in :mod:`statusdoc.emit.dotplan`,
where it is placed in :mod:`statusdoc.emit.dotlayout`; the default
attributes are listed in :mod:`statusdoc.emit.dotstyle`. IDs are the status
names, always double-quoted (so ``node``, ``edge`` or ``strict`` are fine).
Helper nodes (start dots, scope notes, history markers, legend samples) get
IDs that no status uses and a ``class`` of ``statusdoc-initial``,
``statusdoc-wildcard``, ``statusdoc-history`` or ``statusdoc-legend``;
statuses and transitions have ``statusdoc-state`` / ``statusdoc-transition``
(``statusdoc-return`` for arrows into a history marker), invisible edges
that only tie rows ``statusdoc-layout``, so a reader (or a test, or the DOT
importer) can tell them apart, and SVG output can be styled by class.

Stable element ids (Graphviz copies ``id`` onto the SVG ``<g>``), the hooks
:mod:`statusdoc.htmldiagram` decorates the rendered SVG by: a status node is
``sd-s-<status anchor>`` (the anchor of its entry, see
:func:`statusdoc.emit.rst.status_anchor`), the edge of
``machine.transitions[n]`` is ``sd-t-<n>``, the one edge of wildcard or
group rule ``r`` is ``sd-w-<r>``, the edge from ``sources[k]`` of return rule
``r`` is ``sd-r-<r>-<k>`` and its history marker ``sd-h-<r>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from statusdoc.emit.dotfonts import font_family, unrenderable_labels
from statusdoc.emit.dotlayout import Layout, layout
from statusdoc.emit.dotlegend import Legend, legend
from statusdoc.emit.dotplan import (
    Arrow,
    Drawing,
    Helper,
    drawing,
    state_svg_id,
    transition_svg_id,
    wildcard_svg_id,
)
from statusdoc.emit.dotstyle import (
    BADGE_NODE_ATTRS,
    CLUSTER_ATTRS,
    DEPRECATED_ATTRS,
    EDGE_DEFAULTS,
    FINAL_DEFAULTS,
    GRAPH_DEFAULTS,
    HISTORY_ATTRS,
    INITIAL_ATTRS,
    LAYOUT_EDGE_ATTRS,
    LAYOUT_GRAPH_ATTRS,
    NODE_DEFAULTS,
    NULL_NOTE,
    WILDCARD_EDGE_ATTRS,
    WILDCARD_NODE_ATTRS,
)
from statusdoc.emit.escape import dot_id, dot_label, dot_value, header_text
from statusdoc.errors import StatusdocError
from statusdoc.spec.model import Machine, State, TransitionRule

__all__ = ["UnsafeAttributeError", "emit_dot", "font_family", "grouped_wildcard", "laid_out",
           "rule_scope",
           "state_svg_id", "transition_svg_id", "unrenderable_labels", "wildcard_svg_id"]

_ATTR_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CLASSES = {"initial": "statusdoc-initial", "transition": "statusdoc-transition",
            "wildcard": "statusdoc-wildcard", "return": "statusdoc-return",
            "fanin": "statusdoc-fanin"}
_HELPER_CLASSES = {"start": "statusdoc-initial", "note": "statusdoc-wildcard",
                   "history": "statusdoc-history", "badge": "statusdoc-fanin"}


class UnsafeAttributeError(StatusdocError, ValueError):
    """A diagram attribute that could make the renderer read files or follow links."""


def _checked(pairs: Iterable[tuple[str, str]], where: str) -> list[tuple[str, str]]:
    """Defence in depth: validation already checks every attribute; a Machine
    built by hand is checked here with the same allow-list and value grammars."""
    from statusdoc.spec.attrs import FORBIDDEN, GRAMMARS, check_value

    out = []
    for name, value in pairs:
        if name in FORBIDDEN or name not in GRAMMARS or not _ATTR_NAME_RE.match(name):
            raise UnsafeAttributeError(f"{where}: attribute {name!r} is not allowed in a diagram")
        problem = check_value(name, value)
        if problem:
            raise UnsafeAttributeError(f"{where}: {problem}")
        out.append((name, value))
    return out


def _merge(*groups: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: dict[str, str] = {}
    for group in groups:
        for name, value in group:
            merged[name] = value
    return list(merged.items())


def _without(pairs: Iterable[tuple[str, str]], names: frozenset[str]) -> list[tuple[str, str]]:
    return [(n, v) for n, v in pairs if n not in names]


def _attr_list(pairs: Sequence[tuple[str, str]], label: str | None = None) -> str:
    """``[label="...", name="value", ...]``; ``label`` (if given) comes first."""
    items = [f"label={dot_label(label)}"] if label is not None else []
    for name, value in pairs:
        if name == "label":
            if label is None:
                items.append(f"label={dot_label(value)}")
            continue
        items.append(f"{name}={dot_value(value)}")
    return "[" + ", ".join(items) + "]"


def grouped_wildcard(machine: Machine, rule: TransitionRule) -> bool:
    """True when ``rule`` is a ``"*"`` rule with a target drawn as ONE arrow from a scope
    note (``wildcards = "group"``) instead of its expanded transitions; derived views
    (:mod:`statusdoc.emit.views`) keep such a rule as its note."""
    return machine.diagram.wildcards == "group" and rule.wildcard and rule.target is not None


def rule_scope(rule: TransitionRule) -> dict[str, object]:
    """The ``from`` of a wildcard or group rule as the spec writes it, with ``except`` and
    ``include_final`` when set: the ``statusdoc_rule`` JSON of its one arrow."""
    scope: dict[str, object] = {"from": {"group": rule.group} if rule.group else "*"}
    if rule.excluded:
        scope["except"] = list(rule.excluded)
    if rule.include_final:
        scope["include_final"] = True
    return scope


def _fontsize(pairs: Sequence[tuple[str, str]]) -> float:
    try:
        return float(dict(pairs).get("fontsize", "14"))
    except ValueError:
        return 14.0


def _graph_and_node(machine: Machine) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    graph = _merge(GRAPH_DEFAULTS, _without(_checked(machine.diagram.graph, "diagram.graph"),
                                            LAYOUT_GRAPH_ATTRS))
    return graph, _merge(NODE_DEFAULTS, _checked(machine.diagram.node, "diagram.node"))


def laid_out(machine: Machine) -> Layout:
    """``machine``'s drawing as the DOT lays it out (badges in): what
    :mod:`statusdoc.htmldiagram` finds in the rendered SVG."""
    graph, node = _graph_and_node(machine)
    return layout(machine, drawing(machine), dict(graph), _fontsize(node))


class _Writer:
    """Writes one machine's DOT: the policy sets, the drawing and its layout."""

    def __init__(self, machine: Machine) -> None:
        from statusdoc.spec import attrs

        self.machine = machine
        self.node_attrs = attrs.NODE_ATTRS
        self.edge_attrs = attrs.EDGE_ATTRS
        self.graph, self.node = _graph_and_node(machine)
        self.places: Layout = layout(machine, drawing(machine), dict(self.graph),
                                     _fontsize(self.node))
        self.plan: Drawing = self.places.drawing
        self.taken = set(machine.state_names) | {h.ident for h in self.plan.helpers}
        self.clusters = {g.name: f"cluster_{g.name}" for g in machine.groups}
        self.taken |= set(self.clusters.values())
        self.vertical = dict(self.graph).get("rankdir", "TB").upper() in ("TB", "BT")

    def new_id(self, base: str) -> str:
        while base in self.taken:
            base += "_"
        self.taken.add(base)
        return base

    def tag_attrs(self, tags: Sequence[str], applicable: frozenset[str], where: str
                  ) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for tag in tags:
            style = self.machine.diagram.tag(tag)
            if style is not None:
                pairs.extend((n, v) for n, v in _checked(style.attrs, f"{where} tag {tag!r}")
                             if n in applicable)
        return pairs

    def state(self, state: State) -> str:
        m = self.machine
        where = f"states.{state.name}"
        pairs: list[tuple[str, str]] = []
        if state.final:
            pairs = _merge(FINAL_DEFAULTS, _checked(m.diagram.final, "diagram.final"))
        if state.deprecated:
            pairs = _merge(pairs, DEPRECATED_ATTRS)
        pairs = _merge(pairs, self.tag_attrs(state.tags, self.node_attrs, where),
                       [("id", state_svg_id(m, state.name)), ("class", "statusdoc-state")])
        label = f"{state.label}\n{NULL_NOTE}" if state.name == m.null else state.label
        return f"  {dot_id(state.name)} {_attr_list(pairs, label)};"

    def helper(self, helper: Helper, indent: str = "  ") -> str:
        base = {"start": INITIAL_ATTRS, "note": WILDCARD_NODE_ATTRS,
                "history": HISTORY_ATTRS, "badge": BADGE_NODE_ATTRS}[helper.kind]
        pairs = _merge(base, [("id", helper.svg_id)] if helper.svg_id else [],
                       [("class", _HELPER_CLASSES[helper.kind])])
        label = helper.label if helper.kind != "start" else None
        return f"{indent}{dot_id(helper.ident)} {_attr_list(pairs, label)};"

    def arrow(self, index: int, arrow: Arrow) -> str:
        where = f"transitions[{arrow.rule}]"
        base = WILDCARD_EDGE_ATTRS if arrow.kind in ("wildcard", "fanin") else ()
        ltail = [("ltail", self.clusters[arrow.ltail])] if arrow.ltail else []
        pairs = _merge(
            [("id", arrow.svg_id)] if arrow.svg_id else [], base,
            _without(self.tag_attrs(arrow.tags, self.edge_attrs, where), LAYOUT_EDGE_ATTRS),
            ltail, self.places.attrs[index], [("class", _CLASSES[arrow.kind])])
        if arrow.absorbed:  # not drawn: the badge's transitions, for programs reading the DOT
            pairs.append(("statusdoc_transitions",
                          json.dumps([list(a) for a in arrow.absorbed], ensure_ascii=False)))
        if arrow.kind == "wildcard" and arrow.rule is not None:  # its scope, for importers
            pairs.append(("statusdoc_rule", json.dumps(
                rule_scope(self.machine.rules[arrow.rule]), ensure_ascii=False)))
        tail = self.places.tails[index]
        return f"  {dot_id(tail)} -> {dot_id(arrow.head)} {_attr_list(pairs, arrow.label or None)};"

    def defaults(self) -> list[str]:
        style = self.machine.diagram
        graph = [*self.graph, ("newrank", "true")]
        if any(a.ltail for a in self.plan.arrows):
            graph.append(("compound", "true"))
        node = self.node
        edge = _merge(EDGE_DEFAULTS, _without(_checked(style.edge, "diagram.edge"),
                                              LAYOUT_EDGE_ATTRS))
        return [f"  graph {_attr_list(graph)};", f"  node {_attr_list(node)};",
                f"  edge {_attr_list(edge)};"]

    def groups(self) -> list[str]:
        out: list[str] = []
        members = self.machine.group_members
        inside: dict[str, list[Helper]] = {}
        for h in self.plan.helpers:
            if h.group is not None:
                inside.setdefault(h.group, []).append(h)
        for g in self.machine.groups:
            names = members.get(g.name, ())
            if not names:
                continue
            out.append(f"  subgraph {dot_id(self.clusters[g.name])} {{")
            out.append(f"    graph {_attr_list(CLUSTER_ATTRS, g.title)};")
            out.extend(f"    {dot_id(n)};" for n in names)
            out.extend(self.helper(h, "    ") for h in inside.get(g.name, ()))
            out.append("  }")
        return out

    def body(self) -> list[str]:
        """Statuses, groups, entries and transitions (helpers just before their arrows)."""
        out = ["", "  // statuses", *(self.state(s) for s in self.machine.states)]
        groups = self.groups()
        if groups:
            out += ["", "  // groups", *groups]
        helpers = {h.ident: h for h in self.plan.helpers if h.group is None}
        written: set[str] = set()
        section = ""
        for index, a in enumerate(self.plan.arrows):
            title = "entries" if a.kind == "initial" else "transitions"
            if title != section:
                out += ["", f"  // {title}"]
                section = title
            for end in (a.tail, a.head):
                if end in helpers and end not in written:
                    out.append(self.helper(helpers[end]))
                    written.add(end)
            out.append(self.arrow(index, a))
        return out

    def ranks(self, extra: Sequence[tuple[str, int]]) -> list[str]:
        out = ["", "  // rows: one rank per row, top down (statusdoc.emit.dotlayout)"]
        for tail, head, span in self.places.ties:
            pairs = [("style", "invis"), ("minlen", str(span)), ("class", "statusdoc-layout")]
            out.append(f"  {dot_id(tail)} -> {dot_id(head)} {_attr_list(pairs)};")
        for names in self.places.rank_sets(extra):
            out.append('  { rank="same"; ' + " ".join(f"{dot_id(n)};" for n in names) + " }")
        return out

    def legend(self) -> Legend:
        row = self.places.row
        last = max(row[s] for s in self.machine.state_names)
        anchor = next(s for s in self.machine.state_names if row[s] == last)
        box = Legend(self.new_id, _attr_list, (anchor, last), self.vertical)
        history = HISTORY_ATTRS if any(h.kind == "history" for h in self.plan.helpers) else None
        legend(self.machine, box, node_attrs=self.node_attrs, edge_attrs=self.edge_attrs,
               checked=_checked, deprecated=DEPRECATED_ATTRS,
               history=(*history, ("label", "H")) if history else None)
        return box


def emit_dot(machine: Machine, *, source_name: str) -> str:
    """The DOT source of ``machine``'s diagram (see the module docstring for its shape).

    ``[diagram]`` attributes override the defaults (but not the layout's
    ``newrank``, ``compound``, ``constraint``, ``minlen`` and ``samehead``);
    tag styles apply to the statuses and transitions carrying the tag; the
    legend lists every tag in use that has legend text, deprecated statuses
    and history markers; ``diagram.wildcards == "group"`` draws one arrow
    per wildcard or group rule and one history marker per return rule,
    ``"expand"`` draws every expanded transition.
    """
    writer = _Writer(machine)
    out = [f"// {header_text(source_name)}", f"digraph {dot_id(machine.name)} {{",
           *writer.defaults(), *writer.body()]
    box = writer.legend()
    out += writer.ranks(box.rows)
    legend_lines = box.lines(writer.new_id("cluster_statusdoc_legend"))
    if legend_lines:
        out += ["", *legend_lines]
    out.append("}")
    return "\n".join(out) + "\n"
