"""What :func:`statusdoc.semdiff.diff_machines` returns: :class:`Change` and
:class:`SemanticDiff`, and the change kinds, in the order reports list them."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["KINDS", "Change", "SemanticDiff"]

#: Change kinds, in the order reports list them.
KINDS = (
    "machine",
    "entry-added",
    "entry-removed",
    "null-changed",
    "group-added",
    "group-removed",
    "group-changed",
    "status-added",
    "status-removed",
    "status-renamed",
    "status-changed",
    "status-deprecated",
    "transition-added",
    "transition-removed",
    "transition-changed",
    "event-retargeted",
)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``text`` is a plain sentence; ``breaking`` says why it may break."""

    kind: str
    text: str
    breaking: str = ""


@dataclass
class SemanticDiff:
    """Every change between ``old`` and ``new``, in report order."""

    old_name: str
    new_name: str
    changes: list[Change] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    #: what the diff could not decide (e.g. statuses too alike to match renames)
    notes: list[str] = field(default_factory=list)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def __bool__(self) -> bool:
        return bool(self.changes)


def short(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters for a report."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
