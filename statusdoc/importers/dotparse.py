"""A linear parser for the DOT language, for ``statusdoc import``.

pydot parses DOT with a pyparsing grammar that makes about 700 Python calls
per edge statement: a 60,000-edge file took 66 s. This reads the whole
language (``strict``, ``graph``/``digraph``, node, edge and attribute
statements, ``ID = ID``, subgraphs as statements and as edge ends, edge
chains, ports, quoted strings with ``+`` concatenation and line
continuations, HTML strings, numerals, ``//``, ``/* */`` and ``#`` comments
(Graphviz reads ``#`` to the end of the line anywhere)) in one pass
of a tokenizer over the text, about 50 times faster, and says where a file
is broken.

IDs are kept *raw*, as pydot returns them (a quoted ID with its quotes, an
HTML string with its ``<>``), so :mod:`statusdoc.importers.dotsyntax` turns
them into text exactly as before. A port stays on the node reference
(``a:p:n``) of an edge, as in pydot, for the importer to report; a node
statement drops it, as Graphviz does. Comma-separated node lists (``a, b ->
c``) are read as Graphviz reads them: every node of one list to every node of
the next.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from statusdoc.errors import StatusdocError
from statusdoc.importers.dotattrs import NO_ATTRIBUTES, Attributes
from statusdoc.importers.dotsyntax import html_end

__all__ = [
    "AttrStmt", "Attributes", "DotFile", "DotGraph", "DotSyntaxError", "EdgeStmt", "NodeStmt",
    "parse_dot",
]

#: Deepest nesting of subgraphs accepted (a real diagram needs a few).
MAX_NESTING = 100
_KEYWORDS = frozenset({"strict", "graph", "digraph", "node", "edge", "subgraph"})

# Each match: blanks, then one token (or nothing, at the end of the text).
_TOKEN_RE = re.compile(
    r"""[ \t\r\n\f\v]*
      (?: (?P<comment>//[^\n]*|\#[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?)
        | (?P<quoted>"(?:[^"\\]|\\.)*"?)
        | (?P<numeral>-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
        | (?P<name>[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*)
        | (?P<edgeop>->|--)
        | (?P<html><)
        | (?P<punct>[{}\[\]=;,:+])
        | (?P<other>.)
      )?""",
    re.VERBOSE | re.DOTALL,
)


class DotSyntaxError(StatusdocError):
    """The text is not DOT; ``line`` and ``column`` say where it broke."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class NodeStmt:
    """``a [attrs]``: ``name`` raw (Graphviz ignores a port in a node statement)."""

    name: str
    attributes: Attributes


@dataclass(frozen=True, slots=True)
class EdgeStmt:
    """One edge of an edge statement; an end is a raw node reference or a subgraph."""

    source: str | DotGraph
    target: str | DotGraph
    attributes: Attributes


@dataclass(frozen=True, slots=True)
class AttrStmt:
    """``node [..]``, ``edge [..]`` or ``graph [..]`` (``kind`` in lower case)."""

    kind: str
    attributes: Attributes


@dataclass
class DotGraph:
    """A graph or subgraph: ``ID = ID`` attributes and its statements in file order."""

    kind: str  # "graph", "digraph" or "subgraph"
    name: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    statements: list[NodeStmt | EdgeStmt | AttrStmt | DotGraph] = field(default_factory=list)


@dataclass(frozen=True)
class DotFile:
    """The graphs of a file, and why reading stopped early (after the first graph)."""

    graphs: list[DotGraph]
    ignored: str = ""  # the syntax error that ended the file's later graphs, if any


class _Token(NamedTuple):
    kind: str  # "id", "keyword", "edgeop", "error", or the punctuation itself
    text: str
    offset: int


def _tokens(text: str) -> Iterator[_Token]:
    """The tokens of ``text``, read as the parser asks for them.

    A lexical error becomes a last ``error`` token, raised by the parser only
    if it gets that far: text after the first graph is not read when it is
    broken, as in Graphviz.
    """
    pos = 0
    while True:
        for match in _TOKEN_RE.finditer(text, pos):
            kind = match.lastgroup
            if kind is None:
                return  # only blanks were left
            start = match.start(kind)
            word = match.group(kind)
            if kind == "name":
                lowered = word.lower()
                yield (_Token("keyword", lowered, start) if lowered in _KEYWORDS
                       else _Token("id", word, start))
            elif kind == "punct":
                yield _Token(word, word, start)
            elif kind == "quoted":
                if len(word) < 2 or word[-1] != '"' or _odd_backslashes(word):
                    yield _Token("error", "unterminated quoted string", start)
                    return
                yield _Token("id", word, start)
            elif kind == "numeral":
                yield _Token("id", word, start)
            elif kind == "edgeop":
                yield _Token("edgeop", word, start)
            elif kind == "comment":
                if word.startswith("/*") and not word.endswith("*/"):
                    yield _Token("error", "unterminated /* comment", start)
                    return
            elif kind == "html":
                end = html_end(text, start)
                if end < 0:
                    yield _Token("error", "unterminated <...> string", start)
                    return
                yield _Token("id", text[start:end], start)
                pos = end
                break  # go on after the HTML string
            else:
                yield _Token("error", f"unexpected character {word!r}", start)
                return
        else:
            return


def _odd_backslashes(quoted: str) -> bool:
    """True when the closing quote of ``quoted`` is escaped (the string never closed)."""
    body = quoted[1:-1]
    return (len(body) - len(body.rstrip("\\"))) % 2 == 1


def _error(text: str, offset: int, message: str) -> DotSyntaxError:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return DotSyntaxError(message, line, column)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.stream = _tokens(text)
        self.ahead: list[_Token] = []  # tokens read but not taken yet (at most two)
        #: one string object per node reference and attribute name
        self.names: dict[str, str] = {}
        self.edgeop = "->"  # of the graph being read: "--" in an undirected graph

    # -- tokens ----------------------------------------------------------------
    def peek(self, ahead: int = 0) -> _Token | None:
        while len(self.ahead) <= ahead:
            token = next(self.stream, None)
            if token is None:
                return None
            self.ahead.append(token)
        return self.ahead[ahead]

    def skip(self, count: int = 1) -> None:
        del self.ahead[:count]

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.ahead[0] if self.ahead else self.peek()
        return token is not None and token.kind == kind and (text is None or token.text == text)

    def take(self, kind: str, what: str) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind:
            raise self.fail(f"expected {what}")
        self.skip()
        return token

    def fail(self, message: str) -> DotSyntaxError:
        token = self.peek()
        if token is not None and token.kind == "error":
            return _error(self.text, token.offset, token.text)
        if token is None:
            return _error(self.text, len(self.text), f"{message}, found the end of the file")
        return _error(self.text, token.offset, f"{message}, found {token.text[:20]!r}")

    # -- grammar ---------------------------------------------------------------
    def file(self) -> DotFile:
        found = [self.graph()]
        while self.peek() is not None:
            try:
                found.append(self.graph())
            except DotSyntaxError as exc:  # Graphviz, too, draws the first graph regardless
                return DotFile(found, str(exc))
        return DotFile(found)

    def graph(self) -> DotGraph:
        if self.at("keyword", "strict"):
            self.skip()
        token = self.peek()
        if token is None or token.kind != "keyword" or token.text not in ("graph", "digraph"):
            raise self.fail("expected 'graph' or 'digraph'")
        self.skip()
        self.edgeop = "->" if token.text == "digraph" else "--"
        graph = DotGraph(token.text, self.ident() if self.at("id") else "")
        self.take("{", "'{'")
        self.statements(graph, 0)
        self.take("}", "'}'")
        return graph

    def statements(self, graph: DotGraph, depth: int) -> None:
        while not self.at("}"):
            if self.peek() is None:
                raise self.fail("expected '}'")
            self.statement(graph, depth)
            if self.at(";"):
                self.skip()

    def statement(self, graph: DotGraph, depth: int) -> None:
        token = self.peek()
        assert token is not None
        if token.kind == "keyword" and token.text in ("graph", "node", "edge"):
            self.skip()
            graph.statements.append(AttrStmt(token.text, self.attr_lists(required=True)))
            return
        after = self.peek(self.id_length()) if token.kind == "id" else None
        if after is not None and after.kind == "=":
            key = _plain_key(self.ident())
            self.skip()
            graph.attributes[key] = self.ident()
            return
        first: list[str | DotGraph]
        if token.kind == "{" or (token.kind == "keyword" and token.text == "subgraph"):
            sub = self.subgraph(depth + 1)
            if not self.at("edgeop"):
                graph.statements.append(sub)
                return
            first = [sub]
        else:
            refs = self.node_list()
            if not self.at("edgeop"):
                # a node statement: Graphviz ignores a port here (``a:p [x=1]`` is ``a``)
                attrs = self.attr_lists(required=False)
                graph.statements.extend(NodeStmt(self.names.setdefault(base, base), attrs)
                                        for base, _port in refs)
                return
            first = [self.names.setdefault(base + port, base + port) for base, port in refs]
        ends = [first]
        while self.at("edgeop"):
            if not self.at("edgeop", self.edgeop):
                raise self.fail(f"expected {self.edgeop!r} in a "
                                f"{'digraph' if self.edgeop == '->' else 'graph'}")
            self.skip()
            if self.at("{") or self.at("keyword", "subgraph"):
                ends.append([self.subgraph(depth + 1)])
            else:
                ends.append([self.names.setdefault(base + port, base + port)
                             for base, port in self.node_list()])
        attrs = self.attr_lists(required=False)
        for sources, targets in itertools.pairwise(ends):
            # ``a, b -> c, d`` is an edge from each node of one list to each of the next
            # (read-only attributes: one object serves every edge of the statement)
            graph.statements.extend(EdgeStmt(source, target, attrs)
                                    for source in sources for target in targets)

    def subgraph(self, depth: int) -> DotGraph:
        if depth > MAX_NESTING:
            raise self.fail(f"subgraphs nested too deep (at most {MAX_NESTING} levels)")
        name = ""
        if self.at("keyword", "subgraph"):
            self.skip()
            if self.at("id"):
                name = self.ident()
        graph = DotGraph("subgraph", name)
        self.take("{", "'{'")
        self.statements(graph, depth)
        self.take("}", "'}'")
        return graph

    def node_list(self) -> list[tuple[str, str]]:
        """``a, b:p, c``: each node's ID and its ``:port[:compass]`` suffix ("" without)."""
        refs = [self.node_ref()]
        while self.at(","):
            self.skip()
            refs.append(self.node_ref())
        return refs

    def node_ref(self) -> tuple[str, str]:
        name = self.ident()
        port = ""
        while self.at(":"):  # a port, and maybe a compass point: kept on an edge's end
            self.skip()
            port += ":" + self.ident()
        return name, port

    def attr_lists(self, *, required: bool) -> Attributes:
        attrs: dict[str, str] = {}
        if required and not self.at("["):
            raise self.fail("expected '['")
        while self.at("["):
            self.skip()
            while not self.at("]"):
                key = _plain_key(self.ident())
                self.take("=", "'='")
                # one string per attribute name, however many statements use it
                attrs[self.names.setdefault(key, key)] = self.ident()
                if self.at(",") or self.at(";"):
                    self.skip()
            self.skip()
        return Attributes(attrs) if attrs else NO_ATTRIBUTES

    def id_length(self) -> int:
        """How many tokens the ID at the cursor takes: a quoted one may be
        concatenated (``"x" + "y"``), as :meth:`ident` reads it."""
        first = self.peek()
        length = 1
        if first is None or not first.text.startswith('"'):
            return length
        while True:
            plus, part = self.peek(length), self.peek(length + 1)
            if plus is None or plus.kind != "+" or part is None or not part.text.startswith('"'):
                return length
            length += 2

    def ident(self) -> str:
        token = self.take("id", "an ID")
        if not token.text.startswith('"'):
            return token.text
        parts = [token.text[1:-1]]
        while self.at("+"):
            after = self.peek(1)
            if after is None or not after.text.startswith('"'):
                break
            self.skip(2)
            parts.append(after.text[1:-1])
        return '"' + "".join(parts) + '"'


def _plain_key(raw: str) -> str:
    """An attribute name as Graphviz reads it: ``"label"`` is ``label``."""
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        return raw[1:-1].replace("\\\n", "")  # a backslash-newline continues the line
    return raw


def parse_dot(text: str) -> DotFile:
    """The graphs in DOT ``text``; :class:`DotSyntaxError` when the first is not DOT."""
    return _Parser(text).file()
