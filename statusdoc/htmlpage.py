"""The standalone ``html`` output: one self-contained page with the live diagram.

For projects without Sphinx. The page's content is the ``rst`` output (same
templates, same text), turned into HTML by docutils' own HTML5 writer with
safe settings (no ``raw``, no file insertion, no stylesheet link, messages
off); the figure's image is replaced by the inline SVG of
:mod:`statusdoc.htmldiagram`, so are the images of the focus views and the
overview when the spec's settings show them (:mod:`statusdoc.htmlviews`),
and the stylesheet and script of the live diagram (``statusdoc/static/``)
are inlined: the file needs nothing else, works offline, from ``file://``
and with JavaScript off.

Links in descriptions are kept only when :func:`statusdoc.svgcheck.link_is_safe`
accepts them (http, https, mailto, a fragment or a relative path), decided on
the doctree: ``javascript:`` and ``data:`` links become plain text.

The page is built in two steps so that ``statusdoc check`` needs no
renderer: :func:`page_source` gives the whole page with a placeholder where
each SVG goes (docutils only) and :meth:`PageSource.digest` the hash of
everything the page is made from besides the renderer's SVGs (the views'
DOT included); the page file carries that hash in its stamp (see
:mod:`statusdoc.stamp`). :func:`html_page` puts the decorated SVGs in.
Same spec, same bytes (for a given docutils version: its writer makes the
HTML).
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from statusdoc.emit.views import ViewSetting
from statusdoc.htmldiagram import Marks, marks
from statusdoc.htmlviews import (
    NOT_THE_SPECS,
    Slot,
    cut,
    fill,
    planned,
    problem,
    slots_of,
    swap_views,
)
from statusdoc.spec.model import Machine

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig

__all__ = ["PageSource", "html_page", "page_problem", "page_source"]

#: Bump when the page's shape changes, so older pages are reported stale.
PAGE_FORMAT = "1"
#: What the figure's image is called in the RST the page is made from.
FIGURE_SENTINEL = "statusdoc-live-diagram.svg"
#: Where the diagram goes in :attr:`PageSource.skeleton` (docutils escapes
#: every ``<`` of spec text, so only the raw node we put in can write it).
PLACEHOLDER = "<!-- statusdoc: the live diagram goes here -->"
#: What :func:`page_problem` reports for a page that is not the spec's.
PROBLEM_NOT_THE_SPECS = NOT_THE_SPECS
STATIC = Path(__file__).resolve().parent / "static"

_DOCUTILS_SETTINGS: dict[str, Any] = {
    "raw_enabled": False,
    "file_insertion_enabled": False,
    "report_level": 5,
    "halt_level": 5,
    "warning_stream": False,
    "traceback": True,
    "_disable_config": True,
    "embed_stylesheet": False,
    "stylesheet_path": "",
    "syntax_highlight": "none",
    "math_output": "MathML",
    "input_encoding": "unicode",
    "output_encoding": "unicode",
}


@dataclass(frozen=True, slots=True)
class PageSource:
    """A page without its SVGs: the HTML around them and what each SVG will get.

    ``marks`` and ``description`` are the main diagram's (None: the page has
    no figure); ``views`` the focus views and the overview, each rendered
    from its own DOT (:attr:`view_dots`).
    """

    skeleton: str
    marks: Marks | None
    description: str
    machine: str
    views: tuple[Slot, ...] = ()

    @property
    def view_dots(self) -> tuple[str, ...]:
        """The DOT of each view, in the order :meth:`stamped` takes their SVGs."""
        return tuple(view.dot for view in self.views)

    def slots(self) -> list[Slot]:
        """Every inline SVG's slot: the main diagram's (if any), then the views'."""
        main = [] if self.marks is None else [
            Slot(PLACEHOLDER, self.marks, self.description, self.machine)]
        return main + list(self.views)

    def digest(self, dot: str) -> str:
        """Hex SHA-256 of everything the page is made from but the SVGs (``dot``, the
        views' DOT among it)."""
        parts = [PAGE_FORMAT, dot, self.skeleton, repr(self.marks), self.description]
        parts += [repr(view) for view in self.views]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def problem(self, page: bytes) -> str:
        """Why ``page`` is not this source's page around safe SVGs ("" if it is)."""
        return page_problem(self, page)

    def stamped(self, svg: bytes, digest: str, renderer: str,
                views: Sequence[bytes] = ()) -> bytes:
        """The finished page (:func:`html_page`) as bytes, stamped with ``digest``."""
        from statusdoc.stamp import Stamp, stamp_image

        page = html_page(self, svg, views).encode("utf-8")
        return stamp_image(page, "html", Stamp(digest, renderer))


def _doctree(rst: str) -> nodes.document:
    from docutils.core import publish_doctree

    return publish_doctree(rst, settings_overrides=_DOCUTILS_SETTINGS)


def _html(doctree: nodes.document) -> dict[str, str]:
    """docutils' HTML5 writer's parts for ``doctree``."""
    from docutils.core import Publisher
    from docutils.io import DocTreeInput, StringOutput
    from docutils.readers.doctree import Reader

    publisher = Publisher(reader=Reader(parser_name="null"), source=DocTreeInput(doctree),
                          destination_class=StringOutput)
    publisher.set_writer("html5")
    publisher.process_programmatic_settings(None, _DOCUTILS_SETTINGS, None)
    publisher.set_destination(None, None)
    publisher.publish()
    return {name: part for name, part in publisher.writer.parts.items() if isinstance(part, str)}


def _unlink_unsafe(doctree: nodes.document) -> None:
    """References whose URL could run script (``javascript:``, ``data:``) become text."""
    from statusdoc.svgcheck import link_is_safe

    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri")
        if uri is not None and not link_is_safe(uri, relative=True):
            ref.replace_self(nodes.inline("", "", *ref.children))
    for image in list(doctree.findall(nodes.image)):
        if image["uri"] != FIGURE_SENTINEL and not link_is_safe(image["uri"], relative=True):
            image.replace_self(nodes.inline("", image.get("alt", "")))


def _swap_figure(doctree: nodes.document) -> str | None:
    """Put :data:`PLACEHOLDER` where the figure's image is; its alt text, or None."""
    for image in doctree.findall(nodes.image):
        if image["uri"] == FIGURE_SENTINEL:
            image.replace_self(nodes.raw("", PLACEHOLDER, format="html"))
            return str(image.get("alt", ""))
    return None


def _anchors(machine: Machine, doctree: nodes.document) -> dict[str, str]:
    """Status name -> ``#id`` of its entry in this page."""
    from statusdoc.emit.rst import status_anchors

    links = {}
    for name, anchor in status_anchors(machine).items():
        ident = doctree.nameids.get(nodes.fully_normalize_name(anchor))
        if ident:
            links[name] = f"#{ident}"
    return links


def _asset(name: str) -> str:
    """A file of ``statusdoc/static/``, to be inlined in a ``<style>`` or ``<script>``."""
    text = (STATIC / name).read_text(encoding="utf-8")
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():  # our own files; checked since they are inlined verbatim
        raise ValueError(f"{name} contains {closing}")
    return text


def _shell(title: str, body: str, live: bool) -> str:
    css = _asset("statusdoc-page.css") + (_asset("statusdoc-live.css") if live else "")
    script = f"<script>\n{_asset('statusdoc-live.js')}</script>\n" if live else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{css}</style>\n</head>\n"
        f'<body data-theme="auto" class="statusdoc-page">\n{body}{script}</body>\n</html>\n'
    )


def compose(machine: Machine, config: SpecConfig) -> PageSource:
    """The ``html`` output kind's composer (:mod:`statusdoc.kinds`): the page of
    ``machine`` as ``config`` asks for it, waiting for its SVGs."""
    return page_source(machine, source_name=config.source_name(), templates=config.templates,
                       allow_unsafe_rst=config.allow_unsafe_rst, focus=config.focus,
                       overview=config.overview)


def page_source(machine: Machine, *, source_name: str, templates: str | Path | None = None,
                allow_unsafe_rst: bool = False, focus: ViewSetting = "off",
                overview: ViewSetting = "off") -> PageSource:
    """The page of ``machine`` with placeholders for the SVGs (docutils only).

    ``focus`` and ``overview`` (``auto``, ``on``, ``off``) say whether the
    page shows the focus views and the overview, as the RST page does
    (:func:`statusdoc.emit.views.wanted`); ``statusdoc generate`` passes
    the spec's settings.
    """
    from statusdoc.emit.rst import emit_rst

    images, views = planned(machine, focus=focus, overview=overview)
    rst = emit_rst(machine, source_name=source_name, templates=templates,
                   image=FIGURE_SENTINEL, allow_unsafe_rst=allow_unsafe_rst, views=images)
    doctree = _doctree(rst)
    _unlink_unsafe(doctree)
    alt = _swap_figure(doctree)
    found = swap_views(doctree, views)
    links = _anchors(machine, doctree)
    slots = slots_of(machine, doctree, found, links, source_name)
    parts = _html(doctree)
    title = parts["title"] or html.escape(machine.title or machine.name)
    skeleton = _shell(title, parts["html_body"], live=alt is not None or bool(slots))
    source = PageSource(skeleton, None if alt is None else marks(machine, links), alt or "",
                        machine.name, slots)
    cut(skeleton, source.slots())  # ValueError unless each placeholder is there once
    return source


def html_page(source: PageSource, svg: bytes, views: Sequence[bytes] = ()) -> str:
    """The finished page: ``source`` with the decorated ``svg`` in place of the figure
    and each of ``views`` (rendered from :attr:`PageSource.view_dots`) in its view's place."""
    if len(views) != len(source.views):
        raise ValueError(f"the page shows {len(source.views)} views, got {len(views)} SVGs")
    svgs = ([] if source.marks is None else [svg]) + list(views)
    return fill(source.skeleton, list(zip(source.slots(), svgs, strict=True)))


def page_problem(source: PageSource, page: bytes) -> str:
    """Why ``page`` (a stamped page file) is not ``source`` around safe SVGs; "" if it is.

    A stamp shows that a page was not edited after stamping, but anyone can
    stamp a page. So ``check`` also compares everything around the SVGs
    with what :func:`html_page` writes (no renderer needed) and reads each
    inline SVG (the diagram, every view) with
    :func:`statusdoc.htmldiagram.inline_problem`.
    """
    from statusdoc.stamp import unstamped

    try:
        text = unstamped(page).decode("utf-8")
    except UnicodeDecodeError:
        return PROBLEM_NOT_THE_SPECS
    return problem(source.skeleton, source.slots(), text)
