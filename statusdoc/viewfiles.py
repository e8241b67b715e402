"""The focus views and the overview as files next to the RST page (projects without Sphinx).

When a spec's outputs include the ``rst`` page and an image (``png`` or
``svg``: the first of them is the image the page shows), and its ``focus``
or ``overview`` setting is on (:func:`statusdoc.emit.views.wanted`), the page
shows each status's focus view and the overview of its groups as images of
the same format, written into the spec's output directory:

- ``<image stem>-focus-<status slug><suffix>`` per status (the slug of the
  status's anchor, :func:`statusdoc.emit.escape.unique_slugs`);
- ``<image stem>-overview<suffix>`` when the spec has groups.

They are rendered from the DOT of their derived machine
(:mod:`statusdoc.emit.views`), stamped with its hash and the name of the
image they are views of (``view-of``, :class:`statusdoc.stamp.Stamp`),
planned, checked and written atomically with the other outputs by
:mod:`statusdoc.artifacts`. A view image the spec no longer makes (its
status removed or renamed, views turned off) is left over:
:mod:`statusdoc.orphans` finds it by :func:`view_name_kind` and its stamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from statusdoc import kinds
from statusdoc.config import SpecConfig
from statusdoc.emit.escape import unique_slugs
from statusdoc.emit.views import ViewImages, focus_machine, neighbours, overview_machine, wanted
from statusdoc.spec.model import Machine

__all__ = [
    "ViewFile", "image_kind", "view_files", "view_images", "view_name_kind", "views_directory",
]

#: The output kind whose page shows the views.
PAGE = "rst"


@dataclass(frozen=True, slots=True)
class ViewFile:
    """One view image: its format (a rendered kind), file, what it is (for messages) and
    the file name of the image it is a view of (recorded in its stamp)."""

    kind: str
    path: Path
    what: str
    view_of: str


def image_kind(config: SpecConfig) -> str | None:
    """The image the page shows: the first rendered kind of the table that is configured."""
    if PAGE not in config.outputs:
        return None
    return next((k for k in kinds.rendered() if k in config.outputs), None)


def _stem(config: SpecConfig, kind: str) -> tuple[str, str]:
    """The stem the views of image ``kind`` are named after, and their suffix."""
    suffix = kinds.get(kind).suffix
    name = config.file_name(kind)
    return (name[: -len(suffix)] if name.endswith(suffix) and name != suffix else name), suffix


def views_directory(config: SpecConfig, kind: str) -> Path:
    """The directory of image ``kind`` and of its views (the output directory, unless its
    configured name has a directory part)."""
    return config.output_path(kind).parent


def view_name_kind(config: SpecConfig, kind: str, path: Path
                   ) -> Literal["focus", "overview"] | None:
    """Whether ``path`` is named as a focus view or as the overview of image ``kind``."""
    stem, suffix = _stem(config, kind)
    base = config.output_dir / stem
    if path.parent != base.parent:
        return None
    name = path.name
    if name == f"{base.name}-overview{suffix}":
        return "overview"
    focus = f"{base.name}-focus-"
    if name.startswith(focus) and name.endswith(suffix) and len(name) > len(focus + suffix):
        return "focus"
    return None


def _names(config: SpecConfig, machine: Machine) -> tuple[str | None, ViewImages]:
    kind = image_kind(config)
    if kind is None:
        return None, ViewImages()
    stem, suffix = _stem(config, kind)
    overview = ""
    if wanted(config.overview, machine) and any(machine.group_members.values()):
        overview = f"{stem}-overview{suffix}"
    focus: dict[str, str] = {}
    if wanted(config.focus, machine):
        slugs = unique_slugs(machine.state_names)
        focus = {s: f"{stem}-focus-{slugs[s]}{suffix}" for s in machine.state_names}
    return kind, ViewImages(overview, focus)


def view_images(config: SpecConfig, machine: Machine) -> ViewImages:
    """The file names (relative to the page) of the views the RST page shows."""
    return _names(config, machine)[1]


def view_files(config: SpecConfig, machine: Machine) -> list[tuple[ViewFile, str]]:
    """Every view image of ``config`` with the DOT source it is rendered from."""
    from statusdoc.emit.dot import emit_dot

    kind, names = _names(config, machine)
    if kind is None:
        return []
    source = config.source_name()
    image = config.output_path(kind).name
    files: list[tuple[ViewFile, str]] = []
    if names.overview:
        overview = overview_machine(machine)
        assert overview is not None  # names.overview is set only when there are groups
        files.append((ViewFile(kind, config.output_dir / names.overview, f"{kind} overview",
                               image), emit_dot(overview, source_name=source)))
    table = neighbours(machine) if names.focus else {}
    for status, name in names.focus.items():
        files.append((ViewFile(kind, config.output_dir / name, f"{kind} focus view", image),
                      emit_dot(focus_machine(machine, status, table), source_name=source)))
    return files
