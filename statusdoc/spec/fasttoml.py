"""A fast path for the TOML that specs are made of, with positions for free.

``tomllib`` is exact but spends most of a big spec's load time in Python
character loops. Specs are mostly ``[states.x]`` / ``[[transitions]]``
headers and ``key = "string"`` lines, which one regular expression per line
can read. :func:`fast_loads` reads exactly that subset and hands every other
value (numbers, arrays, inline tables, multi-line strings, escapes) to
``tomllib`` itself, one key/value chunk at a time, so values are always
decoded by the reference parser.

It returns ``None`` — and the caller falls back to ``tomllib.loads`` for the
whole document, which then reports any error — whenever it meets something
outside that subset or anything TOML forbids: a duplicate key, a table
defined twice, a header through a value or an array of tables, dotted keys,
a key path deeper than ``max_depth`` (so the caller's depth check reports it),
a line it cannot read. So a result, when there is one, is the dict that
``tomllib.loads`` returns (the tests compare both on every corpus file and
on generated documents).
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from statusdoc.spec.headerpositions import HeaderPositions
from statusdoc.spec.positions import KeyPath, Positions

_NOT_CTRL = r"[^\x00-\x08\x0a-\x1f\x7f"  # TOML: control characters other than tab
_COMMENT = rf"(?:#{_NOT_CTRL}]*)?"
_KEY = rf"(?:[A-Za-z0-9_-]+|\"{_NOT_CTRL}\"\\]*\"|'{_NOT_CTRL}']*')"
_WS = r"[ \t]*"

_STR = rf"\"{_NOT_CTRL}\"\\]*\""
_PAIR_RE = re.compile(
    rf"{_WS}({_KEY}){_WS}={_WS}"
    rf"(?:\"({_NOT_CTRL}\"\\]*)\"|'({_NOT_CTRL}']*)'|(true|false)"
    rf"|\[((?:{_WS}{_STR}{_WS},)*{_WS}(?:{_STR}{_WS})?)\]){_WS}{_COMMENT}"
)
_ARRAY_ITEM_RE = re.compile(rf"\"({_NOT_CTRL}\"\\]*)\"")
_KEY_EQ_RE = re.compile(rf"{_WS}({_KEY}){_WS}={_WS}")
_HEADER_RE = re.compile(
    rf"{_WS}\[{_WS}({_KEY}(?:{_WS}\.{_WS}{_KEY})*){_WS}\]{_WS}{_COMMENT}"
)
_AOT_RE = re.compile(
    rf"{_WS}\[\[{_WS}({_KEY}(?:{_WS}\.{_WS}{_KEY})*){_WS}\]\]{_WS}{_COMMENT}"
)
_KEY_PART_RE = re.compile(_KEY)
#: A dotted key inside an inline table (``{ a.b = 1 }``).
_DOTTED_IN_VALUE_RE = re.compile(rf"[{{,]{_WS}{_KEY}{_WS}\.")
_BLANK_RE = re.compile(rf"{_WS}{_COMMENT}")

#: Lines a multi-line array may span before the fast path gives up.
_MAX_CHUNK_LINES = 200


class _Unsupported(Exception):
    """Internal: leave this document to tomllib."""


def _key(raw: str) -> str:
    return raw[1:-1] if raw[0] in "\"'" else raw


def _keys(raw: str) -> tuple[str, ...]:
    return tuple(_key(m.group(0)) for m in _KEY_PART_RE.finditer(raw))


def fast_loads(text: str, max_depth: int = 64) -> tuple[dict[str, Any], Positions] | None:
    """``(tomllib.loads(text), positions)`` for common spec TOML; None to fall back."""
    try:
        return _Parser(text, max_depth).parse()
    except (_Unsupported, tomllib.TOMLDecodeError, RecursionError):
        return None


class _Parser:
    def __init__(self, text: str, max_depth: int) -> None:
        self.max_depth = max_depth
        self.text = text
        self.root: dict[str, Any] = {}
        self.pos = HeaderPositions(text)
        # dicts that headers may extend (id -> explicitly defined?), and AoT lists
        self.tables: dict[int, bool] = {id(self.root): True}
        self.arrays: set[int] = set()
        self.keep: list[Any] = []  # keeps ids stable (objects stay alive)
        #: one string object per distinct key or value: a status named in a
        #: thousand transitions is held once
        self.strings: dict[str, str] = {}

    def parse(self) -> tuple[dict[str, Any], Positions]:
        # Line by line over the text itself: a list of its lines would hold a
        # second copy of the spec, in one object per line.
        text = self.text
        size = len(text)
        find = text.find
        pair = _PAIR_RE.fullmatch
        share = self.strings.setdefault
        current = self.root
        start = 0
        lineno = 0
        while start <= size:
            end = find("\n", start)
            if end < 0:
                end = size
            lineno += 1
            match = pair(text, start, end)
            if match:
                key = match.group(1)
                if key[0] in "\"'":
                    key = key[1:-1]
                key = share(key, key)
                if key in current:
                    raise _Unsupported
                value = match.group(2)
                if value is None:
                    value = match.group(3)
                    if value is None:
                        items = match.group(5)
                        if items is None:
                            value = match.group(4) == "true"
                        else:  # a one-line array of plain strings, e.g. tags
                            value = [share(item, item) for item in _ARRAY_ITEM_RE.findall(items)]
                if type(value) is str:
                    value = share(value, value)
                current[key] = value
                start = end + 1
                continue
            line = text[start:end]
            stripped = line.lstrip(" \t")
            if not stripped or stripped[0] == "#":
                if not _BLANK_RE.fullmatch(line):
                    raise _Unsupported
            elif stripped[0] == "[":
                current = self.header(line, start, lineno)
            else:
                end, lineno = self.chunk(current, start, end, lineno)
            start = end + 1
        return self.root, self.pos

    def header(self, line: str, start: int, lineno: int) -> dict[str, Any]:
        match = _AOT_RE.fullmatch(line)
        if match:
            keys = self.shallow(_keys(match.group(1)))
            parent, path = self.walk(keys[:-1], 0)
            last = keys[-1]
            array = parent.get(last)
            if array is None:
                array = parent[last] = []
                self.arrays.add(id(array))
                self.keep.append(array)
            elif id(array) not in self.arrays:
                raise _Unsupported
            table: dict[str, Any] = {}  # never extended by a header: not in self.tables
            array.append(table)
            path = (*path, last)
            self.pos.add(path, lineno)
            self.pos.element(path, self.pos.header(start, lineno))
            return table
        match = _HEADER_RE.fullmatch(line)
        if not match:
            raise _Unsupported
        keys = self.shallow(_keys(match.group(1)))
        parent, path = self.walk(keys[:-1], lineno)
        last = self.strings.setdefault(keys[-1], keys[-1])
        found = parent.get(last)
        if found is None:
            found = parent[last] = {}
            self.keep.append(found)
        elif self.tables.get(id(found)) is not False:  # a value, or defined already
            raise _Unsupported
        self.tables[id(found)] = True
        self.pos.table((*path, last), self.pos.header(start, lineno))
        return found

    def shallow(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """``keys``, unless the path is deeper than allowed (then the full parser decides)."""
        if len(keys) >= self.max_depth:
            raise _Unsupported
        return keys

    def walk(self, keys: tuple[str, ...], lineno: int) -> tuple[dict[str, Any], KeyPath]:
        """The table at ``keys`` from the root, creating implicit tables.

        Records the line of each table on the way unless ``lineno`` is 0 (the
        full scanner does not record the parents of ``[[a.b]]`` either).
        """
        table = self.root
        path: KeyPath = ()
        for key in keys:
            nxt = table.get(key)
            if nxt is None:
                key = self.strings.setdefault(key, key)
                nxt = table[key] = {}
                self.tables[id(nxt)] = False
                self.keep.append(nxt)
            elif not isinstance(nxt, dict) or id(nxt) not in self.tables:
                raise _Unsupported
            table = nxt
            path = (*path, key)
            if lineno:
                self.pos.add(path, lineno)
        return table, path

    def chunk(self, current: dict[str, Any], start: int, end: int,
              lineno: int) -> tuple[int, int]:
        """A key/value the regex could not read (the line ``text[start:end]``):
        let tomllib decode it.

        Returns where its last line ends and that line's number. Multi-line
        strings and arrays take as many lines as they need (arrays: up to a limit).
        """
        text = self.text
        match = _KEY_EQ_RE.match(text, start, end)
        if not match:
            raise _Unsupported  # dotted keys, garbage: tomllib decides
        opening = text[match.end() : min(match.end() + 3, end)]
        if opening in ('"""', "'''"):
            end, lineno = self._close(match.end() + 3, end, lineno, opening)
            data = tomllib.loads(text[start:end])
        else:
            first = lineno
            while True:
                chunk = text[start:end]
                if _DOTTED_IN_VALUE_RE.search(chunk):
                    raise _Unsupported  # dotted keys nest: the depth check decides first
                try:
                    data = tomllib.loads(chunk)
                    break
                except tomllib.TOMLDecodeError:
                    if opening[:1] not in "[{" or lineno - first >= _MAX_CHUNK_LINES \
                            or end >= len(text):
                        raise _Unsupported from None
                    end = _line_end(text, end + 1)
                    lineno += 1
        if len(data) != 1:
            raise _Unsupported
        ((key, value),) = data.items()
        if key in current:
            raise _Unsupported
        current[self.strings.setdefault(key, key)] = value
        return end, lineno

    def _close(self, col: int, end: int, lineno: int, delim: str) -> tuple[int, int]:
        """End and number of the line that closes a multi-line string opened
        just before offset ``col``, on the line that ends at ``end``."""
        from statusdoc.spec.positions import _close_ml

        text = self.text
        begin = text.rfind("\n", 0, col) + 1
        while _close_ml(text[begin:end], col - begin, delim) < 0:
            if end >= len(text):
                raise _Unsupported
            begin = col = end + 1
            end = _line_end(text, begin)
            lineno += 1
        return end, lineno


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end
