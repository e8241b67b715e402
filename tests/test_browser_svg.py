"""The standalone SVG of a hostile spec, hovered and clicked in headless Chromium.

Issue 13, items 3 and 7 (acceptance: "a browser test opens ... the
standalone SVG of a hostile spec ... no dialog fires and no navigation
happens while hovering and clicking every element").

1. A Machine built by hand, bypassing validation, with every diagram style
   field carrying quotes and event handlers: the DOT emitter refuses it;
   with the emitter's check switched off, the render layer refuses the SVG
   graphviz writes for it. Nothing hostile reaches a file.
2. The control: the SVG graphviz-pure writes for that DOT, opened as is,
   does fire a dialog when hovered, so this browser harness can see an
   attack (the test would fail if the checks let such an SVG through).
3. A spec that validation accepts but whose every text field (names,
   labels, title, legend, entry label) carries markup, quotes, event
   handlers and ``javascript:`` URLs: statusdoc renders it, and hovering
   and clicking every element of the SVG in Chromium fires no dialog, no
   navigation and no request.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from browser_support import Watched
from browser_support import exercise as browser_exercise
from test_browser import browser  # noqa: F401 - the shared Chromium fixture

from statusdoc import loads
from statusdoc.emit import dot as dot_emitter
from statusdoc.emit.dot import UnsafeAttributeError, emit_dot
from statusdoc.errors import RenderError
from statusdoc.render import ENV_COMMAND, render
from statusdoc.spec.model import TagStyle

pytestmark = pytest.mark.browser
REAL = str(Path(sys.executable).parent / "graphviz-pure")

HANDLER = 'x" onmouseover="alert(document.domain)" onclick="alert(1)'
HOSTILE_SPEC = r"""
[machine]
name = "hostile"
title = "T\" onmouseover=\"alert(1)"
initial = "a"
initial_label = "<img src=x onerror=alert(1)>"

[states.a]
label = "\" onmouseover=\"alert('a')\" x=\""
[states."b<script>alert(1)</script>"]
label = "javascript:alert(document.domain)//"
[states."c' onclick='alert(1)"]
label = "<a href=\"javascript:alert(1)\">x</a>"
tags = ["t"]
final = true

[[transitions]]
from = "a"
to = "b<script>alert(1)</script>"
label = "]]><script>alert(2)</script>"
event = "go"
tags = ["t"]

[[transitions]]
from = "b<script>alert(1)</script>"
to = "c' onclick='alert(1)"
label = "&lt;svg onload=alert(1)&gt; &#x3C; data:text/html,<script>alert(4)</script>"

[diagram.tags.t]
style = "dashed"
legend = "\" onload=\"alert(3)"
"""

@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


def hostile_machine() -> Any:
    """A valid machine whose every style table is then filled with handlers, unchecked."""
    machine = loads(HOSTILE_SPEC)
    pairs = (("fontname", HANDLER), ("color", HANDLER), ("fillcolor", HANDLER),
             ("style", HANDLER))
    diagram = dataclasses.replace(
        machine.diagram, graph=(("bgcolor", HANDLER), ("fontname", HANDLER)), node=pairs,
        edge=(("fontname", HANDLER), ("color", HANDLER), ("arrowhead", HANDLER)), final=pairs,
        tags=(TagStyle("t", pairs, legend="legend"),),
    )
    return dataclasses.replace(machine, diagram=diagram)


def exercise(chromium: Any, svg_path: Path) -> Watched:
    """Open ``svg_path`` alone; hover, click and Tab through everything (browser_support)."""
    seen = browser_exercise(chromium, svg_path.as_uri(), scope="svg", svg="svg")
    assert seen.counts["svg elements"] > 10
    return seen


def test_hostile_styles_are_refused_by_the_emitter_and_the_render_layer(
    browser: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path  # noqa: F811
) -> None:
    machine = hostile_machine()
    with pytest.raises(UnsafeAttributeError, match="must be"):
        emit_dot(machine, source_name="hostile.toml")

    # An emitter without its check (a Machine nobody validated, written out anyway):
    monkeypatch.setattr(dot_emitter, "_checked", lambda pairs, where: list(pairs))
    dot = emit_dot(machine, source_name="hostile.toml")
    assert "onmouseover" in dot
    with pytest.raises(RenderError, match="unsafe SVG"):
        render(dot, "svg", spec="hostile.toml")
    with pytest.raises(RenderError, match="unsafe SVG"):
        render(dot, "png", spec="hostile.toml")

    # The control: graphviz writes what it was given. (Only the font names carry
    # the handler here: several attributes of one element injecting the same
    # handler make the XML ill-formed, and Chromium stops reading at the error.)
    fonts = [("fontname", HANDLER)]
    only_fonts = dataclasses.replace(machine, diagram=dataclasses.replace(
        machine.diagram, graph=fonts, node=fonts, edge=fonts, final=(), tags=()))
    dot = emit_dot(only_fonts, source_name="hostile.toml")
    with pytest.raises(RenderError, match="unsafe SVG: event handler attribute"):
        render(dot, "svg", spec="hostile.toml")
    raw = subprocess.run([REAL, "-Tsvg"], input=dot.encode(), capture_output=True,
                         env={"SERVER_NAME": "statusdoc"}, check=True).stdout
    assert b'font-family="x" onmouseover="alert(document.domain)"' in raw
    unchecked = tmp_path / "unchecked.svg"
    unchecked.write_bytes(raw)
    assert exercise(browser, unchecked).dialogs, "the harness saw no attack"


def test_svg_of_a_spec_full_of_markup_is_inert_in_chromium(
    browser: Any, tmp_path: Path  # noqa: F811
) -> None:
    machine = loads(HOSTILE_SPEC)
    svg = render(emit_dot(machine, source_name="hostile.toml"), "svg", spec="hostile.toml")
    path = tmp_path / "hostile.svg"
    path.write_bytes(svg)
    seen = exercise(browser, path)
    assert (seen.dialogs, seen.popups, seen.navigations, seen.requests, seen.errors) == (
        [], [], [], [], [])
    # every label is drawn, as text
    texts = {t.text for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")}
    assert {s.label for s in machine.states} <= texts
    assert {r.label for r in machine.rules} <= texts
