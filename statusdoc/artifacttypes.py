"""What the artifacts layer plans, reports and raises (:mod:`statusdoc.artifacts`
re-exports every public name; import them from there)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from statusdoc import kinds
from statusdoc.errors import StatusdocError, shown_name
from statusdoc.stamp import PROBLEM_OLD_DOT, PROBLEM_UNSTAMPED

__all__ = [
    "COMPOSED_FROM",
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
    "Warn",
    "display",
    "is_stamped",
]

#: The renderer format a composed page is built around.
COMPOSED_FROM = "svg"
#: Where a run's non-fatal findings go (by default, :class:`StatusdocWarning` warnings).
Warn = Callable[[str], None]

REASON_MISSING = "missing"
REASON_TEXT = "stale: text differs"
REASON_OLD_DOT = f"stale: {PROBLEM_OLD_DOT}"
REASON_UNSTAMPED = f"stale: {PROBLEM_UNSTAMPED}"
REASON_TOO_LARGE = "stale: larger than any output statusdoc writes (not read)"


class EmitError(StatusdocError):
    """An emitter refused the spec (for example unsafe RST in a description)."""


class StatusdocWarning(UserWarning):
    """A non-fatal finding while generating (e.g. glyphs the renderer cannot draw)."""


@dataclass(frozen=True, slots=True)
class Planned:
    """One output of a spec: where it goes and how it compares with the disk.

    For text kinds ``data`` holds the new bytes. For images ``data`` is None
    (images are rendered only by :func:`generate_spec`, and only when
    stale) and ``dot_sha256`` is the hash a current image must carry.
    ``reason`` is ``""`` when the file on disk is current. ``remove``: a
    view image the spec no longer makes (:mod:`statusdoc.orphans`), which
    :func:`generate_spec` removes.
    """

    kind: str
    path: Path
    data: bytes | None
    dot_sha256: str | None
    reason: str
    old: bytes | None = None
    #: The DOT of a view image (:mod:`statusdoc.viewfiles`); None: the spec's own DOT.
    source_dot: str | None = None
    #: A view image's: the file name of the image it is a view of (in its stamp).
    view_of: str | None = None
    remove: bool = False

    @property
    def current(self) -> bool:
        return not self.reason


@dataclass(frozen=True, slots=True)
class Drift:
    """An output that is stale or missing; ``diff`` is a unified diff for text kinds."""

    path: Path
    reason: str
    diff: str = ""

    def __str__(self) -> str:
        return f"{display(self.path)}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What :func:`generate_spec` did with one output (``removed``: a left-over view
    image, :mod:`statusdoc.orphans`; ``changed`` too)."""

    kind: str
    path: Path
    changed: bool
    removed: bool = False

    def __str__(self) -> str:
        verb = "removed" if self.removed else "wrote" if self.changed else "up to date:"
        return f"{verb} {display(self.path)}"


def display(path: Path) -> str:
    """``path`` as messages show it: relative to the working directory, printable."""
    try:
        return shown_name(os.path.relpath(path))
    except ValueError:  # pragma: no cover - other drive on Windows
        return shown_name(str(path))


def is_stamped(kind: str) -> bool:
    """True for an output kind whose file carries a stamp (images, composed pages)."""
    return kinds.get(kind).stamped
