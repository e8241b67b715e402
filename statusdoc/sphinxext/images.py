"""Rendering diagrams at write time, and one visit function per builder.

Images are rendered after a doctree is resolved (in the main process, also
for ``-j N`` builds) through :func:`statusdoc.render.render` — the same
backend layer as ``statusdoc generate`` — and cached by content in the
builder's image directory as ``statusdoc-<hash>.<ext>``: the hash covers the
DOT, the format and the renderer, so an image is shared by every page that
shows the same diagram and is never rendered again while the file exists.
:meth:`ImageCache.lookup` is the one place that decides the file and whether
it is there (as ``render_dot`` does in ``sphinx.ext.graphviz``). Writes are
atomic (:func:`statusdoc.fsutil.write_atomic`).

The state of a build (an :class:`ImageCache`) lives on the Sphinx
application, made at ``builder-inited``: never in module globals, so several
builds in one process (tests, ``sphinx-autobuild``) never see each other's.

In a serial build (no ``-j``) rendering *starts* as soon as a document has
been read (:func:`prefetch`, at ``doctree-read``, on a small thread pool;
the renderer is a subprocess, so Sphinx keeps reading meanwhile), and the
``doctree-resolved`` handler collects the result. Parallel builds skip this
and render in the handler: worker processes are forked, and threads do not
mix with fork.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

from statusdoc.sphinxext.nodes import statusdoc_diagram

logger = logging.getLogger(__name__)

#: Builder formats that show images (the others get the text fallback).
IMAGE_BUILDERS = frozenset({"html", "latex"})
#: Builder formats that need one image format whatever the configuration says
#: (LaTeX cannot include SVG).
FORCED_FORMAT = {"latex": "png"}

#: The attribute of the Sphinx application that holds the build's ImageCache.
_APP_ATTRIBUTE = "_statusdoc_image_cache"


def image_format(builder: Any, node: statusdoc_diagram) -> str | None:
    """The image format for builders that show images, None for the text fallback."""
    if builder.format not in IMAGE_BUILDERS:
        return None
    forced = FORCED_FORMAT.get(builder.format)
    if forced:
        return forced
    return str(node.get("format") or builder.config.statusdoc_output_format)


def image_name(dot: str, fmt: str, renderer: str) -> str:
    """The cache file name of ``dot`` rendered to ``fmt`` by ``renderer``."""
    key = hashlib.sha256(f"{renderer}\0{fmt}\0{dot}".encode()).hexdigest()[:20]
    return f"statusdoc-{key}.{fmt}"


@dataclass
class ImageCache:
    """The diagram images of one build: where they go, and what is rendered ahead.

    ``ahead`` is whether rendering may start while Sphinx reads (serial builds
    only); ``pending`` holds those renders by the file they are for.
    """

    imagedir: Path
    renderer: str
    timeout: float
    ahead: bool
    pending: dict[Path, Future[bytes]] = field(default_factory=dict)
    pool: ThreadPoolExecutor | None = None

    def lookup(self, dot: str, fmt: str) -> tuple[Path, bool]:
        """The cache file of ``dot`` rendered to ``fmt``, and whether it exists."""
        path = self.imagedir / image_name(dot, fmt, self.renderer)
        # an empty file is what a power cut can leave of an unflushed write: render again
        return path, path.is_file() and path.stat().st_size > 0

    def submit(self, func: Any, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``func`` on the build's thread pool (started on first use)."""
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="statusdoc-render")
        return self.pool.submit(func, *args, **kwargs)

    def start(self, dot: str, fmt: str, spec: str | None) -> None:
        """Start rendering ``dot`` to ``fmt`` in the background, unless it is cached
        or under way already."""
        path, exists = self.lookup(dot, fmt)
        if exists or path in self.pending:
            return
        from statusdoc.render import render

        self.pending[path] = self.submit(render, dot, fmt, renderer=self.renderer,
                                         timeout=self.timeout, spec=spec)

    def image(self, dot: str, fmt: str, spec: str | None) -> Path:
        """The cache file of ``dot`` as ``fmt``: rendered (or collected from a render
        started ahead) and written when missing. Raises RenderError."""
        from statusdoc.fsutil import write_atomic
        from statusdoc.render import render

        path, exists = self.lookup(dot, fmt)
        ahead = self.pending.pop(path, None)
        if not exists:
            if ahead is not None:
                data = ahead.result()
            else:
                data = render(dot, fmt, renderer=self.renderer, timeout=self.timeout, spec=spec)
            write_atomic(path, data, durable=False)  # a build output, made again if lost
        return path

    def stop(self) -> None:
        """Drop what nobody collected and stop the threads."""
        for future in self.pending.values():
            future.cancel()
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None


def image_cache(app: Any) -> ImageCache:
    """The :class:`ImageCache` of the build ``app`` runs."""
    cache: ImageCache = getattr(app, _APP_ATTRIBUTE)
    return cache


def remember_builder(app: Any) -> None:
    """``builder-inited``: where images go, and whether rendering ahead is safe."""
    renderer = str(app.config.statusdoc_renderer)
    cache = ImageCache(
        imagedir=Path(app.builder.outdir) / getattr(app.builder, "imagedir", ""),
        renderer=renderer,
        timeout=float(app.config.statusdoc_timeout),
        ahead=app.parallel <= 1 and app.builder.format in IMAGE_BUILDERS,
    )
    setattr(app, _APP_ATTRIBUTE, cache)
    if cache.ahead:
        # Stamps name the renderer's version, which costs one extra process
        # per build; ask for it now, while Sphinx reads, not before a render.
        cache.submit(_renderer_version, renderer)


def _renderer_version(renderer: str) -> None:
    from statusdoc.errors import RenderError
    from statusdoc.render import resolve_backend

    # A failure is reported, with its location, when a diagram is rendered.
    with contextlib.suppress(RenderError):
        resolve_backend(renderer).version  # noqa: B018 - cached by the render layer


def prefetch(app: Any, doctree: nodes.document) -> None:
    """``doctree-read``: start rendering the images this document will need."""
    cache = image_cache(app)
    if not cache.ahead:
        return
    for node in doctree.findall(statusdoc_diagram):
        fmt = image_format(app.builder, node)
        if fmt is not None:
            cache.start(node["dot"], fmt, node.get("spec"))


def stop_prefetch(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: drop what nobody collected and stop the threads."""
    image_cache(app).stop()


def _dot_block(node: statusdoc_diagram) -> nodes.literal_block:
    block = nodes.literal_block(node["dot"], node["dot"])
    block["language"] = "dot"
    block["classes"].append("statusdoc-dot")
    block.source, block.line = node.source, node.line
    return block


#: A transition as the fallback table shows it:
#: ``(source, target, label, event, guard, returning)``.
FallbackRow = tuple[str, str, str, str, str, bool]


def fallback_table(rows: list[FallbackRow], where: nodes.Node) -> nodes.table:
    """The transition table shown instead of the diagram by text-like builders.

    Only for a diagram whose page has no transition table of its own (a
    ``statusdoc-diagram`` directive; the full page shows nothing there, so
    the text output lists the transitions once). Same columns as the
    ``table`` section (From, To, Label, Event, and Guard when some transition
    has a guard; a return's target marked "(return)"); built as nodes
    directly, since parsing RST for every diagram would slow down the
    builders that do show images.
    """
    header = ["From", "To", "Label", "Event"]
    if any(row[4] for row in rows):
        header.append("Guard")
    cols = len(header)
    texts = [(s, t + (" (return)" if back else ""), label, event, guard)
             for s, t, label, event, guard, back in rows]
    table = nodes.table(classes=["statusdoc-fallback"])
    group = nodes.tgroup(cols=cols)
    table += group
    # Text-like writers wrap each cell to its column's width in characters.
    widths = [
        min(40, max([len(header[i])] + [len(row[i]) + 2 for row in texts]))
        for i in range(cols)
    ]
    group.extend(nodes.colspec(colwidth=width) for width in widths)

    def row(cells: list[list[nodes.Node]]) -> nodes.row:
        line = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", *cell)
            line += entry
        return line

    head = nodes.thead()
    head += row([[nodes.Text(t)] for t in header])
    body = nodes.tbody()
    for source, target, label, event, guard, back in rows:
        to: list[nodes.Node] = [nodes.literal(target, target)]
        if back:
            to.append(nodes.Text(" (return)"))
        cells: list[list[nodes.Node]] = [
            [nodes.literal(source, source)], to, [nodes.Text(label)],
            [nodes.literal(event, event) if event else nodes.Text("")], [nodes.Text(guard)]]
        body += row(cells[:cols])
    group += head
    group += body
    for node in table.findall():
        node.source, node.line = where.source, where.line
    return table


def render_diagrams(app: Any, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: render (or reuse) each diagram's image for this builder."""
    from statusdoc.errors import RenderError

    cache = image_cache(app)
    for node in list(doctree.findall(statusdoc_diagram)):
        fmt = image_format(app.builder, node)
        if fmt is None:
            rows: list[FallbackRow] = node.get("rows", [])
            node[:] = [fallback_table(rows, node)] if rows else []
            continue
        try:
            path = cache.image(node["dot"], fmt, node.get("spec"))
        except RenderError as exc:
            logger.warning(
                "statusdoc: cannot render the diagram of %s: %s (the DOT source is "
                "shown instead)", node.get("spec", "the spec"), exc,
                location=node, type="statusdoc", subtype="render",
            )
            node.replace_self(_dot_block(node))
            continue
        node["uri"] = path.name
        node["image_format"] = fmt


def _html_visit(self: Any, node: statusdoc_diagram) -> None:
    if "uri" not in node:  # not rendered for this builder: show the fallback
        return
    from statusdoc.sphinxext.live import is_live, visit_live

    url = f"{self.builder.imgpath}/{node['uri']}" if self.builder.imgpath else node["uri"]
    if is_live(self.builder, node):
        visit_live(self, node, url)  # raises SkipNode, unless it fell back to the image
    src = html.escape(url, quote=True)
    alt = html.escape(node.get("alt", ""), quote=True)
    classes = html.escape(" ".join(node.get("classes", [])), quote=True)
    style = ""
    if node.get("width"):
        style = f' style="width: {html.escape(str(node["width"]), quote=True)}"'
    # Large machines are scaled down to the text width: the image links to
    # itself at full size, as Sphinx does for scaled images.
    self.body.append(
        f'<a class="reference internal image-reference statusdoc-image-link" href="{src}">'
        f'<img src="{src}" alt="{alt}" class="{classes}" '
        f'data-statusdoc-machine="{html.escape(node.get("machine", ""), quote=True)}"'
        f"{style} /></a>\n"
    )
    raise nodes.SkipNode


def _latex_visit(self: Any, node: statusdoc_diagram) -> None:
    if "uri" not in node:
        return
    path = f"{self.builder.imgpath}/{node['uri']}" if self.builder.imgpath else node["uri"]
    self.body.append(f"\n\\sphinxincludegraphics{{{path}}}\n")
    raise nodes.SkipNode


def _fallback_visit(self: Any, node: statusdoc_diagram) -> None:
    """Text-like builders: the children (the transition table) are the diagram."""


def _fallback_depart(self: Any, node: statusdoc_diagram) -> None:
    pass


def _html_depart(self: Any, node: statusdoc_diagram) -> None:
    pass


VISITORS: dict[str, tuple[Any, Any]] = {
    "html": (_html_visit, _html_depart),
    "latex": (_latex_visit, _fallback_depart),
    "text": (_fallback_visit, _fallback_depart),
    "man": (_fallback_visit, _fallback_depart),
    "texinfo": (_fallback_visit, _fallback_depart),
}
