"""Every rendered SVG is parsed and refused when it could run script or navigate.

Issue 13, item 3: whatever made the SVG (graphviz-pure, system dot, a
``command:`` renderer), statusdoc publishes it only when it is well-formed
XML with no ``<script>``, no ``on*`` attribute, no ``<foreignObject>`` and
no link whose scheme is not http, https, mailto or a fragment.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from statusdoc.errors import RenderError
from statusdoc.render import ENV_COMMAND, render, render_many
from statusdoc.svgcheck import UnsafeSVGError, check_svg, parse_svg

FAKES = Path(__file__).parent / "fakes"
REAL = str(Path(sys.executable).parent / "graphviz-pure")
DOT = 'digraph "m" {\n  "queued" -> "saving" [label="upload"];\n}\n'

HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
)
OPEN = (
    '<svg width="10pt" height="10pt" xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink">'
)


def svg(body: str, *, head: str = HEAD, open_tag: str = OPEN) -> bytes:
    return (head + open_tag + body + "</svg>\n").encode()


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


@pytest.mark.parametrize("body", [
    "",
    '<g id="a" class="node"><title>a</title><text font-family="Arial">a&#45;&gt;b</text></g>',
    '<a xlink:href="https://example.org/x?y=1" xlink:title="t"><text>x</text></a>',
    '<a href="mailto:a@example.org"><text>x</text></a>',
    '<a xlink:href="#node1"><text>x</text></a>',
    '<defs><linearGradient id="l"><stop offset="0" style="stop-color:red;"/></linearGradient>'
    '</defs><polygon fill="url(#l)" points="0,0 1,1"/>',
    "<!-- a comment with <script> in it is no element -->",
    "<text><![CDATA[<script>alert(1)</script>]]></text>",
])
def test_ordinary_svg_passes(body: str) -> None:
    check_svg(svg(body))


SCRIPTING = [
    ("<script>alert(1)</script>", "<script> element"),
    ('<script xlink:href="https://evil.example/x.js"/>', "<script> element"),
    ('<g><svg:script xmlns:svg="http://www.w3.org/2000/svg">x</svg:script></g>',
     "<script> element"),
    ('<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>',
     "<script> element"),
    ('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
     "<foreignObject> element"),
    ('<text onmouseover="alert(document.domain)">a</text>', "event handler attribute"),
    ('<g ONCLICK="alert(1)"/>', "event handler attribute"),
    ('<a xlink:href="javascript:alert(1)"><text>x</text></a>', "link scheme"),
    ('<a href=" JavaScript:alert(1)"><text>x</text></a>', "link scheme"),
    ('<a href="java&#9;script:alert(1)"><text>x</text></a>', "link scheme"),
    ('<a href="&#106;avascript:alert(1)"><text>x</text></a>', "link scheme"),
    ('<image xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/>', "link scheme"),
    ('<image xlink:href="file:///etc/passwd"/>', "link scheme"),
    ('<a href="other.html"><text>x</text></a>', "link scheme"),
    ('<a><set attributeName="href" to="javascript:alert(1)"/></a>', "<set> element"),
    ('<animate attributeName="href" values="javascript:alert(1)"/>', "<animate> element"),
    ('<iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/>', "<iframe> element"),
]


@pytest.mark.parametrize(("body", "reason"), SCRIPTING)
def test_scripting_and_navigation_are_refused(body: str, reason: str) -> None:
    with pytest.raises(UnsafeSVGError, match=reason):
        check_svg(svg(body))


def test_event_handler_on_the_root_is_refused() -> None:
    with pytest.raises(UnsafeSVGError, match="event handler attribute 'onload'"):
        check_svg(svg("", open_tag=OPEN[:-1] + ' onload="alert(1)">'))


ILL_FORMED = [
    # the font name `] ; q [` made graphviz write this shape of SVG
    (svg('<text font-family="] ; q [" x="1" y="2"">a</text>'), "not well-formed"),
    (svg("<g>"), "not well-formed"),
    (svg("").replace(b"</svg>", b""), "not well-formed"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><text>&nbsp;</text></svg>", "not well-formed"),
    (svg("<text>&nbsp;</text>"), "entity"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>', "DTD"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>', "DTD"),
    (svg("<?xml-stylesheet href='https://evil.example/x.css'?>"), "processing instruction"),
    (HEAD.encode() + b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "root element"),
    (b"\x00\x01garbage", "not well-formed"),
]


@pytest.mark.parametrize(("data", "reason"), ILL_FORMED)
def test_ill_formed_or_dtd_tricks_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(UnsafeSVGError, match=reason):
        check_svg(data)


@pytest.mark.parametrize(("data", "reason"),
                         [(svg(body), reason) for body, reason in SCRIPTING] + ILL_FORMED)
def test_parse_svg_refuses_what_check_svg_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(UnsafeSVGError, match=reason):
        parse_svg(data)


def test_parse_svg_builds_the_tree_without_comments_or_doctype() -> None:
    body = ('<!-- note --><g id="a" class="node"><title>a&#45;&gt;b</title>'
            '<text xml:space="preserve"><![CDATA[<x>]]> &amp; y</text></g>')
    root = parse_svg(svg(body))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg" and root.get("width") == "10pt"
    (group,) = list(root)
    assert group.get("id") == "a" and group.find(f"{ns}title").text == "a->b"
    text = group.find(f"{ns}text")
    assert text.text == "<x> & y"
    assert text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


@pytest.mark.parametrize(("href", "relative_ok"), [
    ("other.html#x", True), ("../index.html#x", True), ("/docs/x.html", True),
    ("//evil.example/x", False), ("\\evil.example/x", False), ("/\\evil.example", False),
    ("javascript:alert(1)", False), ("java&#9;script:alert(1)", False), ("data:,x", False),
])
def test_relative_links_are_allowed_only_when_asked_for(href: str, relative_ok: bool) -> None:
    data = svg(f'<a href="{href}"><text>x</text></a>')
    with pytest.raises(UnsafeSVGError, match="link scheme"):
        check_svg(data)
    if relative_ok:
        check_svg(data, relative_links=True)
    else:
        with pytest.raises(UnsafeSVGError, match="link scheme"):
            check_svg(data, relative_links=True)


def test_graphviz_pure_output_of_a_real_machine_passes() -> None:
    from statusdoc import load
    from statusdoc.emit.dot import emit_dot

    root = Path(__file__).resolve().parents[1]
    for spec in ("examples/glance/image-statuses.toml", "examples/baremetal/node-states.toml"):
        dot = emit_dot(load(root / spec), source_name=spec)
        check_svg(render(dot, "svg"))


def test_render_refuses_the_svg_of_an_injected_font_name() -> None:
    # DOT written by hand, not from a spec: only the SVG check stands in the way.
    dot = 'digraph { node [fontname="Arial\\" onmouseover=\\"alert(document.domain)"]; a -> b }'
    with pytest.raises(RenderError) as info:
        render(dot, "svg", spec="hand.dot")
    message = str(info.value)
    assert message.startswith("hand.dot: renderer graphviz-pure wrote an unsafe SVG")
    assert "event handler attribute 'onmouseover'" in message


def test_render_refuses_an_ill_formed_svg_from_the_renderer() -> None:
    # graphviz copies the font name unescaped: '&' and '<' break the XML
    dot = 'digraph { c [fontname="a&b<"] }'
    with pytest.raises(RenderError, match="wrote an unsafe SVG: not well-formed"):
        render(dot, "svg")


def test_the_png_pipeline_checks_the_svg_it_lays_out_first() -> None:
    dot = 'digraph { a [fontname="x\\" onclick=\\"alert(1)"] }'
    with pytest.raises(RenderError, match="unsafe SVG"):
        render_many(dot, ["png"])


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '<a xlink:href="javascript:alert(1)"><text>x</text></a>',
    '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml" onload="alert(1)"/>'
    "</foreignObject>",
])
def test_a_command_renderer_writing_script_is_refused(
    monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    monkeypatch.setenv("FAKE_SVG", svg(payload).decode())
    with pytest.raises(RenderError, match=r"renderer command:hostile_svg\.py wrote an unsafe SVG"):
        render(DOT, "svg", renderer=f"command:{FAKES / 'hostile_svg.py'}", spec="m.toml")
