"""Focus views on the standalone ``html`` page in a real headless Chromium.

The docs' 32-status example generated with ``statusdoc generate --format
html`` (focus ``auto``), opened from ``file://`` at a 1280x900 viewport in
the page's own column, with JavaScript on and off: every status entry shows
its focus view, visible, as inline SVG inside that entry, with status and
edge labels at least 11 CSS px high with no zoom; a status in a focus view
links to its entry. A forged page whose SVG holds ``<p/><form
action="javascript:...">`` runs script in Chromium on a click although the
XML check accepts it, and ``statusdoc check`` reports it. Screenshots go to
``/tmp/statusdoc-screenshots/page-focus-*.png`` for review by eye.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import run
from test_browser import _AT_TOP, REPO, browser  # noqa: F401
from test_browser_focus import SHOTS, VIEWPORT, _heights
from test_browser_live import _settled

import statusdoc
from statusdoc.emit.rst import status_anchors
from statusdoc.emit.views import focus_machine
from statusdoc.stamp import Stamp, read_stamp, stamp_image, unstamped
from statusdoc.svgcheck import check_svg

pytestmark = pytest.mark.browser

SPEC = REPO / "examples" / "baremetal" / "node-states.toml"
FOCUS = "div.statusdoc-live.statusdoc-focus-view"
FOCUS_BLOCK = '<div class="statusdoc-live statusdoc-focus-view"'
#: The entry (list item) a focus view is in: the id of its first paragraph.
_ENTRY = "v => v.closest('li').querySelector(':scope > p[id]').id"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page-focus")
    done = run(["generate", str(SPEC), "--format", "html", "--output-dir", str(out)], out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "node-states.html"


@pytest.fixture
def opened(browser: Any, generated: Path) -> Iterator[Any]:  # noqa: F811
    """``opened(**context options)`` -> the generated page, loaded; no console error allowed."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_(**options: Any) -> Any:
        context = browser.new_context(viewport=VIEWPORT, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(generated.as_uri(), wait_until="load")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


@pytest.mark.parametrize("script", [True, False], ids=["js", "nojs"])
def test_each_entry_shows_its_focus_view_readable_without_zoom(opened, script: bool) -> None:
    machine = statusdoc.load(SPEC)
    anchors = status_anchors(machine)
    page = opened(java_script_enabled=script)
    views = page.locator(FOCUS)
    assert views.count() == len(machine.states) == 32
    column = page.locator("main").evaluate("m => m.clientWidth")
    assert 800 < column < 1000  # the page's own column (60rem) at this viewport
    for i, state in enumerate(machine.states):
        view = views.nth(i)
        view.scroll_into_view_if_needed()
        assert view.is_visible(), state.name
        assert view.evaluate(_ENTRY) == anchors[state.name]
        box = view.locator("svg").bounding_box()
        assert box["width"] <= column and box["height"] > 40, (state.name, box)
        drawn = focus_machine(machine, state.name)
        nodes = _heights(view, ".statusdoc-state text")
        edges = _heights(view, ".statusdoc-transition text")
        assert len(nodes) == len(drawn.states), state.name
        assert min(nodes) >= 11 and (not edges or min(edges) >= 11), (state.name, nodes, edges)
    assert page.locator(".statusdoc-controls").count() == (33 if script else 0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = "js" if script else "nojs"
    views.nth(2).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"page-focus-entry-{name}.png"))
    views.nth(2).screenshot(path=str(SHOTS / f"page-focus-view-{name}.png"))


@pytest.mark.parametrize("script", [True, False], ids=["js", "nojs"])
def test_a_status_in_a_focus_view_links_to_its_entry(opened, script: bool) -> None:
    machine = statusdoc.load(SPEC)
    anchors = status_anchors(machine)
    page = opened(java_script_enabled=script)
    view = page.locator(FOCUS).nth(machine.state_names.index("verifying"))
    view.scroll_into_view_if_needed()
    target = anchors["manageable"]
    node = view.locator(f"[id='sd-s-{target}_focus-verifying']")
    assert node.locator("a").get_attribute("href") == f"#{target}"
    node.click()
    page.wait_for_url(f"**#{target}")
    _settled(page)
    assert page.evaluate(_AT_TOP, target)


def test_a_forged_view_that_leaves_the_svg_runs_script_and_check_reports_it(
        browser: Any, tmp_path: Path) -> None:  # noqa: F811
    """Why ``check`` reads more than the XML check: this markup passes
    :func:`check_svg`, and Chromium makes the form HTML."""
    (tmp_path / "node-states.toml").write_bytes(SPEC.read_bytes())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = "node-states.toml"\n'
        'output-dir = "."\noutputs = ["html"]\n')
    page_file = tmp_path / "node-states.html"
    assert run(["generate"], tmp_path).returncode == 0
    assert run(["check"], tmp_path).returncode == 0
    text = unstamped(page_file.read_bytes()).decode("utf-8")
    at = text.index("<desc>", text.index(FOCUS_BLOCK))  # in the first focus view
    form = ('<p /><form action="javascript:void(window.forged = 1)">'
            '<button id="forged">go</button></form>')
    forged = text[:at] + form + text[at:]
    start = forged.rindex("<svg ", 0, at)
    check_svg(forged[start:forged.index("</svg>", at) + 6].encode("utf-8"))
    stamp = read_stamp(page_file.read_bytes())
    assert stamp is not None
    page_file.write_bytes(stamp_image(forged.encode("utf-8"), "html",
                                      Stamp(stamp.dot_sha256, stamp.renderer)))
    done = run(["check"], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "unsafe diagram: <p> is not an element statusdoc draws with" in done.stdout
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(page_file.as_uri(), wait_until="load")
    assert page.locator("#forged").evaluate("b => b.namespaceURI") == (
        "http://www.w3.org/1999/xhtml")
    page.locator("#forged").click()
    page.wait_for_function("window.forged === 1")
    context.close()
