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
(:mod:`statusdoc.emit.views`), stamped with its hash like the main image,
planned, checked and written atomically with the other outputs by
:mod:`statusdoc.artifacts`. A status removed from the spec leaves its old
focus image behind (statusdoc deletes no file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from statusdoc import kinds
from statusdoc.config import SpecConfig
from statusdoc.emit.escape import unique_slugs
from statusdoc.emit.views import ViewImages, focus_machine, neighbours, overview_machine, wanted
from statusdoc.spec.model import Machine

__all__ = ["ViewFile", "view_files", "view_images"]

#: The output kind whose page shows the views.
PAGE = "rst"


@dataclass(frozen=True, slots=True)
class ViewFile:
    """One view image: its format (a rendered kind), file, and the DOT it is drawn from."""

    kind: str
    path: Path
    what: str


def _image_kind(config: SpecConfig) -> str | None:
    """The image the page shows: the first rendered kind of the table that is configured."""
    if PAGE not in config.outputs:
        return None
    return next((k for k in kinds.rendered() if k in config.outputs), None)


def _names(config: SpecConfig, machine: Machine) -> tuple[str | None, ViewImages]:
    kind = _image_kind(config)
    if kind is None:
        return None, ViewImages()
    suffix = kinds.get(kind).suffix
    name = config.file_name(kind)
    stem = name[: -len(suffix)] if name.endswith(suffix) and name != suffix else name
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
    files: list[tuple[ViewFile, str]] = []
    if names.overview:
        overview = overview_machine(machine)
        assert overview is not None  # names.overview is set only when there are groups
        files.append((ViewFile(kind, config.output_dir / names.overview, f"{kind} overview"),
                      emit_dot(overview, source_name=source)))
    table = neighbours(machine) if names.focus else {}
    for status, name in names.focus.items():
        files.append((ViewFile(kind, config.output_dir / name, f"{kind} focus view"),
                      emit_dot(focus_machine(machine, status, table), source_name=source)))
    return files
