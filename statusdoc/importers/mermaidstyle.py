"""statusdoc's classes and styles in Mermaid, read back: which ``classDef`` styles
become Graphviz attributes of the imported spec's ``[diagram]`` (for
:mod:`statusdoc.importers.mermaid`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from statusdoc.emit.mermaid import CLASSDEF_PROPERTIES, DASH_PATTERNS, DEPRECATED_STYLE
from statusdoc.importers.common import Imported
from statusdoc.importers.mermaidsyntax import Diagram

__all__ = ["DEPRECATED_CLASS", "HISTORY_CLASS", "MEANING_CLASSES", "WILDCARD_CLASS",
           "import_styles", "joined"]

#: The class statusdoc's own Mermaid gives its "any non-final status" pseudo-states.
WILDCARD_CLASS = "statusdoc_wildcard"
#: The class of its "previous status" pseudo-states (one per ``return = true`` rule).
HISTORY_CLASS = "statusdoc_history"
#: The class that marks a deprecated status (statusdoc draws it grey and dashed).
DEPRECATED_CLASS = "deprecated"
#: Classes that say what a state is rather than tag it.
MEANING_CLASSES = frozenset({WILDCARD_CLASS, HISTORY_CLASS, DEPRECATED_CLASS})
_NUMBER_RE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(?:px)?")
_COLOR_RE = re.compile(r"#([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})|[A-Za-z]+")
_PROPERTY_ATTRS = {prop: attr for attr, prop in CLASSDEF_PROPERTIES.items()}
_DASH_STYLES = {" ".join(pattern.split(":", 1)[1].split()): style
                for style, pattern in DASH_PATTERNS.items()}


def _css_attrs(css: str) -> tuple[dict[str, str], list[str]]:
    """Graphviz attributes for Mermaid ``classDef`` styles, and the styles left over."""
    attrs: dict[str, str] = {}
    rest: list[str] = []
    for item in re.split(r"[,;]", css):
        prop, colon, value = (part.strip() for part in item.partition(":"))
        value = " ".join(value.split())
        attr = _PROPERTY_ATTRS.get(prop.lower()) if colon else None
        if attr == "penwidth" and (number := _NUMBER_RE.fullmatch(value)):
            attrs[attr] = number.group(1)
        elif attr and attr != "penwidth" and _COLOR_RE.fullmatch(value):
            short = value.startswith("#") and len(value) == 4
            attrs[attr] = "#" + "".join(c * 2 for c in value[1:]) if short else value
        elif prop.lower() == "stroke-dasharray" and value in _DASH_STYLES:
            attrs["style"] = _DASH_STYLES[value]
        elif item.strip():
            rest.append(item.strip())
    return attrs, rest


def import_styles(diagram: Diagram, result: Imported, names: dict[str, str]) -> None:
    """The ``classDef`` styles of ``diagram`` as the imported spec's node and tag styles."""
    used = {c for st in diagram.states.values() for c in st.classes}
    tag_styles: dict[str, dict[str, str]] = {}
    for cls, (css, line) in diagram.class_defs.items():
        if cls in (WILDCARD_CLASS, HISTORY_CLASS):
            continue  # statusdoc's own look for its pseudo-states
        if cls == DEPRECATED_CLASS:
            if " ".join(css.split()) != DEPRECATED_STYLE:
                result.note(f"line {line}: classDef {cls} not imported: statusdoc draws "
                            "deprecated statuses its own way")
            continue
        attrs, rest = _css_attrs(css)
        if rest:
            result.note(f"line {line}: classDef {cls}: {joined(rest)} not imported "
                        "(no Graphviz attribute statusdoc carries)")
        if cls == "default":
            if attrs:
                result.diagram["node"] = attrs
        elif cls not in used:
            result.note(f"line {line}: classDef {cls} not imported: no state has the class")
        elif attrs:
            tag_styles[cls] = attrs
    if tag_styles:
        result.diagram["tags"] = {t: tag_styles[t] for t in sorted(tag_styles)}


def joined(items: Iterable[str]) -> str:
    """``'a', 'b'``: items quoted for a note."""
    return ", ".join(repr(item) for item in items)
