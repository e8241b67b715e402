"""The live diagram in Sphinx's HTML builders: inline SVG, links, script and stylesheet.

In the ``html``, ``dirhtml`` and ``singlehtml`` builders a diagram rendered
as SVG is written into the page as inline SVG decorated by
:mod:`statusdoc.htmldiagram` (status nodes link to their entries, wherever
they are in the project: the anchors the ``:status:`` role uses), inside a
``<div class="statusdoc-live">`` that ``statusdoc-live.js`` turns into a
zoomable, pannable view. The script and stylesheet ship in the package
(``statusdoc/static/``), are copied to ``_static/`` and are linked only
from pages that show a live diagram (``html-page-context``).

Off switches: the ``:static:`` option of the directives, ``statusdoc_live_diagram
= False``, or a PNG diagram (``:format: png``): then the page has the
``<img>`` it always had. Other HTML-like builders (epub, json, ...) keep the
``<img>`` too.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

from statusdoc.sphinxext.nodes import statusdoc_diagram

logger = logging.getLogger(__name__)

#: Builders that get the live diagram (by name: epub shares their format, not their pages).
LIVE_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})
STATIC = Path(__file__).resolve().parent.parent / "static"
SCRIPT = "statusdoc-live.js"
STYLESHEET = "statusdoc-live.css"


def is_live(builder: Any, node: statusdoc_diagram) -> bool:
    """Whether ``node`` is shown as a live diagram by ``builder``."""
    return (
        builder.name in LIVE_BUILDERS
        and node.get("image_format") == "svg"
        and bool(node.get("live"))
        and bool(builder.config.statusdoc_live_diagram)
    )


def copy_assets(app: Any) -> None:
    """``builder-inited``: put the script and stylesheet in ``_static/`` (before any page)."""
    if app.builder.name not in LIVE_BUILDERS:
        return
    from statusdoc.fsutil import write_atomic  # as the images are written

    static = Path(app.builder.outdir) / "_static"
    for name in (SCRIPT, STYLESHEET):
        data = (STATIC / name).read_bytes()
        dest = static / name
        if not dest.is_file() or dest.read_bytes() != data:
            write_atomic(dest, data, durable=False)


def add_assets(app: Any, pagename: str, templatename: str, context: dict[str, Any],
               doctree: nodes.document | None) -> None:
    """``html-page-context``: link the assets from this page only if it shows a live diagram."""
    if doctree is None:
        return
    if any(is_live(app.builder, node) for node in doctree.findall(statusdoc_diagram)):
        app.add_css_file(STYLESHEET)
        app.add_js_file(SCRIPT, loading_method="defer")


def _links(translator: Any, machine: str) -> dict[str, str]:
    """Status name -> URL of its entry (as the ``:status:`` role links it) for this page."""
    builder = translator.builder
    here = getattr(builder, "current_docname", "")
    statuses = builder.env.domains["statusdoc"].statuses
    links: dict[str, str] = {}
    for (owner, status), (docname, anchor, _line) in statuses.items():
        if owner != machine:
            continue
        if docname == here or builder.name == "singlehtml":
            links[status] = f"#{anchor}"
        else:
            links[status] = f"{builder.get_relative_uri(here, docname)}#{anchor}"
    return links


def visit_live(translator: Any, node: statusdoc_diagram, src: str) -> None:
    """Write ``node`` as a live diagram (``src``: the rendered SVG's URL in ``_images``)."""
    from dataclasses import replace

    from statusdoc.htmldiagram import decorate, live_block
    from statusdoc.svgcheck import UnsafeSVGError

    builder = translator.builder
    path = Path(builder.outdir) / builder.imagedir / node["uri"]
    links = {**_links(translator, node.get("machine", "")), **node.get("local_links", {})}
    marks = node["marks"]
    marks = replace(marks, statuses=tuple(
        replace(m, href=links.get(m.name)) for m in marks.statuses
    ))
    suffix = node.get("id_suffix")  # a focus view or the overview: ids of its own
    if suffix is None:
        count = getattr(translator, "_statusdoc_diagrams", 0) + 1
        translator._statusdoc_diagrams = count
        # "_" as in the views' suffixes: no status slug or hook id has one, so the
        # ids of a page's second diagram cannot equal the first's (a status "x-2")
        suffix = "" if count == 1 else f"_{count}"
    try:
        svg = decorate(path.read_bytes(), marks, suffix=suffix,
                       description=node.get("alt", ""), relative_links=True)
    except (OSError, UnsafeSVGError) as exc:
        logger.warning("statusdoc: cannot show the live diagram of %s: %s (an image is "
                       "shown instead)", node.get("spec", "the spec"), exc, location=node,
                       type="statusdoc", subtype="render")
        return
    fullsize = html.escape(src, quote=True)
    translator.body.append(live_block(
        svg, machine=node.get("machine", ""), classes=node.get("classes", []),
        width=str(node.get("width") or ""),
        after=f'<noscript><p class="statusdoc-fullsize"><a href="{fullsize}">'
        "Open the diagram at full size</a></p></noscript>\n",
    ))
    raise nodes.SkipNode
