"""Walking a parsed DOT graph for the importer (:mod:`statusdoc.importers.dot`).

:class:`Walker` goes through the graph in file order, applying ``node`` and
``edge`` defaults by scope, and keeps what the import needs of each node and
edge: a node's attributes, and an edge's ends, its attributes but its label
(one object per distinct set) and its raw label. The parse tree is used up as
it is walked, so a big file is never held as a tree and as walked edges at
once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from statusdoc.importers.common import Imported
from statusdoc.importers.dotattrs import NO_ATTRIBUTES, Attributes
from statusdoc.importers.dotparse import AttrStmt, DotGraph, EdgeStmt, NodeStmt
from statusdoc.importers.dotsyntax import label_text, unquote_id

__all__ = ["WalkedEdge", "Walker", "label_of", "plain_label"]

#: A node reference with an optional ``:port`` (or ``:port:compass``) after the ID.
_PORT = re.compile(r'^("(?:[^"\\]|\\.)*"|[^:"]+)(:.+)?$', re.DOTALL)

#: An edge as walked: its source and target nodes, its attributes but ``label`` (one
#: object per distinct set: most edges share a few), and its raw ``label``.
WalkedEdge = tuple[str, str, Attributes, str | None]


class Walker:
    """Walks the parsed graph in file order, applying ``node``/``edge`` defaults by scope.

    A cluster (a subgraph named ``cluster...``) becomes a group: ``groups``
    maps its name to its title (its ``label``), ``node_group`` each node to
    the first cluster that names it, as Graphviz places it. Clusters nest
    one level: one inside another adds its nodes to the outer one.
    """

    def __init__(self, result: Imported) -> None:
        self.result = result
        self.order: list[str] = []
        #: each node's attributes (a node without a statement of its own shares the
        #: defaults it was met under with every such node)
        self.node_attrs: dict[str, Attributes] = {}
        self.edges: list[WalkedEdge] = []
        #: each distinct set of defaults, or of edge attributes but ``label``
        self.shared: dict[tuple[str, ...], Attributes] = {(): NO_ATTRIBUTES}
        self.graph_attrs: dict[str, str] = {}
        self.groups: dict[str, str] = {}
        self.node_group: dict[str, str] = {}
        self.group: str | None = None  # the cluster being walked

    def touch(self, name: str, defaults: Mapping[str, str]) -> None:
        if name not in self.node_attrs:
            self.order.append(name)
            self.node_attrs[name] = self._shared(defaults)
        if self.group is not None:
            self.node_group.setdefault(name, self.group)

    def walk(self, graph: DotGraph, node_defaults: dict[str, str],
             edge_defaults: dict[str, str], top: bool) -> None:
        node_defaults = dict(node_defaults)
        edge_defaults = dict(edge_defaults)
        attrs = graph.attributes
        if not top and self.group is not None and self.groups.get(self.group) is None:
            self.groups[self.group] = self._title(graph)  # the cluster's own attributes
            attrs = {k: v for k, v in attrs.items() if k != "label"}
        if not top and attrs:
            self.result.note(f"subgraph {graph.name!r} attributes not imported: {_fmt(attrs)}")
        # The parsed statements are used up as they are walked: each goes once
        # what it says is recorded, so the parse tree and the walked edges of a
        # big file are never all held together.
        statements, graph.statements = graph.statements, []
        statements.reverse()
        while statements:
            stmt = statements.pop()
            if isinstance(stmt, DotGraph):
                self.subgraph(stmt, node_defaults, edge_defaults, top)
            elif isinstance(stmt, AttrStmt):
                self.defaults(stmt, node_defaults, edge_defaults, top)
            elif isinstance(stmt, NodeStmt):
                name = self._node_name(stmt.name)
                self.touch(name, node_defaults)
                if stmt.attributes:
                    self.node_attrs[name] = Attributes({**self.node_attrs[name],
                                                        **stmt.attributes})
            else:
                self.edge(stmt, node_defaults, edge_defaults)

    def subgraph(self, stmt: DotGraph, node_defaults: dict[str, str],
                 edge_defaults: dict[str, str], top: bool) -> None:
        name = unquote_id(stmt.name)
        outer = self.group
        if _is_cluster(stmt) and outer is None:
            self.group = _group_name(name)
        elif _is_cluster(stmt):
            self.result.note(f"cluster {name!r} inside cluster {outer!r}: its statuses join "
                             f"group {outer!r} (groups are one level deep)")
        elif not top:
            self.result.note(f"subgraph {name!r} flattened: "
                             "its statuses and transitions are imported, the grouping is not")
        try:
            self.walk(stmt, node_defaults, edge_defaults, top=False)
        finally:
            self.group = outer

    def _title(self, graph: DotGraph) -> str:
        """A cluster's ``label``: an ``ID = ID`` statement or a ``graph [label=...]``."""
        raw = graph.attributes.get("label")
        for stmt in graph.statements:
            if isinstance(stmt, AttrStmt) and stmt.kind == "graph" and "label" in stmt.attributes:
                raw = stmt.attributes["label"]
        return label_of(self.result, raw, f"cluster {graph.name!r}")

    def defaults(self, stmt: AttrStmt, node_defaults: dict[str, str],
                 edge_defaults: dict[str, str], top: bool) -> None:
        if stmt.kind == "node":
            node_defaults.update(stmt.attributes)
        elif stmt.kind == "edge":
            edge_defaults.update(stmt.attributes)
        elif top:
            self.graph_attrs.update(stmt.attributes)
        else:
            rest = {k: v for k, v in stmt.attributes.items()
                    if k != "label" or self.group is None}
            if rest:
                self.result.note(f"subgraph graph attributes not imported: {_fmt(rest)}")

    def edge(self, stmt: EdgeStmt, node_defaults: dict[str, str],
             edge_defaults: dict[str, str]) -> None:
        if not isinstance(stmt.source, str) or not isinstance(stmt.target, str):
            self.result.note(
                "an edge to or from a {...} group is not imported "
                "(write one edge per pair of statuses)"
            )
            return
        src, dst = self._node_name(stmt.source), self._node_name(stmt.target)
        self.touch(src, node_defaults)
        self.touch(dst, node_defaults)
        attrs = {**edge_defaults, **stmt.attributes} if edge_defaults else stmt.attributes
        self.edges.append((src, dst, self._shared(attrs, but="label"), attrs.get("label")))

    def _shared(self, attrs: Mapping[str, str], but: str = "") -> Attributes:
        """``attrs`` (without the attribute ``but``), as the one object kept for that set."""
        pairs = tuple(part for key, value in attrs.items() if key != but
                      for part in (key, value))
        found = self.shared.get(pairs)
        if found is None:
            found = self.shared[pairs] = Attributes(pairs=pairs)
        return found

    def _node_name(self, raw: str) -> str:
        match = _PORT.match(raw)
        if match and match.group(2):
            self.result.note(f"port in node reference {raw!r} not imported")
            return unquote_id(match.group(1))
        return unquote_id(raw)


def _fmt(attrs: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


def _is_cluster(graph: DotGraph) -> bool:
    """A cluster, as Graphviz tells: a name starting with ``cluster`` (any case), or
    ``cluster=true``."""
    flag = unquote_id(graph.attributes.get("cluster", "")).lower()
    return unquote_id(graph.name)[:7].lower() == "cluster" or flag == "true"


def _group_name(cluster: str) -> str:
    """The group a cluster stands for: ``cluster_errors`` -> ``errors``."""
    rest = cluster[7:] if cluster[:7].lower() == "cluster" else cluster
    rest = rest[1:] if rest[:1] in ("_", "-", " ") else rest
    return rest.strip() or cluster.strip() or "cluster"


def plain_label(raw: str) -> str:
    """One line of text for a label; an HTML-like label's markup on one line."""
    text = label_text(raw)
    if raw.startswith("<") and raw.endswith(">"):
        text = " ".join(text.split())
    return text.strip()


def label_of(result: Imported, raw: str | None, where: str) -> str:
    """The one-line label text of ``raw``; an HTML-like label is kept as its markup."""
    if raw is None:
        return ""
    text = plain_label(raw)
    if raw.startswith("<") and raw.endswith(">"):
        result.note(f"HTML-like label of {where} kept as plain text: {text}")
    return text
