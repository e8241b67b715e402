"""The inline SVG of the live diagram (statusdoc.htmldiagram), on real renders.

Every status node is linked to its entry and titled with its description,
every drawn transition titled and given the ids of its ends, ids stay the
DOT's hooks, the result passes the SVG check again, hostile spec text stays
text, and the same input gives the same string.
"""

from __future__ import annotations

import subprocess
import sys
from xml.etree import ElementTree as ET

import pytest
from emit_support import GLANCE_NAME, glance, machine, render

from statusdoc.emit.dot import emit_dot
from statusdoc.emit.rst import status_anchors
from statusdoc.htmldiagram import decorate, inline_problem, live_block, live_svg, marks, plain
from statusdoc.svgcheck import UnsafeSVGError, check_svg, parse_svg

SVG = "{http://www.w3.org/2000/svg}"


def _svg(m) -> bytes:
    return render(emit_dot(m, source_name="spec.toml"))


def _links(m) -> dict[str, str]:
    return {name: f"#{anchor}" for name, anchor in status_anchors(m).items()}


def _groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in g.get("class", "").split()]


def _title(group: ET.Element) -> str:
    titles = group.findall(f"{SVG}title")
    assert len(titles) == 1, ET.tostring(group)
    return titles[0].text or ""


def test_every_status_links_to_its_entry_and_every_edge_is_titled() -> None:
    m = glance()
    out = live_svg(_svg(m), m, _links(m), description="the alt text")
    root = ET.fromstring(out)
    anchors = status_anchors(m)
    nodes = {g.get("id"): g for g in _groups(root, "statusdoc-state")}
    assert set(nodes) == {f"sd-s-{anchors[s.name]}" for s in m.states}
    for state in m.states:
        group = nodes[f"sd-s-{anchors[state.name]}"]
        (link,) = group.findall(f"{SVG}a")
        assert link.get("href") == f"#{anchors[state.name]}"
        assert (link.get("tabindex"), link.get("aria-label")) == ("0", state.label)
        head = f"{state.label} (final)" if state.final else state.label
        assert _title(group) == f"{head}\n\n{plain(state.description)}"
        # the shapes and the label moved into the link: clicking anywhere on the node works
        assert [c.tag for c in group] == [f"{SVG}title", f"{SVG}a"]
        assert link.find(f"{SVG}text").text == state.label
    edges = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("data-from")}
    grouped = {i for i, t in enumerate(m.transitions) if m.rules[t.rule].wildcard}
    drawn = [i for i in range(len(m.transitions)) if i not in grouped]
    wild = [r for r in m.rules if r.wildcard]
    assert set(edges) == {f"sd-t-{i}" for i in drawn} | {f"sd-w-{r.index}" for r in wild}
    for i in drawn:
        t = m.transitions[i]
        edge = edges[f"sd-t-{i}"]
        assert edge.get("data-from") == f"sd-s-{anchors[t.source]}"
        assert edge.get("data-to") == f"sd-s-{anchors[t.target]}"
        title = _title(edge)
        assert title.startswith(f"{t.source} → {t.target}: {t.label}\nevent: {t.event}")
        if t.description:
            assert title.endswith(plain(t.description))
    (rule,) = wild
    assert edges[f"sd-w-{rule.index}"].get("data-from").split() == [
        f"sd-s-{anchors[s]}" for s in rule.sources
    ]
    assert root.find(f"{SVG}desc").text == "the alt text"
    check_svg(out.encode())


def test_root_scales_and_graphviz_leftovers_are_gone() -> None:
    m = glance()
    raw = _svg(m)
    original = parse_svg(raw)
    root = ET.fromstring(live_svg(raw, m, _links(m)))
    assert root.get("viewBox") == original.get("viewBox")
    assert root.get("width") == original.get("width") and root.get("height") is None
    assert (root.get("class"), root.get("role")) == ("statusdoc-svg", "group")
    assert root.get("aria-label") == "Status diagram: Image Statuses"
    # Graphviz's made-up ids (node1, edge2, graph0, clust1) and its titles (internal
    # names such as "__statusdoc_start__->queued") are dropped; hooks stay
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids and all(i.startswith(("sd-s-", "sd-t-", "sd-w-")) for i in ids)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert not any("__statusdoc" in (t or "") for t in titles)
    assert len(titles) == len(m.states) + len([e for e in root.iter() if e.get("data-from")])
    # nothing drawn was lost: the same shapes and texts, in the same order
    def drawing(tree: ET.Element) -> list[tuple[str, str]]:
        return [(e.tag, e.get("d") or e.get("points") or (e.text or ""))
                for e in tree.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon", f"{SVG}text")]
    assert drawing(root) == drawing(original)


def test_statuses_without_a_link_are_focusable() -> None:
    m = glance()
    links = _links(m)
    del links["killed"]
    root = ET.fromstring(live_svg(_svg(m), m, links))
    killed = root.find(f".//{SVG}g[@id='sd-s-image-status-killed']")
    assert killed.find(f"{SVG}a") is None
    assert (killed.get("tabindex"), killed.get("role"), killed.get("aria-label")) == (
        "0", "img", "killed")
    assert len(root.findall(f".//{SVG}a")) == len(m.states) - 1


def test_suffix_keeps_ids_unique_on_a_page_with_two_diagrams() -> None:
    m = glance()
    raw = _svg(m)
    first = ET.fromstring(live_svg(raw, m, _links(m)))
    second = ET.fromstring(live_svg(raw, m, _links(m), suffix="-2"))
    ids = [e.get("id") for e in first.iter() if e.get("id")]
    assert [e.get("id") for e in second.iter() if e.get("id")] == [f"{i}-2" for i in ids]
    edge = second.find(f".//{SVG}g[@id='sd-t-0-2']")
    assert edge.get("data-from") == "sd-s-image-status-queued-2"


def test_links_must_be_fragments_unless_relative_links_are_allowed() -> None:
    m = glance()
    raw = _svg(m)
    other_page = {n: f"../index.html{href}" for n, href in _links(m).items()}
    with pytest.raises(UnsafeSVGError, match="link scheme not allowed"):
        live_svg(raw, m, other_page)
    assert "../index.html#image-status-queued" in live_svg(raw, m, other_page,
                                                            relative_links=True)
    for bad in ("javascript:alert(1)", "//evil.example/x", "data:text/html,x"):
        with pytest.raises(UnsafeSVGError):
            live_svg(raw, m, {"queued": bad}, relative_links=True)


HOSTILE = {
    "machine": {"name": "h", "title": 'T </title><script>alert(1)</script>',
                "initial": "a"},
    "states": {
        "a": {"label": '"><svg onload=alert(1)>',
              "description": "</title><script>alert('d')</script> ]]> &amp; <!-- x -->\n\n"
                             "`link <javascript:alert(1)>`_"},
        "b<script>": {"description": "<a href=\"javascript:alert(1)\">x</a>"},
    },
    "transitions": [
        {"from": "a", "to": "b<script>", "label": "</title><foreignObject>",
         "event": "go", "description": "<![CDATA[<script>alert(2)</script>]]>"},
    ],
}


def test_hostile_labels_and_descriptions_stay_text() -> None:
    m = machine(HOSTILE)
    out = live_svg(_svg(m), m, _links(m), description='alt "</desc><script>')
    check_svg(out.encode())  # no script, handler, foreignObject or bad link
    root = ET.fromstring(out)
    assert not [e for e in root.iter() if e.tag.rpartition("}")[2].lower()
                in ("script", "foreignobject")]
    nodes = {g.get("id"): g for g in _groups(root, "statusdoc-state")}
    a, b = (nodes[f"sd-s-{status_anchors(m)[name]}"] for name in ("a", "b<script>"))
    assert _title(a) == ('"><svg onload=alert(1)> (a)\n\n'
                         "</title><script>alert('d')</script> ]]> &amp; <!-- x -->\n\n"
                         "`link <javascript:alert(1)>`_")
    assert a.find(f"{SVG}a").get("aria-label") == '"><svg onload=alert(1)>'
    assert _title(b) == 'b<script>\n\n<a href="javascript:alert(1)">x</a>'
    (edge,) = [g for g in root.iter(f"{SVG}g") if g.get("data-from")]
    assert _title(edge).startswith('"><svg onload=alert(1)> → b<script>: </title><foreignObject>')
    assert root.get("aria-label") == "Status diagram: T </title><script>alert(1)</script>"
    assert root.find(f"{SVG}desc").text == 'alt "</desc><script>'
    # in markup, every < of spec text is escaped
    assert "<script" not in out and "<foreignObject" not in out and "<!--" not in out


def test_same_input_same_string_in_another_process() -> None:
    m = glance()
    raw = _svg(m)
    here = live_svg(raw, m, _links(m), description="d")
    assert live_svg(raw, m, _links(m), description="d") == here
    code = (
        "import sys, statusdoc\n"
        "from statusdoc.htmldiagram import live_svg\n"
        "from statusdoc.emit.rst import status_anchors\n"
        f"m = statusdoc.load({str(glance().source)!r})\n"
        "links = {n: '#' + a for n, a in status_anchors(m).items()}\n"
        "sys.stdout.write(live_svg(sys.stdin.buffer.read(), m, links, description='d'))\n"
    )
    other = subprocess.run([sys.executable, "-c", code], input=raw, capture_output=True,
                           check=True, env={"PYTHONHASHSEED": "123"}).stdout.decode()
    assert other == here


def test_marks_are_computed_from_the_model_alone() -> None:
    m = glance()
    how = marks(m, _links(m))
    assert [s.name for s in how.statuses] == list(m.state_names)
    assert how.name == "Image Statuses"
    # decorate() with the marks gives what live_svg() gives
    raw = _svg(m)
    assert decorate(raw, how) == live_svg(raw, m, _links(m))


def test_live_block_escapes_its_attributes() -> None:
    block = live_block("<svg/>", machine='m" onclick="x', classes=["a", 'b"'], width='1px" x="')
    assert block.startswith('<div class="statusdoc-live a b&quot;" '
                            'data-statusdoc-machine="m&quot; onclick=&quot;x" '
                            'style="width: 1px&quot; x=&quot;">')
    assert '<div class="statusdoc-viewport">\n<svg/>\n</div>' in block


def test_plain_folds_lines_and_keeps_paragraphs() -> None:
    assert plain("  one\n  two\n\n\n three \n") == "one two\n\nthree"
    assert GLANCE_NAME  # the shared example exists (used above through glance())


def test_a_wildcard_return_rule_is_one_arrow_marked_with_every_end() -> None:
    """A ``from = "*"`` return rule is drawn as ONE arrow from its scope note to its
    history marker (``sd-w-<rule>``), not edge by edge; the decorated SVG's mark of
    that arrow names the sources and targets of all its expanded transitions, so
    hovering any of them highlights it."""
    import statusdoc
    from statusdoc.emit.dot import emit_dot, transition_svg_id, wildcard_svg_id

    m = statusdoc.loads(
        '[machine]\nname = "m"\ninitial = "a"\n[states.a]\n[states.b]\n[states.c]\n'
        'final = true\n[[transitions]]\nfrom = "a"\nto = "b"\n[[transitions]]\n'
        'from = "b"\nto = "c"\n[[transitions]]\nfrom = "*"\nreturn = true\nlabel = "undo"\n')
    dot = emit_dot(m, source_name="m.toml")
    returns = [i for i, t in enumerate(m.transitions) if t.returning]
    assert returns, m.transitions
    assert dot.count(f'id="{wildcard_svg_id(2)}"') == 1
    assert 'class="statusdoc-history"' in dot
    for index in returns:
        assert f'id="{transition_svg_id(index)}"' not in dot
    (mark,) = [e for e in marks(m, {}).edges if e.svg_id == wildcard_svg_id(2)]
    node = {s.name: f"sd-s-m-status-{s.name}" for s in m.states}
    assert {node[m.transitions[i].source] for i in returns} <= set(mark.sources)
    assert {node[m.transitions[i].target] for i in returns} <= set(mark.targets)
    assert "undo" in mark.title


#: A status filled with a gradient: Graphviz draws it with a ``<linearGradient>`` whose id
#: (``sd-s-..._l_0``) the shape names in ``fill="url(#...)"``.
GRADIENT = {
    "machine": {"name": "g", "initial": "a"},
    "states": {"a": {"tags": ["hot"]}, "b": {}},
    "transitions": [{"from": "a", "to": "b", "label": "go"}],
    "diagram": {"tags": {"hot": {"style": "filled", "fillcolor": "red:blue"}}},
}


def _references(root: ET.Element) -> list[str]:
    return [value[5:-1] for e in root.iter() for value in e.attrib.values()
            if value.startswith("url(#")]


def test_a_suffix_moves_the_references_with_the_ids() -> None:
    m = machine(GRADIENT)
    raw = _svg(m)
    assert _references(parse_svg(raw)), "the renderer drew no gradient"
    for suffix in ("", "_focus-a"):
        root = ET.fromstring(live_svg(raw, m, _links(m), suffix=suffix))
        ids = {e.get("id") for e in root.iter()}
        refs = _references(root)
        assert refs and all(ref in ids and ref.endswith(suffix) for ref in refs), refs


#: Markup that passes the XML check but that an HTML parser reads otherwise: ``<p>``
#: makes it leave the SVG, so the form is an HTML form whose button runs the script
#: (tests/test_browser_page_focus.py shows it in Chromium).
BREAKOUT = '<p /><form action="javascript:alert(1)"><button>go</button></form>'


def test_inline_problem_accepts_what_decorate_writes_and_nothing_else() -> None:
    m = glance()
    out = live_svg(_svg(m), m, _links(m), suffix="_focus-x", description="the alt")
    assert inline_problem(out) == ""
    head, sep, rest = out.partition("<desc>the alt</desc>")
    assert sep
    forged = head + BREAKOUT + rest
    check_svg(forged.encode("utf-8"))  # the XML check alone lets it through
    assert inline_problem(forged) == (
        "unsafe diagram: <p> is not an element statusdoc draws with")
    for hostile in (out.replace("<desc>", "<script>alert(1)</script><desc>", 1),
                    out.replace("<svg ", '<svg onload="alert(1)" ', 1)):
        assert inline_problem(hostile).startswith("unsafe diagram: "), hostile[:200]
    for odd in ("<!-- x -->", "<![CDATA[x]]>"):  # not as statusdoc writes it
        assert inline_problem(out.replace("<desc>the alt", f"{odd}<desc>the alt", 1)) == (
            "diagram markup is not as statusdoc writes it")
    assert inline_problem("") and inline_problem(" " + out) and inline_problem(out + "<p>")


def test_decorate_refuses_an_element_an_html_parser_would_read_as_html() -> None:
    m = glance()
    raw = _svg(m).replace(b"</svg>", b"<p/></svg>")
    check_svg(raw)
    with pytest.raises(UnsafeSVGError, match="<p> is not an element statusdoc draws with"):
        live_svg(raw, m, _links(m))
