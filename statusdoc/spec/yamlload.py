"""Read a YAML spec from PyYAML's event stream, under the spec's own rules.

Values are built from the parser's events one at a time: no node tree of
the whole document is ever held (PyYAML's composed tree cost about 60 times
the text). The composer's checks are made on the events as it makes them
(one document only, no duplicate anchor, no undefined alias), then the
spec's: only the core scalar, sequence and mapping tags (no Python object
construction), no aliases (no "billion laughs"), no merge keys, scalar
mapping keys, no duplicate keys, nesting at most
:data:`~statusdoc.spec.load.MAX_DEPTH` deep. Scalars are typed by the
loader's resolver and built by its :class:`yaml.SafeConstructor` methods,
on a transient node: PyYAML's safe typing rules, exactly.

A problem of the spec's rules is reported only once the rest of the text
has been parsed: a syntax error anywhere wins, as when the whole tree was
composed first. Positions: the lines of the top two levels are kept as the
events go (:class:`~statusdoc.spec.shallowpositions.ShallowPositions`);
the line of any other key path is found by reading the events again, once,
when a problem first asks for one.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from statusdoc.errors import Problem
from statusdoc.spec.load import (
    MAX_DEPTH,
    UNSUPPORTED,
    Document,
    ParseFailure,
    format_path,
    line_col,
    too_deep,
)
from statusdoc.spec.positions import KeyPath, Positions
from statusdoc.spec.rules import make_problem
from statusdoc.spec.shallowpositions import ShallowPositions

__all__ = ["parse_yaml"]

_YAML_TAG = "tag:yaml.org,2002:"
_SAFE_SCALAR_TAGS = frozenset(
    _YAML_TAG + t for t in ("null", "bool", "int", "float", "str", "timestamp")
)


def parse_yaml(
    text: str, filename: str, loader_class: Any = None
) -> tuple[Document | None, list[Problem]]:
    """Parse YAML ``text`` (already prepared: see :func:`statusdoc.spec.load.parse_document`).

    ``loader_class``: libyaml's ``CSafeLoader`` when available (fast), the pure
    Python ``SafeLoader`` otherwise; both only parse here. Raises
    :class:`~statusdoc.spec.load.ParseFailure` for a document that cannot be read.
    """
    import yaml

    if loader_class is None:
        loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    positions = ShallowPositions(compute=lambda: _full_positions(text, filename, loader_class))
    data, problems, found = _read(text, filename, loader_class, positions)
    if not found:
        return Document(None, filename, "yaml", positions.line, Positions()), []
    return Document(data, filename, "yaml", positions.line, positions), problems


def _full_positions(text: str, filename: str, loader_class: Any) -> Positions:
    """The line of every key path of ``text``, which was read without a problem before."""
    positions = Positions()
    with suppress(ParseFailure):  # it read alike before; what was recorded stays
        _read(text, filename, loader_class, positions)
    return positions


def _read(text: str, filename: str, loader_class: Any,
          positions: Positions) -> tuple[Any, list[Problem], bool]:
    """The data of ``text``, the problems found, and whether there was a document."""
    import yaml

    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_fail(text, exc) from None
    try:
        builder = _Builder(_Events(loader), loader, filename, positions)
        return builder.document()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 0
        if "nesting depth" in str(exc.problem):
            raise ParseFailure(line, f"nesting too deep (at most {MAX_DEPTH} levels)",
                               rule=UNSUPPORTED) from None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise ParseFailure(line, f"YAML syntax error: {what} (line {line}, column {col})") \
            from None
    except yaml.reader.ReaderError as exc:
        raise _reader_fail(text, exc) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "unreadable"
        raise ParseFailure(1, f"YAML error: {first}") from None
    except RecursionError:
        raise too_deep(text) from None
    finally:
        loader.dispose()


def _reader_fail(text: str, exc: Any) -> ParseFailure:
    line, col = line_col(text, exc.position) if isinstance(exc.position, int) else (1, 0)
    char = exc.character
    shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
    return ParseFailure(line, f"YAML error: character {shown} is not allowed in YAML "
                        f"(line {line}, column {col})")


class _Events:
    """The loader's events, checked as PyYAML's composer checks them: an alias names
    an anchor made before, no anchor is made twice, the stream holds one document."""

    __slots__ = ("anchors", "loader", "named")

    def __init__(self, loader: Any) -> None:
        import yaml

        self.loader = loader
        #: anchor -> line of the node it names
        self.anchors: dict[str, int] = {}
        # The messages are the composer's: libyaml's does not name the anchor.
        self.named = not isinstance(loader, getattr(getattr(yaml, "cyaml", None), "CParser", ()))

    def peek(self) -> Any:
        return self.loader.peek_event()

    def get(self) -> Any:
        import yaml

        event: Any = self.loader.peek_event()
        mark: Any = event.start_mark
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            if isinstance(event, yaml.AliasEvent):
                if anchor not in self.anchors:
                    raise yaml.composer.ComposerError(
                        None, None, "found undefined alias" + self._name(anchor), mark)
            elif anchor in self.anchors:
                raise yaml.composer.ComposerError(
                    f"found duplicate anchor{self._name(anchor)}; first occurrence", None,
                    "second occurrence", mark)
            else:
                self.anchors[anchor] = mark.line + 1
        return self.loader.get_event()

    def _name(self, anchor: str) -> str:
        return f" {anchor!r}" if self.named else ""

    def end(self) -> None:
        """After the document: the end of the stream, or the composer's error."""
        import yaml

        if not isinstance(self.peek(), yaml.StreamEndEvent):
            event = self.get()
            raise yaml.composer.ComposerError(
                "expected a single document in the stream", None,
                "but found another document", event.start_mark)
        self.get()

    def drain(self) -> None:
        """Read the rest of the stream (its errors win over a spec rule's)."""
        import yaml

        while not isinstance(self.get(), yaml.DocumentEndEvent):
            pass
        self.end()

    def skip(self) -> None:
        """Read past the next node (a duplicate key's value), whatever its depth."""
        import yaml

        depth = 0
        while True:
            event = self.get()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if depth == 0:
                return


class _Builder:
    """Plain Python data from the events of one YAML document, with positions."""

    __slots__ = ("events", "filename", "loader", "positions", "problems", "strings")

    def __init__(self, events: _Events, loader: Any, filename: str,
                 positions: Positions) -> None:
        self.events = events
        self.loader = loader
        self.filename = filename
        self.positions = positions
        self.problems: list[Problem] = []
        #: one string object per distinct key or value: a status named in a
        #: thousand transitions is held once (as the TOML fast path does)
        self.strings: dict[str, str] = {}

    def document(self) -> tuple[Any, list[Problem], bool]:
        """The document's data and problems; False when the stream holds none."""
        import yaml

        events = self.events
        events.get()  # StreamStartEvent
        if isinstance(events.peek(), yaml.StreamEndEvent):
            events.get()
            return None, [], False
        events.get()  # DocumentStartEvent
        try:
            first = events.get()
            self.positions.add((), first.start_mark.line + 1)
            data = self.value(first, (), 0)
        except ParseFailure:
            events.drain()  # a syntax error later in the text is the one reported
            raise
        events.get()  # DocumentEndEvent
        events.end()
        return data, self.problems, True

    def value(self, event: Any, path: KeyPath, depth: int) -> Any:
        """The value that begins with ``event`` (taken already)."""
        import yaml

        line = event.start_mark.line + 1
        if depth > MAX_DEPTH:
            raise ParseFailure(line, f"nesting too deep (at most {MAX_DEPTH} levels)",
                               format_path(path), UNSUPPORTED)
        if isinstance(event, yaml.AliasEvent):
            raise self._alias(event, path)
        if isinstance(event, yaml.MappingStartEvent):
            self._check_tag(event, yaml.MappingNode, "map", path)
            return self.mapping(path, depth)
        if isinstance(event, yaml.SequenceStartEvent):
            self._check_tag(event, yaml.SequenceNode, "seq", path)
            return self.sequence(path, depth)
        return self.scalar(event, path)

    def mapping(self, path: KeyPath, depth: int) -> dict[Any, Any]:
        import yaml

        events = self.events
        result: dict[Any, Any] = {}
        while True:
            event = events.get()
            if isinstance(event, yaml.MappingEndEvent):
                return result
            key_line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise self._alias(event, path)
            scalar = isinstance(event, yaml.ScalarEvent)
            mapping = isinstance(event, yaml.MappingStartEvent)
            kind = yaml.ScalarNode if scalar else (
                yaml.MappingNode if mapping else yaml.SequenceNode)
            if self._tag(event, kind) == _YAML_TAG + "merge":
                raise ParseFailure(key_line, "YAML merge keys ('<<') are not supported in "
                                   "statusdoc files", format_path(path), UNSUPPORTED)
            if not scalar:
                raise ParseFailure(key_line, "mapping keys must be plain strings",
                                   format_path(path), UNSUPPORTED)
            key = self.scalar(event, path)
            key_path = (*path, key)
            if key in result:
                note = " (a status defined twice)" if path == ("states",) else ""
                self.problems.append(
                    make_problem("duplicate-key", self.filename, key_line,
                                 format_path(key_path), f"duplicate key {key!r}{note}"))
                events.skip()
                continue
            self.positions.add(key_path, key_line)
            result[key] = self.value(events.get(), key_path, depth + 1)

    def sequence(self, path: KeyPath, depth: int) -> list[Any]:
        import yaml

        events = self.events
        result: list[Any] = []
        while True:
            event = events.get()
            if isinstance(event, yaml.SequenceEndEvent):
                return result
            item_path = (*path, len(result))
            self.positions.add_item(item_path, event.start_mark.line + 1)
            result.append(self.value(event, item_path, depth + 1))

    def scalar(self, event: Any, path: KeyPath) -> Any:
        import yaml

        tag = self._tag(event, yaml.ScalarNode)
        if tag not in _SAFE_SCALAR_TAGS:
            raise _bad_tag(tag, event, path)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                               style=event.style)
        try:
            value = self.loader.yaml_constructors[tag](self.loader, node)
        except Exception as exc:
            raise ParseFailure(event.start_mark.line + 1, f"invalid YAML value: {exc}",
                               format_path(path)) from None
        return self.strings.setdefault(value, value) if type(value) is str else value

    def _tag(self, event: Any, kind: type) -> str:
        """The event's tag, resolved as the composer resolves it."""
        tag = event.tag
        if tag is None or tag == "!":
            value = getattr(event, "value", None)  # a scalar's; None for a collection
            tag = self.loader.resolve(kind, value, event.implicit)
        return str(tag)

    def _check_tag(self, event: Any, kind: type, expected: str, path: KeyPath) -> None:
        tag = self._tag(event, kind)
        if tag != _YAML_TAG + expected:
            raise _bad_tag(tag, event, path)

    def _alias(self, event: Any, path: KeyPath) -> ParseFailure:
        # The line of the node the alias names (the reused node, in the composed tree).
        line = self.events.anchors[event.anchor]
        return ParseFailure(
            line, "YAML anchors and aliases are not supported in statusdoc files "
            f"(the node anchored at line {line} is reused); write the value out",
            format_path(path), UNSUPPORTED,
        )


def _bad_tag(tag: str, event: Any, path: KeyPath) -> ParseFailure:
    if tag.startswith(_YAML_TAG):
        tag = "!!" + tag[len(_YAML_TAG):]
    return ParseFailure(
        event.start_mark.line + 1,
        f"YAML tag {tag!r} is not allowed in statusdoc files (only plain strings, numbers, "
        "booleans, lists and mappings)",
        format_path(path), UNSUPPORTED,
    )
