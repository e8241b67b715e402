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
        self.lines = text.split("\n")
        self.root: dict[str, Any] = {}
        self.pos = Positions()
        self.lines_of = self.pos._lines
        # dicts that headers may extend (id -> explicitly defined?), and AoT lists
        self.tables: dict[int, bool] = {id(self.root): True}
        self.arrays: set[int] = set()
        self.keep: list[Any] = []  # keeps ids stable (objects stay alive)

    def parse(self) -> tuple[dict[str, Any], Positions]:
        lines = self.lines
        lines_of = self.lines_of
        pair = _PAIR_RE.fullmatch
        current = self.root
        table_path: KeyPath = ()
        i = 0
        count = len(lines)
        while i < count:
            line = lines[i]
            i += 1
            match = pair(line)
            if match:
                key = match.group(1)
                if key[0] in "\"'":
                    key = key[1:-1]
                if key in current:
                    raise _Unsupported
                value = match.group(2)
                path = (*table_path, key)
                if value is None:
                    value = match.group(3)
                    if value is None:
                        items = match.group(5)
                        if items is None:
                            value = match.group(4) == "true"
                        else:  # a one-line array of plain strings, e.g. tags
                            value = _ARRAY_ITEM_RE.findall(items)
                            for index in range(len(value)):
                                lines_of.setdefault((*path, index), i)
                current[key] = value
                if path not in lines_of:
                    lines_of[path] = i
                continue
            stripped = line.lstrip(" \t")
            if not stripped or stripped[0] == "#":
                if not _BLANK_RE.fullmatch(line):
                    raise _Unsupported
                continue
            if stripped[0] == "[":
                current, table_path = self.header(line, i)
                continue
            i = self.chunk(current, table_path, i - 1)
        return self.root, self.pos

    def header(self, line: str, lineno: int) -> tuple[dict[str, Any], KeyPath]:
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
            table: dict[str, Any] = {}
            self.tables[id(table)] = True
            self.keep.append(table)
            array.append(table)
            path = (*path, last)
            self.pos.add(path, lineno)
            path = (*path, len(array) - 1)
            self.pos.add(path, lineno)
            return table, path
        match = _HEADER_RE.fullmatch(line)
        if not match:
            raise _Unsupported
        keys = self.shallow(_keys(match.group(1)))
        parent, path = self.walk(keys[:-1], lineno)
        last = keys[-1]
        found = parent.get(last)
        if found is None:
            found = parent[last] = {}
            self.keep.append(found)
        elif self.tables.get(id(found)) is not False:  # a value, or defined already
            raise _Unsupported
        self.tables[id(found)] = True
        path = (*path, last)
        self.pos.add(path, lineno)
        return found, path

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

    def chunk(self, current: dict[str, Any], table_path: KeyPath, start: int) -> int:
        """A key/value the regex could not read: let tomllib decode it.

        Returns the index of the next line. Multi-line strings and arrays
        take as many lines as they need (arrays: up to a limit).
        """
        lines = self.lines
        line = lines[start]
        match = _KEY_EQ_RE.match(line)
        if not match:
            raise _Unsupported  # dotted keys, garbage: tomllib decides
        rest = line[match.end():]
        end = start + 1
        delim = rest[:3]
        if delim in ('"""', "'''"):
            end = self._close(start, match.end() + 3, delim)
            data = tomllib.loads("\n".join(lines[start:end]))
        else:
            while True:
                text = "\n".join(lines[start:end])
                if _DOTTED_IN_VALUE_RE.search(text):
                    raise _Unsupported  # dotted keys nest: the depth check decides first
                try:
                    data = tomllib.loads(text)
                    break
                except tomllib.TOMLDecodeError:
                    if rest[:1] not in "[{" or end - start > _MAX_CHUNK_LINES \
                            or end >= len(lines):
                        raise _Unsupported from None
                    end += 1
        if len(data) != 1:
            raise _Unsupported
        ((key, value),) = data.items()
        if key in current:
            raise _Unsupported
        current[key] = value
        path = (*table_path, key)
        self.pos.add(path, start + 1)
        if isinstance(value, list | dict):
            self._value_lines(value, path, start, end)
        return end

    def _close(self, start: int, offset: int, delim: str) -> int:
        """Index just past the line that closes a multi-line string."""
        from statusdoc.spec.positions import _close_ml

        lines = self.lines
        index = start
        col = offset
        while index < len(lines):
            if _close_ml(lines[index], col, delim) >= 0:
                return index + 1
            index += 1
            col = 0
        raise _Unsupported

    def _value_lines(self, value: Any, path: KeyPath, start: int, end: int) -> None:
        """Positions inside an array / inline table: from the full scanner, on a slice."""
        from statusdoc.spec.positions import toml_full_positions

        chunk = "\n".join(self.lines[start:end])
        sub = toml_full_positions(chunk)
        prefix = path[:-1]
        for sub_path, line in sub._lines.items():
            if sub_path and sub_path[0] == path[-1]:
                self.pos.add((*prefix, *sub_path), start + line)
