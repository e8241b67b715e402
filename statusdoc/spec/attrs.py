"""The Graphviz attributes a spec may set: presentational ones only.

A spec must never make the renderer read a file, follow a link or lay out a
canvas big enough to exhaust memory. So ``[diagram]`` tables accept only the
attributes listed here; everything else is rejected with a reason. Labels
are not styling: they come from the states and transitions themselves.
"""

from __future__ import annotations

import math

from statusdoc.spec.attr_values import GRAMMARS, RANKDIRS, Grammar, grammar_problem

__all__ = [
    "EDGE_ATTRS", "FORBIDDEN", "FORBIDDEN_SHAPES", "GRAMMARS", "GRAPH_ATTRS",
    "MAX_VALUE_LENGTH", "NODE_ATTRS", "RANKDIRS", "TAG_ATTRS", "Grammar", "check_value",
    "format_value",
    "grammar_table",
]

#: Attributes of ``[diagram.graph]`` (and ``[diagram] rankdir``).
GRAPH_ATTRS: frozenset[str] = frozenset({
    "bgcolor", "center", "charset", "clusterrank", "color", "colorscheme", "compound",
    "concentrate", "dpi", "fillcolor", "fontcolor", "fontname", "fontnames", "fontsize",
    "forcelabels", "gradientangle", "labeljust", "labelloc", "landscape", "margin",
    "mclimit", "newrank", "nodesep", "nojustify", "ordering", "orientation", "outputorder",
    "pad", "pencolor", "penwidth", "rankdir", "ranksep", "ratio", "remincross", "rotate",
    "searchsize", "size", "splines", "style",
})

#: Attributes of ``[diagram.node]`` and ``[diagram.final]``.
NODE_ATTRS: frozenset[str] = frozenset({
    "color", "colorscheme", "distortion", "fillcolor", "fixedsize", "fontcolor", "fontname",
    "fontsize", "gradientangle", "group", "height", "labelloc", "margin", "nojustify",
    "orientation", "penwidth", "peripheries", "regular", "shape", "sides", "skew", "style",
    "width",
})

#: Attributes of ``[diagram.edge]``.
EDGE_ATTRS: frozenset[str] = frozenset({
    "arrowhead", "arrowsize", "arrowtail", "color", "colorscheme", "constraint", "decorate",
    "dir", "fillcolor", "fontcolor", "fontname", "fontsize", "headclip", "labelangle",
    "labeldistance", "labelfloat", "labelfontcolor", "labelfontname", "labelfontsize",
    "minlen", "nojustify", "penwidth", "samehead", "sametail", "style", "tailclip", "weight",
})

#: Attributes of ``[diagram.tags.<tag>]``: a tag styles states and transitions alike.
TAG_ATTRS: frozenset[str] = NODE_ATTRS | EDGE_ATTRS

#: Well-known attributes that are refused, with the reason shown to the user.
FORBIDDEN: dict[str, str] = {
    **dict.fromkeys(
        ("image", "imagepath", "imagepos", "imagescale", "fontpath", "shapefile"),
        "makes the renderer read files",
    ),
    "stylesheet": "makes the SVG load an external file",
    **dict.fromkeys(
        ("URL", "href", "target", "edgeURL", "edgehref", "edgetarget", "headURL", "headhref",
         "headtarget", "tailURL", "tailhref", "tailtarget", "labelURL", "labelhref",
         "labeltarget", "tooltip", "edgetooltip", "headtooltip", "tailtooltip",
         "labeltooltip", "id", "class", "comment"),
        "is not presentational (links and metadata are not styling)",
    ),
    **dict.fromkeys(
        ("label", "xlabel", "headlabel", "taillabel"),
        "comes from the spec (set the state's or transition's label instead)",
    ),
    **dict.fromkeys(
        ("layout", "root", "pos", "pin", "notranslate", "sortv", "lp", "bb", "rects",
         "vertices", "xlp", "head_lp", "tail_lp", "ordering_file"),
        "controls layout internals, not style",
    ),
}

#: Shapes that read a file (``epsf``) or a ``shapefile`` (``custom``).
FORBIDDEN_SHAPES: frozenset[str] = frozenset({"epsf", "custom"})

#: Longest attribute value accepted (colour lists and styles are short).
MAX_VALUE_LENGTH = 200


def check_value(name: str, value: object) -> str | None:
    """Why ``value`` is not acceptable for attribute ``name``, or None when it is.

    ``value`` is a str, int, float or bool. Every allow-listed attribute has
    a value grammar (:data:`GRAMMARS`); a name without one is refused. The
    DOT emitter calls this again for every attribute it writes.
    """
    text = format_value(value) if isinstance(value, str | int | float | bool) else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f"{name} must be a finite number"
    if len(text) > MAX_VALUE_LENGTH:
        return f"value too long ({len(text)} characters, at most {MAX_VALUE_LENGTH})"
    if any(ord(ch) < 32 or 127 <= ord(ch) <= 159 for ch in text):
        return "control characters are not allowed in attribute values"
    if name == "shape" and text.strip().lower() in FORBIDDEN_SHAPES:
        return f"shape {text!r} reads a file and is not allowed"
    if name in ("fontname", "labelfontname", "fontnames") and ("/" in text or "\\" in text):
        return "font names must not be file paths"
    return grammar_problem(name, text)


def format_value(value: str | int | float | bool) -> str:
    """The string stored in the model for an attribute value (bools lowercased)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def grammar_table() -> list[tuple[str, str, str]]:
    """``(attribute, where it may be set, accepted values)`` for every allow-listed
    attribute, sorted by name: the table in the spec reference is built from it."""
    places = (("graph", GRAPH_ATTRS), ("node", NODE_ATTRS), ("edge", EDGE_ATTRS))
    return [
        (name, ", ".join(where for where, names in places if name in names),
         GRAMMARS[name].reference())
        for name in sorted(GRAPH_ATTRS | NODE_ATTRS | EDGE_ATTRS)
    ]
