"""Source positions for parsed specs: key path -> 1-based line number.

``tomllib`` and ``json`` report no positions for the values they return, so
this module scans the source text once, linearly, and records the line of
every table header, array-of-tables entry, key and array element. JSON
positions: :mod:`statusdoc.spec.jsonpositions`; YAML positions come from the
parser's events (:mod:`statusdoc.spec.yamlload`).

The scanners assume text that their parser already accepted; on anything
unexpected they stop recording rather than fail, so a position is at worst
missing (and :meth:`Positions.line` falls back to the enclosing key).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable

KeyPath = tuple[str | int, ...]


class Positions:
    """Lines of key paths; :meth:`line` falls back to the nearest recorded parent.

    The full table may be computed lazily (``compute``): a valid spec never
    needs the line of every key, only the cheap ``quick`` table of headers
    (states and transitions), so big specs load fast.
    """

    __slots__ = ("_compute", "_lines", "_quick")

    def __init__(
        self,
        lines: dict[KeyPath, int] | None = None,
        *,
        compute: Callable[[], Positions] | None = None,
        quick: dict[KeyPath, int] | None = None,
    ) -> None:
        self._lines: dict[KeyPath, int] = lines if lines is not None else {}
        self._compute = compute
        self._quick = quick if quick is not None else {}

    def _full(self) -> dict[KeyPath, int]:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            self._lines = compute()._lines
        return self._lines

    def add(self, path: KeyPath, line: int) -> None:
        """Record ``line`` for ``path`` unless the path already has one (first wins)."""
        if path not in self._lines:
            self._lines[path] = line

    def add_item(self, path: KeyPath, line: int) -> None:
        """Record ``line`` for ``path``, an element of a sequence (see :meth:`add`)."""
        self.add(path, line)

    def exact(self, path: KeyPath) -> int:
        """The line recorded for exactly ``path``, or 0."""
        return self._full().get(path, 0)

    def quick(self, path: KeyPath) -> int:
        """Like :meth:`line`, answered from the cheap header table when possible."""
        return self._quick.get(path) or self.line(path)

    def line(self, path: KeyPath) -> int:
        """Line of ``path`` or of its longest recorded prefix; 1 for the document."""
        lines = self._full()
        for end in range(len(path), 0, -1):
            found = lines.get(path[:end])
            if found:
                return found
        return lines.get((), 1) or 1

    def __len__(self) -> int:
        return len(self._full())


# --------------------------------------------------------------------- TOML

_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\\n]|\\.)*"'
_LITERAL = r"'[^'\n]*'"
_PART = rf"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_KEY = rf"{_PART}(?:[ \t]*\.[ \t]*{_PART})*"
_PART_RE = re.compile(_PART)
_KEY_EQ_RE = re.compile(rf"[ \t]*({_KEY})[ \t]*=[ \t]*")
_AOT_RE = re.compile(rf"[ \t]*\[\[[ \t]*({_KEY})[ \t]*\]\]")
_TABLE_RE = re.compile(rf"[ \t]*\[[ \t]*({_KEY})[ \t]*\]")
_TOKEN_RE = re.compile(
    r'[ \t]+|#.*|"""|\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|[\[\]{},=]|[^ \t\[\]{},=#"\']+'
)
_key_cache: dict[str, tuple[str, ...]] = {}


def _toml_key(text: str) -> tuple[str, ...]:
    """Split a (possibly dotted, quoted) TOML key into its parts."""
    cached = _key_cache.get(text)
    if cached is not None:
        return cached
    parts: list[str] = []
    for match in _PART_RE.finditer(text):
        part = match.group(0)
        if part[0] == '"':
            part = tomllib.loads(f"k = {part}")["k"]
        elif part[0] == "'":
            part = part[1:-1]
        parts.append(part)
    result = tuple(parts)
    if len(_key_cache) < 10_000:
        _key_cache[text] = result
    return result


class _Frame:
    """An open array (``kind='a'``) or inline table (``kind='t'``) while scanning."""

    __slots__ = ("index", "key", "kind", "path", "state", "value_path")

    def __init__(self, kind: str, path: KeyPath) -> None:
        self.kind = kind
        self.path = path
        self.index = 0
        # array: "value" (next token starts an element) or "after";
        # inline table: "key" (collecting key text), "value" or "after"
        self.state = "value" if kind == "a" else "key"
        self.key = ""
        self.value_path: KeyPath = path


class _TomlScanner:
    def __init__(self) -> None:
        self.pos = Positions()
        self.table: KeyPath = ()
        self.aot: dict[KeyPath, int] = {}
        self.stack: list[_Frame] = []
        self.ml: str | None = None  # open multi-line string delimiter

    def resolve(self, keys: tuple[str, ...]) -> KeyPath:
        """Turn a header key into a path, indexing arrays of tables on the way."""
        path: list[str | int] = []
        for key in keys:
            path.append(key)
            count = self.aot.get(tuple(path))
            if count:
                path.append(count - 1)
        return tuple(path)

    def scan(self, text: str) -> Positions:
        pos = self.pos
        for lineno, line in enumerate(text.split("\n"), 1):
            if self.ml is not None:
                end = _close_ml(line, 0, self.ml)
                if end < 0:
                    continue
                self.ml = None
                if self.stack:
                    self.value_tokens(line[end:], lineno)
                continue
            if self.stack:
                self.value_tokens(line, lineno)
                continue
            stripped = line.lstrip(" \t")
            if not stripped or stripped[0] == "#":
                continue
            if stripped[0] == "[":
                match = _AOT_RE.match(line)
                if match:
                    keys = _toml_key(match.group(1))
                    parent = (*self.resolve(keys[:-1]), keys[-1])
                    index = self.aot.get(parent, 0)
                    self.aot[parent] = index + 1
                    pos.add(parent, lineno)
                    self.table = (*parent, index)
                    pos.add(self.table, lineno)
                    continue
                match = _TABLE_RE.match(line)
                if match:
                    self.table = self.resolve(_toml_key(match.group(1)))
                    for end in range(1, len(self.table) + 1):
                        pos.add(self.table[:end], lineno)
                continue
            match = _KEY_EQ_RE.match(line)
            if not match:
                continue
            path = self.table + _toml_key(match.group(1))
            for end in range(len(self.table) + 1, len(path) + 1):
                pos.add(path[:end], lineno)
            self.value(line, match.end(), path, lineno)
        return pos

    def value(self, line: str, start: int, path: KeyPath, lineno: int) -> None:
        """A value that starts at ``line[start]`` (outside any array)."""
        head = line[start : start + 3]
        if head in ('"""', "'''"):
            if _close_ml(line, start + 3, head) < 0:
                self.ml = head
            return
        first = head[:1]
        if first in ("[", "{"):
            self.stack.append(_Frame("a" if first == "[" else "t", path))
            self.value_tokens(line[start + 1 :], lineno)

    def value_tokens(self, text: str, lineno: int) -> None:
        """Scan array / inline-table content, recording element and key lines."""
        pos = self.pos
        stack = self.stack
        for match in _TOKEN_RE.finditer(text):
            if not stack:
                return
            tok = match.group(0)
            first = tok[0]
            if first in " \t#":
                continue
            frame = stack[-1]
            if first in "]}":
                stack.pop()
                continue
            if first == ",":
                frame.index += 1
                frame.state = "value" if frame.kind == "a" else "key"
                frame.key = ""
                continue
            if frame.kind == "t":
                if frame.state == "key":
                    if first == "=":
                        path = frame.path + _toml_key(frame.key)
                        for end in range(len(frame.path) + 1, len(path) + 1):
                            pos.add(path[:end], lineno)
                        frame.value_path = path
                        frame.state = "value"
                    else:
                        frame.key += tok
                    continue
                if frame.state != "value":
                    continue
                frame.state = "after"
                path = frame.value_path
            else:
                if frame.state != "value":
                    continue
                frame.state = "after"
                path = (*frame.path, frame.index)
                pos.add(path, lineno)
            if not self._open(tok, path, match.end(), text, lineno):
                return

    def _open(self, tok: str, path: KeyPath, end: int, text: str, lineno: int) -> bool:
        """Handle the first token of a value; False when the rest of the line is consumed."""
        if tok == "[":
            self.stack.append(_Frame("a", path))
        elif tok == "{":
            self.stack.append(_Frame("t", path))
        elif tok in ('"""', "'''"):
            close = _close_ml(text, end, tok)
            if close < 0:
                self.ml = tok
                return False
            self.value_tokens(text[close:], lineno)
            return False
        return True


def _close_ml(line: str, start: int, delim: str) -> int:
    """Index just past the closing ``delim`` in ``line[start:]``, or -1."""
    i = start
    while True:
        found = line.find(delim, i)
        if found < 0:
            return -1
        if delim == '"""':
            backslashes = 0
            j = found - 1
            while j >= start and line[j] == "\\":
                backslashes += 1
                j -= 1
            if backslashes % 2:
                i = found + 1
                continue
        end = found + 3
        # up to two extra quotes belong to the string's content
        while end < len(line) and line[end] == delim[0] and end - found < 5:
            end += 1
        return end


def toml_full_positions(text: str) -> Positions:
    """Positions of every header, key and array element of TOML ``text``."""
    try:
        return _TomlScanner().scan(text)
    except Exception:
        return Positions()


_HEADER_SCAN_RE = re.compile(r"^[ \t]*\[[^\n]*|\"\"\"|\'\'\'", re.MULTILINE)


def toml_header_lines(text: str) -> dict[KeyPath, int]:
    """Lines of ``[states.x]`` and ``[[transitions]]`` style headers only (fast).

    Skips multi-line strings; the full scan (:func:`toml_full_positions`)
    refines everything else on demand.
    """
    found: dict[KeyPath, int] = {}
    aot: dict[KeyPath, int] = {}
    in_ml: str | None = None
    line = 1
    last = 0
    count = text.count
    try:
        for match in _HEADER_SCAN_RE.finditer(text):
            tok = match.group(0)
            if in_ml is not None:
                if tok == in_ml or in_ml in tok:
                    in_ml = None
                continue
            if tok in ('"""', "'''"):
                in_ml = tok
                continue
            start = match.start()
            line += count("\n", last, start)
            last = start
            header = _AOT_RE.match(tok)
            if header:
                keys = _toml_key(header.group(1))
                if len(keys) != 1:
                    continue
                index = aot.get(keys, 0)
                aot[keys] = index + 1
                found.setdefault(keys, line)
                found[(*keys, index)] = line
                continue
            header = _TABLE_RE.match(tok)
            if header:
                keys = _toml_key(header.group(1))
                if len(keys) <= 2 and keys[:1] not in aot:
                    found.setdefault(keys, line)
                    found.setdefault(keys[:1], line)
    except Exception:
        return {}
    return found


#: A header line, a dotted key at the start of a line, or a dotted key in an
#: inline table. Possessive repeats (``++``): the regex engine keeps no
#: backtracking state per part, so a 60,000-part key costs no memory to match.
_MORE_PARTS = rf"(?:[ \t]*\.[ \t]*{_PART})"
_KEY_SITE_RE = re.compile(
    rf"^[ \t]*\[\[?[ \t]*(?P<header>{_PART}{_MORE_PARTS}*+)[ \t]*\]"
    rf"|^[ \t]*(?P<line>{_PART}{_MORE_PARTS}++)[ \t]*="
    rf"|[{{,][ \t]*(?P<inline>{_PART}{_MORE_PARTS}++)[ \t]*=",
    re.MULTILINE,
)


def _parts(key: str) -> int:
    return sum(1 for _ in _PART_RE.finditer(key)) if "." in key else 1


def toml_deep_key_line(text: str, limit: int) -> int:
    """Line of the first TOML key whose path is more than ``limit`` levels deep, or 0.

    ``a.b.c = 1`` nests as deeply as three tables, and parsers build (and
    this module records) every prefix of such a path: a 30,000-part key cost
    3 GB. This counts a table header's parts plus a key's parts (a key in an
    inline table counts one more level), in one linear pass over the text
    and before anything is built. Key-like text inside a multi-line string
    counts as well: a line of more than ``limit`` dotted words is refused
    rather than parsed to find out.
    """
    header = 0
    for match in _KEY_SITE_RE.finditer(text):
        kind = match.lastgroup or "header"
        parts = _parts(match.group(kind))
        if kind == "header":
            header = parts
            depth = parts
        else:
            depth = header + parts + (1 if kind == "inline" else 0)
        if depth > limit:
            return text.count("\n", 0, match.start(kind)) + 1
    return 0


def toml_positions(text: str) -> Positions:
    """Positions of TOML ``text``: headers now, everything else when first asked."""
    return Positions(compute=lambda: toml_full_positions(text), quick=toml_header_lines(text))
