"""DOT -> stamped PNG/SVG through a small backend interface.

Backends (the ``renderer`` setting):

``graphviz-pure`` (default)
    the PyPI package's ``graphviz-pure`` command, looked up next to
    ``sys.executable`` first (the active virtualenv), then on ``PATH``.
``dot``
    system Graphviz, ``dot`` on ``PATH``.
``auto``
    ``graphviz-pure`` when installed, else ``dot``.
``command:/path/to/program``
    any dot-compatible program (reads DOT on stdin, ``-T<fmt>``, writes the
    image to stdout). This is also the test seam: the environment variable
    ``STATUSDOC_RENDERER_COMMAND``, when set, replaces whichever renderer is
    configured with that command.

Every renderer runs as a subprocess in its own process group with a time
limit (the whole group is killed when it runs out), an address-space limit
(``RLIMIT_AS``, 2 GiB by default) and ``SERVER_NAME=statusdoc`` in its
environment (graphviz-pure then opens no files at all). Before a PNG is
made, the SVG of the same DOT is laid out and its canvas size checked, so a
huge node fails with a clear message instead of an attempt to allocate tens
of gigabytes. A non-zero exit, a signal, an empty output or bytes that are
not the requested format are failures; every failure is a
:class:`~statusdoc.errors.RenderError` whose message names the spec (when
known), the renderer and the fix.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from statusdoc import kinds
from statusdoc.errors import RenderError
from statusdoc.fsutil import MAX_ARTIFACT_BYTES
from statusdoc.renderproc import (
    Finished,
    OutputTooLarge,
    TimedOut,
    address_space_limit,
    run_limited,
)
from statusdoc.stamp import PNG_SIGNATURE, Stamp, dot_sha256, read_stamp, stamp_image
from statusdoc.svgcheck import UnsafeSVGError, check_svg

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = [
    "DEFAULT_RENDERER",
    "ENV_COMMAND",
    "Backend",
    "Stamp",
    "read_stamp",
    "render",
    "render_many",
    "resolve_backend",
    "unrenderable_labels",
]

DEFAULT_RENDERER = "graphviz-pure"
#: Environment variable that replaces any configured renderer with a command.
ENV_COMMAND = "STATUSDOC_RENDERER_COMMAND"
RENDERER_CHOICES = ("graphviz-pure", "dot", "auto", "command:PATH")

#: Address-space limit of a renderer process, in bytes.
DEFAULT_MEMORY_LIMIT = 2 * 1024**3
#: Largest PNG canvas rendered, in pixels (width * height) and per side.
MAX_PIXELS = 60_000_000
MAX_SIDE = 32_000
#: Pixels per point of graphviz PNG output (96 dpi over 72 points per inch).
PNG_SCALE = 96 / 72

_STDERR_EXCERPT = 800
#: Most bytes a renderer may write for one image (it is stopped beyond).
MAX_OUTPUT_BYTES = MAX_ARTIFACT_BYTES


@dataclass(frozen=True, slots=True)
class Backend:
    """A resolved renderer: a display name and the program to run."""

    name: str
    executable: str

    @property
    def version(self) -> str:
        """``"<name> <version>"`` as recorded in stamps (cached per executable)."""
        return _version(self.name, self.executable)

    def fix(self) -> str:
        """What to do when this renderer fails to start."""
        if self.name == "graphviz-pure":
            return 'pip install graphviz-pure, or set renderer = "dot"'
        if self.name == "dot":
            return 'install Graphviz (the "dot" command), or set renderer = "graphviz-pure"'
        return f"check the renderer command {self.executable!r}, or set renderer = \"auto\""


def _where(spec: str | None) -> str:
    return f"{spec}: " if spec else ""


def _find_graphviz_pure() -> str | None:
    beside = Path(sys.executable).parent / "graphviz-pure"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("graphviz-pure")


def resolve_backend(renderer: str = DEFAULT_RENDERER, *, spec: str | None = None) -> Backend:
    """The backend ``renderer`` names, honouring ``STATUSDOC_RENDERER_COMMAND``.

    Raises :class:`RenderError` when the renderer is unknown or not installed.
    """
    override = os.environ.get(ENV_COMMAND)
    if override:
        renderer = f"command:{override}"
    where = _where(spec)
    if renderer.startswith("command:"):
        command = renderer[len("command:") :]
        found = shutil.which(command) if os.sep not in command else command
        if not found or not os.access(found, os.X_OK):
            raise RenderError(
                f"{where}renderer command {command!r} not found or not executable; "
                f"fix the path (renderer = \"command:/path/to/program\" or ${ENV_COMMAND})"
            )
        return Backend(f"command:{Path(command).name}", found)
    tried = _SEARCH_ORDER.get(renderer)
    if tried is None:
        raise RenderError(
            f"{where}unknown renderer {renderer!r}; set renderer to one of: "
            + ", ".join(RENDERER_CHOICES)
        )
    for name in tried:
        exe = _find_graphviz_pure() if name == "graphviz-pure" else shutil.which(name)
        if exe is not None:
            return Backend(name, exe)
    raise RenderError(f"{where}{_NOT_FOUND[renderer]}")


#: Per renderer name, the programs tried in turn.
_SEARCH_ORDER = {"graphviz-pure": ("graphviz-pure",), "dot": ("dot",),
                 "auto": ("graphviz-pure", "dot")}
#: Per renderer name, what to say when none of its programs is found.
_NOT_FOUND = {
    "graphviz-pure": "renderer graphviz-pure is not installed; fix: pip install graphviz-pure, "
                     'or set renderer = "dot" to use system Graphviz',
    "dot": "renderer dot (system Graphviz) is not on PATH; fix: install Graphviz, or set "
           'renderer = "graphviz-pure" (pip install graphviz-pure)',
    "auto": "renderer auto found neither graphviz-pure nor dot; fix: pip install "
            "graphviz-pure, or install Graphviz",
}


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["SERVER_NAME"] = "statusdoc"  # graphviz: no file access
    env.pop("GV_FILE_PATH", None)
    env.pop("GVBINDIR", None)
    return env


@functools.lru_cache(maxsize=16)
def _version(name: str, executable: str) -> str:
    try:
        done = run_limited([executable, "-V"], b"", timeout=10, memory=DEFAULT_MEMORY_LIMIT,
                           max_output=_STDERR_EXCERPT * 8, env=_child_env())
        text = (done.stderr or done.stdout).decode("utf-8", "replace")
    except (OSError, TimedOut, OutputTooLarge):
        text = ""
    match = re.search(r"version\s+(\S+)", text)
    return f"{name} {match.group(1) if match else 'unknown'}"


def _run(
    backend: Backend,
    dot_source: str,
    fmt: str,
    *,
    timeout: float,
    memory: int | None,
    spec: str | None,
    limit: float | None = None,
) -> bytes:
    where = _where(spec)
    try:
        done = run_limited([backend.executable, f"-T{fmt}"], dot_source.encode("utf-8"),
                           timeout=timeout, memory=memory, max_output=MAX_OUTPUT_BYTES,
                           env=_child_env())
    except OSError as exc:
        raise RenderError(
            f"{where}renderer {backend.name} could not start ({exc.strerror}); "
            f"fix: {backend.fix()}"
        ) from None
    except TimedOut:
        raise RenderError(
            f"{where}renderer {backend.name} ran out of time ({limit or timeout:g} s) laying out "
            "the diagram; fix: split the machine into smaller specs or show part of it "
            "with :sections:, or raise the timeout setting"
        ) from None
    except OutputTooLarge:
        raise RenderError(
            f"{where}renderer {backend.name} wrote more than {MAX_OUTPUT_BYTES // 1024**2} MiB "
            f"of {fmt.upper()} and was stopped; fix: split the machine, or check the renderer"
        ) from None
    _check_exit(done, backend, fmt, where, memory)
    out = done.stdout
    if not out:
        raise RenderError(
            f"{where}renderer {backend.name} produced an empty {fmt.upper()}"
            f"{_detail(done)}; fix: check that the DOT is not empty, or set another renderer"
        )
    if fmt == "png" and not out.startswith(PNG_SIGNATURE):
        raise RenderError(
            f"{where}renderer {backend.name} wrote something that is not a PNG; "
            f"fix: {backend.fix()}"
        )
    if fmt == "svg":
        _check_svg(out, backend, where)
    return out


def _detail(done: Finished) -> str:
    excerpt = done.stderr.decode("utf-8", "replace").strip()[-_STDERR_EXCERPT:]
    return f": {excerpt}" if excerpt else ""


def _memory_note(memory: int | None) -> str:
    limit, clamped = address_space_limit(memory)
    if limit is None:
        return ""
    note = f"address-space limit {limit / 1024**3:.3g} GiB"
    if clamped:
        note += " (the hard limit of this process, set by ulimit -v; raise it for more)"
    return f"; {note}"


def _check_exit(done: Finished, backend: Backend, fmt: str, where: str,
                memory: int | None) -> None:
    if done.returncode < 0:
        try:
            signame = signal.Signals(-done.returncode).name
        except ValueError:
            signame = f"signal {-done.returncode}"
        raise RenderError(
            f"{where}renderer {backend.name} was killed by {signame} while making "
            f"{fmt.upper()} (out of memory?){_detail(done)}{_memory_note(memory)}; fix: "
            'simplify or split the machine, or try another renderer (renderer = "dot" or '
            '"graphviz-pure")'
        )
    if done.returncode != 0:
        raise RenderError(
            f"{where}renderer {backend.name} failed (exit {done.returncode}) making "
            f"{fmt.upper()}{_detail(done)}{_memory_note(memory)}; fix: check the DOT it was "
            "given, or set another renderer"
        )


def _check_svg(out: bytes, backend: Backend, where: str) -> None:
    """Refuse what is not an SVG, and an SVG that could run script (whoever wrote it)."""
    if b"<svg" not in out[:4096]:
        raise RenderError(
            f"{where}renderer {backend.name} wrote something that is not an SVG; "
            f"fix: {backend.fix()}"
        )
    try:
        check_svg(out)
    except UnsafeSVGError as exc:
        raise RenderError(
            f"{where}renderer {backend.name} wrote an unsafe SVG: {exc}; nothing was "
            "written; fix: check the diagram attributes of the spec (statusdoc validate), "
            "or use another renderer"
        ) from None


_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="([\d.]+)(pt|px)?"[^>]*?\bheight="([\d.]+)(pt|px)?"')


def svg_size_pt(svg: bytes) -> tuple[float, float] | None:
    """Width and height of an SVG canvas in points (None when not found)."""
    match = _SVG_SIZE.search(svg[:8192])
    if not match:
        return None
    width, wunit, height, hunit = match.groups()
    scale_w = 0.75 if wunit == b"px" else 1.0
    scale_h = 0.75 if hunit == b"px" else 1.0
    return float(width) * scale_w, float(height) * scale_h


def _check_canvas(svg: bytes, backend: Backend, spec: str | None) -> None:
    size = svg_size_pt(svg)
    if size is None:
        return
    width = size[0] * PNG_SCALE
    height = size[1] * PNG_SCALE
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise RenderError(
            f"{_where(spec)}diagram too large for a PNG ({width:.0f} x {height:.0f} px, "
            f"cap {MAX_PIXELS // 1_000_000} Mpx, {MAX_SIDE} px a side) with renderer "
            f"{backend.name}; fix: split the machine or use :sections:, shorten long "
            "labels, or publish the SVG only"
        )


def render_many(
    dot_source: str,
    formats: Iterable[str],
    *,
    renderer: str = DEFAULT_RENDERER,
    timeout: float = 60,
    spec: str | None = None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    view_of: str | None = None,
) -> dict[str, bytes]:
    """Render ``dot_source`` to every format in ``formats``; each image stamped.

    The SVG is always laid out first when a PNG is wanted: its canvas size
    guards the PNG. ``timeout`` bounds the whole call (every renderer run of
    it together). ``spec`` names the spec in error messages. ``view_of``: for
    a view image, the file name of the image it is a view of (recorded in the
    stamp, :attr:`statusdoc.stamp.Stamp.view_of`).
    """
    wanted = list(dict.fromkeys(formats))
    images = kinds.rendered()
    for fmt in wanted:
        if fmt not in images:
            raise RenderError(
                f"{_where(spec)}cannot render format {fmt!r} ({kinds.one_of(images)})"
            )
    if not dot_source.strip():
        raise RenderError(f"{_where(spec)}empty DOT source: nothing to render")
    backend = resolve_backend(renderer, spec=spec)
    stamp = Stamp(dot_sha256(dot_source), backend.version, view_of=view_of)
    # One time budget for the whole call: the SVG layout and the PNG share it.
    deadline = time.monotonic() + timeout

    def run(fmt: str) -> bytes:
        remaining = max(deadline - time.monotonic(), 0.001)
        return _run(backend, dot_source, fmt, timeout=remaining, memory=memory_limit,
                    spec=spec, limit=timeout)

    raw: dict[str, bytes] = {}
    if wanted:
        raw["svg"] = run("svg")
    if "png" in wanted:
        _check_canvas(raw["svg"], backend, spec)
        raw["png"] = run("png")
    return {fmt: stamp_image(raw[fmt], fmt, stamp) for fmt in wanted}


def render(
    dot_source: str,
    fmt: str,
    *,
    renderer: str = DEFAULT_RENDERER,
    timeout: float = 60,
    spec: str | None = None,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
) -> bytes:
    """Render ``dot_source`` to ``fmt`` (a rendered kind of :data:`statusdoc.kinds.KINDS`:
    ``png`` or ``svg``) and return stamped bytes.

    Raises :class:`~statusdoc.errors.RenderError` naming the renderer and the fix.
    """
    return render_many(
        dot_source, [fmt], renderer=renderer, timeout=timeout, spec=spec,
        memory_limit=memory_limit,
    )[fmt]


def unrenderable_labels(machine: Machine) -> list[str]:
    """Labels of ``machine`` with glyphs graphviz-pure's bundled fonts cannot draw
    (see :func:`statusdoc.emit.dot.unrenderable_labels`)."""
    from statusdoc.emit.dot import unrenderable_labels as from_emitter

    return from_emitter(machine)
