"""The Graphviz attributes a spec may set: presentational ones only.

A spec must never make the renderer read a file, follow a link or lay out a
canvas big enough to exhaust memory. So ``[diagram]`` tables accept only the
attributes listed here; everything else is rejected with a reason. Labels
are not styling: they come from the states and transitions themselves.
"""

from __future__ import annotations

import math

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

#: Numeric caps: huge values make the renderer allocate gigabytes.
NUMERIC_LIMITS: dict[str, tuple[float, float]] = {
    "dpi": (1, 300),
    "fontsize": (1, 144),
    "labelfontsize": (1, 144),
    "width": (0, 50),
    "height": (0, 50),
    "penwidth": (0, 50),
    "arrowsize": (0, 10),
    "peripheries": (0, 10),
    "sides": (3, 100),
    "nodesep": (0, 20),
    "ranksep": (0, 20),
    "minlen": (0, 100),
    "weight": (0, 1000),
}

RANKDIRS: tuple[str, ...] = ("TB", "LR", "BT", "RL")

#: Longest attribute value accepted (colour lists and styles are short).
MAX_VALUE_LENGTH = 200


def check_value(name: str, value: object) -> str | None:
    """Why ``value`` is not acceptable for attribute ``name``, or None when it is.

    ``value`` has already been type-checked (str, int, float or bool).
    """
    text = str(value).lower() if isinstance(value, bool) else str(value)
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
    if name == "rankdir" and text not in RANKDIRS:
        return f"rankdir must be one of {', '.join(RANKDIRS)} (got {text!r})"
    if name in ("size", "pad", "margin"):
        return _check_pair(name, text)
    limits = NUMERIC_LIMITS.get(name)
    if limits is not None:
        try:
            number = float(text)
        except ValueError:
            return f"{name} must be a number (got {text!r})"
        low, high = limits
        if not (low <= number <= high) or not math.isfinite(number):
            return f"{name} must be between {low:g} and {high:g} (got {text})"
    return None


def _check_pair(name: str, text: str) -> str | None:
    """``size``/``pad``/``margin``: one or two numbers (``size`` may end in '!')."""
    body = text[:-1] if name == "size" and text.endswith("!") else text
    high = 100.0 if name == "size" else 10.0
    parts = body.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if not 1 <= len(numbers) <= 2 or len(numbers) != len(parts):
        return f"{name} must be one or two numbers like '1.5' or '1.5,2' (got {text!r})"
    if not all(math.isfinite(n) and 0 <= n <= high for n in numbers):
        return f"{name} values must be between 0 and {high:g} inches (got {text!r})"
    return None


def format_value(value: str | int | float | bool) -> str:
    """The string stored in the model for an attribute value (bools lowercased)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
