"""Working through a big diff in slices, to hold a part of an index at a time.

:mod:`statusdoc.renames` and :mod:`statusdoc.difftransitions` index the
statuses and transitions of two machines. Held whole, such an index takes
several times the machines' specs; a big diff builds it instead a slice
at a time, reading the machines again for each slice. What falls in which
slice is a hash, worked out once per item into a byte, so each pass picks
its items at C speed and the passes cost about one reading in all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import compress
from typing import TypeVar

__all__ = ["EVERY", "NONE", "SLICES", "marks", "picked", "picked_either", "slices_for"]

#: Slices a big diff is worked in.
SLICES = 16
#: Up to this much work (statuses or transitions), one slice is enough.
SMALL = 256

#: The mark of an item that belongs to every slice, and of one that belongs to none.
EVERY, NONE = 255, 254

_T = TypeVar("_T")
#: For each slice, a byte table that maps its mark and EVERY to 1, every other to 0.
_PICK = [bytes(int(mark in (part, EVERY)) for mark in range(256)) for part in range(SLICES)]


def slices_for(count: int) -> int:
    """Slices to work through ``count`` statuses or transitions in: 1 or :data:`SLICES`."""
    return 1 if count <= SMALL else SLICES


def marks(hashes: Iterable[int], slices: int) -> bytes:
    """The slice of each item, from its hash (nothing when there is one slice)."""
    return bytes(h % slices for h in hashes) if slices > 1 else b""


def picked_either(items: Sequence[_T], first: bytes, second: bytes, part: int
                  ) -> Iterator[_T]:
    """The items of slice ``part`` by either of two marks each (an item with two
    ends: a transition), in order; all of them without marks."""
    if not first:
        return iter(items)
    either = (int.from_bytes(first.translate(_PICK[part]))
              | int.from_bytes(second.translate(_PICK[part])))
    return compress(items, either.to_bytes(len(items)))


def picked(items: Sequence[_T], item_marks: bytes, part: int) -> Iterator[_T]:
    """The items of slice ``part``, in order (all of them without marks)."""
    if not item_marks:
        return iter(items)
    return compress(items, item_marks.translate(_PICK[part]))
