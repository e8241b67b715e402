"""View images a spec no longer makes: drift for ``statusdoc check``, removed by ``generate``.

A focus view or an overview (:mod:`statusdoc.viewfiles`) is *left over*
when its status was removed or renamed, focus views or the overview were
turned off, the groups are gone, or the page no longer shows views. A file
counts as a left-over view of a spec only when all of these hold:

- its name is a view name of one of the spec's images
  (:func:`statusdoc.viewfiles.view_name_kind`: ``<image stem>-focus-*<suffix>``
  or ``<image stem>-overview<suffix>``, for each of ``png`` and ``svg`` the
  spec outputs) in that image's directory;
- it is a regular file, not a symbolic link (a link is never followed,
  read or removed), and no source of the project
  (:func:`statusdoc.pathrules.source_finder`);
- its statusdoc stamp names that image as the one it is a view of
  (``view-of``, :attr:`statusdoc.stamp.Stamp.view_of`). A user's file with
  the same kind of name has no such stamp, nor has another spec's image
  whose name happens to start like a view's, nor another spec's view (its
  stamp names that spec's image, the image's owner);
- the run does not make it (it is not among the spec's planned outputs).

Views made by statusdoc before it stamped ``view-of`` are not recognised
(remove them by hand). :func:`left_over` only reads; :mod:`statusdoc.artifacts`
plans the removal with the run's writes (:func:`statusdoc.fsutil.write_all`).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from statusdoc import kinds
from statusdoc.config import SpecConfig
from statusdoc.errors import shown_name
from statusdoc.fsutil import MAX_ARTIFACT_BYTES, read_regular
from statusdoc.pathrules import source_finder
from statusdoc.stamp import read_stamp
from statusdoc.viewfiles import view_name_kind, views_directory

__all__ = ["FIX", "LeftOver", "left_over"]

#: How a message about a left-over view ends.
FIX = "remove it, or run `statusdoc generate`"


@dataclass(frozen=True, slots=True)
class LeftOver:
    """A view image of a spec that the spec no longer makes."""

    kind: str
    path: Path
    #: Why it is left over, and the fix.
    reason: str
    #: Its bytes on disk.
    old: bytes


def _entries(directory: Path) -> Iterator[Path]:
    """The regular files (not symbolic links) directly in ``directory``, by name."""
    try:
        with os.scandir(directory) as listing:
            names = sorted(e.name for e in listing if e.is_file(follow_symlinks=False))
    except OSError:  # no directory (yet), or not one: nothing is left in it
        return
    for name in names:
        yield directory / name


def left_over(config: SpecConfig, made: Collection[Path]) -> list[LeftOver]:
    """The view images of ``config`` left over in its directories; ``made``: the paths the
    spec's run makes (never left over). Reads only files named like views."""
    spec = shown_name(config.source_name())
    is_source = source_finder(config)
    found: list[LeftOver] = []
    for kind in kinds.rendered():
        if kind not in config.outputs:
            continue
        image = config.output_path(kind).name
        focus_made = any(view_name_kind(config, kind, path) == "focus" for path in made)
        for path in _entries(views_directory(config, kind)):
            view = view_name_kind(config, kind, path)
            if view is None or path in made or is_source(path) is not None:
                continue
            try:
                data = read_regular(path, MAX_ARTIFACT_BYTES, follow=False)
            except OSError:  # swapped for a link or a FIFO, or too large: not ours
                continue
            stamp = read_stamp(data)
            if stamp is None or stamp.view_of != image:
                continue
            if view == "overview":
                why = f"left from an overview {spec} no longer has"
            elif focus_made:
                why = f"left from a status no longer in {spec}"
            else:
                why = f"left from a focus view {spec} no longer has"
            found.append(LeftOver(kind, path, f"{why}: {FIX}", data))
    return found
