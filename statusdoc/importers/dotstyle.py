"""How a DOT file's node, edge and graph attributes become ``[diagram]`` style.

An attribute with one value on every status node (every edge) becomes the
``[diagram] node`` (``edge``) style; an edge attribute uniform within each
tag becomes that tag's style; graph attributes become ``rankdir`` and
``[diagram] graph``. Whatever cannot be carried (values that differ,
attributes that are not presentational) is reported as a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from statusdoc.importers.common import Imported
from statusdoc.importers.dotsyntax import unquote_id
from statusdoc.spec.attrs import EDGE_ATTRS, GRAPH_ATTRS, NODE_ATTRS

__all__ = ["edge_style", "graph_style", "node_class", "node_style"]


def node_class(attrs: Mapping[str, str]) -> str:
    """The ``class`` attribute (statusdoc marks its own helper nodes with it)."""
    return unquote_id(attrs.get("class", ""))


def _keys(attr_dicts: Iterator[Mapping[str, str]]) -> list[str]:
    """Attribute names in order of first use, without ``label``."""
    seen: dict[str, None] = {}
    for attrs in attr_dicts:
        seen.update(dict.fromkeys(attrs))
    seen.pop("label", None)
    return list(seen)


def _ours(key: str, node_attrs: Mapping[str, Mapping[str, str]], states: list[str]) -> bool:
    """``class="statusdoc-..."`` marks a DOT file statusdoc wrote: nothing to report."""
    return key == "class" and all(
        node_class(node_attrs[s]).startswith("statusdoc-") for s in states
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


def node_style(result: Imported, order: list[str], node_attrs: Mapping[str, Mapping[str, str]],
               helpers: set[str]) -> None:
    """``[diagram] node`` from the attributes shared by every status node."""
    states = [s for s in order if s not in helpers]
    keys = [k for k in _keys(node_attrs[s] for s in states) if not _ours(k, node_attrs, states)]
    style: dict[str, str] = {}
    for key in keys:
        values = [node_attrs[s].get(key) for s in states]
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


def edge_style(result: Imported, edges: list[tuple[str, str, Mapping[str, str]]]) -> None:
    """``[diagram] edge`` and tag styles from the imported edges' attributes."""
    if not edges:
        return
    groups = [e.tags[0] if e.tags else None for e in result.edges]
    ours = all(node_class(a).startswith("statusdoc-") for *_x, a in edges)
    keys = [k for k in _keys(a for _s, _d, a in edges) if not (k == "class" and ours)]
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


def graph_style(result: Imported, attrs: dict[str, str]) -> None:
    """``[diagram] rankdir`` and ``graph`` from the graph attributes."""
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
