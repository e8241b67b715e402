"""Value grammars of the diagram attributes a spec may set.

Graphviz copies some values verbatim into the SVG it writes: a font name
lands in ``font-family="..."``, a colour name in ``fill="..."``, unescaped.
So quoting a value in the DOT is not enough; each allow-listed attribute
accepts only the values of its Graphviz type, and none of those types can
hold a quote, ``<``, ``>``, ``&``, ``;`` outside a colour weight, or a
control character. :data:`GRAMMARS` maps every attribute name to its
:class:`Grammar`; :func:`statusdoc.spec.attrs.check_value` applies it.

Every check is a fixed regular expression without nested repetition, or a
split on a separator, over a value of at most 200 characters: linear time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(_NUMBER)
_INTEGER_RE = re.compile(r"[+-]?\d+")
_FONT_RE = re.compile(r"[A-Za-z][A-Za-z0-9 ,-]*")
_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_UNIT = r"(?:\d+(?:\.\d*)?|\.\d+)"
_COLOUR_RE = re.compile(
    r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})"  # #rgb, #rrggbb, #rrggbbaa
    r"|[A-Za-z0-9]+"  # a name (red, lightblue2) or a number in the colorscheme
    r"|/[A-Za-z0-9]*/[A-Za-z0-9]+"  # /scheme/name
    rf"|{_UNIT}(?:[ ,]+{_UNIT}){{2,3}}"  # H S V or H,S,V (and alpha)
)
_WEIGHT_RE = re.compile(_UNIT)

SHAPES: tuple[str, ...] = (
    "box", "polygon", "ellipse", "record", "Mrecord", "oval", "circle", "point", "egg",
    "triangle", "plaintext",
    "plain", "diamond", "trapezium", "parallelogram", "house", "pentagon", "hexagon",
    "septagon", "octagon", "doublecircle", "doubleoctagon", "tripleoctagon", "invtriangle",
    "invtrapezium", "invhouse", "Mdiamond", "Msquare", "Mcircle", "rect", "rectangle",
    "square", "star", "none", "underline", "cylinder", "note", "tab", "folder", "box3d",
    "component", "promoter", "cds", "terminator", "utr", "primersite", "restrictionsite",
    "fivepoverhang", "threepoverhang", "noverhang", "assembly", "signature", "insulator",
    "ribosite", "rnastab", "proteasesite", "proteinstab", "rpromoter", "rarrow", "larrow",
    "lpromoter",
)
STYLES: tuple[str, ...] = (
    "filled", "invisible", "invis", "diagonals", "rounded", "dashed", "dotted", "solid",
    "bold", "striped", "wedged", "radial", "tapered",
)
ARROW_SHAPES: tuple[str, ...] = (
    "box", "crow", "curve", "icurve", "diamond", "dot", "inv", "none", "normal", "tee", "vee",
)
#: Arrow names Graphviz still accepts from older versions.
ARROW_SYNONYMS: tuple[str, ...] = ("ediamond", "open", "halfopen", "empty", "invempty")
_ARROW_RE = re.compile(
    r"(?:o?[lr]?(?:" + "|".join(ARROW_SHAPES) + r")){1,4}"
)
RANKDIRS: tuple[str, ...] = ("TB", "LR", "BT", "RL")
BOOLEANS = "true, false, yes, no or a whole number"
_BOOL_RE = re.compile(r"(?i:true|false|yes|no)|\d+")


@dataclass(frozen=True, slots=True)
class Grammar:
    """The values one attribute accepts: a test and the words that describe it."""

    #: What the value must be, completing "<name> must be ...".
    summary: str
    accepts: Callable[[str], bool]
    #: Inclusive numeric range, checked after ``accepts`` (numbers only).
    limits: tuple[float, float] | None = None
    #: Range check of its own, ``(name, text) -> problem``, run after ``accepts``.
    in_range: Callable[[str, str], str | None] | None = None
    #: Every accepted word, when the summary does not list them all (for the docs).
    words: tuple[str, ...] = ()
    #: What the docs say before the word list (default: the summary).
    lead: str = ""

    def reference(self) -> str:
        """The full description shown in the spec reference."""
        text = self.lead or self.summary
        if self.limits is not None:
            text += f" from {self.limits[0]:g} to {self.limits[1]:g}"
        if self.words:
            text += ": " + ", ".join(self.words)
        return text


def _full(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda text: pattern.fullmatch(text) is not None


def _one_of(words: tuple[str, ...], *, fold: bool = False, summary: str = "",
            lead: str = "") -> Grammar:
    allowed = frozenset(w.lower() for w in words) if fold else frozenset(words)

    def accepts(text: str) -> bool:
        return (text.lower() if fold else text) in allowed

    if summary:
        return Grammar(summary, accepts, words=words, lead=lead)
    return Grammar("one of " + ", ".join(words), accepts)


def _colour_list(text: str) -> bool:
    """``C(;W)?(:C(;W)?)*``: weighted colours (weights 0 to 1), Graphviz's colorList."""
    for item in text.split(":"):
        colour, sep, weight = item.partition(";")
        if not _COLOUR_RE.fullmatch(colour):
            return False
        if sep and not (_WEIGHT_RE.fullmatch(weight) and float(weight) <= 1):
            return False
    return True


def _style_list(text: str) -> bool:
    return all(word.strip() in STYLES for word in text.split(","))


def _bool_or(*words: str) -> Grammar:
    extra = frozenset(words)
    return Grammar(
        f"{BOOLEANS}, or " + ", ".join(words),
        lambda text: text in extra or _BOOL_RE.fullmatch(text) is not None,
    )


def number(low: float, high: float) -> Grammar:
    """A decimal number between ``low`` and ``high``."""
    return Grammar("a number", _full(_NUMBER_RE), (low, high))


def integer(low: int, high: int) -> Grammar:
    """A whole number between ``low`` and ``high``."""
    return Grammar("a whole number", _full(_INTEGER_RE), (low, high))


BOOLEAN = Grammar(f"a boolean ({BOOLEANS})", _full(_BOOL_RE))
COLOUR = Grammar(
    "a colour (a name such as red or lightblue2, #rgb, #rrggbb, #rrggbbaa, "
    "'H S V' numbers, or /scheme/name)",
    _full(_COLOUR_RE),
)
COLOUR_LIST = Grammar(
    f"{COLOUR.summary[:-1]}; or a list such as red:blue or red;0.3:blue)", _colour_list
)
FONT = Grammar("a font name (letters, digits, spaces, '-' and ',')", _full(_FONT_RE))
NAME = Grammar("a name (letters, digits, '_', '.' and '-')", _full(_NAME_RE))
STYLE = Grammar("a comma-separated list of " + ", ".join(STYLES), _style_list)
ARROW = Grammar(
    "an arrow type (up to four of " + ", ".join(ARROW_SHAPES)
    + ", each optionally prefixed by o and l or r; or " + ", ".join(ARROW_SYNONYMS) + ")",
    lambda text: text in ARROW_SYNONYMS or _ARROW_RE.fullmatch(text) is not None,
)


def _orientation(text: str) -> bool:
    if text in ("landscape", "portrait"):
        return True
    return _NUMBER_RE.fullmatch(text) is not None and 0 <= float(text) <= 360


def _ratio(text: str) -> bool:
    if text in ("fill", "compress", "expand", "auto"):
        return True
    return _NUMBER_RE.fullmatch(text) is not None and 0.01 <= float(text) <= 100


def _pair(high: float, *, bang: bool = False) -> Grammar:
    """``size``/``pad``/``margin``: one or two numbers (``size`` may end in '!')."""

    def body(text: str) -> str:
        return text[:-1] if bang and text.endswith("!") else text

    def accepts(text: str) -> bool:
        parts = body(text).split(",")
        return len(parts) <= 2 and all(_NUMBER_RE.fullmatch(part) for part in parts)

    def in_range(name: str, text: str) -> str | None:
        if all(0 <= float(n) <= high for n in body(text).split(",")):
            return None
        return f"{name} values must be between 0 and {high:g} inches (got {text!r})"

    summary = (f"one or two numbers from 0 to {high:g} (inches) like '1.5' or '1.5,2'"
               + (", optionally ending in '!'" if bang else ""))
    return Grammar(summary, accepts, in_range=in_range)

#: The grammar of every allow-listed attribute.
GRAMMARS: dict[str, Grammar] = {
    **dict.fromkeys(("bgcolor", "color", "fillcolor"), COLOUR_LIST),
    **dict.fromkeys(("fontcolor", "labelfontcolor", "pencolor"), COLOUR),
    **dict.fromkeys(("fontname", "labelfontname"), FONT),
    **dict.fromkeys(("group", "samehead", "sametail"), NAME),
    **dict.fromkeys(("arrowhead", "arrowtail"), ARROW),
    "size": _pair(100, bang=True),
    **dict.fromkeys(("pad", "margin"), _pair(10)),
    **dict.fromkeys(
        ("center", "compound", "concentrate", "forcelabels", "landscape", "newrank",
         "nojustify", "remincross", "regular", "constraint", "decorate", "headclip",
         "labelfloat", "tailclip"),
        BOOLEAN,
    ),
    "fontnames": _one_of(("svg", "ps", "gd")),
    "charset": _one_of(("UTF-8", "utf8", "latin1", "latin-1", "l1", "ISO-8859-1",
                        "big-5", "big5"), fold=True),
    "clusterrank": _one_of(("local", "global", "none")),
    "colorscheme": Grammar("a colour scheme name (letters, then letters and digits)",
                           _full(_SCHEME_RE)),
    "labeljust": _one_of(("l", "r", "c")),
    "labelloc": _one_of(("t", "b", "c")),
    "ordering": _one_of(("in", "out")),
    "outputorder": _one_of(("breadthfirst", "nodesfirst", "edgesfirst")),
    "rankdir": _one_of(RANKDIRS),
    "dir": _one_of(("forward", "back", "both", "none")),
    "shape": _one_of(SHAPES, summary="a Graphviz shape name such as box, ellipse, circle, "
                     "note or Mdiamond (all are listed in the spec reference)",
                     lead="a Graphviz shape name"),
    "style": STYLE,
    "splines": _bool_or("none", "line", "polyline", "curved", "ortho", "spline", "compound"),
    "fixedsize": _bool_or("shape"),
    "ratio": Grammar("fill, compress, expand, auto or a number from 0.01 to 100", _ratio),
    "orientation": Grammar("landscape, portrait or an angle from 0 to 360", _orientation),
    "dpi": number(1, 300),
    "fontsize": number(1, 144),
    "labelfontsize": number(1, 144),
    "width": number(0, 50),
    "height": number(0, 50),
    "penwidth": number(0, 50),
    "arrowsize": number(0, 10),
    "nodesep": number(0, 20),
    "ranksep": number(0, 20),
    "mclimit": number(0, 100),
    "distortion": number(-100, 100),
    "skew": number(-100, 100),
    "labelangle": number(-360, 360),
    "labeldistance": number(0, 100),
    "peripheries": integer(0, 10),
    "sides": integer(3, 100),
    "minlen": integer(0, 100),
    "weight": integer(0, 1000),
    "searchsize": integer(1, 1000),
    "rotate": integer(0, 360),
    "gradientangle": integer(-360, 360),
}


def grammar_problem(name: str, text: str) -> str | None:
    """Why ``text`` does not match the grammar of attribute ``name`` (None when it does)."""
    grammar = GRAMMARS.get(name)
    if grammar is None:
        return f"attribute {name!r} is not allowed in a diagram"
    if not grammar.accepts(text):
        return f"{name} must be {grammar.summary} (got {text!r})"
    if grammar.in_range is not None:
        return grammar.in_range(name, text)
    if grammar.limits is not None:
        low, high = grammar.limits
        value = float(text)
        if not (math.isfinite(value) and low <= value <= high):
            return f"{name} must be between {low:g} and {high:g} (got {text})"
    return None
