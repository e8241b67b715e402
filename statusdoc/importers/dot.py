"""Import a hand-kept Graphviz ``.dot`` file (parsed with pydot).

Mapping (documented in ``docs/migration.rst``):

* nodes become statuses, in the order they first appear in the file (node
  statements and edge ends alike); a ``label`` different from the node ID
  becomes the status ``label``;
* an edge from a node named ``""`` or drawn with ``shape=point`` is the entry
  arrow: its target becomes ``initial``, its label ``initial_label``;
* every other edge becomes a transition with its label as written; a label
  starting with ``[v1]``-style brackets also gets the tag ``v1``;
* a status with no outgoing edge becomes ``final = true``;
* node and edge attributes with the same value on every node (every edge)
  become ``[diagram] node`` (``edge``) style, graph attributes become
  ``[diagram]`` ``rankdir`` / ``graph``; an edge attribute that is uniform
  within each tag becomes that tag's style;
* comments, and attributes that cannot be carried over, are reported as notes.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

from statusdoc.importers.common import Edge, Imported, ImportFailure, infer_tags, slug
from statusdoc.importers.dotsyntax import find_comments, label_text, unquote_id
from statusdoc.spec.attrs import EDGE_ATTRS, GRAPH_ATTRS, NODE_ATTRS

__all__ = ["find_comments", "import_dot", "import_dot_text", "label_text", "unquote_id"]

_DEFAULT_STMTS = ("node", "edge", "graph")
#: A node reference with an optional ``:port`` (or ``:port:compass``) after the ID.
_PORT = re.compile(r'^("(?:[^"\\]|\\.)*"|[^:"]+)(:.+)?$', re.DOTALL)


def _ordered(graph: Any) -> Iterator[tuple[str, Any]]:
    items: list[tuple[int, str, Any]] = []
    for node in graph.get_nodes():
        items.append((node.obj_dict.get("sequence", 0), "node", node))
    for edge in graph.get_edges():
        items.append((edge.obj_dict.get("sequence", 0), "edge", edge))
    for sub in graph.get_subgraphs():
        items.append((sub.obj_dict.get("sequence", 0), "subgraph", sub))
    items.sort(key=lambda item: item[0])
    for _seq, kind, obj in items:
        yield kind, obj


class _Walker:
    """Walks the pydot tree in file order, applying ``node``/``edge`` defaults by scope."""

    def __init__(self, result: Imported) -> None:
        self.result = result
        self.order: list[str] = []
        self.node_attrs: dict[str, dict[str, str]] = {}
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.graph_attrs: dict[str, str] = {}

    def touch(self, name: str, defaults: dict[str, str]) -> None:
        if name not in self.node_attrs:
            self.order.append(name)
            self.node_attrs[name] = dict(defaults)

    def walk(self, graph: Any, node_defaults: dict[str, str], edge_defaults: dict[str, str],
             top: bool) -> None:
        node_defaults = dict(node_defaults)
        edge_defaults = dict(edge_defaults)
        if not top:
            attrs = graph.get_attributes()
            if attrs:
                self.result.note(
                    f"subgraph {graph.get_name()!r} attributes not imported: {_fmt(attrs)}"
                )
        for kind, obj in _ordered(graph):
            if kind == "subgraph":
                if not top or obj.get_name().startswith("cluster"):
                    self.result.note(
                        f"subgraph {unquote_id(obj.get_name())!r} flattened: "
                        "its statuses and transitions are imported, the grouping is not"
                    )
                self.walk(obj, node_defaults, edge_defaults, top=False)
            elif kind == "node":
                raw = obj.get_name()
                attrs = {k: v for k, v in obj.get_attributes().items() if v is not None}
                if raw in _DEFAULT_STMTS:
                    if raw == "node":
                        node_defaults.update(attrs)
                    elif raw == "edge":
                        edge_defaults.update(attrs)
                    elif top:
                        self.graph_attrs.update(attrs)
                    else:
                        self.result.note(f"subgraph graph attributes not imported: {_fmt(attrs)}")
                    continue
                name = self._node_name(raw)
                self.touch(name, node_defaults)
                self.node_attrs[name].update(attrs)
            else:
                src, dst = obj.get_source(), obj.get_destination()
                if not isinstance(src, str) or not isinstance(dst, str):
                    self.result.note(
                        "an edge to or from a {...} group is not imported "
                        "(write one edge per pair of statuses)"
                    )
                    continue
                src, dst = self._node_name(src), self._node_name(dst)
                self.touch(src, node_defaults)
                self.touch(dst, node_defaults)
                attrs = dict(edge_defaults)
                attrs.update({k: v for k, v in obj.get_attributes().items() if v is not None})
                self.edges.append((src, dst, attrs))

    def _node_name(self, raw: str) -> str:
        match = _PORT.match(raw)
        if match and match.group(2):
            self.result.note(f"port in node reference {raw!r} not imported")
            return unquote_id(match.group(1))
        return unquote_id(raw)


def _fmt(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in attrs.items())


def import_dot_text(
    text: str, *, name: str | None = None, source: str = "<dot>", tags: bool = True
) -> Imported:
    """Import DOT ``text``; see the module docstring for the mapping."""
    import pydot

    stem = os.path.splitext(os.path.basename(source))[0]
    result = Imported(name=slug(name or stem.replace("_status_transition", "") or "machine"),
                      source=source)
    for first, last, body in find_comments(text):
        where = f"line {first}" if first == last else f"lines {first}-{last}"
        excerpt = " ".join(
            " ".join(line.strip().lstrip("*#") for line in body.splitlines()).split()
        )
        if len(excerpt) > 70:
            excerpt = excerpt[:67] + "..."
        result.note(f"comment on {where} not imported: {excerpt}")
    printed = io.StringIO()  # pydot prints parse errors instead of raising them
    try:
        with contextlib.redirect_stdout(printed):
            graphs = pydot.graph_from_dot_data(text)
    except Exception as exc:  # pydot raises several exception types on bad input
        raise ImportFailure(f"{source}: cannot parse DOT: {exc}") from exc
    if not graphs:
        lines = printed.getvalue().strip().splitlines()
        detail = lines[-1].strip() if lines else ""
        why = f": {detail}" if detail else " (is it a DOT file?)"
        raise ImportFailure(f"{source}: cannot parse DOT{why}")
    if len(graphs) > 1:
        result.note(f"{len(graphs) - 1} more graph(s) after the first not imported")
    graph = graphs[0]
    if graph.get_type() != "digraph":
        result.note("undirected graph: edges imported as directed, in the order written")
    walker = _Walker(result)
    walker.graph_attrs.update(graph.get_attributes())
    walker.walk(graph, {}, {}, top=True)
    _build(result, walker, tags)
    return result


def import_dot(path: str, *, name: str | None = None, tags: bool = True) -> Imported:
    """Import the DOT file at ``path``."""
    from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular

    try:
        text = read_regular(path, MAX_INPUT_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailure(f"{path}: cannot read: {exc}") from exc
    return import_dot_text(text, name=name, source=path, tags=tags)


def _is_entry(name: str, attrs: dict[str, str]) -> bool:
    return name == "" or unquote_id(attrs.get("shape", "")) == "point"


def _class(attrs: dict[str, str]) -> str:
    return unquote_id(attrs.get("class", ""))


def _build(result: Imported, walker: _Walker, tags: bool) -> None:
    attrs_of = walker.node_attrs
    # Helper nodes of a DOT file statusdoc generated: wildcard notes and the legend.
    wildcards = {n for n in walker.order if _class(attrs_of[n]) == "statusdoc-wildcard"}
    legend = {n for n in walker.order if _class(attrs_of[n]) == "statusdoc-legend"}
    entries = {n for n in walker.order if _is_entry(n, attrs_of[n])} - legend
    if legend:
        result.note("statusdoc legend not imported (legends come from [diagram.tags] legend)")
    helpers = entries | wildcards | legend
    for n in walker.order:
        if n not in helpers:
            result.add_state(n)
    for n in sorted(entries):
        if n:
            result.note(f"point-shaped node {n!r} read as the entry arrow's start, not a status")
    outgoing: set[str] = set()
    kept: list[tuple[str, str, dict[str, str]]] = []  # attributes of each imported edge
    for src, dst, attrs in walker.edges:
        if src in legend or dst in legend:
            continue
        label = _label(result, attrs.get("label"), f"edge {src!r} -> {dst!r}")
        if src in entries:
            if dst in helpers:
                result.note(f"edge between helper nodes {src!r} -> {dst!r} not imported")
            elif result.initial is None:
                result.initial, result.initial_label = dst, label
            else:
                result.note(
                    f"second entry arrow to {dst!r} not imported: "
                    f"a spec has one initial status ({result.initial!r})"
                )
            continue
        if dst in helpers:
            result.note(f"edge {src!r} -> {dst!r} into a helper node not imported")
            continue
        edge_tags = infer_tags(label) if tags else ()
        kept.append((src, dst, attrs))
        if src in wildcards:
            result.edges.append(Edge("*", dst, label, None, edge_tags))
            continue
        outgoing.add(src)
        result.edges.append(Edge(src, dst, label, None, edge_tags))
    if wildcards:
        # statusdoc's own DOT: wildcard rules cover states with no edge of their
        # own, so only states drawn as final (two peripheries) are final.
        result.finals = {
            s for s in result.states
            if s not in outgoing and unquote_id(attrs_of[s].get("peripheries", "1")) != "1"
        }
    else:
        result.finals = {s for s in result.states if s not in outgoing}
    for state in result.states:
        raw = attrs_of[state].get("label")
        if raw is not None:
            text = _label(result, raw, f"status {state!r}")
            if text not in ("\\N", state, ""):
                result.labels[state] = text
    _node_style(result, walker, helpers)
    _edge_style(result, kept)
    _graph_style(result, walker)


def _label(result: Imported, raw: str | None, where: str) -> str:
    """The one-line label text of ``raw``; an HTML-like label is kept as its markup."""
    if raw is None:
        return ""
    text = label_text(raw)
    if raw.startswith("<") and raw.endswith(">"):
        text = " ".join(text.split())
        result.note(f"HTML-like label of {where} kept as plain text: {text}")
    return text.strip()


def _keys(attr_dicts: Iterator[dict[str, str]]) -> list[str]:
    """Attribute names in order of first use, without ``label``."""
    seen: dict[str, None] = {}
    for attrs in attr_dicts:
        seen.update(dict.fromkeys(attrs))
    seen.pop("label", None)
    return list(seen)


def _ours(key: str, walker: _Walker, states: list[str]) -> bool:
    """``class="statusdoc-..."`` marks a DOT file statusdoc wrote: nothing to report."""
    return key == "class" and all(
        _class(walker.node_attrs[s]).startswith("statusdoc-") for s in states
    )


def _listing(items: Iterable[str], *, limit: int = 6, sep: str = ", ") -> str:
    """``items`` joined, the first ``limit`` only (a big graph makes a long list)."""
    shown = list(items)
    more = len(shown) - limit
    text = sep.join(shown[:limit])
    return f"{text}{sep}... {more} more" if more > 0 else text


def _uniform(values: list[str | None]) -> str | None:
    first = values[0]
    return first if all(v == first for v in values) else None


def _node_style(result: Imported, walker: _Walker, entries: set[str]) -> None:
    states = [s for s in walker.order if s not in entries]
    keys = [k for k in _keys(walker.node_attrs[s] for s in states) if not _ours(k, walker, states)]
    style: dict[str, str] = {}
    for key in keys:
        values = [walker.node_attrs[s].get(key) for s in states]
        value = _uniform(values)
        if value is None:
            shown = _listing(
                f"{s}={unquote_id(v)}" for s, v in zip(states, values, strict=True) if v is not None
            )
            result.note(f"node attribute {key!r} not imported: differs between nodes ({shown})")
        elif key not in NODE_ATTRS:
            result.note(f"node attribute {key}={unquote_id(value)} not imported: "
                        "not a presentational attribute statusdoc carries")
        else:
            style[key] = unquote_id(value)
    if style:
        result.diagram["node"] = style


def _edge_style(result: Imported, edges: list[tuple[str, str, dict[str, str]]]) -> None:
    if not edges:
        return
    groups = [e.tags[0] if e.tags else None for e in result.edges]
    keys = [k for k in _keys(a for _s, _d, a in edges)
            if not (k == "class" and all(_class(a).startswith("statusdoc-") for *_x, a in edges))]
    style: dict[str, str] = {}
    tag_styles: dict[str, dict[str, str]] = {}
    for key in keys:
        values = [a.get(key) for _s, _d, a in edges]
        value = _uniform(values)
        if key not in EDGE_ATTRS:
            shown = _listing(sorted({unquote_id(v) for v in values if v is not None}), sep="|")
            result.note(f"edge attribute {key}={shown} not imported: "
                        "not a presentational attribute statusdoc carries")
            continue
        if value is not None:
            style[key] = unquote_id(value)
            continue
        by_group: dict[str | None, set[str | None]] = {}
        for group, v in zip(groups, values, strict=True):
            by_group.setdefault(group, set()).add(v)
        plain = by_group.get(None, {None})
        if all(len(vs) == 1 for vs in by_group.values()) and len(plain) == 1:
            base = next(iter(plain))
            if base is not None:
                style[key] = unquote_id(base)
            for group, vs in by_group.items():
                v = next(iter(vs))
                if group is not None and v != base and v is not None:
                    tag_styles.setdefault(group, {})[key] = unquote_id(v)
                elif group is not None and v != base:
                    result.note(f"edge attribute {key!r} not imported for tag {group!r} edges")
        else:
            shown = _listing(
                f"{s}->{d}: {unquote_id(v)}"
                for (s, d, _a), v in zip(edges, values, strict=True)
                if v is not None
            )
            result.note(f"edge attribute {key!r} not imported: differs between edges ({shown})")
    if style:
        result.diagram["edge"] = style
    if tag_styles:
        result.diagram["tags"] = {t: tag_styles[t] for t in sorted(tag_styles)}


def _graph_style(result: Imported, walker: _Walker) -> None:
    attrs = walker.graph_attrs
    graph: dict[str, str] = {}
    for key, raw in attrs.items():
        if raw is None:
            continue
        value = unquote_id(raw)
        if key == "rankdir":
            result.diagram["rankdir"] = value
        elif key in GRAPH_ATTRS:
            graph[key] = value
        else:
            result.note(f"graph attribute {key}={value} not imported: "
                        "not a presentational attribute statusdoc carries")
    if graph:
        result.diagram["graph"] = graph
    # Keep [diagram] keys in a stable, readable order.
    order = ["rankdir", "graph", "node", "edge", "tags"]
    ordered = {k: result.diagram[k] for k in order if k in result.diagram}
    result.diagram.clear()
    result.diagram.update(ordered)
