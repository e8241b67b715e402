"""Value grammars of the diagram attributes (issue 13, item 3).

Graphviz copies some attribute values verbatim into the SVG it writes (a
font name lands in ``font-family="..."``, a colour name in ``fill="..."``),
so a value is safe only when it matches the grammar of its attribute.
"""

from __future__ import annotations

import dataclasses

import pytest

from statusdoc import loads
from statusdoc.emit.dot import UnsafeAttributeError, emit_dot
from statusdoc.emit.dotstyle import (
    EDGE_DEFAULTS,
    FINAL_DEFAULTS,
    GRAPH_DEFAULTS,
    INITIAL_ATTRS,
    NODE_DEFAULTS,
    WILDCARD_EDGE_ATTRS,
    WILDCARD_NODE_ATTRS,
)
from statusdoc.spec import attrs
from statusdoc.spec.api import validate_text

ALL = sorted(attrs.GRAPH_ATTRS | attrs.NODE_ATTRS | attrs.EDGE_ATTRS)

BASE = """\
[machine]
name = "door"
title = "Door"
initial = "closed"

[states.closed]
[states.open]
final = true

[[transitions]]
from = "closed"
to = "open"
"""

#: Shapes of injection that reproduced issue 13: quotes that end the SVG
#: attribute, XML brackets, entity references, a line break.
INJECTIONS = [
    'Arial" onmouseover="alert(document.domain)',
    "Arial' onmouseover='alert(1)",
    "] ; q [",
    "a<script>alert(1)</script>",
    "red&amp;",
    "x\u2028y",
    'red;0.5:blue" onclick="x',
]


def test_every_allowed_attribute_has_a_grammar() -> None:
    assert set(ALL) <= set(attrs.GRAMMARS), set(ALL) - set(attrs.GRAMMARS)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_shapes_are_refused_for_every_attribute(name: str, value: str) -> None:
    problem = attrs.check_value(name, value)
    assert problem is not None, (name, value)
    assert name in problem or "font names" in problem, problem


@pytest.mark.parametrize(("name", "value"), [
    *GRAPH_DEFAULTS, *NODE_DEFAULTS, *EDGE_DEFAULTS, *FINAL_DEFAULTS,
    *[(n, v) for n, v in INITIAL_ATTRS if n != "label"],
    *WILDCARD_NODE_ATTRS, *WILDCARD_EDGE_ATTRS,
])
def test_the_emitters_own_defaults_pass_the_grammars(name: str, value: str) -> None:
    assert attrs.check_value(name, value) is None


@pytest.mark.parametrize(("name", "value"), [
    ("fontname", "Helvetica"),
    ("fontname", "DejaVu Sans Mono"),
    ("fontname", "Helvetica-Bold"),
    ("fontname", "Noto Sans, Bold"),
    ("labelfontname", "Courier"),
    ("fontnames", "svg"),
    ("color", "red"),
    ("color", "Red"),
    ("color", "lightblue2"),
    ("color", "#3C6E9F"),
    ("color", "#f00"),
    ("color", "#ff000080"),
    ("color", "0.650 0.700 0.700"),
    ("color", "0.65,0.7,0.7"),
    ("color", "/blues9/3"),
    ("color", "3"),
    ("color", "red:blue"),
    ("fillcolor", "red;0.3:blue"),
    ("bgcolor", "transparent"),
    ("fontcolor", "#2B2B2B"),
    ("colorscheme", "blues9"),
    ("style", "rounded,filled"),
    ("style", "rounded, filled, dashed"),
    ("style", "invis"),
    ("style", "tapered"),
    ("shape", "box"),
    ("shape", "Mdiamond"),
    ("shape", "doublecircle"),
    ("shape", "none"),
    ("shape", "Mrecord"),
    ("arrowhead", "normal"),
    ("arrowhead", "onormal"),
    ("arrowhead", "lteeoldiamond"),
    ("arrowtail", "invodot"),
    ("arrowhead", "empty"),
    ("dir", "both"),
    ("fixedsize", "shape"),
    ("fixedsize", True),
    ("regular", "false"),
    ("center", "yes"),
    ("constraint", 0),
    ("splines", "ortho"),
    ("splines", "true"),
    ("ratio", "fill"),
    ("ratio", 0.5),
    ("labeljust", "l"),
    ("labelloc", "t"),
    ("ordering", "out"),
    ("outputorder", "edgesfirst"),
    ("clusterrank", "local"),
    ("charset", "UTF-8"),
    ("orientation", 30),
    ("orientation", "landscape"),
    ("rotate", 90),
    ("group", "main_line"),
    ("samehead", "h1"),
    ("gradientangle", 90),
    ("peripheries", 2),
    ("sides", 5),
    ("weight", 3),
    ("minlen", 2),
    ("searchsize", 30),
    ("skew", -0.5),
    ("distortion", 0.3),
    ("labelangle", -25.5),
    ("labeldistance", 2),
    ("mclimit", 1.5),
    ("penwidth", 1.5),
    ("fontsize", 1e1),
    ("margin", "0.2,0.08"),
])
def test_ordinary_values_are_accepted(name: str, value: object) -> None:
    assert attrs.check_value(name, value) is None, attrs.check_value(name, value)


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("fontname", "Arial\" x=\"", "fontname must be a font name"),
    ("fontname", "Arial;", "fontname must be a font name"),
    ("fontnames", "svgx", "fontnames must be one of"),
    ("color", "#f00a", "color must be a colour"),
    ("color", "red:", "color must be a colour"),
    ("color", "red;2", "color must be a colour"),
    ("fontcolor", "red:blue", "fontcolor must be a colour"),
    ("color", "url(#x)", "color must be a colour"),
    ("style", "filled,", "style must be"),
    ("style", "setlinewidth(1e9)", "style must be"),
    ("style", "sparkly", "style must be"),
    ("shape", "boxx", "shape must be a Graphviz shape name"),
    ("shape", "BOX", "shape must be a Graphviz shape name"),
    ("arrowhead", "normalx", "arrowhead must be an arrow type"),
    ("dir", "sideways", "dir must be one of"),
    ("fixedsize", "maybe", "fixedsize must be"),
    ("center", "sure", "center must be a boolean"),
    ("peripheries", "2.5", "peripheries must be a whole number"),
    ("weight", 1.5, "weight must be a whole number"),
    ("searchsize", 10**9, "searchsize must be between"),
    ("skew", "1e999", "skew must be"),
    ("orientation", "sideways", "orientation must be"),
    ("group", "a b\"", "group must be a name"),
    ("colorscheme", "x11;", "colorscheme must be a colour scheme name"),
    ("labeljust", "left", "labeljust must be one of"),
    ("charset", "ebcdic", "charset must be one of"),
])
def test_values_outside_the_grammar_are_refused_with_the_grammar(
    name: str, value: object, problem: str
) -> None:
    found = attrs.check_value(name, value)
    assert found is not None and problem in found, found
    assert repr(str(value)) in found or "between" in found, found


def test_validation_reports_the_injected_font_name_at_its_line() -> None:
    text = BASE + '\n[diagram.node]\nfontname = "Arial\\" onmouseover=\\"alert(document.domain)"\n'
    report = validate_text(text, "toml", filename="spec.toml")
    assert report.machine is None
    [problem] = report.errors
    assert problem.line == text.count("\n")
    assert problem.message.startswith("fontname must be a font name")


def _hostile(name: str, value: str, table: str) -> object:
    machine = loads(BASE)
    diagram = dataclasses.replace(machine.diagram, **{table: ((name, value),)})
    return dataclasses.replace(machine, diagram=diagram)


@pytest.mark.parametrize(("table", "name"), [
    ("node", "fontname"), ("edge", "color"), ("graph", "bgcolor"), ("final", "style"),
])
def test_the_dot_emitter_rechecks_values_of_a_machine_built_by_hand(table: str, name: str) -> None:
    machine = _hostile(name, 'x" onmouseover="alert(1)', table)
    with pytest.raises(UnsafeAttributeError, match=f"diagram.{table}: {name} must be"):
        emit_dot(machine, source_name="m.toml")


def test_the_dot_emitter_refuses_attribute_names_off_the_allow_list() -> None:
    machine = _hostile("onmouseover", "alert(1)", "node")
    with pytest.raises(UnsafeAttributeError, match="'onmouseover' is not allowed"):
        emit_dot(machine, source_name="m.toml")
