"""Rendering diagrams at write time, and one visit function per builder.

Images are rendered after a doctree is resolved (in the main process, also
for ``-j N`` builds) through :func:`statusdoc.render.render` — the same
backend layer as ``statusdoc generate`` — and cached by content in the
builder's image directory as ``statusdoc-<hash>.<ext>``: the hash covers the
DOT, the format and the renderer, so an image is shared by every page that
shows the same diagram and is never rendered again while the file exists.
Writes are atomic (temporary file + rename).

In a serial build (no ``-j``) the directive also *starts* rendering as soon
as it has the DOT (:func:`prefetch`, a small thread pool; the renderer is a
subprocess, so Sphinx keeps parsing meanwhile), and the ``doctree-resolved``
handler collects the result. Parallel builds skip this and render in the
handler: worker processes are forked, and threads do not mix with fork.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.util import logging

from statusdoc.sphinxext.nodes import statusdoc_diagram

logger = logging.getLogger(__name__)

#: Builder formats that show images, and the image format each one uses.
IMAGE_BUILDERS = {"html": None, "latex": "png"}


def image_format(builder: Any, node: statusdoc_diagram) -> str | None:
    """``svg``/``png`` for builders that show images, None for the text fallback."""
    return _format_for(builder.format, node, builder.config)


def _format_for(builder_format: str, node: statusdoc_diagram, config: Any) -> str | None:
    if builder_format not in IMAGE_BUILDERS:
        return None
    forced = IMAGE_BUILDERS[builder_format]
    if forced:
        return forced
    return str(node.get("format") or config.statusdoc_output_format)


# -- rendering ahead (serial builds) ----------------------------------------------

#: What the current build writes: set at ``builder-inited``.
_BUILD: dict[str, Any] = {}
_PENDING: dict[str, Future[bytes]] = {}
_POOL: list[ThreadPoolExecutor] = []


def remember_builder(app: Any) -> None:
    """``builder-inited``: where images go, and whether rendering ahead is safe."""
    _BUILD.clear()
    _BUILD.update(
        format=app.builder.format,
        imagedir=Path(app.builder.outdir) / getattr(app.builder, "imagedir", ""),
        ahead=app.parallel <= 1,
    )
    if _BUILD["ahead"] and _BUILD["format"] in IMAGE_BUILDERS:
        # Stamps name the renderer's version, which costs one extra process
        # per build; ask for it now, while Sphinx reads, not before a render.
        _pool().submit(_renderer_version, str(app.config.statusdoc_renderer))


def _renderer_version(renderer: str) -> None:
    from statusdoc.errors import RenderError
    from statusdoc.render import resolve_backend

    # A failure is reported, with its location, when a diagram is rendered.
    with contextlib.suppress(RenderError):
        resolve_backend(renderer).version  # noqa: B018 - cached by the render layer


def _pool() -> ThreadPoolExecutor:
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=2, thread_name_prefix="statusdoc-render"))
    return _POOL[0]


def _image_path(node: statusdoc_diagram, fmt: str, renderer: str, imagedir: Path) -> Path:
    return imagedir / image_name(node["dot"], fmt, renderer)


def prefetch(node: statusdoc_diagram, config: Any) -> None:
    """Start rendering ``node``'s image in the background when it will be needed."""
    if not _BUILD.get("ahead"):
        return
    fmt = _format_for(_BUILD["format"], node, config)
    if fmt not in ("svg", "png"):
        return
    renderer = str(config.statusdoc_renderer)
    path = _image_path(node, fmt, renderer, _BUILD["imagedir"])
    key = str(path)
    if key in _PENDING or path.is_file():
        return
    from statusdoc.render import render

    _PENDING[key] = _pool().submit(
        render, node["dot"], fmt, renderer=renderer,
        timeout=float(config.statusdoc_timeout), spec=node.get("spec"),
    )


def stop_prefetch(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: drop what nobody collected and stop the threads."""
    for future in _PENDING.values():
        future.cancel()
    _PENDING.clear()
    while _POOL:
        _POOL.pop().shutdown(wait=True)


def image_name(dot: str, fmt: str, renderer: str) -> str:
    """The cache file name of ``dot`` rendered to ``fmt`` by ``renderer``."""
    key = hashlib.sha256(f"{renderer}\0{fmt}\0{dot}".encode()).hexdigest()[:20]
    return f"statusdoc-{key}.{fmt}"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".statusdoc-tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp makes 0600 files; images are published, so use the umask.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        cells = [[nodes.literal(source, source)], to, [nodes.Text(label)],
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
    from statusdoc.render import render

    builder = app.builder
    renderer = str(app.config.statusdoc_renderer)
    timeout = float(app.config.statusdoc_timeout)
    for node in list(doctree.findall(statusdoc_diagram)):
        fmt = image_format(builder, node)
        if fmt is None:
            rows = node.get("rows", [])
            node[:] = [fallback_table(rows, node)] if rows else []
            continue
        if fmt not in ("svg", "png"):
            logger.warning(
                "statusdoc: output format %r is not svg or png; using svg", fmt,
                location=node, type="statusdoc", subtype="config",
            )
            fmt = "svg"
        name = image_name(node["dot"], fmt, renderer)
        path = Path(builder.outdir) / builder.imagedir / name
        ahead = _PENDING.pop(str(path), None)
        if not path.is_file():
            try:
                if ahead is not None:
                    data = ahead.result()
                else:
                    data = render(node["dot"], fmt, renderer=renderer, timeout=timeout,
                                  spec=node.get("spec"))
            except RenderError as exc:
                logger.warning(
                    "statusdoc: cannot render the diagram of %s: %s (the DOT source is "
                    "shown instead)", node.get("spec", "the spec"), exc,
                    location=node, type="statusdoc", subtype="render",
                )
                node.replace_self(_dot_block(node))
                continue
            _write_atomic(path, data)
        node["uri"] = name
        node["image_format"] = fmt


def _html_visit(self: Any, node: statusdoc_diagram) -> None:
    if "uri" not in node:  # not rendered for this builder: show the fallback
        return
    src = html.escape(f"{self.builder.imgpath}/{node['uri']}" if self.builder.imgpath
                      else node["uri"], quote=True)
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
