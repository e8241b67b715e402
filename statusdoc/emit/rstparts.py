"""The records the RST templates show: grouped statuses, transition notes, table rows.

Built by :func:`statusdoc.emit.rst.rst_context`; every string meant as plain
text is already escaped for RST (see ``docs/outputs.rst`` for the fields).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from statusdoc.emit.escape import rst_escape, rst_literal
from statusdoc.emit.layout import group_anchors, status_blocks
from statusdoc.emit.wording import (
    RST,
    Scopes,
    has_note,
    rule_summary,
    transitions_by_rule,
)
from statusdoc.spec.model import Machine

__all__ = ["hidden_tags", "notes", "rows", "status_context", "tag_text"]


def status_context(machine: Machine, statuses: list[dict[str, Any]]) -> dict[str, Any]:
    """``statuses`` (the status records, flat, in spec order), ``groups`` and
    ``blocks`` (the list as the page shows it: see :func:`status_blocks`)."""
    by_name = {s["name"]: s for s in statuses}
    anchors = group_anchors(machine)
    groups = {
        g.name: {"name": g.name, "title": rst_escape(g.title), "description": g.description,
                 "anchor": anchors[g.name],
                 "members": [by_name[n] for n in machine.group_members.get(g.name, ())]}
        for g in machine.groups
    }
    blocks = [{"group": groups[group.name] if group else None,
               "statuses": [by_name[s.name] for s in members]}
              for group, members in status_blocks(machine)]
    return {"statuses": statuses, "groups": list(groups.values()), "blocks": blocks}


def notes(machine: Machine) -> list[dict[str, Any]]:
    """A note per rule that has one (:func:`statusdoc.emit.wording.has_note`)."""
    found = []
    hidden = hidden_tags(machine)
    by_rule = transitions_by_rule(machine)
    scopes = Scopes.of(machine)
    for rule in machine.rules:
        if has_note(rule, hidden):
            found.append({
                "index": rule.index,
                "summary": rule_summary(machine, rule, by_rule.get(rule.index, ()), RST,
                                        scopes=scopes),
                "description": rule.description,
                "tags": [tag_text(machine, t) for t in rule.tags if t not in hidden],
                "wildcard": rule.wildcard,
                "group": rule.group,
                "returns": rule.returns,
                "guard": rst_escape(rule.guard),
            })
    return found


def rows(machine: Machine) -> list[dict[str, Any]]:
    """A row per allowed transition (wildcards, groups and returns expanded)."""
    literal = _Memo(rst_literal)  # names, labels and events repeat across rows
    escape = _Memo(rst_escape)
    hidden = hidden_tags(machine)
    return [
        {
            "source": literal(t.source),
            "target": literal(t.target),
            "label": escape(t.label),
            "event": literal(t.event) if t.event else "",
            "guard": escape(t.guard),
            "returning": t.returning,
            "tags": [escape(x) for x in t.tags if x not in hidden],
        }
        for t in machine.transitions
    ]


def hidden_tags(machine: Machine) -> frozenset[str]:
    """Tags pages do not list in text (``in_text = false`` in ``[diagram.tags.<tag>]``)."""
    return frozenset(style.name for style in machine.diagram.tags if not style.in_text)


class _Memo(dict[str, str]):
    """``memo(text)``: ``func(text)``, computed once per distinct text."""

    def __init__(self, func: Callable[[str], str]) -> None:
        super().__init__()
        self.func = func

    def __call__(self, text: str) -> str:
        try:
            return self[text]
        except KeyError:
            value = self[text] = self.func(text)
            return value


def tag_text(machine: Machine, tag: str) -> str:
    """The tag as the notes show it: ``v2 (API v2 only)`` with its legend, escaped."""
    style = machine.diagram.tag(tag)
    if style and style.legend:
        return f"{rst_escape(tag)} ({rst_escape(style.legend)})"
    return rst_escape(tag)
