"""The diagram's legend: one stacked sample per thing a reader must be told.

A dashed cluster "Legend" holds, in this order: a sample for every tag in
use that has ``legend`` text (a sample arrow for tags on transitions, a
sample box for tags on statuses), a deprecated status when the machine has
one, a history marker when a return rule is drawn as one. The samples are
stacked (one per row in a top-to-bottom graph, one column in a left-to-right
one) below the last row of statuses, tied to it by invisible edges: a
legend adds a little depth to the diagram, never breadth beyond its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from statusdoc.emit.escape import dot_id
from statusdoc.spec.model import Attrs, Machine

__all__ = ["Legend", "legend"]

Pairs = list[tuple[str, str]]
#: ``(pairs, label) -> "[...]"``, the emitter's attribute-list writer.
AttrList = Callable[[Sequence[tuple[str, str]], str | None], str]

_CLASS = ("class", "statusdoc-legend")
_POINT: Attrs = (("shape", "point"), ("width", "0.05"), ("style", "invis"), ("label", ""))
_TEXT: Attrs = (("shape", "plaintext"), ("style", ""), ("fontsize", "10"), ("margin", "0.04"))


class Legend:
    """The legend's DOT lines and the row of each of its nodes."""

    def __init__(self, names: Callable[[str], str], attr_list: AttrList,
                 after: tuple[str, int], stacked: bool) -> None:
        """``after``: a node of the last row of statuses and that row."""
        self.names = names
        self.attr_list = attr_list
        self.above, last_row = after
        self.row = last_row + 1
        self.stacked = stacked
        self.body: list[str] = []
        self.rows: list[tuple[str, int]] = []
        self.ties: list[str] = []

    def node(self, base: str, pairs: Sequence[tuple[str, str]], label: str | None,
             row: int) -> str:
        name = self.names(base)
        self.body.append(f"    {dot_id(name)} {self.attr_list([*pairs, _CLASS], label)};")
        self.rows.append((name, row))
        return name

    def next_row(self, first: str) -> None:
        """Tie the item starting with node ``first`` below the one before it."""
        tie = [("style", "invis"), ("class", "statusdoc-layout")]
        if self.above:
            self.ties.append(f"  {dot_id(self.above)} -> {dot_id(first)} "
                             f"{self.attr_list(tie, None)};")
        if self.stacked:
            self.row += 1
            self.above = first
        else:
            self.above = ""

    def arrow(self, key: str, pairs: Pairs, text: str) -> None:
        """A sample arrow (flat in a stacked legend, along the ranks otherwise) and its
        text beside it, a node of its own: a flat edge's label would sit above the
        arrow, against the legend's title."""
        a = self.node(f"__statusdoc_legend_{key}_a__", _POINT, None, self.row)
        end = self.row if self.stacked else self.row + 1
        b = self.node(f"__statusdoc_legend_{key}_b__", _POINT, None, end)
        flat = [("constraint", "false")] if self.stacked else []
        self.body.append(f"    {dot_id(a)} -> {dot_id(b)} "
                         f"{self.attr_list([*pairs, *flat, _CLASS], None)};")
        self.node(f"__statusdoc_legend_{key}_text__", _TEXT, text, end)
        self.next_row(a)

    def box(self, key: str, pairs: Pairs, text: str) -> None:
        self.next_row(self.node(f"__statusdoc_legend_{key}__", pairs, text, self.row))

    def marker(self, key: str, pairs: Pairs, text: str) -> None:
        """A helper-node sample with its meaning in plain text beside it."""
        first = self.node(f"__statusdoc_legend_{key}__", pairs, None, self.row)
        self.node(f"__statusdoc_legend_{key}_text__", _TEXT, text, self.row)
        self.next_row(first)

    def lines(self, cluster: str) -> list[str]:
        if not self.body:
            return []
        return [
            "  // legend",
            f"  subgraph {dot_id(cluster)} {{",
            "    graph [label=\"Legend\", style=\"rounded,dashed\", color=\"#9E9E9E\", "
            "fontsize=\"10\", margin=\"8\"];",
            *self.body,
            "  }",
            *self.ties,
        ]


def legend(machine: Machine, legend_: Legend, *, node_attrs: frozenset[str],
           edge_attrs: frozenset[str], checked: Callable[[Attrs, str], Pairs],
           deprecated: Attrs, history: Attrs | None) -> None:
    """Fill ``legend_`` with the samples ``machine``'s diagram needs."""
    on_states = {t for s in machine.states for t in s.tags}
    on_rules = {t for r in machine.rules for t in r.tags}
    for tag in machine.tags_in_use:
        style = machine.diagram.tag(tag)
        if style is None or not style.legend:
            continue
        attrs = checked(style.attrs, f"diagram.tags.{tag}")
        if tag in on_rules:
            legend_.arrow(tag, [(n, v) for n, v in attrs if n in edge_attrs], style.legend)
        if tag in on_states:
            legend_.box(tag, [(n, v) for n, v in attrs if n in node_attrs], style.legend)
    if any(s.deprecated for s in machine.states):
        legend_.box("deprecated", list(deprecated), "deprecated (no longer set)")
    if history is not None:
        legend_.marker("history", list(history), "back to the previous status")
