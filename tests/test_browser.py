"""A real browser looks at the built docs (issue 5, part 4).

Builds the project's documentation into a temporary directory, serves it on
127.0.0.1 (ephemeral port, a thread) and drives Debian's ``chromium`` headless
through Playwright — no browser download. Checks that the Glance example's
diagram is shown and draws every status, and that every status link scrolls
to its entry; saves ``test-artifacts/glance.png``. The live diagram itself
(zoom, highlighting, keyboard, JavaScript off) is tested in
``test_browser_live.py``.

A missing ``chromium`` is a failure, not a skip: ``make browser`` installs it
(``tools/ensure_chromium.py``); deselect with ``-m "not browser"`` when you
cannot have it.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import statusdoc

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser

#: True once the element with this id has been scrolled to the top of the viewport
#: (the theme keeps a small scroll margin above targets: allow up to 80 px).
_AT_TOP = """id => {
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top > -5 && r.top < 80;
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def built_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's docs built as HTML, once per test session (shared by the browser tests)."""
    out = tmp_path_factory.getbasetemp() / "docs-html"
    if not (out / "index.html").is_file():
        proc = subprocess.run(
            [str(Path(sys.executable).with_name("sphinx-build")), "-q", "-b", "html",
             str(REPO / "docs"), str(out)],
            capture_output=True, text=True, timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The docs, freshly built and served; yields the base URL."""
    out = built_docs(tmp_path_factory)
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "chromium is not installed: run `make browser` (Debian, as root: apt-get install "
            "chromium), or deselect this test with -m 'not browser'"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_glance_page_diagram_and_status_links(site: str, browser) -> None:
    machine = statusdoc.load(REPO / "examples" / "glance" / "image-statuses.toml")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/examples/glance.html", wait_until="load")

    # The diagram: one inline SVG, drawn at a readable size, drawing every status.
    svg = page.locator(".statusdoc-live svg.statusdoc-svg")
    assert svg.count() == 1
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300, box
    drawn = svg.locator("g.statusdoc-state text").all_text_contents()
    assert sorted(drawn) == sorted(s.label for s in machine.states)
    assert "delete" in svg.locator("desc").text_content()

    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / "glance.png"), full_page=True)
    svg.screenshot(path=str(ARTIFACTS / "glance-diagram.png"))

    # Every status link on the page scrolls to its entry.
    for state in machine.states:
        anchor = f"image-status-{state.name.replace('_', '-')}"
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        link = page.locator(f'article a.reference[href="#{anchor}"]').first
        assert link.count() == 1, f"no link to {anchor}"
        link.click()
        page.wait_for_function(f"location.hash === '#{anchor}'")
        page.wait_for_function(_AT_TOP, arg=anchor, timeout=5000)
        entry = page.locator(f"[id='{anchor}']")
        assert state.name in entry.inner_text()
    page.close()


def test_index_links_reach_every_entry(site: str, browser) -> None:
    """From another page (the general index) each status entry is reached too."""
    machine = statusdoc.load(REPO / "examples" / "glance" / "image-statuses.toml")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for state in machine.states:
        page.goto(f"{site}/genindex.html", wait_until="load")
        anchor = f"image-status-{state.name.replace('_', '-')}"
        page.locator(f'a[href="examples/glance.html#{anchor}"]').first.click()
        page.wait_for_url(f"**/examples/glance.html#{anchor}")
        page.wait_for_function(_AT_TOP, arg=anchor, timeout=5000)
    page.close()


def test_volume_page_groups_and_deprecated_status_are_reached(site: str, browser) -> None:
    """The issue-10 example: a group's :ref: and a deprecated status's :status: link
    scroll to their items; saves ``test-artifacts/volume.png``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/examples/volume.html", wait_until="load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "volume.png"), full_page=True)
    for anchor, text in [("volume-group-errors", "Error statuses"),
                         ("volume-group-in-progress", "Operations in progress"),
                         ("volume-status-downloading", "deprecated: no longer set")]:
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        link = page.locator(f'article a.reference[href="#{anchor}"]').first
        assert link.count() == 1, f"no link to {anchor}"
        link.click()
        page.wait_for_function(f"location.hash === '#{anchor}'")
        page.wait_for_function(_AT_TOP, arg=anchor, timeout=5000)
        assert text in page.locator(f"[id='{anchor}']").inner_text()
    page.close()
