"""One hostile spec through every published output: nothing can script or navigate.

Issue 13, acceptance ("a property test"): Hypothesis draws specs whose
plain-text fields (status names, labels, events, guards, titles, tag names
and legends, group names and titles, deprecation reasons, entry labels) are
arbitrary Unicode with URL-like strings, markup, handlers, refresh text and
RST/Markdown link syntax over-represented (``tests/injection_support.py``).
Each spec goes through

- the RST page, written by docutils' HTML5 writer;
- a real Sphinx HTML build (furo, the live inline SVG on), one project
  rebuilt incrementally for every example;
- the Markdown page, rendered by markdown-it-py (and the other engines of
  ``tests/md_support.py``);
- the standalone ``html`` page;
- the SVG statusdoc renders, read with its own safe XML parser.

Every HTML page is read with :mod:`html.parser` (``tests/html_audit.py``):
no ``<script>`` but statusdoc's own (identified by file and content hash)
and the theme's (the exact set of a control build of a harmless spec), no
``on*`` attribute, no ``<meta http-equiv=refresh>``, and no URL attribute
but a ``#fragment`` or a link the page carries whatever the spec says (the
theme's, the image statusdoc rendered). A field with a control character
must be refused by validation with a located message (no exception); the
example then goes on without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from html_audit import audit, docutils_html
from hypothesis import HealthCheck, assume, given, settings
from injection_support import (
    SphinxProject,
    check_shipped_script,
    foreign_urls,
    has_controls,
    hostile_specs,
    statusdoc_scripts,
    svg_problems,
    without_controls,
)
from md_support import ENGINES, unsafe_renderings

from statusdoc.emit.dot import emit_dot
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.rst import emit_rst
from statusdoc.htmlpage import html_page, page_source
from statusdoc.render import ENV_COMMAND, render
from statusdoc.spec.api import validate_text
from statusdoc.spec.model import Machine

#: Examples per run (docs/robustness.rst states it; tests/test_robustness_counts.py checks).
EXAMPLES = 30
HARMLESS = {
    "machine": {"name": "m", "title": "Doors", "initial": "open"},
    "states": {"open": {}, "shut": {"final": True}},
    "transitions": [{"from": "open", "to": "shut", "label": "close"}],
}


class Site:
    """The shared Sphinx project and what its pages carry whatever the spec says."""

    def __init__(self, project: SphinxProject) -> None:
        self.project = project
        control = audit(project.page(HARMLESS))
        self.scripts = frozenset(control.scripts)
        assert statusdoc_scripts() & self.scripts == {"src:_static/statusdoc-live.js"}
        check_shipped_script(project.outdir)
        images = project.images()
        self.theme_urls = frozenset(v for _t, _n, v in control.urls) - images
        assert len(images) == 1 and images <= {v for _t, _n, v in control.urls}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    project = SphinxProject(tmp_path_factory.mktemp("sphinx") / "src")
    try:
        yield Site(project)
    finally:
        project.cleanup()


@pytest.fixture(autouse=True, scope="module")
def _no_override() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_COMMAND, raising=False)
        yield


def _validated(data: dict[str, Any]) -> Machine:
    """The machine of ``data``; a control character is first refused, cleanly."""
    if has_controls(data):
        report = validate_text(json.dumps(data), "json", filename="spec.json")
        assert not report.ok()
        assert any("control character" in p.message for p in report.problems)
        assert all(p.line > 0 for p in report.problems)
        data = without_controls(data)
    report = validate_text(json.dumps(data), "json", filename="spec.json")
    assume(report.ok())  # e.g. two names that differ only in a control character
    assert report.machine is not None
    return report.machine


def _clean_html(page: str, *, scripts: frozenset[str], urls: frozenset[str],
                web_links: bool = False) -> list[str]:
    found = audit(page, allowed_scripts=scripts)
    return found.problems + foreign_urls(found.urls, urls, web_links=web_links)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.data_too_large])
@given(data=hostile_specs())
def test_no_output_of_a_hostile_spec_can_script_or_navigate(site: Site,
                                                            data: dict[str, Any]) -> None:
    machine = _validated(data)
    data = without_controls(data)

    rst = emit_rst(machine, source_name="spec.json", image="m.svg")
    assert _clean_html(docutils_html(rst), scripts=frozenset(), urls=frozenset({"m.svg"})) == []

    sphinx = site.project.page(data)
    assert '<div class="statusdoc-live' in sphinx  # the live inline SVG is on the page
    assert _clean_html(sphinx, scripts=site.scripts,
                       urls=site.theme_urls | site.project.images()) == []

    markdown = emit_markdown(machine, source_name="spec.json")
    assert unsafe_renderings(markdown) == {}
    commonmark = ENGINES["markdown-it commonmark"](markdown)
    assert _clean_html(commonmark, scripts=frozenset(), urls=frozenset()) == []
    # linkify links http(s) and e-mail addresses written as text, as GitHub does
    linkified = ENGINES["markdown-it gfm-like+linkify"](markdown)
    assert _clean_html(linkified, scripts=frozenset(), urls=frozenset(), web_links=True) == []

    svg = render(emit_dot(machine, source_name="spec.json"), "svg", spec="spec.json")
    assert svg_problems(svg) == []

    page = html_page(page_source(machine, source_name="spec.json"), svg)
    found = audit(page, allowed_scripts=statusdoc_scripts())
    assert found.problems == [] and foreign_urls(found.urls, ()) == []
    assert len(found.scripts) == 1  # statusdoc's, inlined
