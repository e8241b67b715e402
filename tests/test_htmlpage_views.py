"""Focus views and the overview on the standalone ``html`` page (statusdoc.htmlviews).

Generated and checked for real (docutils, graphviz-pure, files on disk): a
big machine's page shows each status's focus view inline in its entry, every
id of the page is unique, every inline SVG is safe, ``check`` catches a
forged view without a renderer, and a page without views is byte for byte
what it was before views existed. The browser side is in
``tests/test_browser_page_focus.py``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from emit_support import machine, render

import statusdoc
from statusdoc.artifacts import check_spec, generate_spec, plan_spec
from statusdoc.config import SpecConfig, load_config
from statusdoc.emit.dot import emit_dot
from statusdoc.emit.escape import unique_slugs
from statusdoc.emit.rst import status_anchors
from statusdoc.htmldiagram import inline_problem
from statusdoc.htmlpage import compose, html_page, page_source
from statusdoc.render import ENV_COMMAND
from statusdoc.stamp import Stamp, read_stamp, stamp_image, unstamped
from statusdoc.svgcheck import check_svg

REPO = Path(__file__).resolve().parent.parent
NODE = REPO / "examples" / "baremetal" / "node-states.toml"
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"
VOLUME = REPO / "examples" / "volume" / "volume-statuses.toml"
FOCUS_BLOCK = '<div class="statusdoc-live statusdoc-focus-view"'


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


def _project(root: Path, specs: dict[Path, str]) -> list[SpecConfig]:
    """A project whose specs sit at its root and write ``html`` into ``out``;
    ``specs`` maps each spec to extra lines of its ``[[tool.statusdoc.specs]]`` entry."""
    root.mkdir(parents=True)
    entries = []
    for spec, extra in specs.items():
        shutil.copy(spec, root / spec.name)
        entries.append(f'[[tool.statusdoc.specs]]\nspec = "{spec.name}"\noutput-dir = "out"\n'
                       f'outputs = ["html"]\n{extra}')
    (root / "pyproject.toml").write_text("[tool.statusdoc]\n" + "".join(entries))
    return list(load_config(root).specs)


def _page(config: SpecConfig) -> tuple[Path, str]:
    generate_spec(config)
    path = config.output_path("html")
    return path, unstamped(path.read_bytes()).decode("utf-8")


def _svgs(text: str) -> list[tuple[int, str]]:
    """Every inline SVG of ``text`` with its offset (ours: no nested ``<svg>``)."""
    found, pos = [], 0
    while (start := text.find('<svg xmlns="http://www.w3.org/2000/svg"', pos)) >= 0:
        pos = text.index("</svg>", start) + len("</svg>")
        found.append((start, text[start:pos]))
    return found


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value is not None]

    handle_startendtag = handle_starttag


def _ids(text: str) -> list[str]:
    parser = _Ids()
    parser.feed(text)
    parser.close()
    return parser.ids


def test_every_entry_shows_its_focus_view_inline(tmp_path: Path) -> None:
    (config,) = _project(tmp_path / "p", {NODE: ""})  # focus = "auto": 32 statuses
    path, text = _page(config)
    m = statusdoc.load(NODE)
    anchors, slugs = status_anchors(m), unique_slugs(m.state_names)
    svgs = _svgs(text)
    assert len(svgs) == len(m.states) + 1 == 33
    assert text.count(FOCUS_BLOCK) == len(m.states)
    for _start, svg in svgs:
        check_svg(svg.encode("utf-8"))
        assert inline_problem(svg) == ""
    ids = _ids(text)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
    # each view sits in its own status's entry, its statuses link to their entries
    starts = [text.index(f'id="{anchors[s.name]}"') for s in m.states] + [len(text)]
    focus = [(at, svg) for at, svg in svgs
             if text.startswith(FOCUS_BLOCK, text.rfind('<div class="statusdoc-live', 0, at))]
    assert len(focus) == len(m.states)
    for state, (begin, end), (at, svg) in zip(m.states, itertools.pairwise(starts), focus,
                                              strict=True):
        assert begin < at < end, state.name
        suffix = f"_focus-{slugs[state.name]}"
        assert f'id="sd-s-{anchors[state.name]}{suffix}"' in svg
        hrefs = set(re.findall(r'<a href="([^"]*)"', svg))
        assert f"#{anchors[state.name]}" in hrefs
        assert all(f'id="{href[1:]}"' in text for href in hrefs)
    assert check_spec(config) == []
    stamp = read_stamp(path.read_bytes())
    assert stamp is not None and stamp.dot_sha256 == plan_spec(config)[0].dot_sha256


def test_the_views_are_drawn_from_the_dot_of_the_rst_pages_view_images(tmp_path: Path) -> None:
    (config,) = _project(tmp_path / "p", {VOLUME: ""})
    config = dataclasses.replace(config, outputs=("rst", "svg", "html"))
    m = statusdoc.load(VOLUME)
    images = [p.source_dot for p in plan_spec(config, m) if p.source_dot is not None]
    page = compose(m, config)
    assert len(images) == len(m.states) + 1 == 28  # the overview, then one per status
    assert sorted(page.view_dots) == sorted(images)  # the page lists them in page order


#: SHA-256 of pages generated before the page had views (main at 55145e1, docutils
#: 0.22.4, graphviz-pure 0.2.2). A page without views must not change: when a
#: deliberate change (the page's CSS or script, docutils' HTML) makes them differ,
#: record the new values here.
BEFORE_VIEWS = {
    "image-statuses.html": "b50a35a7e285c775ba2693d20fb274a8092bd548594a85270768d5bddc068a53",
    "node-states.html": "15eedcaffc25817ca0c1cf759c7aabb77314bffb29b02581f07afe74b49a8d9b",
    "volume-statuses.html": "1d2acf068b8a334b060ed5a4f76d7b034c1cd8354270bdf63f7a8111837fee66",
}


def test_a_page_without_views_is_byte_for_byte_what_it_was(tmp_path: Path) -> None:
    configs = _project(tmp_path / "p", {GLANCE: "", NODE: 'focus = "off"\n',
                                        VOLUME: 'focus = "off"\noverview = "off"\n'})
    for config in configs:
        path, _text = _page(config)
        assert hashlib.sha256(path.read_bytes()).hexdigest() == BEFORE_VIEWS[path.name], path
        page = compose(statusdoc.load(config.spec), config)
        assert page.views == () and page.view_dots == ()


def test_turning_focus_on_only_adds_the_focus_figures(tmp_path: Path) -> None:
    on, off = _project(tmp_path / "p", {NODE: 'focus = "on"\n'}) + _project(
        tmp_path / "q", {NODE: 'focus = "off"\n'})
    text = _page(on)[1]
    without, count = re.subn(r'<figure class="statusdoc-focus-view">\n.*?</figure>\n', "",
                             text, flags=re.DOTALL)
    assert count == text.count(FOCUS_BLOCK) == 32
    assert without == _page(off)[1]


def _forge(path: Path, text: str) -> None:
    """Write ``text`` stamped as the page on disk is (anyone can stamp)."""
    stamp = read_stamp(path.read_bytes())
    assert stamp is not None
    path.write_bytes(stamp_image(text.encode("utf-8"), "html",
                                 Stamp(stamp.dot_sha256, stamp.renderer)))


def _in_a_focus_view(text: str, index: int, old: str, new: str) -> str:
    """``text`` with the first ``old`` after the ``index``-th focus view's start replaced."""
    at = -1
    for _ in range(index + 1):
        at = text.index(FOCUS_BLOCK, at + 1)
    where = text.index(old, at)
    return text[:where] + new + text[where + len(old):]


@pytest.mark.parametrize(("index", "old", "new", "reason"), [
    (0, "<desc>", "<script>alert(1)</script><desc>", "unsafe diagram: <script> element"),
    (5, 'class="statusdoc-svg"', 'class="statusdoc-svg" onload="alert(1)"',
     "unsafe diagram: event handler attribute 'onload'"),
    (31, "<desc>", '<p /><form action="javascript:alert(1)"><button>go</button></form><desc>',
     "unsafe diagram: <p> is not an element statusdoc draws with"),
    (7, "<desc>", "<!-- hidden --><desc>", "diagram markup is not as statusdoc writes it"),
    (3, "</figure>", '</figure><meta http-equiv="refresh" content="0;url=https://e.example">',
     "page content is not what the spec makes"),
])
def test_check_reports_a_forged_focus_view(tmp_path: Path, index: int, old: str, new: str,
                                           reason: str) -> None:
    (config,) = _project(tmp_path / "p", {NODE: ""})
    path, text = _page(config)
    good = path.read_bytes()
    _forge(path, _in_a_focus_view(text, index, old, new))
    (drift,) = check_spec(config)
    assert drift.reason.startswith(f"stale: {reason}"), drift.reason
    generate_spec(config)
    assert path.read_bytes() == good


def test_the_overview_leads_the_diagram_and_links_the_groups(tmp_path: Path) -> None:
    (config,) = _project(tmp_path / "p", {VOLUME: ""})
    _path, text = _page(config)
    m = statusdoc.load(VOLUME)
    svgs = _svgs(text)
    assert len(svgs) == len(m.states) + 2 == 29
    overview = text.index('<div class="statusdoc-live statusdoc-overview"')
    assert overview < text.index('<div class="statusdoc-live" ')
    svg = next(s for at, s in svgs if at > overview)
    assert '<a href="#volume-group-errors" ' in svg and 'id="volume-group-errors"' in text
    assert 'id="sd-s-volume-status-available_overview"' in svg
    ids = _ids(text)
    assert len(ids) == len(set(ids))


#: A status filled with a gradient: its ``<linearGradient>`` id is renamed in each view.
GRADIENT = {
    "machine": {"name": "g", "initial": "a"},
    "states": {"a": {"tags": ["hot"], "description": ".. statusdoc--focus--0\n\nA."},
               "b": {"description": ".. statusdoc: the live diagram\n\nB."}},
    "transitions": [{"from": "a", "to": "b", "label": "go"}, {"from": "b", "to": "a"}],
    "diagram": {"tags": {"hot": {"style": "filled", "fillcolor": "red:blue"}}},
}


def test_gradients_and_comments_that_look_like_placeholders(tmp_path: Path) -> None:
    m = machine(GRADIENT)
    source = page_source(m, source_name="g.toml", focus="on")
    views = [render(dot) for dot in source.view_dots]
    text = html_page(source, render(emit_dot(m, source_name="g.toml")), views)
    assert source.problem(text.encode("utf-8")) == ""
    # a comment in a description is written with "- -": it cannot be a view's placeholder
    assert "<!-- statusdoc- -focus- -0 -->" in text
    svgs = _svgs(text)
    assert len(svgs) == 3
    for _at, svg in svgs:  # every gradient reference names an id of its own SVG
        refs = re.findall(r'url\(#([^)]*)\)', svg)
        assert refs and all(f'id="{ref}"' in svg for ref in refs), refs
    ids = _ids(text)
    assert len(ids) == len(set(ids))
