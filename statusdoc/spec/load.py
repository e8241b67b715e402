"""Parse spec text (TOML, YAML, JSON) into plain data plus source positions.

Parsing never raises for bad input: every failure becomes a located
:class:`~statusdoc.errors.Problem`. Hostile input is handled up front:

* files over :data:`MAX_BYTES` are refused before parsing;
* bytes must be UTF-8 (a UTF-8 BOM is dropped, UTF-16 is named as such);
* NUL bytes are refused with their line and column;
* CRLF line endings are normalised to LF (so checkouts on any OS load alike);
* YAML is built from the parser's events by hand
  (:mod:`statusdoc.spec.yamlload`): only the core scalar, sequence and
  mapping tags are accepted (no Python object construction), aliases are
  refused (no "billion laughs"), duplicate keys are errors;
* JSON duplicate keys are errors; ``NaN``/``Infinity`` are refused;
* YAML nesting deeper than :data:`MAX_DEPTH` is refused; TOML and JSON nesting
  deep enough to exhaust the parser's recursion is reported, never raised
  (shallower odd nesting is a type error found by validation).
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from statusdoc.errors import Problem, StatusdocError
from statusdoc.spec.fasttoml import fast_loads
from statusdoc.spec.jsonpositions import json_positions, lazy_json_positions
from statusdoc.spec.positions import (
    KeyPath,
    Positions,
    toml_deep_key_line,
    toml_positions,
)
from statusdoc.spec.rules import make_problem

FORMATS = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}
FORMAT_NAMES = {"toml": "toml", "yaml": "yaml", "yml": "yaml", "json": "json"}

#: Largest spec accepted, in bytes (a real machine of 5,000 states is ~1.5 MB).
MAX_BYTES = 5 * 1024 * 1024
#: Deepest nesting of arrays/tables accepted (real specs need 4).
MAX_DEPTH = 64

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "MAX_DEPTH",
    "Document",
    "KeyPath",
    "detect_format",
    "parse_document",
    "parse_yaml_data",
]


@dataclass
class Document:
    """Parsed spec data and a way to find the line of a key path in the source."""

    data: Any
    filename: str
    format: str
    locate: Callable[[KeyPath], int]
    positions: Positions = field(default_factory=Positions)

    def take_data(self) -> Any:
        """The parsed data, handed over: the document no longer holds it, so the
        reader can let it go as soon as it has read it (the positions stay)."""
        data, self.data = self.data, None
        return data


def detect_format(filename: str) -> str:
    """The spec format for ``filename``'s suffix; ValueError when unknown."""
    lowered = filename.lower()
    for suffix, fmt in FORMATS.items():
        if lowered.endswith(suffix):
            return fmt
    known = ", ".join(sorted(FORMATS))
    raise ValueError(f"unknown spec format (expected a file ending in {known})")


#: Rules of :mod:`statusdoc.spec.rules` a parse failure may break (default: syntax-error).
UNREADABLE, UNSUPPORTED = "unreadable-spec", "unsupported-syntax"


class ParseFailure(StatusdocError):
    """A located failure to parse a spec, raised by the parsers of the spec
    layer (this module, :mod:`statusdoc.spec.yamlload`); :func:`parse_document`
    and :func:`parse_yaml_data` turn it into a problem, so it never ends a command."""

    def __init__(self, line: int, message: str, path: str = "",
                 rule: str = "syntax-error") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.path = path
        self.rule = rule


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16's
        raise ParseFailure(1, "file is UTF-32 encoded; save the spec as UTF-8", rule=UNREADABLE)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseFailure(1, "file is UTF-16 encoded; save the spec as UTF-8", rule=UNREADABLE)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ParseFailure(
            line, f"invalid UTF-8 (byte 0x{bad} at line {line}, column {col}); "
            "save the spec as UTF-8", rule=UNREADABLE,
        ) from None


def _prepare(text: str | bytes) -> str:
    """Bytes or text -> normalised text; ParseFailure on size, encoding or NUL bytes."""
    size = len(text)
    if size > MAX_BYTES:
        raise ParseFailure(
            1, f"spec too large (more than {MAX_BYTES:,} bytes); "
            "split the machine into several specs", rule=UNREADABLE,
        )
    if isinstance(text, bytes | bytearray):
        text = _decode(bytes(text))
    elif text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line, col = line_col(text, nul)
        raise ParseFailure(line, f"NUL byte at line {line}, column {col}: "
                           "the file is binary or corrupt", rule=UNREADABLE)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text


def _depth_line(text: str) -> int:
    """Line where bracket nesting first exceeds MAX_DEPTH (strings ignored roughly)."""
    depth = 0
    for match in re.finditer(r"[\[{]|[\]}]", text):
        depth += 1 if match.group(0) in "[{" else -1
        if depth > MAX_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return 1


def too_deep(text: str) -> ParseFailure:
    """The failure for nesting that exhausted a parser's recursion."""
    return ParseFailure(_depth_line(text), f"nesting too deep (at most {MAX_DEPTH} levels)",
                        rule=UNSUPPORTED)


# --------------------------------------------------------------------- TOML

_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_EOD = re.compile(r"\s*\(at end of document\)\s*$")


def _number_too_long(text: str) -> ParseFailure:
    """Python's int() refuses more than ``sys.get_int_max_str_digits()`` digits
    (tomllib and json call it): name the line of the first run that long."""
    limit = sys.get_int_max_str_digits()
    line = 1
    for match in re.finditer(r"[0-9_]+", text):
        if len(match.group(0)) > limit:
            line = text.count("\n", 0, match.start()) + 1
            break
    return ParseFailure(line, f"number too long (more than {limit:,} digits)", rule=UNSUPPORTED)


def _parse_toml(text: str, filename: str) -> Document:
    try:
        fast = fast_loads(text, MAX_DEPTH)
    except ValueError:  # int() past the digit limit, inside tomllib
        raise _number_too_long(text) from None
    if fast is not None:
        data, positions = fast
        return Document(data, filename, "toml", positions.line, positions)
    # Dotted keys nest like tables, and parsers build every prefix of a key's
    # path: count them before tomllib builds anything (the fast path declines
    # deep headers and dotted keys, so they always arrive here).
    deep = toml_deep_key_line(text, MAX_DEPTH)
    if deep:
        raise ParseFailure(deep, f"nesting too deep (at most {MAX_DEPTH} levels, "
                           "dotted keys count)")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_AT.search(message)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        else:
            line, col = text.count("\n") + 1, 0
            message = _TOML_EOD.sub("", message)
            message += " (at end of file)"
        where = f" (line {line}, column {col})" if col else ""
        raise ParseFailure(line, f"TOML syntax error: {message}{where}") from None
    except ValueError:  # int() past the digit limit
        raise _number_too_long(text) from None
    except RecursionError:
        raise too_deep(text) from None
    positions = toml_positions(text)
    return Document(data, filename, "toml", positions.line, positions)


# --------------------------------------------------------------------- JSON


class _JsonConstant(ValueError):
    """NaN or Infinity in JSON text."""


def _no_constant(name: str) -> Any:
    raise _JsonConstant(f"{name} is not valid JSON")


def _parse_json(text: str, filename: str) -> tuple[Document, list[Problem]]:
    hook_duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            for key, _value in items:
                if key in seen:
                    hook_duplicates.append(key)
                seen.add(key)
        return result

    try:
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise ParseFailure(
            exc.lineno, f"JSON syntax error: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except _JsonConstant as exc:  # NaN / Infinity
        raise ParseFailure(_find_line(text, str(exc).split()[0]), f"JSON error: {exc}",
                           rule=UNSUPPORTED) from None
    except ValueError:  # int() past the digit limit
        raise _number_too_long(text) from None
    except RecursionError:
        raise too_deep(text) from None
    if not hook_duplicates:  # the common case: no line is needed until a problem asks
        positions = lazy_json_positions(text)
        return Document(data, filename, "json", positions.line, positions), []
    positions, duplicates = json_positions(text)
    problems = [
        make_problem("duplicate-key", filename, line, _format_path((*obj, key)),
                     f"duplicate key {key!r}" + (" (a status defined twice)"
                                                 if obj == ("states",) else ""))
        for obj, key, line in duplicates
    ]
    if not problems:  # the position scan missed them: still an error
        problems = [make_problem("duplicate-key", filename, 1, "", f"duplicate key {key!r}")
                    for key in hook_duplicates]
    return Document(data, filename, "json", positions.line, positions), problems


def _find_line(text: str, needle: str) -> int:
    offset = text.find(needle)
    return text.count("\n", 0, offset) + 1 if offset >= 0 else 1


# --------------------------------------------------------------------- YAML


def parse_yaml_data(text: str | bytes, filename: str = "<yaml>") -> Any:
    """Plain data from YAML ``text`` under the spec loader's rules.

    The one YAML reader of statusdoc (spec files, and the ``.yaml`` tables of
    ``compare`` and ``import``): size cap, UTF-8 only, core tags only, no
    anchors or aliases, no merge keys, no duplicate keys, bounded nesting.
    Raises :class:`ValueError` with a ``filename:line: key: message`` text.
    """
    from statusdoc.spec.yamlload import parse_yaml

    try:
        document, problems = parse_yaml(_prepare(text), filename)
    except ParseFailure as fail:
        problems = [Problem(filename, fail.line, fail.path, fail.message)]
        document = None
    if problems or document is None:
        raise ValueError(str(problems[0]))
    return document.data


# --------------------------------------------------------------------- shared

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _format_path(path: KeyPath) -> str:
    """``("transitions", 4, "to")`` -> ``transitions[4].to``; odd keys are quoted."""
    out: list[str] = []
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out.append(f"[{part}]")
            continue
        text = part if isinstance(part, str) else repr(part)
        if len(text) > 40:
            text = text[:37] + "..."
        if not _BARE_KEY.fullmatch(text):
            text = json.dumps(text, ensure_ascii=False)
        out.append(f".{text}" if out else text)
    result = "".join(out)
    if len(result) > 120:
        result = result[:70] + "..." + result[-40:]
    return result


format_path = _format_path


def parse_document(
    text: str | bytes, format: str, filename: str
) -> tuple[Document | None, list[Problem]]:
    """Parse ``text`` as ``format`` (toml, yaml, json).

    Returns the document (None when it cannot be parsed at all) and the
    problems found while parsing (syntax errors, duplicate keys, ...).
    """
    fmt = FORMAT_NAMES.get(format.lower())
    if fmt is None:
        return None, [make_problem(UNREADABLE, filename, 1, "", f"unknown spec format "
                                   f"{format!r} (expected toml, yaml or json)")]
    document: Document | None
    problems: list[Problem] = []
    try:
        prepared = _prepare(text)
        if fmt == "toml":
            document = _parse_toml(prepared, filename)
        elif fmt == "json":
            document, problems = _parse_json(prepared, filename)
        else:
            from statusdoc.spec.yamlload import parse_yaml

            document, problems = parse_yaml(prepared, filename)
    except ParseFailure as fail:
        return None, [make_problem(fail.rule, filename, fail.line, fail.path, fail.message)]
    if document is not None:
        from statusdoc.spec.surrogates import lone_surrogates

        bad = lone_surrogates(document.data, document.filename, document.locate)
        if bad:
            return None, bad
    return document, problems
