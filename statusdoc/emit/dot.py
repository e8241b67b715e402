"""Graphviz DOT of a status machine, written by hand with every string quoted.

Layout of the output (stable, spec order, same bytes on every run)::

    // generated from <spec> — edit the spec, not this file
    digraph "<machine>" {
      graph [...]; node [...]; edge [...];        defaults, then [diagram] overrides
      "<state>" [label="...", id="sd-s-<anchor>", class="statusdoc-state"];
      "<entry point>" -> "<initial>" [label="<initial_label>"];
      "<source>" -> "<target>" [id="sd-t-<n>", label="...", class="statusdoc-transition"];
      "<note>" -> "<target>" [id="sd-w-<rule>", ...]   wildcard rules in "group" mode
      subgraph "cluster_statusdoc_legend" { ... }    tags with legend text
    }

IDs are the status names, always double-quoted (so ``node``, ``edge`` or
``strict`` are fine). Helper nodes (entry point, wildcard notes, legend
samples) get IDs that no status uses and a ``class`` of ``statusdoc-initial``,
``statusdoc-wildcard`` or ``statusdoc-legend``; statuses and transitions have
``statusdoc-state`` / ``statusdoc-transition`` so a reader (or a test) can
tell them apart, and SVG output can be styled by class.

Stable element ids (Graphviz copies ``id`` onto the SVG ``<g>``), the hooks
:mod:`statusdoc.htmldiagram` decorates the rendered SVG by: a status node is
``sd-s-<status anchor>`` (the anchor of its entry, see
:func:`statusdoc.emit.rst.status_anchor`), the edge of
``machine.transitions[n]`` is ``sd-t-<n>``, and the one edge of wildcard rule
``r`` drawn in ``group`` mode is ``sd-w-<r>``.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from statusdoc.emit.escape import dot_id, dot_label, dot_value, header_text
from statusdoc.errors import StatusdocError
from statusdoc.spec.model import Attrs, Machine, State, TransitionRule

#: Graph defaults; ``[diagram.graph]`` / ``rankdir`` override them.
GRAPH_DEFAULTS: Attrs = (
    ("rankdir", "TB"),
    ("fontname", "Helvetica"),
    ("fontsize", "11"),
    ("bgcolor", "white"),
    ("pad", "0.3"),
    ("nodesep", "0.5"),
    ("ranksep", "0.6"),
)
#: Node defaults; ``[diagram.node]`` overrides them.
NODE_DEFAULTS: Attrs = (
    ("shape", "box"),
    ("style", "rounded,filled"),
    ("fillcolor", "#EAF2FB"),
    ("color", "#3C6E9F"),
    ("fontname", "Helvetica"),
    ("fontsize", "12"),
    ("margin", "0.2,0.08"),
)
#: Edge defaults; ``[diagram.edge]`` overrides them.
EDGE_DEFAULTS: Attrs = (
    ("fontname", "Helvetica"),
    ("fontsize", "10"),
    ("color", "#4A4A4A"),
    ("fontcolor", "#2B2B2B"),
    ("arrowsize", "0.8"),
)
#: Attributes of final statuses; ``[diagram.final]`` overrides them.
FINAL_DEFAULTS: Attrs = (("peripheries", "2"), ("fillcolor", "#F1F1F1"))
#: The entry point drawn before the initial status.
INITIAL_ATTRS: Attrs = (
    ("shape", "point"),
    ("width", "0.18"),
    ("style", "filled"),
    ("fillcolor", "#000000"),
    ("color", "#000000"),
    ("label", ""),
)
#: The note a wildcard rule starts from in ``group`` mode.
WILDCARD_NODE_ATTRS: Attrs = (
    ("shape", "note"),
    ("style", "filled"),
    ("fillcolor", "#FFFDE7"),
    ("color", "#9E9E9E"),
    ("fontsize", "10"),
)
WILDCARD_EDGE_ATTRS: Attrs = (("color", "#7A7A7A"), ("style", "solid"))
#: Text of the wildcard note.
WILDCARD_TEXT = "any non-final status"

_ATTR_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class UnsafeAttributeError(StatusdocError, ValueError):
    """A diagram attribute that could make the renderer read files or follow links."""


def _attr_policy() -> tuple[dict[str, str], frozenset[str], frozenset[str], frozenset[str]]:
    from statusdoc.spec import attrs

    return attrs.FORBIDDEN, attrs.FORBIDDEN_SHAPES, attrs.NODE_ATTRS, attrs.EDGE_ATTRS


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


def _fresh_id(base: str, taken: set[str]) -> str:
    name = base
    while name in taken:
        name += "_"
    taken.add(name)
    return name


class _Ids:
    """Helper-node IDs guaranteed not to clash with any status name."""

    def __init__(self, machine: Machine) -> None:
        self.taken = set(machine.state_names)

    def new(self, base: str) -> str:
        return _fresh_id(base, self.taken)


def _tag_attrs(machine: Machine, tags: Sequence[str], applicable: frozenset[str],
               where: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for tag in tags:
        style = machine.diagram.tag(tag)
        if style is not None:
            pairs.extend((n, v) for n, v in _checked(style.attrs, f"{where} tag {tag!r}")
                         if n in applicable)
    return pairs


def state_svg_id(machine: Machine, name: str) -> str:
    """The ``id`` of status ``name``'s node: ``sd-s-<status anchor>`` (stable, unique)."""
    from statusdoc.emit.rst import status_anchor

    return f"sd-s-{status_anchor(machine, name)}"


def transition_svg_id(index: int) -> str:
    """The ``id`` of the edge of ``machine.transitions[index]``: ``sd-t-<index>``."""
    return f"sd-t-{index}"


def wildcard_svg_id(rule: int) -> str:
    """The ``id`` of the one edge drawn for wildcard rule ``rule`` (``group`` mode)."""
    return f"sd-w-{rule}"


def grouped_wildcard(machine: Machine, rule: TransitionRule) -> bool:
    """True when ``rule`` is drawn as ONE edge (:func:`wildcard_svg_id`) instead of its
    expanded transitions: a wildcard with a target, in ``group`` mode. (A wildcard
    ``return`` rule has no single target: its transitions are drawn.)"""
    return machine.diagram.wildcards == "group" and rule.wildcard and rule.target is not None


def _state_line(machine: Machine, state: State, node_attrs: frozenset[str]) -> str:
    where = f"states.{state.name}"
    pairs: list[tuple[str, str]] = []
    if state.final:
        pairs = _merge(FINAL_DEFAULTS, _checked(machine.diagram.final, "diagram.final"))
    pairs = _merge(pairs, _tag_attrs(machine, state.tags, node_attrs, where),
                   [("id", state_svg_id(machine, state.name)), ("class", "statusdoc-state")])
    return f"  {dot_id(state.name)} {_attr_list(pairs, state.label)};"


def _edge_line(src: str, dst: str, label: str, pairs: Sequence[tuple[str, str]],
               svg_id: str | None = None) -> str:
    """An edge; ``svg_id`` becomes its ``id`` (Graphviz copies it onto the SVG ``<g>``)."""
    if svg_id is not None:
        pairs = [("id", svg_id), *pairs]
    return f"  {dot_id(src)} -> {dot_id(dst)} {_attr_list(pairs, label or None)};"


def emit_dot(machine: Machine, *, source_name: str) -> str:
    """The DOT source of ``machine``'s diagram (see the module docstring for its shape).

    ``[diagram]`` attributes override the defaults; tag styles apply to the
    states and transitions carrying the tag; a legend cluster lists every tag
    in use that has legend text; ``diagram.wildcards == "group"`` draws one
    edge per wildcard rule from a note "any non-final status", ``"expand"``
    draws every expanded edge.
    """
    _forbidden, _shapes, node_attrs, edge_attrs = _attr_policy()
    style = machine.diagram
    ids = _Ids(machine)
    out: list[str] = [f"// {header_text(source_name)}", f"digraph {dot_id(machine.name)} {{"]
    graph = _merge(GRAPH_DEFAULTS, _checked(style.graph, "diagram.graph"))
    out.append(f"  graph {_attr_list(graph)};")
    out.append(f"  node {_attr_list(_merge(NODE_DEFAULTS, _checked(style.node, 'diagram.node')))};")
    out.append(f"  edge {_attr_list(_merge(EDGE_DEFAULTS, _checked(style.edge, 'diagram.edge')))};")

    out.append("")
    out.append("  // statuses")
    out.extend(_state_line(machine, s, node_attrs) for s in machine.states)

    if machine.initial in machine.state_map:  # a focus view (emit.views) may have no entry
        out.append("")
        out.append("  // entry")
        start = ids.new("__statusdoc_start__")
        start_attrs = _merge(INITIAL_ATTRS, [("class", "statusdoc-initial")])
        out.append(f"  {dot_id(start)} {_attr_list(start_attrs)};")
        out.append(_edge_line(start, machine.initial, machine.initial_label,
                              [("class", "statusdoc-initial")]))

    out.append("")
    out.append("  // transitions")
    by_rule: dict[int, list[tuple[int, Any]]] = {}
    for index, t in enumerate(machine.transitions):
        by_rule.setdefault(t.rule, []).append((index, t))
    for rule in machine.rules:
        where = f"transitions[{rule.index}]"
        tag_pairs = _tag_attrs(machine, rule.tags, edge_attrs, where)
        if grouped_wildcard(machine, rule):
            if rule.sources:
                out.extend(_wildcard_lines(rule, ids, tag_pairs))
            continue
        pairs = _merge(tag_pairs, [("class", "statusdoc-transition")])
        out.extend(_edge_line(t.source, t.target, t.label, pairs, transition_svg_id(index))
                   for index, t in by_rule.get(rule.index, ()))

    vertical = dict(graph).get("rankdir", "TB").upper() in ("TB", "BT")
    legend = _legend_lines(machine, ids, node_attrs, edge_attrs, vertical)
    if legend:
        out.append("")
        out.extend(legend)
    out.append("}")
    return "\n".join(out) + "\n"


def _wildcard_lines(rule: TransitionRule, ids: _Ids, tag_pairs: Sequence[tuple[str, str]]
                    ) -> list[str]:
    assert rule.target is not None  # grouped_wildcard() draws only rules with a target
    note = ids.new(f"__statusdoc_any_{rule.index}__")
    node = _merge(WILDCARD_NODE_ATTRS, [("class", "statusdoc-wildcard")])
    edge = _merge(WILDCARD_EDGE_ATTRS, tag_pairs, [("class", "statusdoc-wildcard")])
    return [
        f"  {dot_id(note)} {_attr_list(node, WILDCARD_TEXT)};",
        _edge_line(note, rule.target, rule.label, edge, wildcard_svg_id(rule.index)),
    ]


def _legend_lines(machine: Machine, ids: _Ids, node_attrs: frozenset[str],
                  edge_attrs: frozenset[str], vertical: bool) -> list[str]:
    """The legend cluster; in a top-to-bottom graph sample arrows are laid flat."""
    on_states = {t for s in machine.states for t in s.tags}
    on_rules = {t for r in machine.rules for t in r.tags}
    body: list[str] = []
    for tag in machine.tags_in_use:
        style = machine.diagram.tag(tag)
        if style is None or not style.legend:
            continue
        attrs = _checked(style.attrs, f"diagram.tags.{tag}")
        cls = [("class", "statusdoc-legend")]
        if tag in on_rules:
            a = ids.new(f"__statusdoc_legend_{tag}_a__")
            b = ids.new(f"__statusdoc_legend_{tag}_b__")
            point = _merge([("shape", "point"), ("width", "0.05"), ("style", "invis"),
                            ("label", "")], cls)
            body.append(f"    {dot_id(a)} {_attr_list(point)};")
            body.append(f"    {dot_id(b)} {_attr_list(point)};")
            if vertical:
                body.append(f'    {{ rank="same"; {dot_id(a)}; {dot_id(b)}; }}')
            pairs = _merge([(n, v) for n, v in attrs if n in edge_attrs], cls)
            body.append(f"    {dot_id(a)} -> {dot_id(b)} {_attr_list(pairs, style.legend)};")
        if tag in on_states:
            sample = ids.new(f"__statusdoc_legend_{tag}__")
            pairs = _merge([(n, v) for n, v in attrs if n in node_attrs], cls)
            body.append(f"    {dot_id(sample)} {_attr_list(pairs, style.legend)};")
    if not body:
        return []
    cluster = ids.new("cluster_statusdoc_legend")
    head = [
        "  // legend",
        f"  subgraph {dot_id(cluster)} {{",
        "    graph [label=\"Legend\", style=\"rounded,dashed\", color=\"#9E9E9E\", "
        "fontsize=\"10\", margin=\"10\"];",
    ]
    return [*head, *body, "  }"]


# ---------------------------------------------------------------------------
# Glyph coverage of graphviz-pure's bundled fonts
# ---------------------------------------------------------------------------

def font_family(fontname: str) -> str:
    """The graphviz-pure font family that draws ``fontname``.

    Helvetica/Arial/Arimo and other sans names use Arimo; Courier/Cousine and
    monospace names use Cousine; everything else (Times, unknown names —
    graphviz-pure falls back to Times) uses Tinos.
    """
    name = fontname.lower()
    if any(k in name for k in ("courier", "cousine", "mono")):
        return "Cousine"
    if any(k in name for k in ("helvetica", "arial", "arimo", "sans")):
        return "Arimo"
    return "Tinos"


def _drawable(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        return True
    code = ord(ch)
    i = bisect.bisect_right(ranges, (code, 0x10FFFF)) - 1
    return i >= 0 and ranges[i][0] <= code <= ranges[i][1]


def _fontname(*groups: Iterable[tuple[str, str]]) -> str:
    return dict(_merge(*groups)).get("fontname", "Times-Roman")


def unrenderable_labels(machine: Machine) -> list[str]:
    """Labels the default renderer (graphviz-pure) would draw with empty boxes.

    Its bundled fonts (Arimo, Tinos, Cousine; see :mod:`statusdoc.emit.glyphs`)
    have no CJK, emoji or symbols such as ✓✗⚠. Checks the status labels and
    legend texts against the node font, transition and entry labels against
    the edge font; returns each offending text once, in spec order. Suggest
    ``renderer = "dot"`` (system Graphviz with system fonts) to the user.
    """
    from statusdoc.emit.glyphs import COVERAGE

    style = machine.diagram
    node_font = font_family(_fontname(NODE_DEFAULTS, style.node))
    edge_font = font_family(_fontname(EDGE_DEFAULTS, style.edge))
    texts: list[tuple[str, str]] = [(s.label, node_font) for s in machine.states]
    texts.append((machine.initial_label, edge_font))
    texts.extend((r.label, edge_font) for r in machine.rules)
    texts.extend((t.legend, edge_font) for t in style.tags)
    seen: dict[str, None] = {}
    for text, family in texts:
        ranges = COVERAGE[family]
        if text and not all(_drawable(ch, ranges) for ch in text):
            seen[text] = None
    return list(seen)
