"""Reading ``[diagram]`` of a spec: the allow-listed Graphviz attributes, the tag
styles, the wildcard mode and the aspect (the rest of a spec: :mod:`statusdoc.spec.sections`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from statusdoc.spec import attrs as A
from statusdoc.spec import keys as K
from statusdoc.spec.checker import Checker, Table, short, suggest
from statusdoc.spec.load import KeyPath
from statusdoc.spec.model import Attrs, DiagramStyle, TagStyle

if TYPE_CHECKING:
    from statusdoc.spec.sections import Spec

__all__ = ["read_diagram"]


def _attr_table(check: Checker, value: Any, path: KeyPath, allowed: frozenset[str],
                what: str, extra: tuple[str, ...] = ()) -> Attrs:
    table = check.table(value, path)
    if table is None:
        return ()
    out: list[tuple[str, str]] = []
    for key, val in table.items():
        key_path = (*path, key)
        if key in extra:
            continue
        if not isinstance(key, str) or key not in allowed:
            shown = key if isinstance(key, str) else repr(key)
            reason = A.FORBIDDEN.get(shown) if isinstance(key, str) else None
            if reason:
                check.report(key_path, f"attribute {shown!r} is not allowed: it {reason}",
                             "forbidden-attribute")
            else:
                hint = suggest(shown, sorted(allowed))
                check.report(key_path, f"attribute {shown!r} is not an allowed {what} "
                             f"attribute{hint} (see the allow-list in the spec reference)",
                             "unknown-attribute")
            continue
        if isinstance(val, bool | int | float | str) and val is not None:
            problem = A.check_value(key, val)
            if problem:
                check.report(key_path, problem, "invalid-attribute-value")
            else:
                out.append((key, A.format_value(val)))
        else:
            check.wrong_type(key_path, "a string, number or boolean", val)
    return tuple(out)


def read_diagram(check: Checker, spec: Spec, root: Table) -> None:
    """``[diagram]``: the allow-listed attributes, tag styles and wildcard mode."""
    path: KeyPath = ("diagram",)
    table = check.table(root.get("diagram"), path)
    if table is None:
        return
    values = check.section(table, K.DIAGRAM, path)
    keys = K.DIAGRAM
    graph = _attr_table(check, table.get("graph"), (*path, "graph"), keys["graph"].attrs,
                        "graph")
    rankdir = values.get("rankdir")
    if rankdir is not None:
        if any(k == "rankdir" for k, _ in graph):
            check.report((*path, "rankdir"),
                         "rankdir is set twice (here and in [diagram.graph]); keep one",
                         "conflicting-rankdir")
        else:
            graph = (*graph, ("rankdir", rankdir))
    node = _attr_table(check, table.get("node"), (*path, "node"), keys["node"].attrs, "node")
    edge = _attr_table(check, table.get("edge"), (*path, "edge"), keys["edge"].attrs, "edge")
    final = _attr_table(check, table.get("final"), (*path, "final"), keys["final"].attrs,
                        "node")
    tag_styles = _tag_styles(check, table.get("tags"), (*path, "tags"))
    spec.diagram = DiagramStyle(graph=graph, node=node, edge=edge, final=final,
                                tags=tag_styles, wildcards=values.get("wildcards", "group"),
                                aspect=values.get("aspect", K.DEFAULT_ASPECT))


def _tag_styles(check: Checker, value: Any, path: KeyPath) -> tuple[TagStyle, ...]:
    """``[diagram.tags.<tag>]``: the keys of ``TAG_STYLE`` plus allow-listed attributes."""
    section = K.TAG_STYLE
    assert section.attributes is not None
    tag_styles: list[TagStyle] = []
    for tag, body in (check.table(value, path) or {}).items():
        tag_path = (*path, tag)
        if not isinstance(tag, str):
            check.report(tag_path, f"tag name must be a string, got {short(tag)}",
                         "wrong-type")
            continue
        check.name_ok(tag, tag_path, "tag", K.MAX_TAG)
        if check.table(body, tag_path, required=True) is None:
            continue
        style = _attr_table(check, body, tag_path, section.attributes, "tag style",
                            section.names)
        values = check.section(body, section, tag_path)
        tag_styles.append(TagStyle(tag, style, values.get("legend") or "",
                                   values.get("in_text", True)))
    return tuple(tag_styles)
