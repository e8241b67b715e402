"""Import a hand-kept Graphviz ``.dot`` file (parsed by :mod:`.dotparse`).

Mapping (documented in ``docs/migration.rst``):

* nodes become statuses, in the order they first appear in the file (node
  statements and edge ends alike); a ``label`` different from the node ID
  becomes the status ``label`` (with ``names_from="label"`` the label is the
  status name instead, for files whose node IDs are hashes);
* an edge from a node named ``""`` or drawn with ``shape=point`` is an entry
  arrow: its target is an entry status (``initial``, a list when there are
  several), its label the entry's ``initial_label``;
* a cluster (``subgraph cluster_x { ... }``) becomes the group ``x`` of the
  statuses in it, titled by its ``label`` (a cluster inside a cluster adds
  its statuses to the outer one: groups are one level deep);
* every other edge becomes a transition with its label as written; a label
  starting with ``[v1]``-style brackets also gets the tag ``v1``;
* a status with no outgoing edge becomes ``final = true``;
* node and edge attributes with the same value on every node (every edge)
  become ``[diagram] node`` (``edge``) style, graph attributes become
  ``[diagram]`` ``rankdir`` / ``graph``; an edge attribute that is uniform
  within each tag becomes that tag's style;
* comments, and attributes that cannot be carried over, are reported as notes;
* what statusdoc's own DOT says beyond the graph (wildcard scopes, returns,
  badges, deprecated and null statuses) is read by :mod:`.dotown`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from statusdoc.importers.common import (
    Group,
    Imported,
    ImportFailure,
    infer_tags,
    read_source,
    slug,
)
from statusdoc.importers.dotattrs import NO_ATTRIBUTES
from statusdoc.importers.dotown import badge_edges, rule_edge, status_marks
from statusdoc.importers.dotparse import DotSyntaxError, parse_dot
from statusdoc.importers.dotstyle import edge_style, graph_style, node_class, node_style
from statusdoc.importers.dotsyntax import find_comments, label_text, unquote_id
from statusdoc.importers.dotwalk import Walker, label_of, plain_label

__all__ = [
    "NAMES_FROM", "find_comments", "import_dot", "import_dot_text", "label_text", "unquote_id",
]

#: Where status names come from: the node IDs (default) or the node labels.
NAMES_FROM = ("id", "label")
#: What :func:`_edges` keeps of an edge without attributes (but its label), for
#: :func:`~statusdoc.importers.dotstyle.edge_style`.
_UNSTYLED = ("", "", NO_ATTRIBUTES)
def import_dot_text(
    text: str, *, name: str | None = None, source: str = "<dot>", tags: bool = True,
    names_from: str = "id",
) -> Imported:
    """Import DOT ``text``; see the module docstring for the mapping.

    ``names_from`` is ``"id"`` (status names are node IDs) or ``"label"``
    (node labels, for files whose IDs are hashes; see :func:`_name_by_label`).
    """
    if names_from not in NAMES_FROM:
        raise ImportFailure(f"names_from must be one of {', '.join(NAMES_FROM)}, "
                            f"not {names_from!r}")
    text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark is no DOT
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
    try:
        parsed = parse_dot(text)
    except DotSyntaxError as exc:
        raise ImportFailure(f"{source}: cannot parse DOT: {exc}") from None
    if len(parsed.graphs) > 1:
        result.note(f"{len(parsed.graphs) - 1} more graph(s) after the first not imported")
    if parsed.ignored:
        result.note(f"text after the first graph not imported (not DOT: {parsed.ignored})")
    graph = parsed.graphs[0]
    if graph.kind != "digraph":
        result.note("undirected graph: edges imported as directed, in the order written")
    walker = Walker(result)
    walker.graph_attrs.update(graph.attributes)
    walker.walk(graph, {}, {}, top=True)
    _build(result, walker, tags, names_from)
    return result


def import_dot(path: str, *, name: str | None = None, tags: bool = True,
               names_from: str = "id") -> Imported:
    """Import the DOT file at ``path`` (UTF-8, with or without a byte order mark)."""
    text = read_source(path)
    return import_dot_text(text, name=name, source=path, tags=tags, names_from=names_from)


def _is_entry(name: str, attrs: Mapping[str, str]) -> bool:
    return name == "" or unquote_id(attrs.get("shape", "")) == "point"


class _Helpers:
    """Nodes that are no status: entry points, and statusdoc's wildcard notes, badges,
    history markers and legend."""

    def __init__(self, walker: Walker) -> None:
        attrs_of = walker.node_attrs
        kinds = {n: node_class(attrs_of[n]) for n in walker.order}
        self.wildcards = {n for n, kind in kinds.items() if kind == "statusdoc-wildcard"}
        self.legend = {n for n, kind in kinds.items() if kind == "statusdoc-legend"}
        self.badges = {n for n, kind in kinds.items() if kind == "statusdoc-fanin"}
        self.history = {n for n, kind in kinds.items() if kind == "statusdoc-history"}
        self.entries = {n for n in walker.order if _is_entry(n, attrs_of[n])} - self.legend
        self.all = self.entries | self.wildcards | self.legend | self.badges | self.history


def _build(result: Imported, walker: Walker, tags: bool, names_from: str) -> None:
    helpers = _Helpers(walker)
    if names_from == "label":
        _name_by_label(result, walker, helpers.all)
    if helpers.legend:
        result.note("statusdoc legend not imported (legends come from [diagram.tags] legend)")
    for n in walker.order:
        if n not in helpers.all:
            result.add_state(n)
    _groups(result, walker, helpers.all)
    for n in sorted(helpers.entries):
        if n:
            result.note(f"point-shaped node {n!r} read as the entry arrow's start, not a status")
    kept, outgoing = _edges(result, walker, helpers, tags)
    attrs_of = walker.node_attrs
    if any(e.source == "*" for e in result.edges):
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
            text = label_of(result, raw, f"status {state!r}")
            if text not in ("\\N", state, ""):
                result.labels[state] = text
    status_marks(result, attrs_of)
    node_style(result, walker.order, attrs_of, helpers.all)
    edge_style(result, kept)
    graph_style(result, walker.graph_attrs)


def _edges(
    result: Imported, walker: Walker, helpers: _Helpers, tags: bool
) -> tuple[list[tuple[str, str, Mapping[str, str]]], set[str]]:
    """Transitions and the entry arrow; the imported edges' attributes but ``label``,
    and the sources. The walked edges are used up: each goes once it is imported."""
    outgoing: set[str] = set()
    kept: list[tuple[str, str, Mapping[str, str]]] = []
    walked, walker.edges = walker.edges, []
    walked.reverse()
    while walked:
        src, dst, attrs, raw_label = walked.pop()
        if (src in helpers.legend or dst in helpers.legend
                or node_class(attrs) == "statusdoc-layout"):
            continue
        if src in helpers.badges:
            for source in badge_edges(result, dst, attrs):
                outgoing.add(source)
                kept.append((source, dst, {k: v for k, v in attrs.items()
                                           if k not in ("id", "statusdoc_transitions")}))
            continue
        label = label_of(result, raw_label, f"edge {src!r} -> {dst!r}")
        if src in helpers.entries:
            if dst in helpers.all:
                result.note(f"edge between helper nodes {src!r} -> {dst!r} not imported")
            else:
                _entry(result, dst, label)
            continue
        returns = dst in helpers.history
        if dst in helpers.all and not returns:
            result.note(f"edge {src!r} -> {dst!r} into a helper node not imported")
            continue
        edge_tags = infer_tags(label) if tags else ()
        # An edge without attributes (but its label) is never named in a note
        # about them: one shared entry stands for every such edge.
        kept.append((src, dst, attrs) if attrs else _UNSTYLED)
        edge = rule_edge(result, src, dst, attrs, label, edge_tags,
                         from_note=src in helpers.wildcards, returns=returns)
        if edge.source != "*":
            outgoing.add(src)
        result.edges.append(edge)
    return kept, outgoing


def _entry(result: Imported, status: str, label: str) -> None:
    """An entry arrow: the first sets ``initial``, each further one adds an entry status."""
    if result.initial is None:
        result.initial, result.initial_label = status, label
    elif status == result.initial or status in result.more_initials:
        result.note(f"second entry arrow to {status!r} imported once"
                    + (f" (its label {label!r} is not)" if label else ""))
    else:
        result.more_initials.append(status)
        if label:
            result.entry_labels[status] = label


def _groups(result: Imported, walker: Walker, helpers: set[str]) -> None:
    """Clusters with a status become groups, in file order. One without is noted,
    unless it holds helper nodes only (statusdoc's legend)."""
    members: set[str] = set()
    for state in result.states:
        group = walker.node_group.get(state)
        if group is not None:
            members.add(group)
            result.state_group[state] = group
    of_helpers = {g for n, g in walker.node_group.items() if n in helpers}
    for name, title in walker.groups.items():
        if name in members:
            result.groups[name] = Group(name, title)
        elif name not in of_helpers:
            result.note(f"cluster {name!r} holds no status: not imported")


def _name_by_label(result: Imported, walker: Walker, helpers: set[str]) -> None:
    """Rename every status node to its label's text (``--names-from label``).

    A node without a label (or with an empty one, or ``\\N``) keeps its ID, as
    Graphviz draws it; ``\\N`` inside a label stands for the ID. A name already
    taken (two nodes with one label) gets `` (2)``, `` (3)``, ... and a note.
    """
    taken = set(helpers)
    renamed: dict[str, str] = {}
    for node in walker.order:
        if node in helpers:
            continue
        raw = walker.node_attrs[node].get("label")
        text = plain_label(raw).replace("\\N", node) if raw is not None else ""
        wanted = text or node
        name, count = wanted, 1
        while name in taken:
            count += 1
            name = f"{wanted} ({count})"
        if name != wanted:
            result.note(f"node {node!r} is labelled {wanted!r} like another node: "
                        f"named {name!r}")
        taken.add(name)
        renamed[node] = name
    walker.order = [renamed.get(n, n) for n in walker.order]
    walker.node_attrs = {renamed.get(n, n): a for n, a in walker.node_attrs.items()}
    walker.node_group = {renamed.get(n, n): g for n, g in walker.node_group.items()}
    walker.edges = [(renamed.get(s, s), renamed.get(d, d), a, label)
                    for s, d, a, label in walker.edges]
