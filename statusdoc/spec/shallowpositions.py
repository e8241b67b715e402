"""Compact source positions of the top two levels of a YAML or JSON spec.

A valid spec needs the line of each status, group and transition only
(``State.line``, ``TransitionRule.line``); a problem needs the line of one
key. Recording the line of every key path (a tuple, an int and a dict entry
per key) cost more than the parsed data. :class:`ShallowPositions` keeps the
lines of the top-level keys and of their children only: a mapping's as a
dict by key (the key strings are the parsed data's own), a sequence's as an
array of ints. The line of any other path is found when first asked, by
``compute`` (the parser's full pass over the text, as for TOML).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Any

from statusdoc.spec.positions import KeyPath, Positions

__all__ = ["ShallowPositions"]


class ShallowPositions(Positions):
    """Lines of the document, its top-level keys and their children; the rest on demand.

    Fed in text order by the parser: :meth:`add` for a key's path (or the
    document's, ``()``), :meth:`add_item` for a sequence element's. Paths
    more than two levels deep are left to ``compute``.
    """

    __slots__ = ("_children", "_top")

    def __init__(self, compute: Callable[[], Positions] | None = None) -> None:
        super().__init__(compute=compute)
        self._top: dict[Any, int] = {}
        #: top-level key -> its children's lines: by key, or by index
        self._children: dict[Any, dict[Any, int] | array[int]] = {}

    def add(self, path: KeyPath, line: int) -> None:
        if not path:
            self._top.setdefault((), line)  # () is no key of the data: it stands for the root
        elif len(path) == 1:
            self._top.setdefault(path[0], line)
        elif len(path) == 2:
            found = self._children.get(path[0])
            if found is None:
                found = self._children[path[0]] = {}
            if isinstance(found, dict):
                found.setdefault(path[1], line)

    def add_item(self, path: KeyPath, line: int) -> None:
        if len(path) != 2:
            self.add(path, line)
            return
        found = self._children.get(path[0])
        if found is None:
            found = self._children[path[0]] = array("I")
        if isinstance(found, array) and path[1] == len(found):  # elements come in order
            found.append(line)

    def shallow(self, path: KeyPath) -> int:
        """The line recorded for ``path`` in the top two levels, or 0."""
        if len(path) == 1:
            return self._top.get(path[0], 0)
        if len(path) != 2:
            return self._top.get((), 0) if not path else 0
        found = self._children.get(path[0])
        if isinstance(found, dict):
            return found.get(path[1], 0)
        index = path[1]
        if found is not None and type(index) is int and 0 <= index < len(found):
            return found[index]
        return 0

    def quick(self, path: KeyPath) -> int:
        return self.shallow(path) or self.line(path)
