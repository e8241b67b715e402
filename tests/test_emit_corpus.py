"""Every legal spec of the hostile corpus and every example goes through every emitter:
the RST parses without a warning, the DOT parses back and renders, its SVG decorates
into a live diagram linking every status, the html page is built (also with a focus
view per status and the overview, each inline), Mermaid and Markdown are well formed."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from emit_support import ROOT, by_class, docutils_parse, parse_dot, render
from html_audit import audit, docutils_html

from statusdoc.emit.dot import emit_dot
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.mermaid import emit_mermaid
from statusdoc.emit.rst import UnsafeRstError, emit_rst, status_anchors
from statusdoc.htmldiagram import live_svg
from statusdoc.htmlpage import html_page, page_source
from statusdoc.spec.api import load

SPECS = sorted(
    [*(ROOT / "tests" / "corpus" / "legal").glob("*.*"), *(ROOT / "examples").glob("*/*.*")]
)
SPECS = [p for p in SPECS if p.suffix in (".toml", ".yaml", ".yml", ".json")
         and not p.name.startswith("_") and not p.name.endswith(".openapi.json")]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_emitter_handles_the_spec(path: Path) -> None:
    try:
        m = load(path)
    except Exception as exc:  # not a spec (e.g. an example's config file)
        pytest.skip(f"not a loadable spec: {exc}")
    name = str(path.relative_to(ROOT))
    try:
        text = emit_rst(m, source_name=name)
    except UnsafeRstError:
        text = emit_rst(m, source_name=name, allow_unsafe_rst=True)
        assert "include" in text or "raw" in text
    else:
        _doctree, warnings = docutils_parse(text)
        assert warnings == "", warnings
        # issue 13: the page scripts nothing, and plain text links nowhere
        page = audit(docutils_html(text))
        assert page.problems == [] and all(link.startswith("#") for link in page.links)
    dot = emit_dot(m, source_name=name)
    parsed = parse_dot(dot)
    assert list(by_class(parsed, "statusdoc-state")[0]) == list(m.state_names)
    svg = render(dot, "svg")
    assert svg.lstrip().startswith(b"<?xml")
    links = {n: f"#{a}" for n, a in status_anchors(m).items()}
    live = ET.fromstring(live_svg(svg, m, links))
    assert len(list(live.iter("{http://www.w3.org/2000/svg}a"))) == len(m.states)
    unsafe = "include" in text or "raw" in text
    page = html_page(page_source(m, source_name=name, allow_unsafe_rst=unsafe), svg)
    assert page.count("<svg xmlns=") == 1 and page.count("<script>") == 1
    # with a focus view per status (and the overview): every SVG inline, the page its own
    source = page_source(m, source_name=name, allow_unsafe_rst=unsafe, focus="on",
                         overview="on")
    views = [render(view_dot, "svg") for view_dot in source.view_dots]
    page = html_page(source, svg, views)
    assert len(views) == len(m.states) + (1 if any(m.group_members.values()) else 0)
    assert page.count("<svg xmlns=") == 1 + len(views) and page.count("<script>") == 1
    assert source.problem(page.encode("utf-8")) == ""
    mermaid = emit_mermaid(m, source_name=name)
    assert mermaid.split("\n")[1] == "stateDiagram-v2"
    md = emit_markdown(m, source_name=name)
    assert md.startswith("<!-- generated from ")
