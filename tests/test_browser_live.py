"""The live diagram in a real headless Chromium (issue 11, item 1 and its acceptance).

The docs' 32-status example (``docs/examples/baremetal.rst``: 32 statuses,
106 transitions, a wildcard rule) as Sphinx builds it with furo, opened from
``file://`` at a 1280x900 desktop viewport: the inline SVG is there; a click
on a status scrolls to its entry; zooming (buttons, wheel, keys) makes a
label at least 12 CSS px high; hovering or focusing a status lights exactly
the edges of its transitions (checked against the spec); Tab and Enter
follow a status link; full screen; the page with JavaScript off; furo's
dark mode; no console errors anywhere. The standalone ``html`` output is
opened the same way. Screenshots go to ``test-artifacts/live-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import _AT_TOP, ARTIFACTS, REPO, browser, built_docs  # noqa: F401

import statusdoc
from statusdoc.emit.rst import status_anchors

pytestmark = pytest.mark.browser

SPEC = REPO / "examples" / "baremetal" / "node-states.toml"
VIEWPORT = {"width": 1280, "height": 900}
LIVE = ".statusdoc-live:not(.statusdoc-focus-view)"  # the full diagram, not a focus view


@pytest.fixture(scope="module")
def node() -> Any:
    return statusdoc.load(SPEC)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return (built_docs(tmp_path_factory) / "examples" / "baremetal.html").as_uri()


class Watched:
    """A page whose console errors and uncaught exceptions are collected."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:  # noqa: F811
    """``open_page(url, **context options)`` -> a loaded page; no console error allowed."""
    opened: list[Watched] = []

    def open_(url: str, **options: Any) -> Any:
        watched = Watched(browser.new_context(viewport=VIEWPORT, **options))
        opened.append(watched)
        watched.page.goto(url, wait_until="load")
        return watched.page

    yield open_
    for watched in opened:
        watched.context.close()
    assert [e for w in opened for e in w.errors] == []


def _anchor(machine: Any, status: str) -> str:
    return status_anchors(machine)[status]


def _node(page: Any, machine: Any, status: str) -> Any:
    return page.locator(f"[id='sd-s-{_anchor(machine, status)}']")


def _label_height(page: Any, machine: Any, status: str) -> float:
    return float(_node(page, machine, status).locator("text").evaluate(
        "t => t.getBoundingClientRect().height"))


def _shot(page: Any, name: str, target: Any = None) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (target or page).screenshot(path=str(ARTIFACTS / f"live-{name}.png"))


def _expected_edges(machine: Any, status: str) -> set[str]:
    """Ids of the drawn edges that stand for a transition into or out of ``status``:
    its own edge, the one edge of a wildcard or group rule, the edge from its source
    into a history marker, or the badge it is listed in (the layout decides badges)."""
    from statusdoc.emit.dot import laid_out
    from statusdoc.emit.dotbundle import fanin_svg_id

    badged = {(src, a.head) for a in laid_out(machine).drawing.arrows
              for src, _label in a.absorbed}
    grouped = machine.diagram.wildcards == "group"
    ids = set()
    for index, t in enumerate(machine.transitions):
        if status not in (t.source, t.target):
            continue
        rule = machine.rules[t.rule]
        if grouped and (rule.wildcard or rule.group is not None):
            ids.add(f"sd-w-{rule.index}")
        elif grouped and rule.returns:
            ids.add(f"sd-r-{rule.index}-{rule.sources.index(t.source)}")
        elif (t.source, t.target) in badged:
            ids.add(fanin_svg_id(machine, t.target))
        else:
            ids.add(f"sd-t-{index}")
    return ids


LIT = (f"() => [...document.querySelectorAll('{LIVE} .statusdoc-svg .edge.statusdoc-lit')]"
       ".map(e => e.id)")


def _settled(page: Any) -> None:
    """Wait until the page stops scrolling: furo scrolls smoothly, and a scroll that is
    still running (say, bringing a focused link into view) would cut short the next one."""
    last = None
    for _ in range(50):
        now = page.evaluate("window.scrollY")
        if now == last:
            return
        last = now
        page.wait_for_timeout(100)
    raise AssertionError("the page keeps scrolling")


def _at_top(page: Any, anchor: str) -> bool:
    """``_AT_TOP`` (the entry scrolled to the top) once scrolling has stopped; also
    where the page's own JavaScript is off (wait_for_function needs it)."""
    _settled(page)
    return bool(page.evaluate(_AT_TOP, anchor))


def test_inline_svg_and_a_click_scrolls_to_the_entry(open_page, page_url, node) -> None:
    page = open_page(page_url)
    svg = page.locator(f"{LIVE} svg.statusdoc-svg")
    assert svg.count() == 1 and page.locator("img.statusdoc-diagram").count() == 0
    assert svg.locator("g.statusdoc-state").count() == len(node.states) == 32
    assert len(node.transitions) == 106
    svg.scroll_into_view_if_needed()
    # furo's content column at this viewport: the diagram fills it
    column = page.locator("article").bounding_box()
    box = svg.bounding_box()
    assert 600 < box["width"] <= column["width"] + 1, (box, column)
    _shot(page, "light")
    anchor = _anchor(node, "cleaning")
    _node(page, node, "cleaning").click()
    page.wait_for_function(f"location.hash === '#{anchor}'")
    assert _at_top(page, anchor)
    assert "cleaning" in page.locator(f"[id='{anchor}']").inner_text()


def test_zoom_buttons_wheel_and_keys_make_labels_readable(open_page, page_url, node) -> None:
    page = open_page(page_url)
    page.locator(LIVE).scroll_into_view_if_needed()
    before = _label_height(page, node, "active")
    assert before < 12, before  # unreadable at the column's width: the reason for zooming
    zoom_in = page.get_by_role("button", name="Zoom in (+)")
    clicks = 0
    while _label_height(page, node, "active") < 12:
        zoom_in.click()
        clicks += 1
        assert clicks <= 5, "five clicks on + do not make a label 12 px high"
    _node(page, node, "active").scroll_into_view_if_needed()
    _shot(page, "zoomed", page.locator(LIVE))
    page.get_by_role("button", name="Fit the whole diagram (0)").click()
    assert _label_height(page, node, "active") == pytest.approx(before, abs=0.1)

    # the wheel over the diagram scrolls the page until the diagram has focus ...
    page.evaluate("document.activeElement.blur()")  # (the Fit button had it)
    viewport = page.locator(f"{LIVE} .statusdoc-viewport")
    target = _node(page, node, "manageable").bounding_box()
    x, y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
    page.mouse.move(x, y)
    scrolled = page.evaluate("window.scrollY")
    page.mouse.wheel(0, 200)
    page.wait_for_function(f"window.scrollY !== {scrolled}")
    assert _label_height(page, node, "manageable") < 12
    # ... then it zooms, around the pointer: the status under it stays under it
    viewport.focus()
    _settled(page)  # the page's smooth scroll (wheel, focus) must not move it meanwhile
    target = _node(page, node, "manageable").bounding_box()
    x, y = target["x"] + target["width"] / 2, target["y"] + target["height"] / 2
    page.mouse.move(x, y)
    for _ in range(4):
        page.mouse.wheel(0, -300)
    page.wait_for_timeout(100)
    assert _label_height(page, node, "manageable") >= 12
    after = _node(page, node, "manageable").bounding_box()
    assert after["x"] <= x <= after["x"] + after["width"]
    assert after["y"] <= y <= after["y"] + after["height"]

    # keys, while the diagram has focus: 0 fits, + zooms, arrows pan
    viewport.focus()
    view = f"() => document.querySelector('{LIVE} .statusdoc-svg').getAttribute('viewBox')"
    page.keyboard.press("0")
    home = [float(v) for v in page.evaluate(view).split()]
    page.keyboard.press("+")
    page.keyboard.press("+")
    zoomed = [float(v) for v in page.evaluate(view).split()]
    assert zoomed[2] < home[2] / 1.9
    page.keyboard.press("ArrowRight")
    assert float(page.evaluate(view).split()[0]) > zoomed[0]
    page.keyboard.press("-")
    page.keyboard.press("0")
    assert [float(v) for v in page.evaluate(view).split()] == home


@pytest.mark.parametrize("status", ["manageable", "active", "error", "inspect wait", "deleted"])
def test_hover_lights_exactly_the_transitions_of_a_status(open_page, page_url, node,
                                                          status) -> None:
    page = open_page(page_url)
    page.locator(LIVE).scroll_into_view_if_needed()
    expected = _expected_edges(node, status)
    assert expected  # every one of these statuses has transitions
    _node(page, node, status).hover()
    assert set(page.evaluate(LIT)) == expected
    opacity = "id => getComputedStyle(document.getElementById(id)).opacity"
    lit = sorted(expected)[0]
    others = page.evaluate(
        f"() => [...document.querySelectorAll('{LIVE} .statusdoc-svg .edge:not(.statusdoc-lit)')]"
        ".map(e => e.id).filter(Boolean)")
    assert others
    page.wait_for_function(f"ids => ids.every(id => ({opacity})(id) < 0.5)", arg=others)
    assert page.evaluate(opacity, lit) == "1"
    if status == "active":
        _shot(page, "hover", page.locator(LIVE))
    page.mouse.move(5, 5)  # leaving the diagram puts the light out
    assert page.evaluate(LIT) == []


def test_keyboard_tab_reaches_a_status_and_enter_follows_it(open_page, page_url, node) -> None:
    page = open_page(page_url)
    viewport = page.locator(f"{LIVE} .statusdoc-viewport")
    assert viewport.get_attribute("tabindex") == "0"
    viewport.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const a = document.activeElement; const g = a.closest('.statusdoc-state');"
        " return [a.tagName, a.getAttribute('href'), g && g.id]; }")
    assert focused[0] == "a" and focused[2], focused
    status = next(s.name for s in node.states if f"sd-s-{_anchor(node, s.name)}" == focused[2])
    assert focused[1] == f"#{_anchor(node, status)}"
    # focus lights the status's transitions as hovering does
    assert set(page.evaluate(LIT)) == _expected_edges(node, status)
    _settled(page)  # Tab brought the link into view, smoothly
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '#{_anchor(node, status)}'")
    assert _at_top(page, _anchor(node, status))


def test_full_screen(open_page, page_url, node) -> None:
    page = open_page(page_url)
    page.locator(LIVE).scroll_into_view_if_needed()
    page.get_by_role("button", name="Full screen").click()
    page.wait_for_function(
        f"() => document.querySelector('{LIVE}').classList.contains('statusdoc-full')")
    box = page.locator(f"{LIVE} svg").bounding_box()
    assert box["width"] > 1200 and box["height"] > 700, box
    page.get_by_role("button", name="Zoom in (+)").click()
    page.get_by_role("button", name="Zoom in (+)").click()
    _shot(page, "full")
    page.get_by_role("button", name="Exit full screen").click()
    page.wait_for_function(
        f"() => !document.querySelector('{LIVE}').classList.contains('statusdoc-full')")
    assert page.locator(f"{LIVE} svg").bounding_box()["width"] < 1000


def test_without_javascript_the_diagram_is_scaled_and_linked(open_page, page_url, node) -> None:
    page = open_page(page_url, java_script_enabled=False)
    svg = page.locator(f"{LIVE} svg.statusdoc-svg")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    column = page.locator("article").bounding_box()
    assert 600 < box["width"] <= column["width"] + 1 and box["height"] > 300, box
    assert page.locator(".statusdoc-controls").count() == 0  # the script makes them
    assert page.locator(f"{LIVE} .statusdoc-fullsize a").is_visible()  # <noscript>: full-size image
    _shot(page, "nojs")
    anchor = _anchor(node, "rescue wait")
    _node(page, node, "rescue wait").click()
    page.wait_for_url(f"**#{anchor}")
    assert _at_top(page, anchor)


@pytest.mark.parametrize("how", ["system", "toggle"])
def test_furo_dark_mode_inverts_the_drawing(open_page, page_url, node, how) -> None:
    if how == "system":  # furo's default "auto" theme, the reader's system in dark mode
        page = open_page(page_url, color_scheme="dark")
    else:  # furo's theme toggle, stored in localStorage
        page = open_page(page_url)
        page.evaluate("localStorage.setItem('theme', 'dark')")
        page.reload(wait_until="load")
        assert page.evaluate("document.body.dataset.theme") == "dark"
    svg = page.locator(f"{LIVE} svg")
    svg.scroll_into_view_if_needed()
    assert "invert" in svg.evaluate("s => getComputedStyle(s).filter")
    background = svg.locator("g.graph > polygon").first
    assert background.evaluate("p => getComputedStyle(p).fill") == "rgba(0, 0, 0, 0)"
    # the page behind is dark, so the inverted drawing keeps its contrast
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(int(c) for c in body[body.index("(") + 1:-1].split(",")[:3]) < 150, body
    _node(page, node, "active").hover()
    _shot(page, f"dark-{how}", page.locator(LIVE))


def test_standalone_html_page_from_file(open_page, node, tmp_path: Path) -> None:
    from statusdoc.emit.dot import emit_dot
    from statusdoc.htmlpage import html_page, page_source
    from statusdoc.render import render

    source_name = "examples/baremetal/node-states.toml"
    page_file = tmp_path / "node-states.html"
    page_file.write_text(html_page(page_source(node, source_name=source_name),
                                   render(emit_dot(node, source_name=source_name), "svg")))
    for options, name in (({}, "standalone"), ({"color_scheme": "dark"}, "standalone-dark"),
                          ({"java_script_enabled": False}, "standalone-nojs")):
        page = open_page(page_file.as_uri(), **options)
        svg = page.locator(f"{LIVE} svg.statusdoc-svg")
        assert svg.locator("g.statusdoc-state").count() == 32
        svg.scroll_into_view_if_needed()
        _shot(page, name)
        has_script = "java_script_enabled" not in options
        assert page.locator(".statusdoc-controls").count() == (1 if has_script else 0)
        if has_script:
            _node(page, node, "clean wait").hover()
            assert set(page.evaluate(LIT)) == _expected_edges(node, "clean wait")
            before = _label_height(page, node, "clean wait")
            page.get_by_role("button", name="Zoom in (+)").click()
            assert _label_height(page, node, "clean wait") > before * 1.3
            page.get_by_role("button", name="Fit the whole diagram (0)").click()
        anchor = _anchor(node, "clean wait")
        _node(page, node, "clean wait").click()
        page.wait_for_url(f"**#{anchor}")
        _settled(page)
        entry = page.locator(f"[id='{anchor}']").bounding_box()
        assert 0 <= entry["y"] < 120, entry
