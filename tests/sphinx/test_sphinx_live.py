"""The live diagram in Sphinx HTML builds: where it appears, its assets, how to turn it off.

The browser side (zoom, links, highlighting, keyboard) is tested in
``tests/test_browser_live.py``; here the built pages are read as text and
their inline SVG parsed.
"""

from __future__ import annotations

import re

pytest_plugins = ("sphinx.testing.fixtures",)

SVG = "{http://www.w3.org/2000/svg}"
ASSETS = ("_static/statusdoc-live.js", "_static/statusdoc-live.css")


def _loads_assets(page: str) -> list[bool]:
    return [f'"{asset}' in page for asset in ASSETS]


def test_assets_only_on_pages_with_a_live_diagram(project, build):
    out = build(project())
    assert out.warnings == ""
    assert _loads_assets(out.read("index.html")) == [True, True]
    # a page with no diagram, and one whose only diagram is a PNG (:format: png)
    for name in ("refs.html", "unrelated.html", "genindex.html", "parts.html"):
        page = out.read(name)
        assert _loads_assets(page) == [False, False], name
        assert "statusdoc-live" not in page, name
    assert 'id="door-figure"' in out.read("parts.html")  # parts.html does show its diagram
    # the files exist once, in _static, whatever the number of pages using them
    assert sorted(p.name for p in (out.outdir / "_static").glob("statusdoc-*")) == [
        "statusdoc-live.css", "statusdoc-live.js"
    ]


def test_static_option_keeps_the_image(project, build):
    srcdir = project(only=True, **{
        "index.rst": ".. statusdoc:: door\n   :static:\n\n"
                     ".. toctree::\n\n   other\n",
        "other.rst": "Other\n=====\n\n.. statusdoc-diagram:: door\n   :static:\n",
    })
    out = build(srcdir)
    assert out.warnings == ""
    for name in ("index.html", "other.html"):
        page = out.read(name)
        assert re.search(r'<img src="[^"]*statusdoc-[0-9a-f]{20}\.svg"', page), name
        assert "statusdoc-live" not in page and out.live_svgs(name) == []


def test_config_value_turns_it_off_everywhere(project, build):
    out = build(project(), confoverrides={"statusdoc_live_diagram": False})
    assert out.warnings == ""
    page = out.read("index.html")
    assert re.search(r'<img src="_images/statusdoc-[0-9a-f]{20}\.svg"', page)
    assert _loads_assets(page) == [False, False] and out.live_svgs("index.html") == []


def test_switching_the_config_value_rewrites_the_pages(project, build):
    srcdir = project()
    assert build(srcdir).live_svgs("index.html")
    off = build(srcdir, confoverrides={"statusdoc_live_diagram": False})
    assert off.live_svgs("index.html") == []
    assert build(srcdir).live_svgs("index.html")


def test_statuses_without_an_entry_are_focusable_but_not_links(project, build):
    """A diagram alone (no page shows the entries): nothing to link to."""
    srcdir = project(only=True, **{"index.rst": "D\n=\n\n.. statusdoc-diagram:: door\n"})
    out = build(srcdir)
    assert out.warnings == ""
    (svg,) = out.live_svgs("index.html")
    assert list(svg.iter(f"{SVG}a")) == []
    nodes = [g for g in svg.iter(f"{SVG}g") if "statusdoc-state" in g.get("class", "")]
    assert len(nodes) == 4
    for node in nodes:
        assert (node.get("tabindex"), node.get("role")) == ("0", "img")
        assert node.get("aria-label") in ("closed", "open", "locked", "broken")
        assert node.find(f"{SVG}title").text.startswith(node.get("aria-label"))


def test_edges_carry_titles_and_their_ends(project, build):
    out = build(project())
    (svg,) = out.live_svgs("index.html")
    edges = {g.get("id"): g for g in svg.iter(f"{SVG}g") if g.get("data-from")}
    lock = edges["sd-t-2"]  # closed -> locked, described in the spec
    assert lock.find(f"{SVG}title").text == (
        "closed → locked: lock\nevent: lock\n\nOnly with the right key."
    )
    assert (lock.get("data-from"), lock.get("data-to")) == (
        "sd-s-door-status-closed", "sd-s-door-status-locked"
    )
    kick = edges["sd-w-4"]  # the wildcard rule, drawn once from a note
    assert kick.get("data-from").split() == [
        "sd-s-door-status-closed", "sd-s-door-status-open", "sd-s-door-status-locked"
    ]
    assert kick.get("data-to") == "sd-s-door-status-broken"
    assert kick.find(f"{SVG}title").text.startswith("any non-final status → broken: kick")


def test_other_html_like_builders_keep_the_image(project, build):
    out = build(project(), "epub")
    page = out.read("index.xhtml")
    assert re.search(r'<img [^>]*src="_images/statusdoc-[0-9a-f]{20}\.svg"', page)
    assert "statusdoc-live" not in page
    assert not (out.outdir / "_static" / "statusdoc-live.js").exists()
