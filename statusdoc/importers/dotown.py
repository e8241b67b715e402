"""What statusdoc's own DOT says beyond the graph, read back (``statusdoc import``).

The DOT emitter draws some rules as one arrow and marks some statuses by
style; for programs it also writes what it drew in attributes Graphviz
ignores. This module reads them, checking every value's shape (a DOT file is
untrusted input), so a DOT file statusdoc wrote imports to the same
statuses and transitions:

* a badge's arrow: ``statusdoc_transitions``, a JSON array of ``[source,
  label]``, one transition each into the badge's status;
* a wildcard or group rule's arrow (class ``statusdoc-wildcard``):
  ``statusdoc_rule``, a JSON object with ``from`` (``"*"`` or ``{"group":
  name}``), ``except`` and ``include_final`` as in the spec;
* an arrow into a history marker (class ``statusdoc-history``): a
  ``return = true`` rule from its source (or from the rule's scope);
* a status node (class ``statusdoc-state``) drawn with a ``dashed`` style is
  ``deprecated = true``; one whose label ends with "(NULL / None)" is the
  ``null`` status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from statusdoc.emit.dotstyle import NULL_NOTE
from statusdoc.importers.common import Edge, Imported
from statusdoc.importers.dotstyle import node_class
from statusdoc.importers.dotsyntax import label_text, unquote_id

__all__ = ["badge_edges", "rule_edge", "status_marks"]


def _json(raw: str | None) -> Any:
    try:
        return json.loads(unquote_id(raw or ""))
    except ValueError:
        return None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def badge_edges(result: Imported, target: str, attrs: Mapping[str, str]) -> list[str]:
    """Import the transitions a badge stands for; their sources, one per transition."""
    pairs = _json(attrs.get("statusdoc_transitions", "[]"))
    if not isinstance(pairs, list) or not all(_strings(p) and len(p) == 2 for p in pairs):
        result.note(f"badge into {target!r}: unreadable statusdoc_transitions, not imported")
        return []
    for source, label in pairs:
        result.edges.append(Edge(source, target, label, None, ()))
    return [source for source, _label in pairs]


def _scope(raw: str | None) -> tuple[str | None, tuple[str, ...], bool] | None:
    """``(group, except, include_final)`` from a ``statusdoc_rule``; None if unreadable."""
    rule = _json(raw)
    if not isinstance(rule, dict) or not set(rule) <= {"from", "except", "include_final"}:
        return None
    source, excluded = rule.get("from"), rule.get("except", [])
    include_final = rule.get("include_final", False)
    if not _strings(excluded) or not isinstance(include_final, bool):
        return None
    if source == "*":
        return None, tuple(excluded), include_final
    if isinstance(source, dict) and set(source) == {"group"} and isinstance(source["group"], str):
        return source["group"], tuple(excluded), include_final
    return None


def rule_edge(result: Imported, src: str, dst: str, attrs: Mapping[str, str], label: str,
              tags: tuple[str, ...], *, from_note: bool, returns: bool) -> Edge:
    """The rule one arrow of statusdoc's stands for: from its scope (``statusdoc_rule``)
    or from ``src``; to ``dst``, or back (``returns``: ``dst`` is a history marker)."""
    target = "" if returns else dst
    if "statusdoc_rule" in attrs or from_note:
        scope = _scope(attrs.get("statusdoc_rule"))
        if scope is not None:
            group, excluded, include_final = scope
            return Edge("*", target, label, None, tags, group, excluded, include_final, returns)
        result.note(f"arrow {src!r} -> {dst!r}: no readable statusdoc_rule, "
                    "imported as from any non-final status")
        return Edge("*", target, label, None, tags, returns=returns)
    return Edge(src, target, label, None, tags, returns=returns)


def status_marks(result: Imported, node_attrs: Mapping[str, Mapping[str, str]]) -> None:
    """Deprecated statuses and the null status, from statusdoc's status nodes."""
    for state in result.states:
        attrs = node_attrs[state]
        if node_class(attrs) != "statusdoc-state":
            continue
        if "dashed" in unquote_id(attrs.get("style", "")).split(","):
            result.deprecated.add(state)
        text = label_text(attrs.get("label", "")).strip()
        if text.endswith(f" {NULL_NOTE}") and result.null is None:
            result.null = state
            rest = text.removesuffix(NULL_NOTE).strip()
            if rest != state:
                result.labels[state] = rest
            else:
                result.labels.pop(state, None)
