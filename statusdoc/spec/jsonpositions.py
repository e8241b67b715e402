"""Source positions of JSON specs: key path -> 1-based line number.

``json`` reports no positions for the values it returns, so the text is
scanned once, linearly, after ``json.loads`` accepted it. A valid spec needs
only the lines of its top two levels (statuses, groups, transitions): those
are recorded by the scan (:class:`~statusdoc.spec.shallowpositions.ShallowPositions`),
and the line of every other key only when a problem first asks for one (the
same scan again, recording everything). A spec with duplicate keys is
scanned in full at once: the scan names them with their lines.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from contextlib import suppress

from statusdoc.spec.positions import KeyPath, Positions
from statusdoc.spec.shallowpositions import ShallowPositions

__all__ = ["Duplicate", "json_positions", "lazy_json_positions"]

_JSON_TOKEN_RE = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')

#: A duplicate key: the path of its object, the key, its line.
Duplicate = tuple[KeyPath, str, int]


class _Object:
    """An open object while scanning: its path, the key expected next, the keys seen."""

    __slots__ = ("expecting_key", "path", "seen", "value_path")

    def __init__(self, path: KeyPath) -> None:
        self.path = path
        self.expecting_key = True
        self.seen: set[str] = set()
        self.value_path = path


class _Array:
    """An open array while scanning: its path and the index of the element next."""

    __slots__ = ("expecting_value", "index", "path")

    def __init__(self, path: KeyPath) -> None:
        self.path = path
        self.index = 0
        self.expecting_value = True


class _Scanner:
    """Records the line of every key and array element into ``positions``."""

    def __init__(self, text: str, positions: Positions) -> None:
        self.text = text
        self.positions = positions
        self.duplicates: list[Duplicate] = []
        self.stack: list[_Object | _Array] = []
        # where each line starts: a token's line is found by bisection
        self.starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = find("\n", i + 1)

    def line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def scan(self) -> None:
        stack = self.stack
        for match in _JSON_TOKEN_RE.finditer(self.text):
            tok = match.group(0)
            ch = tok[0]
            if ch == ",":
                if stack:
                    self.comma(stack[-1])
            elif ch in "}]":
                if stack:
                    stack.pop()
            elif ch != ":":
                path = self.value_path(tok, match.start())
                if path is None:
                    continue  # a key
                if ch == "{":
                    stack.append(_Object(path))
                elif ch == "[":
                    stack.append(_Array(path))

    @staticmethod
    def comma(frame: _Object | _Array) -> None:
        if isinstance(frame, _Object):
            frame.expecting_key = True
        else:
            frame.index += 1
            frame.expecting_value = True

    def value_path(self, tok: str, offset: int) -> KeyPath | None:
        """The path of the value ``tok`` begins; None when ``tok`` is a key (recorded)."""
        if not self.stack:
            self.positions.add((), self.line(offset))
            return ()
        frame = self.stack[-1]
        if isinstance(frame, _Array):
            path = (*frame.path, frame.index)
            if frame.expecting_value:
                self.positions.add_item(path, self.line(offset))
                frame.expecting_value = False
            return path
        if frame.expecting_key and tok[0] == '"':
            key = tok[1:-1] if "\\" not in tok else json.loads(tok)
            path = (*frame.path, key)
            line = self.line(offset)
            if key in frame.seen:
                self.duplicates.append((frame.path, key, line))
            frame.seen.add(key)
            self.positions.add(path, line)
            frame.value_path = path
            frame.expecting_key = False
            return None
        return frame.value_path


def json_positions(text: str, positions: Positions | None = None,
                   ) -> tuple[Positions, list[Duplicate]]:
    """Positions of every key and array element of JSON ``text`` (recorded into
    ``positions`` when given), and the duplicate keys found."""
    found = Positions() if positions is None else positions
    scanner = _Scanner(text, found)
    with suppress(Exception):  # text json accepted: at worst a position is missing
        scanner.scan()
    return found, scanner.duplicates


def lazy_json_positions(text: str) -> Positions:
    """Positions of JSON ``text`` without duplicate keys: the top two levels now,
    every other key when first asked."""
    positions = ShallowPositions(compute=lambda: json_positions(text)[0])
    json_positions(text, positions)
    return positions
