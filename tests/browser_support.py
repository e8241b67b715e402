"""Drive a page in headless Chromium the way a curious reader would, and watch it.

:func:`exercise` opens a page from ``file://`` and, inside a scope (the whole
page, or the part statusdoc wrote), hovers and clicks with the real mouse
every SVG element and every link, button, image and focusable element,
dispatches the pointer, focus and key events a handler could listen to on
every element, then Tabs through the whole page and presses Enter on each
stop inside the scope. It records what the page tried to do:

- ``dialogs``: ``alert``/``confirm``/``prompt``/``beforeunload`` (dismissed);
- ``popups``: new windows or tabs;
- ``requests``: every request that is not ``file://`` or ``data:``, answered
  with an empty ``204`` so nothing leaves the machine and no navigation
  follows (``(url, resource type, whether it was a navigation)``);
- ``navigations``: the main frame reaching another document (a fragment
  change stays on the page); the page is then opened again and the walk goes
  on;
- ``errors``: uncaught exceptions and console errors;
- ``counts``: how many elements were hovered and clicked, had events
  dispatched, and were reached with Tab, plus the SVG nodes, edges, links
  and buttons among the clicked ones.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: Events dispatched on every element (not ``click``: a synthetic click on a link
#: follows it, and every link gets a real click anyway).
EVENTS = ["mouseover", "mouseenter", "mousemove", "mousedown", "mouseup", "dblclick",
          "contextmenu", "focus", "focusin", "pointerover", "pointerdown", "pointerup",
          "keydown", "keyup", "wheel", "touchstart"]
#: What gets a real hover and click, besides every SVG element.
INTERACTIVE = "a, button, img, input, select, textarea, summary, [tabindex], [onclick]"

_DISPATCH = """([scope, events]) => {
    const root = document.querySelector(scope);
    const all = [root, ...root.querySelectorAll('*')];
    for (const el of all) {
        for (const type of events) {
            let event;
            const init = {bubbles: true, cancelable: true, key: 'Enter', deltaY: 1};
            if (type.startsWith('key')) event = new KeyboardEvent(type, init);
            else if (type === 'wheel') event = new WheelEvent(type, init);
            else if (type.startsWith('focus')) event = new FocusEvent(type, init);
            else if (type.startsWith('touch')) event = new Event(type, init);
            else event = new MouseEvent(type, init);
            el.dispatchEvent(event);
        }
    }
    return all.length;
}"""
_FOCUSED = """scope => {
    const a = document.activeElement;
    if (!a || a === document.body) return null;
    const path = [];
    for (let e = a; e && e !== document; e = e.parentNode) {
        path.push(e.tagName + ':' + Array.prototype.indexOf.call(e.parentNode.children, e));
    }
    const root = document.querySelector(scope);
    return [path.join('<'), !!(root && root.contains(a))];
}"""


_FULL_SCREEN = ("() => !!document.fullscreenElement"
                " || !!document.querySelector('.statusdoc-overlay')")
_COUNT = "selector => document.querySelectorAll(selector).length"
#: The centre of element ``index`` of ``selector`` in the viewport (scrolled into view
#: when it is not), or null when it is not drawn (``<title>``, ``<noscript>`` content).
_CENTRE = """([selector, index]) => {
    const el = document.querySelectorAll(selector)[index];
    if (!el || !el.checkVisibility()) return null;
    let r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return null;
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
        el.scrollIntoView({block: 'nearest', inline: 'nearest', behavior: 'instant'});
        r = el.getBoundingClientRect();
    }
    const x = Math.min(Math.max(r.x + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.y + r.height / 2, 0), innerHeight - 1);
    return [x, y];
}"""
_REFOCUS = """path => {
    let node = document;
    for (const step of path.split('<').reverse()) {
        node = node && node.children[Number(step.split(':')[1])];
    }
    if (!node) return false;
    node.focus();
    return document.activeElement === node;
}"""


@dataclass
class Watched:
    """What a page tried to do while it was exercised."""

    dialogs: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, bool]] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def _same_document(url: str, home: str) -> bool:
    return url.partition("#")[0] == home.partition("#")[0]


class _Reader:
    def __init__(self, browser: Any, home: str, scope: str) -> None:
        self.home, self.scope = home, scope
        self.seen = Watched()
        self.left = False  # a navigation to another document has started
        self.reloads = 0
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.context.on("page", lambda p: self.seen.popups.append(p.url))
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.seen.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.seen.errors.append(m.text))
        self.page.on("framenavigated", self._navigated)
        self.page.on("request", self._requested)
        self.page.goto(home, wait_until="load")

    def _route(self, route: Any) -> None:
        request = route.request
        if request.url.startswith(("file:", "data:")):
            route.continue_()
            return
        self.seen.requests.append((request.url, request.resource_type,
                                   request.is_navigation_request()))
        route.fulfill(status=204, body="")

    def _dialog(self, dialog: Any) -> None:
        self.seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _requested(self, request: Any) -> None:
        # a navigation to a file: recorded by its target (a missing file ends on an error
        # page); one to the web is answered with 204 by _route and goes nowhere
        if (request.is_navigation_request() and request.frame == self.page.main_frame
                and request.url.startswith("file:")
                and not _same_document(request.url, self.home)):
            self.seen.navigations.append(request.url)
            self.left = True

    def _navigated(self, frame: Any) -> None:
        # any other document the main frame reaches (but the error page of a file above)
        if (frame == self.page.main_frame and not _same_document(frame.url, self.home)
                and not frame.url.startswith(("file:", "chrome-error:"))):
            self.seen.navigations.append(frame.url)

    def back_home(self) -> None:
        """After a navigation, the page again (fresh: the walk continues by index)."""
        self.page.wait_for_timeout(50)  # a click's navigation starts a little later
        if self.left or not _same_document(self.page.url, self.home):
            self.left = False
            self.reloads += 1
            self._goto_home()

    def _goto_home(self) -> None:
        from playwright.sync_api import Error

        for _ in range(5):
            try:
                self.page.goto(self.home, wait_until="load")
                return
            except Error as exc:  # the navigation we came back from was still landing
                if "interrupted by another navigation" not in str(exc):
                    raise
                self.page.wait_for_timeout(200)
        raise AssertionError("cannot open the page again")

    def evaluate(self, script: str, arg: Any) -> Any:
        """``page.evaluate``; when a late navigation pulls the page away, home first."""
        from playwright.sync_api import Error

        for _ in range(3):
            try:
                return self.page.evaluate(script, arg)
            except Error as exc:
                if "destroyed" not in str(exc) and "navigat" not in str(exc):
                    raise
                self.left = True
                self.back_home()
        raise AssertionError("the page keeps navigating away")

    def hover_and_click(self, selector: str, kind: str) -> None:
        """The real mouse over, then a click on, the centre of each element drawn."""
        for index in range(self.evaluate(_COUNT, selector)):
            self.seen.counts[kind] += 1
            centre = self.evaluate(_CENTRE, [selector, index])
            if centre is not None:
                self.page.mouse.move(*centre)
                self.page.mouse.click(*centre)
                self.seen.counts["clicked"] += 1
                self.back_home()

    def dispatch(self) -> None:
        self.seen.counts["events dispatched to"] = self.evaluate(
            _DISPATCH, [self.scope, EVENTS])

    def tab_through(self) -> None:
        """Tab round the whole page once; Enter on each stop inside the scope.

        After an Enter (which may follow a fragment link, open the page again
        or move focus into the diagram) focus is put back on the stop it was
        pressed on, so the next Tab goes on from there.
        """
        self._goto_home()  # Tab starts at the top
        stops: list[str] = []
        misses = 0
        for _ in range(3000):
            reloads = self.reloads
            self.page.keyboard.press("Tab")
            focused = self.evaluate(_FOCUSED, self.scope)
            if self.reloads != reloads and stops:  # a late navigation: go on from the stop
                assert self.evaluate(_REFOCUS, stops[-1]), stops[-1]
                continue
            if focused is None:
                misses += 1
                if misses > 3:
                    break  # past the last stop, focus left the page (or none takes it)
                continue
            misses = 0
            path, inside = focused
            if path in stops:
                break  # round the page once
            stops.append(path)
            if inside:
                self.page.keyboard.press("Enter")
                self.seen.counts["enter pressed"] += 1
                self.back_home()
                assert self.evaluate(_REFOCUS, path), path
                if self.evaluate(_FULL_SCREEN, None):  # it keeps Tab inside: leave it
                    self.page.keyboard.press("Enter")
                    assert not self.evaluate(_FULL_SCREEN, None)
        else:
            raise AssertionError("Tab never came back to a stop it had reached")
        self.seen.counts["tab stops"] = len(stops)

    def close(self) -> Watched:
        self.page.wait_for_timeout(300)  # anything scheduled gets its chance to run
        self.context.close()
        return self.seen


def exercise(browser: Any, url: str, *, scope: str = "body",
             svg: str | None = None) -> Watched:
    """Open ``url``, hover, click, dispatch, Tab and Enter through ``scope``; what it tried.

    ``svg`` selects the SVG root(s) whose elements are all clicked (default: every
    ``<svg>`` inside ``scope``; ``"svg"`` for a standalone SVG file).
    """
    reader = _Reader(browser, url, scope)
    root = svg or f"{scope} svg"
    reader.hover_and_click(f"{root} g.node", "svg nodes")
    reader.hover_and_click(f"{root} g.edge", "svg edges")
    reader.hover_and_click(f"{root}, {root} *", "svg elements")
    links = ", ".join(f"{scope} {part}" for part in INTERACTIVE.split(", "))
    reader.hover_and_click(f":is({links}):not(button)", "links and focusable elements")
    reader.dispatch()
    reader.tab_through()
    reader.hover_and_click(f"{scope} button", "buttons")
    return reader.close()
