"""The artifacts layer: spec -> every configured output, written atomically or checked.

Public functions (used by the CLI, the pytest plugin, pre-commit hooks and
the Sphinx extension alike):

- :func:`plan_spec` works out, without writing or rendering anything, what
  every output of a spec should contain and whether the file on disk is
  current (text: same bytes; image: its stamp records the current DOT hash;
  a composed page such as ``html``: its stamp records the hash of everything
  it is made from, :meth:`statusdoc.htmlpage.PageSource.digest`).
  The plan ends with the view images the spec no longer makes
  (:mod:`statusdoc.orphans`), marked ``remove``.
- :func:`check_spec` / :func:`check_project` turn a plan into a list of
  :class:`Drift` (empty list = everything current). They never write and
  never start a renderer.
- :func:`generate_spec` / :func:`generate_project` render only the images
  whose stamp is out of date, then write every changed file of the run and
  remove its left-over view images with :func:`statusdoc.fsutil.write_all`
  (all or nothing); unchanged files are not touched, so their mtime stays.
"""

from __future__ import annotations

import contextlib
import difflib
import inspect
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from statusdoc import kinds
from statusdoc.artifacttypes import (
    REASON_MISSING,
    REASON_OLD_DOT,
    REASON_TEXT,
    REASON_TOO_LARGE,
    REASON_UNSTAMPED,
    Drift,
    EmitError,
    Outcome,
    Planned,
    StatusdocWarning,
    Warn,
)
from statusdoc.artifacttypes import display as _display
from statusdoc.artifacttypes import is_stamped as _is_stamped
from statusdoc.config import SpecConfig
from statusdoc.errors import ConfigError, StatusdocError, UnreadableInput
from statusdoc.generaterun import refuse_shared_outputs, refuse_shared_views, render_stale
from statusdoc.orphans import left_over
from statusdoc.pathrules import check_outputs
from statusdoc.spec.model import Machine
from statusdoc.stamp import dot_sha256, image_problem
from statusdoc.viewfiles import view_files, view_images

__all__ = [
    "REASON_MISSING",
    "REASON_OLD_DOT",
    "REASON_TEXT",
    "REASON_TOO_LARGE",
    "REASON_UNSTAMPED",
    "Drift",
    "EmitError",
    "Outcome",
    "Planned",
    "StatusdocWarning",
    "check_project",
    "check_spec",
    "drifts_in",
    "emit_texts",
    "generate_project",
    "generate_spec",
    "load_machine",
    "plan_spec",
]

def load_machine(config: SpecConfig) -> Machine:
    """Load and validate the spec of ``config`` (raises SpecError)."""
    from statusdoc.spec.api import load

    return load(config.spec)


_OPTION_NAMES = ("templates", "image", "allow_unsafe_rst", "views")


def _emit(kind: str, machine: Machine, config: SpecConfig, image: str | None) -> str:
    try:
        func = kinds.get(kind).emit_function()
    except (ImportError, AttributeError) as exc:
        raise EmitError(
            f"{config.source_name()}: output kind {kind!r} is unavailable: {exc}"
        ) from None
    accepted = inspect.signature(func).parameters
    options: dict[str, object] = {}
    key = kinds.get(kind).settings
    if key:  # a kind that needs its own settings (sql) gets them, or cannot be made
        if key not in config.settings:
            raise ConfigError(
                f"{config.source_name()}: output kind {kind!r} needs {key} = {{ ... }} in the "
                "spec's [[tool.statusdoc.specs]] entry (see the configuration docs)")
        options["settings"] = config.settings[key]
    values = {
        "templates": config.templates,
        "image": image,
        "allow_unsafe_rst": config.allow_unsafe_rst,
        "views": view_images(config, machine) if "views" in accepted else None,
    }
    for name in _OPTION_NAMES:
        if name in accepted and (values[name] is not None or name == "allow_unsafe_rst"):
            options[name] = values[name]
    try:
        return func(machine, source_name=config.source_name(), **options)
    except StatusdocError:
        raise
    except Exception as exc:  # an emitter refusing input must not end in a traceback
        raise EmitError(
            f"{config.source_name()}: cannot generate {kind}: {type(exc).__name__}: {exc}"
        ) from None


def _image_name(config: SpecConfig) -> str | None:
    """The image a page shows: the first rendered kind of the table that is configured."""
    for kind in kinds.rendered():
        if kind in config.outputs:
            return config.file_name(kind)
    return None


def emit_texts(machine: Machine, config: SpecConfig) -> dict[str, str]:
    """Every text output of ``config``, plus the DOT when an image needs it, in memory.

    An emitter that takes an ``image`` option (the RST page's figure) gets the
    file name of the image this spec publishes.
    """
    texts: dict[str, str] = {}
    image = _image_name(config)
    if kinds.DOT in config.outputs or any(_is_stamped(k) for k in config.outputs):
        texts[kinds.DOT] = _emit(kinds.DOT, machine, config, None)
    for kind in config.outputs:
        if not _is_stamped(kind) and kind not in texts:
            texts[kind] = _emit(kind, machine, config, image)
    return texts


def _read(path: Path) -> bytes | None:
    """The artifact on disk (None when missing); FileTooLargeError past the cap."""
    from statusdoc.fsutil import MAX_ARTIFACT_BYTES, FileTooLargeError, read_regular

    try:
        return read_regular(path, MAX_ARTIFACT_BYTES)
    except FileNotFoundError:
        return None
    except FileTooLargeError:
        raise
    except OSError as exc:  # a FIFO, device or directory where the artifact should be
        reason = str(exc.strerror)
        raise UnreadableInput(f"cannot read {_display(path)}: {reason}", reason) from None


def plan_spec(config: SpecConfig, machine: Machine | None = None) -> list[Planned]:
    """What every output of ``config`` should be, compared with the disk.

    Writes nothing and renders nothing.
    """
    if machine is None:
        machine = load_machine(config)
    return _plan(config, machine)[0]


def _compose(kind: str, machine: Machine, config: SpecConfig) -> Any:
    """The composer's page source for ``kind`` (no renderer runs)."""
    try:
        return kinds.get(kind).compose_function()(machine, config)
    except StatusdocError:
        raise
    except Exception as exc:  # as in _emit: a refusal is a message, not a traceback
        raise EmitError(
            f"{config.source_name()}: cannot generate {kind}: {type(exc).__name__}: {exc}"
        ) from None


def _plan(config: SpecConfig, machine: Machine
          ) -> tuple[list[Planned], dict[str, str], dict[str, Any]]:
    """The plan, the emitted texts, and the page source of each composed kind."""
    views = view_files(config, machine)
    check_outputs(config, extra=[(view.what, view.path) for view, _dot in views])
    texts = emit_texts(machine, config)
    dot = texts.get(kinds.DOT)
    pages = {k: _compose(k, machine, config) for k in config.outputs if kinds.get(k).composer}
    wanted: dict[str, str] = {}
    if dot is not None:
        wanted = {k: pages[k].digest(dot) if k in pages else dot_sha256(dot)
                  for k in config.outputs if _is_stamped(k)}
    plan = [_planned(kind, config.output_path(kind), texts, wanted.get(kind))
            for kind in config.outputs]
    plan = [_checked_page(item, pages[item.kind]) if item.kind in pages else item
            for item in plan]
    plan += [replace(_planned(view.kind, view.path, texts, dot_sha256(view_dot), view.view_of),
                     source_dot=view_dot, view_of=view.view_of) for view, view_dot in views]
    plan += [Planned(o.kind, o.path, None, None, o.reason, o.old, remove=True)
             for o in left_over(config, {item.path for item in plan})]
    return plan, texts, pages


def _checked_page(item: Planned, page: Any) -> Planned:
    """A current-looking composed page is current only if it is the spec's page: a
    stamp can be forged, so the composer's ``problem(old)`` reads the page itself
    (see :func:`statusdoc.htmlpage.page_problem`)."""
    if item.reason or item.old is None:
        return item
    problem = page.problem(item.old)
    return replace(item, reason=f"stale: {problem}") if problem else item


def _planned(kind: str, path: Path, texts: dict[str, str], wanted_hash: str | None,
             view_of: str | None = None) -> Planned:
    """One output compared with what is on disk (an image by its stamp, text by bytes)."""
    from statusdoc.fsutil import FileTooLargeError

    image = _is_stamped(kind)
    data = None if image else texts[kind].encode("utf-8")
    digest = wanted_hash if image else None
    try:
        old = _read(path)
    except FileTooLargeError:  # not read: no output is this large
        return Planned(kind, path, data, digest, REASON_TOO_LARGE)
    if old is None:
        reason = REASON_MISSING
    elif image:
        problem = image_problem(old, kind, wanted_hash, view_of)
        reason = f"stale: {problem}" if problem else ""
    else:
        reason = REASON_TEXT if old != data else ""
    return Planned(kind, path, data, digest, reason, old)


def _diff(item: Planned) -> str:
    name = _display(item.path)
    if item.remove:
        return f"--- {name} (on disk)\n+++ /dev/null (removed by statusdoc generate)\n"
    if kinds.get(item.kind).binary or item.data is None:
        return ""
    old = (item.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
    new = item.data.decode("utf-8").splitlines(keepends=True)
    lines = difflib.unified_diff(old, new, f"{name} (on disk)", f"{name} (from spec)")
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def check_spec(config: SpecConfig, machine: Machine | None = None) -> list[Drift]:
    """Every stale or missing output of ``config``; empty when all are current.

    Never writes a file and never runs a renderer.
    """
    return drifts_in(plan_spec(config, machine))


def drifts_in(plan: Iterable[Planned]) -> list[Drift]:
    """The :class:`Drift` of every stale or missing output of ``plan``."""
    return [Drift(p.path, p.reason, _diff(p)) for p in plan if p.reason]


def check_project(configs: Iterable[SpecConfig]) -> list[Drift]:
    """:func:`check_spec` over several specs."""
    drifts: list[Drift] = []
    for config in configs:
        drifts.extend(check_spec(config))
    return drifts


def _default_warn(message: str) -> None:
    warnings.warn(message, StatusdocWarning, stacklevel=3)


@contextlib.contextmanager
def _locked(configs: Sequence[SpecConfig]) -> Iterator[bool]:
    """Lock every output directory of ``configs`` (sorted: no deadlock); yield
    True when every lock was taken."""
    from statusdoc.fsutil import project_lock

    with contextlib.ExitStack() as stack:
        held = [
            stack.enter_context(project_lock(directory))
            for directory in sorted({c.output_dir.resolve() for c in configs})
        ]
        yield all(held)


def generate_project(
    configs: Sequence[SpecConfig],
    *,
    lock: bool = True,
    warn: Warn | None = None,
    machines: dict[Path, Machine] | None = None,
) -> list[Outcome]:
    """Generate every output of every spec in ``configs`` as one all-or-nothing run.

    Specs are loaded and emitted first, stale images rendered, then every
    changed file is written and every left-over view image removed with
    :func:`statusdoc.fsutil.write_all`. On any error (SpecError, EmitError,
    RenderError, WriteError) nothing is written or removed. ``machines`` may
    supply already loaded machines keyed by spec path.
    """
    from statusdoc.fsutil import remove_stale_temps, write_all

    warn = warn or _default_warn
    loaded = {c.spec: (machines or {}).get(c.spec) or load_machine(c) for c in configs}
    with _locked(configs) if lock else contextlib.nullcontext(False) as exclusive:
        outcomes: list[Outcome] = []
        writes: dict[Path, bytes] = {}
        refuse_shared_outputs(configs)
        views: list[list[tuple[str, Path]]] = []
        gone: list[list[Planned]] = []  # per spec, its left-over view images
        for config in configs:
            machine = loaded[config.spec]
            plan, texts, pages = _plan(config, machine)
            if exclusive:  # no other run can be writing: clear what a killed one left
                for item in plan:
                    remove_stale_temps(item.path)
            views.append([(f"{item.kind} view", item.path) for item in plan
                          if item.source_dot is not None])
            images = render_stale(config, machine, plan, texts.get(kinds.DOT, ""), warn,
                                   pages)
            gone.append([item for item in plan if item.remove])
            for item in plan:
                if item.remove:
                    continue
                if item.reason:
                    data = item.data if item.data is not None else images[item.path]
                    writes[item.path] = data
                outcomes.append(Outcome(item.kind, item.path, bool(item.reason)))
        refuse_shared_views(configs, views)
        # a path another spec of the run writes is not removed after it
        gone = [[item for item in items if item.path not in writes] for items in gone]
        for config, extra, items in zip(configs, views, gone, strict=True):
            # again: a symlink may have appeared meanwhile
            check_outputs(config, extra=[*extra, *((f"left-over {item.kind} view", item.path)
                                                    for item in items)])
        removed = [item.path for items in gone for item in items]
        outcomes += [Outcome(item.kind, item.path, True, True) for items in gone for item in items]
        if writes or removed:
            write_all(writes, remove=removed)
    return outcomes


def generate_spec(
    config: SpecConfig, machine: Machine | None = None, *, lock: bool = True,
    warn: Warn | None = None,
) -> list[Outcome]:
    """Generate every output of one spec (see :func:`generate_project`)."""
    machines = {config.spec: machine} if machine is not None else None
    return generate_project([config], lock=lock, warn=warn, machines=machines)
