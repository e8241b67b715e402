"""Compact source positions for the TOML fast path: headers now, keys on demand.

Recording the line of every key as a dict of path tuples cost about ten
times the text of a spec (per ``[[transitions]]`` entry: four path tuples,
four line numbers, four dict entries). A valid spec needs only the line of
each table (``State.line``, ``TransitionRule.line``); a problem needs the
line of one key. So :mod:`statusdoc.spec.fasttoml` records the headers only,
as arrays of ints, and the line of a key is found when first asked: the full
scanner (:func:`~statusdoc.spec.positions.toml_full_positions`) reads the
text of that key's table alone, and the answer is kept per table.

The answers are the full scanner's over the whole text (tests compare both on
every corpus file): a table's keys lie between its header and the next one,
and no header line is inside a multi-line value (the fast path read them).
"""

from __future__ import annotations

from array import array

from statusdoc.spec.positions import KeyPath, Positions, toml_full_positions

__all__ = ["HeaderPositions"]

#: Tables whose key lines are kept once scanned (the oldest goes first): a
#: spec with a warning in each of 7,500 tables kept 7,500 scans.
_SCANS_KEPT = 8


class HeaderPositions(Positions):
    """Lines of the headers of TOML ``text``; lines of keys, scanned per table on demand.

    Fed by the parser in text order: :meth:`header` for each header line,
    then :meth:`table` or :meth:`element` for what it opens, and the inherited
    :meth:`~Positions.add` for other paths (parent tables, arrays of tables;
    the first line recorded wins).
    """

    __slots__ = ("_arrays", "_header_lines", "_scanned", "_starts", "_tables", "_text")

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text
        #: per header, in text order: where its line starts, and its line number
        self._starts = array("I")
        self._header_lines = array("I")
        #: ``[a.b]`` path -> its header's number
        self._tables: dict[KeyPath, int] = {}
        #: ``[[a.b]]`` path -> the header number of each of its elements
        self._arrays: dict[KeyPath, array[int]] = {}
        #: header number (-1: before the first header) -> its keys' lines, relative
        self._scanned: dict[int, Positions] = {}

    # -- recording (the parser) -----------------------------------------------

    def header(self, start: int, line: int) -> int:
        """Record a header line starting at offset ``start``; returns its number."""
        self._starts.append(start)
        self._header_lines.append(line)
        return len(self._starts) - 1

    def table(self, path: KeyPath, number: int) -> None:
        """Header ``number`` opens the table ``path`` (``[a.b]``)."""
        self._tables[path] = number

    def element(self, path: KeyPath, number: int) -> None:
        """Header ``number`` opens the next element of the array of tables ``path``."""
        elements = self._arrays.get(path)
        if elements is None:
            elements = self._arrays[path] = array("I")
        elements.append(number)

    # -- lookups ---------------------------------------------------------------

    def add(self, path: KeyPath, line: int) -> None:
        if path not in self._lines and self._header_number(path) < 0:  # first wins
            self._lines[path] = line

    def exact(self, path: KeyPath) -> int:
        found = self._recorded(path)
        if found or not path:
            return found
        depth, number = self._table_of(path)
        return self._keys_line(number, path[depth:])

    def line(self, path: KeyPath) -> int:
        found = self._recorded(path)
        if found:
            return found
        depth, number = self._table_of(path)
        for end in range(len(path), 0, -1):  # the longest prefix with a line
            found = self._recorded(path[:end]) or (
                self._keys_line(number, path[depth:end]) if end > depth else 0)
            if found:
                return found
        return self._lines.get((), 1) or 1

    def quick(self, path: KeyPath) -> int:
        return self.line(path)

    def __len__(self) -> int:
        return len(self._lines) + len(self._starts)

    def _header_number(self, path: KeyPath) -> int:
        """The number of the header that opens exactly ``path``, or -1."""
        number = self._tables.get(path)
        if number is not None:
            return number
        index = path[-1] if path else None
        if type(index) is int:  # an element of an array of tables
            elements = self._arrays.get(path[:-1])
            if elements is not None and 0 <= index < len(elements):
                return elements[index]
        return -1

    def _recorded(self, path: KeyPath) -> int:
        """The line recorded while parsing for exactly ``path`` (a table), or 0."""
        found = self._lines.get(path)
        if found:
            return found
        number = self._header_number(path)
        return self._header_lines[number] if number >= 0 else 0

    def _table_of(self, path: KeyPath) -> tuple[int, int]:
        """``(depth, header number)`` of the innermost table holding ``path``
        (``(0, -1)``: the keys before the first header)."""
        for end in range(len(path) - 1, 0, -1):
            number = self._header_number(path[:end])
            if number >= 0:
                return end, number
        return 0, -1

    def _keys_line(self, number: int, inner: KeyPath) -> int:
        """Line of key path ``inner`` inside the table of header ``number``, or 0."""
        scanned = self._scanned.get(number)
        if scanned is None:
            text = self._text
            if number < 0:
                begin = 0
            else:
                begin = text.find("\n", self._starts[number])
                begin = len(text) if begin < 0 else begin + 1
            following = number + 1
            end = self._starts[following] if following < len(self._starts) else len(text)
            if len(self._scanned) >= _SCANS_KEPT:  # problems come table by table
                del self._scanned[next(iter(self._scanned))]
            scanned = self._scanned[number] = toml_full_positions(text[begin:end])
        found = scanned.exact(inner)
        if not found:
            return 0
        return found + (self._header_lines[number] if number >= 0 else 0)
