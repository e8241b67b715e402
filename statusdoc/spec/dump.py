"""Write spec data (plain dicts/lists/scalars) as TOML or YAML text.

The TOML writer is hand-written so the output is deterministic and reads like
a hand-kept spec: ``[machine]`` first, one ``[groups.<name>]`` table per
group, one ``[states.<name>]`` table per status, one ``[[transitions]]``
entry per transition, then ``[diagram]`` (tables in the order of the data).
Strings are TOML basic strings with every character that needs it escaped;
strings containing newlines are written as multi-line basic strings. The
result always parses back (``tomllib.loads``) to the same data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

__all__ = [
    "TomlParts", "YamlParts", "dump", "dump_toml", "dump_yaml", "toml_key", "toml_string",
]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_SHORT_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}

#: Tables written inline (``node = { shape = "box" }``) rather than as headers.
InlinePredicate = Callable[[tuple[str, ...]], bool]


def _escape_char(ch: str, *, multiline: bool) -> str:
    if multiline and ch in "\n\t":
        return ch
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"\\u{code:04X}"
    return ch


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string; multi-line (``\"\"\"``) when it has newlines."""
    if "\n" in value:
        body = "".join(_escape_char(ch, multiline=True) for ch in value)
        # The newline right after the opening delimiter is trimmed by TOML.
        return f'"""\n{body}"""'
    return '"' + "".join(_escape_char(ch, multiline=False) for ch in value) + '"'


def toml_key(key: str) -> str:
    """``key`` bare when TOML allows it, else quoted."""
    if _BARE_KEY.match(key):
        return key
    return '"' + "".join(_escape_char(ch, multiline=False) for ch in key) + '"'


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if text in ("inf", "-inf", "nan"):
            return text
        return text if any(c in text for c in ".eE") else text + ".0"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{toml_key(str(k))} = {_scalar(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(v, Mapping) for v in value)
    )


def _header(path: tuple[str, ...]) -> str:
    return ".".join(toml_key(p) for p in path)


#: Small tables that read best inline: [diagram] attribute tables, the entry
#: labels by status, a transition's ``from = { group = ... }``.
_INLINE = frozenset({
    ("diagram", "node"), ("diagram", "edge"), ("diagram", "graph"), ("diagram", "final"),
    ("machine", "initial_label"), ("transitions", "from"),
})


def _default_inline(path: tuple[str, ...]) -> bool:
    return path in _INLINE


def _write_table(
    out: list[str],
    table: Mapping[str, Any],
    path: tuple[str, ...],
    inline: InlinePredicate,
    *,
    array_item: bool = False,
) -> None:
    scalars: list[tuple[str, Any]] = []
    nested: list[tuple[str, Any]] = []  # sub-tables and arrays of tables, in data order
    for key, value in table.items():
        key = str(key)
        if (isinstance(value, Mapping) and not inline((*path, key))) or _is_table_array(value):
            nested.append((key, value))
        else:
            scalars.append((key, value))
    if path and (scalars or array_item or not nested):
        if out:
            out.append("")
        out.append(f"[[{_header(path)}]]" if array_item else f"[{_header(path)}]")
    for key, value in scalars:
        out.append(f"{toml_key(key)} = {_scalar(value)}")
    for key, value in nested:
        if isinstance(value, Mapping):
            _write_table(out, value, (*path, key), inline)
        else:
            for item in value:
                _write_table(out, item, (*path, key), inline, array_item=True)


def dump_toml(
    data: Mapping[str, Any],
    *,
    header: str = "",
    inline: InlinePredicate = _default_inline,
) -> str:
    """TOML text for ``data``, preceded by ``header`` as ``#`` comment lines."""
    parts = TomlParts(header, inline)
    parts.table((), data)
    return parts.finish()[0]


class TomlParts:
    """TOML text written a table at a time, as :func:`dump_toml` writes the whole.

    :meth:`table` adds one table (or an element of an array of tables) after
    those before; :meth:`part` makes the next table begin a new part (see
    :mod:`statusdoc.spec.parts`); :meth:`finish` gives the text and where
    those parts begin. The lines of every few tables are joined as they
    come (``chunk`` tables at a time), so a big spec is never held as one
    string per line.
    """

    __slots__ = ("_breaks", "_chunk", "_chunks", "_inline", "_lines", "_tables", "_wrote")

    def __init__(self, header: str = "", inline: InlinePredicate = _default_inline, *,
                 chunk: int = 256) -> None:
        self._inline = inline
        self._chunk = chunk
        comment = _comment_lines(header)[:-1]  # the blank line after it joins it to the rest
        self._chunks: list[str] = ["\n".join(comment)] if comment else []
        self._lines: list[str] = []
        self._tables = 0
        self._wrote = False
        self._breaks: list[int] = []  # the chunks that begin a part

    def table(self, path: tuple[str, ...], table: Mapping[str, Any], *,
              array_item: bool = False) -> None:
        """Write ``table`` at ``path`` (an element of the array ``path`` with ``array_item``)."""
        _write_table(self._lines, table, path, self._inline, array_item=array_item)
        self._tables += 1
        if self._tables >= self._chunk:
            self._join()

    def part(self) -> None:
        """Begin a new part with the next table."""
        self._join()
        self._breaks.append(len(self._chunks))

    def _join(self) -> None:
        # A chunk starts with a table's first line: the blank line before it is
        # the separator :meth:`finish` joins chunks with.
        if self._lines:
            self._chunks.append("\n".join(self._lines))
            self._lines = []
            self._wrote = True
        self._tables = 0

    def finish(self) -> tuple[str, list[int]]:
        """The text, and the offsets where the parts after the first begin."""
        self._join()
        chunks, self._chunks = self._chunks, []
        if not self._wrote:
            chunks.append("")
        chunks[-1] += "\n"
        breaks = set(self._breaks)
        starts: list[int] = []
        offset = 0
        for number, chunk in enumerate(chunks):
            if number and number in breaks:
                starts.append(offset)
            offset += len(chunk) + 2
        # One join makes the whole text: an imported spec can be megabytes, and
        # each concatenation would copy all of it once more.
        return "\n\n".join(chunks), starts


def _comment_lines(header: str) -> list[str]:
    """``header`` as ``#`` lines and the blank line after them; none without a header."""
    if not header:
        return []
    return [*(f"# {line}".rstrip() for line in header.splitlines()), ""]


def _comment(header: str) -> str:
    lines = _comment_lines(header)
    return "\n".join([*lines, ""]) if lines else ""


_YAML_BREAKS = ("\x85", "\u2028", "\u2029")


def dump_yaml(data: Mapping[str, Any], *, header: str = "") -> str:
    """YAML text for ``data`` (``yaml.safe_dump``; multi-line strings as ``|`` blocks)."""
    return _comment(header) + _yaml_text(data)


@cache
def _yaml_dumper() -> type[Any]:
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        if any(ch in value for ch in _YAML_BREAKS):
            # PyYAML writes these raw in plain/block style and reads them back as
            # line breaks; a double-quoted scalar escapes them (\N, \L, \P).
            style = '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return _Dumper


def _yaml_text(data: Mapping[str, Any]) -> str:
    import yaml

    return yaml.dump(
        _plain(data),
        Dumper=_yaml_dumper(),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )


class YamlParts:
    """YAML text written an entry at a time, byte for byte as :func:`dump_yaml`
    writes the whole.

    :meth:`entry` writes a top-level key and its value; :meth:`more` continues
    the mapping or sequence of the key written last with more of its items.
    Each piece is dumped at the depth it has in the whole document (a piece
    continuing ``states`` is dumped under ``states:``, that line then left
    out), so long strings fold at the same columns. :meth:`part` makes the
    next piece begin a new part (see :mod:`statusdoc.spec.parts`);
    :meth:`finish` gives the text and where those parts begin.
    """

    __slots__ = ("_break", "_chunks", "_key", "_size", "_starts")

    def __init__(self, header: str = "") -> None:
        comment = _comment(header)
        self._chunks: list[str] = [comment] if comment else []
        self._size = len(comment)
        self._starts: list[int] = []
        self._key = ""
        self._break = False

    def entry(self, key: str, value: Any) -> None:
        """Write the top-level ``key`` and its ``value``."""
        self._key = key
        self._add(_yaml_text({key: value}))

    def more(self, items: Mapping[str, Any] | Sequence[Any]) -> None:
        """Write more ``items`` of the mapping or sequence of the entry written last."""
        text = _yaml_text({self._key: items})
        self._add(text[text.index("\n") + 1 :])

    def part(self) -> None:
        """Begin a new part with the next piece."""
        self._break = True

    def _add(self, text: str) -> None:
        if self._chunks and self._chunks[-1].endswith("\n...\n"):
            # the end-of-document marker after a kept final line break: only
            # the end of the whole document has one
            self._chunks[-1] = self._chunks[-1][: -len("...\n")]
            self._size -= len("...\n")
        if self._break and self._chunks:
            self._starts.append(self._size)
        self._break = False
        self._chunks.append(text)
        self._size += len(text)

    def finish(self) -> tuple[str, list[int]]:
        """The text, and the offsets where the parts after the first begin."""
        chunks, self._chunks = self._chunks, []
        return "".join(chunks), self._starts


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def dump(data: Mapping[str, Any], format: str = "toml", *, header: str = "") -> str:
    """``data`` as spec text in ``format`` (``toml`` or ``yaml``)."""
    if format == "toml":
        return dump_toml(data, header=header)
    if format == "yaml":
        return dump_yaml(data, header=header)
    raise ValueError(f"unknown spec format {format!r} (expected toml or yaml)")
