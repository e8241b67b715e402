"""Focus views and the group overview in real Sphinx builds (issue 11 items 2 and 3)."""

from __future__ import annotations

import re
from pathlib import Path

import statusdoc
from statusdoc.emit.rst import status_anchors

pytest_plugins = ("sphinx.testing.fixtures",)

REPO = Path(__file__).resolve().parents[2]
VOLUME = (REPO / "examples" / "volume" / "volume-statuses.toml").read_text(encoding="utf-8")
SVG = "{http://www.w3.org/2000/svg}"


def _page(options: str = "") -> str:
    return f"Volumes\n=======\n\n.. statusdoc:: volume.toml\n   :no-title:\n{options}\n"


def _figures(page: str, cls: str) -> int:
    return len(re.findall(rf'<figure class="statusdoc-figure {cls}', page))


def test_every_entry_gets_its_focus_view_and_the_page_its_overview(project, build):
    out = build(project(only=True, **{"index.rst": _page(), "volume.toml": VOLUME}))
    assert out.warnings == ""
    page = out.read("index.html")
    machine = statusdoc.load(REPO / "examples" / "volume" / "volume-statuses.toml")
    assert _figures(page, "statusdoc-focus-view") == len(machine.states) == 27
    assert _figures(page, "statusdoc-overview") == 1
    assert page.index("statusdoc-overview") < page.index('class="statusdoc-figure align-center"')
    svgs = out.live_svgs("index.html")
    assert len(svgs) == 27 + 2
    ids = [e.get("id") for svg in svgs for e in svg.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # every id of every inline SVG is unique on the page
    anchors = status_anchors(machine)
    # the focus view of `reserved`: its neighbours link to their entries
    focus = next(s for s in svgs if any(
        (e.get("id") or "") == f"sd-s-{anchors['reserved']}_focus-reserved" for e in s.iter()))
    links = {a.get("href") for a in focus.iter(f"{SVG}a")}
    assert links == {f"#{anchors[n]}" for n in ("reserved", "available", "attaching")}
    for href in links:
        assert f'id="{href[1:]}"' in page
    # the overview: a group's node links to the group's entry
    overview = next(s for s in svgs if any(
        (e.get("id") or "").endswith("_overview") for e in s.iter()))
    hrefs = {a.get("href") for a in overview.iter(f"{SVG}a")}
    assert "#volume-group-errors" in hrefs and "#volume-group-in-progress" in hrefs
    assert 'id="volume-group-errors"' in page
    # the text, linked
    assert ('Reached from: <a class="reference internal" href="#volume-status-available">'
            "available</a>") in page


def test_options_and_settings_turn_the_views_off(project, build):
    off = build(project(only=True, **{"index.rst": _page("   :focus: off\n   :overview: off"),
                                      "volume.toml": VOLUME}))
    page = off.read("index.html")
    assert off.warnings == ""
    assert _figures(page, "statusdoc-focus-view") == _figures(page, "statusdoc-overview") == 0
    assert "Leads to:" in page  # the text stays
    srcdir = project(only=True, **{"index.rst": _page(), "volume.toml": VOLUME})
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + "statusdoc_focus = False\n", encoding="utf-8")
    page = build(srcdir).read("index.html")
    assert _figures(page, "statusdoc-focus-view") == 0
    assert _figures(page, "statusdoc-overview") == 1


def test_small_machines_show_no_views_by_default(project, build):
    out = build(project(only=True, **{"index.rst": ".. statusdoc:: door\n"}))
    assert out.warnings == ""
    assert _figures(out.read("index.html"), "statusdoc-focus-view") == 0


def test_a_small_machine_shows_them_when_asked(project, build):
    out = build(project(only=True, **{
        "index.rst": ".. statusdoc-statuses:: door\n   :focus: on\n   :format: png\n"}))
    assert out.warnings == ""
    page = out.read("index.html")
    assert _figures(page, "statusdoc-focus-view") == 4
    assert len(re.findall(r'<img src="[^"]*statusdoc-[0-9a-f]{20}\.png"', page)) == 4


def test_bad_setting_is_an_error(project, build):
    import pytest
    from sphinx.errors import ConfigError

    srcdir = project()
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text() + 'statusdoc_focus = "sometimes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="statusdoc_focus"):
        build(srcdir)


def test_text_builder_shows_no_view(project, build):
    out = build(project(only=True, **{"index.rst": _page(), "volume.toml": VOLUME}), "text")
    text = out.read("index.txt")
    assert out.warnings == ""
    assert "Reached from: creating, managing, reserved" in " ".join(text.split())
