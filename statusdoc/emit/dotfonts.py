"""Glyph coverage of graphviz-pure's bundled fonts: which diagram texts it cannot draw."""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable

from statusdoc.emit.dotstyle import EDGE_DEFAULTS, GRAPH_DEFAULTS, NODE_DEFAULTS
from statusdoc.spec.model import Machine

__all__ = ["font_family", "unrenderable_labels"]


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
    merged: dict[str, str] = {}
    for group in groups:
        merged.update(group)
    return merged.get("fontname", "Times-Roman")


def unrenderable_labels(machine: Machine) -> list[str]:
    """Texts of the diagram the default renderer (graphviz-pure) would draw with empty boxes.

    Its bundled fonts (Arimo, Tinos, Cousine; see :mod:`statusdoc.emit.glyphs`)
    have no CJK, emoji or symbols such as ✓✗⚠. Checks the status labels,
    scope notes and legend texts against the node font, group titles against
    the graph font, arrow labels (entries, transitions with their guards)
    against the edge font; returns each offending text once, in drawing
    order. Suggest ``renderer = "dot"`` (system Graphviz with system fonts)
    to the user.
    """
    from statusdoc.emit.dotplan import drawing
    from statusdoc.emit.glyphs import COVERAGE

    style = machine.diagram
    node_font = font_family(_fontname(NODE_DEFAULTS, style.node))
    edge_font = font_family(_fontname(EDGE_DEFAULTS, style.edge))
    graph_font = font_family(_fontname(GRAPH_DEFAULTS, style.graph))
    plan = drawing(machine)
    texts: list[tuple[str, str]] = [(s.label, node_font) for s in machine.states]
    texts.extend((a.label, edge_font) for a in plan.arrows)
    texts.extend((h.label, node_font) for h in plan.helpers)
    texts.extend((g.title, graph_font) for g in machine.groups)
    texts.extend((t.legend, edge_font) for t in style.tags)
    seen: dict[str, None] = {}
    for text, family in texts:
        ranges = COVERAGE[family]
        if text and not all(_drawable(ch, ranges) for ch in text):
            seen[text] = None
    return list(seen)
