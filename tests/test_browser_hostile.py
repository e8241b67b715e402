"""The pages of a hostile spec, hovered, clicked and tabbed through in headless Chromium.

Issue 13, acceptance: "a browser test opens the built page and the
standalone SVG of a hostile spec in the project's headless Chromium and
asserts that no dialog fires and no navigation happens while hovering and
clicking every element".

The spec (valid; the ``allow-unsafe-rst`` opt-out is not used) carries
scripts, event handlers, ``javascript:``/``data:`` URLs, network paths,
``meta`` refreshes and RST/Markdown link syntax in every plain-text field
(status names, labels, events, guards, title, tag, legend, group, deprecation
reason, entry labels), and its descriptions use every RST construct the
safety check allows (``test_rstsafety.SAFE`` and more: admonitions, tables,
code, images from the spec's directory and from https, roles, footnotes,
substitutions, every link form). statusdoc makes three pages of it:

(a) the Sphinx page (``sphinx-build``, furo, the live diagram on),
(b) the standalone SVG (``statusdoc generate --format svg``),
(c) the standalone ``html`` page (``statusdoc generate --format html``).

Each is opened from ``file://`` and driven by ``tests/browser_support.py``:
every SVG node, edge and element, every link, image and button hovered and
clicked with the mouse, pointer/focus/key events dispatched on every
element, Tab round the whole page with Enter on each stop. Asserted: no
dialog, no popup, no error, no request but to the https links and image the
descriptions wrote (answered with an empty 204: nothing leaves the machine),
and no navigation but to a relative link the spec wrote or to an image
Sphinx links to its full-size file. A control page proves the harness sees
each of those when it happens.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from browser_support import Watched, exercise
from cli_support import REPO, run
from injection_support import SHAPES
from test_browser import browser  # noqa: F401 - the shared Chromium fixture
from test_rstsafety import SAFE

pytestmark = pytest.mark.browser

#: More constructs the safety check allows, beyond test_rstsafety.SAFE.
MORE_RST = [
    ".. topic:: Topic\n\n   Body.", ".. sidebar:: Side\n\n   Body.", ".. epigraph::\n\n   Quote.",
    ".. highlights::\n\n   Point.", ".. pull-quote::\n\n   Pulled.", ".. compound::\n\n   Part.",
    ".. line-block::\n\n   One\n   Two", ".. parsed-literal::\n\n   *parsed* https://example.org/p",
    ".. code:: python\n\n   print('<script>')",
    ".. table:: T\n\n   ===  ===\n   a    b\n   ===  ===",
    ".. attention:: A.", ".. caution:: C.", ".. danger:: D.", ".. error:: E.", ".. hint:: H.",
    ".. important:: I.", ".. tip:: T.", ".. class:: special\n\nClassed.", ".. centered:: Middle",
    ".. rst-class:: wide\n\nWide.", ".. glossary::\n\n   image\n      A picture.",
    ".. todo:: Later.", ".. versionchanged:: 2.1 Changed.", ".. versionremoved:: 3.0 Gone.",
    ".. highlight:: python", ":pep:`8` and :rfc:`2822`, :sup:`2` :sub:`x` :title-reference:`T`",
    ":guilabel:`&OK` :menuselection:`A --> B` :samp:`x {y}` :dfn:`d` :command:`ls`",
    ":option:`-x` :envvar:`HOME` :mimetype:`text/html` :newsgroup:`comp.x` :manpage:`ls(1)`",
    ":regexp:`a+` :makevar:`CC` :mailheader:`To` :keyword:`if` :program:`p` :any:`x`",
    ":class:`C` :meth:`m` :mod:`os` :attr:`a` :exc:`E` :obj:`o` :data:`d` :const:`K`",
    "Anonymous `link <https://example.org/anon>`__ and `named <https://example.org/n>`_ too.",
    "Auto footnote [#]_ and citation [CIT2002]_.\n\n.. [#] Auto.\n\n.. [CIT2002] A book.",
    "Mail ops@example.org, https://example.org/bare and <https://example.org/angle>.",
    ".. |logo| image:: detail.png\n\nLogo: |logo|",
]
#: Hosts the descriptions (and the pep/rfc roles) link to: the only requests allowed.
WEB_HOSTS = frozenset({"example.com", "docs.example.com", "example.org", "peps.python.org",
                       "datatracker.ietf.org", "tools.ietf.org", "www.rfc-editor.org"})
#: Relative links written in the descriptions (test_rstsafety.SAFE): followed when clicked.
RELATIVE_LINKS = ["../index.html"]
#: Where the payloads point: never requested, never reached.
PAYLOAD_HOST = "evil.example"


def _shape(i: int) -> str:
    return SHAPES[i % len(SHAPES)]


def hostile_spec() -> dict[str, Any]:
    """A valid spec: hostile plain text everywhere, every allowed construct in prose."""
    names = [
        "<script>alert('name')</script>", "javascript:alert(document.domain)//x",
        '" onmouseover="alert(2)" x="', "//evil.example/x <img src=x onerror=alert(3)>",
        "[x](javascript:alert(4)) `y <javascript:alert(4)>`_",
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    ]
    tag = "' onclick='alert(5)"
    group = "<svg onload=alert(6)>"
    prose = iter(_chunks(SAFE + MORE_RST, 14))
    text = itertools.count(3)  # SHAPES from the fourth on (the first three are names too)
    states: dict[str, Any] = {
        name: {"label": f"{_shape(next(text))} {i}", "description": next(prose)}
        for i, name in enumerate(names)
    }
    states[names[2]].update(tags=[tag], group=group)
    states[names[3]]["deprecated"] = _shape(next(text))
    states[names[5]]["final"] = True
    rules = [(names[0], names[2]), (names[1], names[4]), (names[2], names[5]),
             (names[4], names[5]), ({"group": group}, names[5]), ("*", names[1])]
    transitions = []
    for index, (source, target) in enumerate(rules):
        rule: dict[str, Any] = {"from": source, "to": target, "label": _shape(next(text)),
                                "event": f"{_shape(next(text))} {index}",
                                "description": next(prose)}
        if index < 2:
            rule.update(guard=_shape(next(text)), tags=[tag])
        transitions.append(rule)
    return {
        "machine": {"name": "hostile", "title": _shape(next(text)), "initial": names[:2],
                    "initial_label": {names[0]: _shape(next(text)), names[1]: _shape(next(text))},
                    "intro": next(prose)},
        "groups": {group: {"title": _shape(next(text)), "description": next(prose)}},
        "states": states,
        "transitions": transitions,
        "diagram": {"tags": {tag: {"style": "dashed", "legend": _shape(next(text))}}},
    }


def _chunks(items: list[str], count: int) -> list[str]:
    return ["\n\n".join(items[i::count]) for i in range(count)]


def _write_spec(where: Path) -> Path:
    where.mkdir(parents=True)
    spec = where / "hostile.json"
    spec.write_text(json.dumps(hostile_spec(), indent=1), encoding="utf-8")
    picture = REPO / "examples" / "glance" / "image-statuses.png"
    shutil.copy(picture, where / "detail.png")
    (where / "diagrams").mkdir()
    shutil.copy(picture, where / "diagrams" / "detail.png")
    return spec


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The three pages of the hostile spec: ``sphinx``, ``svg``, ``html``."""
    root = tmp_path_factory.mktemp("hostile")
    spec = _write_spec(root / "spec")  # the pages beside it: its images are found
    done = run(["generate", spec.name, "--format", "svg,html"], spec.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    site = root / "site"
    _write_spec(site)
    (site / "conf.py").write_text(
        'extensions = ["statusdoc.sphinxext", "sphinx.ext.todo"]\nhtml_theme = "furo"\n'
        "todo_include_todos = True\n", encoding="utf-8")
    (site / "index.rst").write_text(".. statusdoc:: hostile.json\n", encoding="utf-8")
    build = subprocess.run(
        [str(Path(sys.executable).with_name("sphinx-build")), "-q", "-b", "html", str(site),
         str(site / "_build")], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    # (docutils' own complaints, such as a sidebar inside a list item, are not ours)
    assert "ERROR: statusdoc" not in build.stderr, build.stderr
    html = (site / "_build" / "index.html").read_text("utf-8")
    assert '<div class="statusdoc-live' in html and "<img" in html
    return {"sphinx": site / "_build" / "index.html", "svg": spec.with_suffix(".svg"),
            "html": spec.with_suffix(".html")}


def _outbound_problems(seen: Watched) -> list[str]:
    problems = []
    for url, kind, _navigation in seen.requests:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.hostname not in WEB_HOSTS:
            problems.append(f"{kind} request to {url}")
    return problems


def _navigation_problems(seen: Watched, home: Path, images: Path | None) -> list[str]:
    allowed = {urljoin(home.as_uri(), link) for link in RELATIVE_LINKS}
    problems = []
    for url in seen.navigations:
        target = url.partition("#")[0]
        in_images = images is not None and target.startswith(images.as_uri() + "/")
        if target not in allowed and not in_images:
            problems.append(f"navigation to {url}")
    return problems


def _assert_inert(seen: Watched, home: Path, images: Path | None = None) -> None:
    assert seen.dialogs == []
    assert seen.popups == []
    assert seen.errors == []
    assert _outbound_problems(seen) == []
    assert _navigation_problems(seen, home, images) == []
    everything = " ".join([*(u for u, _k, _n in seen.requests), *seen.navigations])
    assert PAYLOAD_HOST not in everything


def test_the_harness_sees_dialogs_requests_and_navigation(browser, tmp_path) -> None:  # noqa: F811
    """The control: a page that does each forbidden thing is caught doing it."""
    page = tmp_path / "control.html"
    (tmp_path / "other.html").write_text("<p>elsewhere</p>")
    page.write_text(
        "<!DOCTYPE html><html><body>"
        '<svg width="200" height="100"><g class="node" onmouseover="alert(1)">'
        '<rect width="100" height="50"/></g></svg>'
        f'<p><img src="https://{PAYLOAD_HOST}/x.png" alt="x"></p>'
        '<p><a href="other.html">away</a></p>'
        "</body></html>")
    seen = exercise(browser, page.as_uri())
    assert seen.dialogs and seen.dialogs[0] == "alert: 1"
    # (the page is loaded again for each round of Tab: the image is requested each time)
    assert set(_outbound_problems(seen)) == {f"image request to https://{PAYLOAD_HOST}/x.png"}
    assert set(_navigation_problems(seen, page, None)) == {
        f"navigation to {(tmp_path / 'other.html').as_uri()}"}


def _report(name: str, seen: Watched) -> dict[str, int]:
    counts = dict(seen.counts)
    print(f"{name}: {counts}; requests answered: {len(seen.requests)}, "
          f"navigations: {len(seen.navigations)}")
    return counts


def test_sphinx_page_of_a_hostile_spec_is_inert(browser, pages) -> None:  # noqa: F811
    home = pages["sphinx"]
    seen = exercise(browser, home.as_uri(), scope="article")
    _assert_inert(seen, home, images=home.parent / "_images")
    counts = _report("sphinx", seen)
    assert counts["svg nodes"] >= 6 and counts["svg edges"] >= 6  # (entry points too)
    assert counts["buttons"] == 4  # zoom in, zoom out, fit, full screen
    assert seen.requests, "the https image of a description is requested (and answered)"
    assert documented_elements("sphinx") == exercised(counts)


def test_standalone_svg_of_a_hostile_spec_is_inert(browser, pages) -> None:  # noqa: F811
    home = pages["svg"]
    seen = exercise(browser, home.as_uri(), scope="svg", svg="svg")
    _assert_inert(seen, home)
    assert seen.requests == [] and seen.navigations == []
    counts = _report("svg", seen)
    assert counts["svg nodes"] >= 6
    assert documented_elements("svg") == exercised(counts)


def test_standalone_html_page_of_a_hostile_spec_is_inert(browser, pages) -> None:  # noqa: F811
    home = pages["html"]
    seen = exercise(browser, home.as_uri())
    _assert_inert(seen, home)
    counts = _report("html", seen)
    assert counts["svg nodes"] >= 6 and counts["buttons"] == 4
    assert documented_elements("html") == exercised(counts)


# -- the count in docs/robustness.rst -------------------------------------------------


def exercised(counts: dict[str, int]) -> int:
    """Elements hovered and clicked, plus Tab stops (each pressed Enter on if in scope)."""
    clicked = ("svg elements", "links and focusable elements", "buttons")
    return sum(counts.get(kind, 0) for kind in clicked) + counts.get("tab stops", 0)


def documented_elements(page: str) -> int:
    """The count docs/robustness.rst gives for ``page`` (see test_robustness_counts.py)."""
    text = re.sub(r"\s+", " ", (REPO / "docs" / "robustness.rst").read_text("utf-8"))
    label = {"sphinx": "the Sphinx page", "svg": "the SVG", "html": "the html page"}[page]
    match = re.search(rf"\*\*([\d,]+)\*\* on {label}\b", text)
    assert match, f"docs/robustness.rst gives no count for {label}"
    return int(match.group(1).replace(",", ""))
