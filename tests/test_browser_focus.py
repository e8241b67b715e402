"""Focus views in a real headless Chromium (issue 11 item 2 and its acceptance).

A 30-status, 90-transition machine built by Sphinx with furo, opened from
``file://`` at a 1280x900 desktop viewport (furo's default content width):
every status entry shows its focus view as inline SVG whose status and edge
labels are at least 11 CSS px high with no zoom; a status node in a focus
view links to that status's entry (a click scrolls there). Screenshots go to
``/tmp/statusdoc-screenshots/focus-*.png`` for review by eye.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import _AT_TOP, browser  # noqa: F401

import statusdoc
from statusdoc.emit.rst import status_anchors

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/statusdoc-screenshots")
VIEWPORT = {"width": 1280, "height": 900}
FOCUS = ".statusdoc-live.statusdoc-focus-view"
STATUSES = 30
#: Each status leads to the next three after it (wrapping): 90 transitions.
STEPS = (1, 2, 7)


def big_spec() -> str:
    names = [f"status_{i:02d}" for i in range(STATUSES)]
    out = ['[machine]\nname = "big"\ntitle = "Big"\ninitial = "status_00"\n']
    out += [f'[states.{n}]\ndescription = "Status number {i}."\n' for i, n in enumerate(names)]
    for i, source in enumerate(names):
        for step in STEPS:
            out.append(f'[[transitions]]\nfrom = "{source}"\nto = "{names[(i + step) % STATUSES]}"'
                       f'\nlabel = "step {step}"\n')
    return "\n".join(out)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    src = tmp_path_factory.mktemp("focus-src")
    (src / "big.toml").write_text(big_spec(), encoding="utf-8")
    (src / "conf.py").write_text('extensions = ["statusdoc.sphinxext"]\nhtml_theme = "furo"\n',
                                 encoding="utf-8")
    (src / "index.rst").write_text("Big\n===\n\n.. statusdoc:: big.toml\n   :no-title:\n",
                                   encoding="utf-8")
    out = src / "_build"
    proc = subprocess.run([str(Path(sys.executable).with_name("sphinx-build")), "-q", "-W",
                           "-b", "html", str(src), str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out / "index.html", statusdoc.load(src / "big.toml")


@pytest.fixture
def page(browser: Any, built: tuple[Path, Any]) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport=VIEWPORT)
    errors: list[str] = []
    opened = context.new_page()
    opened.on("console", lambda m: m.type == "error" and errors.append(m.text))
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.goto(built[0].as_uri(), wait_until="load")
    yield opened
    context.close()
    assert errors == []


def _heights(page: Any, selector: str) -> list[float]:
    return [float(h) for h in page.locator(selector).evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().height)")]


def test_focus_view_labels_are_readable_without_zoom(page, built) -> None:
    machine = built[1]
    assert (len(machine.states), len(machine.transitions)) == (STATUSES, 90)
    views = page.locator(FOCUS)
    assert views.count() == STATUSES
    column = page.locator("article").bounding_box()["width"]
    assert 600 < column < 800  # furo's content width at this viewport
    for i in range(STATUSES):
        view = views.nth(i)
        assert view.bounding_box()["width"] <= column + 1
        nodes = _heights(view, ".statusdoc-state text")
        edges = _heights(view, ".statusdoc-transition text")
        # the status, 3 successors, 3 predecessors; an edge label per transition
        assert len(nodes) == 7 and len(edges) == 6, i
        assert min(nodes) >= 11 and min(edges) >= 11, (i, min(nodes), min(edges))
    SHOTS.mkdir(parents=True, exist_ok=True)
    views.nth(5).scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "focus-entry.png"))
    views.nth(5).screenshot(path=str(SHOTS / "focus-view.png"))


def test_a_status_in_a_focus_view_links_to_its_entry(page, built) -> None:
    machine = built[1]
    anchors = status_anchors(machine)
    view = page.locator(FOCUS).nth(3)  # status_03: leads to 04, 05, 10
    view.scroll_into_view_if_needed()
    target = anchors["status_10"]
    node = view.locator(f"[id='sd-s-{target}_focus-status-03']")
    assert node.locator("a").get_attribute("href") == f"#{target}"
    node.click()
    page.wait_for_function(f"location.hash === '#{target}'")
    last = None
    for _ in range(50):  # until scrolling (furo scrolls smoothly) has stopped
        now = page.evaluate("window.scrollY")
        if now == last:
            break
        last = now
        page.wait_for_timeout(100)
    assert page.evaluate(_AT_TOP, target)
    page.screenshot(path=str(SHOTS / "focus-after-click.png"))
