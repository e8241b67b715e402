"""Where paths may point: the rules every configured or command-line path obeys.

- :func:`check_path_text`: a path text holds no NUL and no name longer than
  :data:`NAME_MAX` bytes (the OS would refuse it later, mid-run);
- :func:`ensure_inside` / :func:`check_outputs_inside`: outputs of a
  configured spec resolve inside the project root;
- :func:`check_not_a_source`: no output replaces a spec, the configuration,
  a template or anything in ``.git`` (:func:`source_finder` tells what
  source a path is);
- :func:`check_outputs`: both output rules, run when the configuration is
  parsed and again before every plan and write.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from statusdoc.errors import ConfigError, preview

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig

__all__ = [
    "NAME_MAX",
    "check_not_a_source",
    "check_outputs",
    "check_outputs_inside",
    "check_path_text",
    "ensure_inside",
    "source_finder",
]

#: Longest file name (one path component) in bytes on Linux and macOS file systems.
NAME_MAX = 255


def check_path_text(text: str, where: str) -> str:
    """``text`` when the OS can take it as a path; :class:`ConfigError` otherwise.

    Refused: a NUL character, a component longer than :data:`NAME_MAX` bytes
    (in the file system's encoding), a lone surrogate that cannot be encoded.
    """
    if "\x00" in text:
        raise ConfigError(f"{where}: {preview(text)} contains a NUL character; "
                          "paths cannot hold one")
    for part in Path(text).parts:
        try:
            size = len(os.fsencode(part))
        except UnicodeEncodeError:
            raise ConfigError(f"{where}: {preview(text)} is not a valid file name") from None
        if size > NAME_MAX:
            raise ConfigError(
                f"{where}: the name {preview(part)} is {size} bytes long; file names are "
                f"limited to {NAME_MAX} bytes"
            )
    return text


def ensure_inside(path: Path, root: Path, where: str) -> None:
    """Raise ConfigError unless ``path`` (after resolving symlinks) is inside ``root``."""
    real_root = root.resolve()
    real = path.resolve()
    if real != real_root and real_root not in real.parents:
        via = " through a symlink" if path.absolute() != real and ".." not in path.parts else ""
        raise ConfigError(
            f"{where}: {path} resolves{via} to {real}, outside the project root "
            f"{real_root}; outputs must stay inside the project"
        )


def check_outputs(config: SpecConfig, where: str = "",
                  extra: Iterable[tuple[str, Path]] = ()) -> None:
    """Refuse every output that is out of bounds (raises :class:`ConfigError`).

    :func:`check_outputs_inside` for a configured spec, and for every spec:
    no output may replace a source (:func:`check_not_a_source`). ``extra``:
    more files the spec writes, as (what, path) pairs.
    """
    extra = list(extra)
    check_outputs_inside(config, where, extra)
    check_not_a_source(config, where, extra)


def _outputs(config: SpecConfig, extra: Iterable[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """Every output of ``config`` as (what, path): its kinds, then ``extra``."""
    return [*((kind, config.output_path(kind)) for kind in config.outputs), *extra]


def check_outputs_inside(config: SpecConfig, where: str = "",
                         extra: Iterable[tuple[str, Path]] = ()) -> None:
    """Refuse a configured spec whose output directory or files resolve outside the root.

    ``extra`` lists more files the spec writes, as (what, path) pairs (the
    focus views and the overview of :mod:`statusdoc.viewfiles`).
    """
    if not config.configured:
        return
    where = where or config.source_name()
    ensure_inside(config.output_dir, config.root, f"{where} output-dir")
    for kind, path in _outputs(config, extra):
        if path.is_symlink() or path.exists():
            ensure_inside(path, config.root, f"{where} {kind} output")


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it (messages stay short and stable)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def source_finder(config: SpecConfig) -> Callable[[Path], str | None]:
    """A function telling what source of the project a path is (see
    :func:`check_not_a_source`), or None; the sources are resolved once."""
    named = {source.resolve(): what for source, what in config.protected}
    named[config.spec.resolve()] = "the spec itself"
    templates = config.templates.resolve() if config.templates is not None else None

    def source_kind(path: Path) -> str | None:
        real = path.resolve()
        what = named.get(real)
        if what is None and any(
            part.casefold() == ".git" for part in (*path.absolute().parts, *real.parts)
        ):
            what = "inside a .git directory"
        if what is None and templates is not None and real.name.endswith(".j2") and (
            templates in real.parents
        ):
            what = "a template"
        return what

    return source_kind


def check_not_a_source(config: SpecConfig, where: str = "",
                       extra: Iterable[tuple[str, Path]] = ()) -> None:
    """Refuse an output that would replace a source of the project.

    Sources are the spec itself, every other configured spec, the
    configuration file, a template (a ``*.j2`` file in the templates
    directory) and anything inside a ``.git`` directory (its config and
    hooks run code). Paths are compared after resolving symlinks, and the
    ``.git`` rule looks at the path both as written and as resolved.
    """
    where = where or config.source_name()
    source_kind = source_finder(config)
    for kind, path in _outputs(config, extra):
        what = source_kind(path)
        if what is not None:
            raise ConfigError(
                f"{where} {kind} output: {_shown(path, config.root)} is {what}; outputs "
                "may not replace a spec, the configuration, a template or anything in .git "
                "(choose another output-dir or names entry)"
            )
