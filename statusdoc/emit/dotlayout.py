"""Where the diagram puts things: ranks from distances, constraints, bundled fan-in.

The layout rules (documented in ``docs/outputs.rst``, "Layout"):

* **levels**: a status's level is its distance from the nearest entry status,
  counting the transitions of rules that list their sources. A status
  reached only through wildcard, group or return rules goes one level
  below the deepest status such a rule leads from (so a "from any status"
  target sits at the bottom); a status nothing reaches (a deprecated one)
  goes one level above its nearest successor (level 0 at the least).
* **rows**: each level is one row (:func:`rows`; a level too wide for the
  ``aspect`` is wrapped over several rows), start dots are row 0. A scope
  note sits one row above the arrow's head, a history marker one row below
  its deepest source. Every row is a ``rank=same`` set (``newrank`` makes
  that hold across clusters); an arrow that points down the rows is a
  ranking constraint with ``minlen`` = the rows it spans, every other arrow
  has ``constraint=false``. So the rows are exactly as computed, and adding
  a transition that changes no level moves no status to another row.
* **bundles**: many arrows into one status become a badge or share an end
  point (:mod:`statusdoc.emit.dotbundle`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from statusdoc.emit.dotbundle import badges, sameheads
from statusdoc.emit.dotplan import Arrow, Drawing, Helper, scope_words, wrap
from statusdoc.emit.wording import edge_text
from statusdoc.spec.model import Machine

__all__ = ["Layout", "layout", "rows", "status_levels"]

Attr = tuple[str, str]


def _listed(machine: Machine) -> list[bool]:
    return [not (r.wildcard or r.group is not None or r.returns) for r in machine.rules]


def _spread(listed: Mapping[str, list[str]], level: dict[str, int],
            seeds: Mapping[str, int]) -> list[str]:
    """Breadth-first from ``seeds`` (each with its own level) over ``listed``; the
    statuses newly levelled, in the order they were reached."""
    buckets: dict[int, list[str]] = {}
    for name, at in seeds.items():
        buckets.setdefault(at, []).append(name)
    reached: list[str] = []
    at = min(buckets, default=0)
    while buckets:
        for name in buckets.pop(at, []):
            if name in level:
                continue
            level[name] = at
            reached.append(name)
            buckets.setdefault(at + 1, []).extend(n for n in listed[name] if n not in level)
        at += 1
    return reached


def status_levels(machine: Machine) -> dict[str, int]:
    """Each status's level (see the module docstring); linear in the transitions."""
    names = machine.state_names
    if machine.diagram.levels:  # a derived view says where its statuses go
        fixed = dict(machine.diagram.levels)
        return {n: fixed.get(n, 0) for n in names}
    listed: dict[str, list[str]] = {n: [] for n in names}
    broad: dict[str, list[str]] = {n: [] for n in names}
    out: dict[str, list[str]] = {n: [] for n in names}
    kinds = _listed(machine)
    for t in machine.transitions:
        (listed if kinds[t.rule] else broad)[t.source].append(t.target)
        out[t.source].append(t.target)
    level: dict[str, int] = {}
    # a focus view (emit.views) may have no entry status: its seeds are then the
    # statuses nothing reaches, below
    seeds: dict[str, int] = dict.fromkeys((e for e in machine.entries if e in listed), 0)
    while seeds:
        deepest: dict[str, int] = {}
        for name in _spread(listed, level, seeds):
            for target in broad[name]:
                if target not in level:
                    deepest[target] = max(deepest.get(target, 0), level[name] + 1)
        seeds = deepest
    for name in names:
        if name not in level:
            after = [level[n] for n in out[name] if n in level]
            level[name] = max(0, min(after) - 1) if after else 0
    return {n: level[n] for n in names}


#: Estimate of a label character's width, in points per point of font size (Arimo).
CHAR_WIDTH = 0.55
#: How much broader a row is drawn than its boxes and gaps (arrows and their labels).
SPREAD = 1.8
#: How broad a whole diagram is drawn, for each point of its statuses' boxes laid end to
#: end: arrows between rows take about as much room as the boxes themselves, whatever the
#: rows (measured on the examples: 0.45 to 0.7).
BREADTH = 0.55
#: The estimate is rough: wrap until it is this far inside the aspect asked for.
MARGIN = 0.9
#: Height of one row beyond its boxes and ``ranksep``: the label rank between rows (pt).
LABEL_ROW = 17.0


def _number(graph: Mapping[str, str], name: str, default: float) -> float:
    try:
        return float(graph.get(name, default))
    except ValueError:  # a list such as "0.6 equally": its first number would do, but rare
        return default


class _Estimate:
    """The rough size of a diagram from its rows of boxes alone (no arrows, so that a new
    transition cannot change it): breadth across the rows and depth along them, in points.

    The breadth is the broader of the widest row and :data:`BREADTH` times all
    boxes end to end, since Graphviz routes every arrow that crosses a row
    beside that row's boxes.
    """

    def __init__(self, machine: Machine, graph: Mapping[str, str], fontsize: float) -> None:
        self.nodesep = _number(graph, "nodesep", 0.25) * 72
        self.ranksep = _number(graph, "ranksep", 0.5) * 72
        self.vertical = graph.get("rankdir", "TB").upper() in ("TB", "BT")
        char = CHAR_WIDTH * fontsize
        self.width = {s.name: max(54.0, char * len(s.label) + 29) for s in machine.states}
        across = self.width.values() if self.vertical else [36.0] * len(self.width)
        self.total = BREADTH * sum(w + self.nodesep for w in across)

    def __call__(self, rows: Sequence[Sequence[str]]) -> float:
        """breadth : depth of ``rows`` (plus the row of start dots)."""
        if self.vertical:
            widest = max(sum(self.width[n] + self.nodesep for n in r) for r in rows)
            depth = (len(rows) + 1) * (36 + self.ranksep + LABEL_ROW)
        else:
            widest = max(len(r) for r in rows) * (36 + self.nodesep)
            depth = sum(max(self.width[n] for n in r) + self.ranksep + 40 for r in rows)
        return max(widest * SPREAD, self.total) / depth


def _wrapped(levels: Sequence[Sequence[str]], most: int) -> list[list[str]]:
    """Each level cut into as few rows of at most ``most`` statuses as it needs, the
    rows of one level as even as can be (spec order kept)."""
    out: list[list[str]] = []
    for names in levels:
        count = -(-len(names) // most)
        size = -(-len(names) // count)
        out.extend(list(names[i:i + size]) for i in range(0, len(names), size))
    return out


def rows(machine: Machine, levels: Mapping[str, int], graph: Mapping[str, str],
         fontsize: float) -> dict[str, int]:
    """Each status's row (row 0 holds the start dots; level 0 begins on row 1).

    A level is one row unless the estimated diagram would be broader than
    ``[diagram] aspect`` times its depth: then every level is cut into rows of
    at most *k* statuses, for the largest *k* that fits, found by bisection
    (spec order kept).
    The estimate uses the levels and the labels of the statuses only, so a
    transition that changes no level never moves a status to another row.
    """
    by_level: dict[int, list[str]] = {}
    for name in machine.state_names:
        by_level.setdefault(levels[name], []).append(name)
    grouped = [by_level[at] for at in sorted(by_level)]
    estimate = _Estimate(machine, graph, fontsize)
    # k by bisection: O(n log n) where counting down from the widest level is O(n^2).
    # Fewer statuses a row is (nearly always) no broader; either way the k found fits.
    fits, low, high = machine.diagram.aspect * MARGIN, 1, max(len(names) for names in grouped)
    while low < high:
        middle = (low + high + 1) // 2
        if estimate(_wrapped(grouped, middle)) <= fits:
            low = middle
        else:
            high = middle - 1
    most = low
    return {name: at for at, names in enumerate(_wrapped(grouped, most), 1) for name in names}


@dataclass(frozen=True, slots=True)
class Layout:
    """The drawing as laid out (badges in), the row of every node, the tail and layout
    attributes of every arrow, the invisible edges that tie rows no arrow ties."""

    drawing: Drawing
    row: Mapping[str, int]
    tails: tuple[str, ...]
    attrs: tuple[tuple[Attr, ...], ...]
    ties: tuple[tuple[str, str, int], ...]

    def rank_sets(self, extra: Iterable[tuple[str, int]] = ()) -> list[list[str]]:
        """Nodes per row, top down (statuses first, in spec order); ``extra`` adds more."""
        by_row: dict[int, list[str]] = {}
        for name, at in [*self.row.items(), *extra]:
            by_row.setdefault(at, []).append(name)
        return [by_row[r] for r in sorted(by_row)]


def _helper_rows(drawing: Drawing, row: dict[str, int]) -> None:
    """Start dots on row 0, history markers below their deepest source, notes and
    badges above their arrow's head (markers first: a note may point at one)."""
    kinds = {h.ident: h.kind for h in drawing.helpers}
    for h in drawing.helpers:
        if h.kind == "start":
            row[h.ident] = 0
    for a in drawing.arrows:
        if kinds.get(a.head) == "history":
            row[a.head] = max(row.get(a.head, 0), *(row[s] + 1 for s in a.sources))
    for a in drawing.arrows:
        if kinds.get(a.tail) in ("note", "badge"):
            row[a.tail] = row[a.head] - 1


def _box_or_note(machine: Machine, drawing: Drawing, row: Mapping[str, int]) -> Drawing:
    """A group rule's arrow leaves its box only when a source lies above its head (it
    then points down, out of the box); otherwise it would cross the diagram back up
    or sideways over other boxes, and a note above the head says the scope instead."""
    taken = set(machine.state_names) | {h.ident for h in drawing.helpers}
    helpers = list(drawing.helpers)
    arrows: list[Arrow] = []
    for a in drawing.arrows:
        if a.ltail is None or any(row[s] < row[a.head] for s in a.sources):
            arrows.append(a)
            continue
        rule = machine.rules[a.rule] if a.rule is not None else None
        assert rule is not None
        note = f"__statusdoc_any_{rule.index}__"
        while note in taken:
            note += "_"
        taken.add(note)
        helpers.append(Helper(note, "note", wrap(scope_words(machine, rule))))
        arrows.append(dataclasses.replace(
            a, tail=note, ltail=None, label=edge_text(rule.label, rule.event, rule.guard)))
    return Drawing(tuple(helpers), tuple(arrows))


def _tail(arrow: Arrow, row: Mapping[str, int]) -> str:
    """The status an arrow leaving a group's box starts from: the source nearest above
    its head (else the nearest below), so the arrow is short and points down."""
    if arrow.ltail is None:
        return arrow.tail
    head = row[arrow.head]
    above = [s for s in arrow.sources if row[s] < head]
    if above:
        return max(above, key=lambda s: row[s])
    return min(arrow.sources, key=lambda s: row[s])


def _ties(row: Mapping[str, int], edges: Iterable[tuple[int, int]]
          ) -> list[tuple[str, str, int]]:
    """Invisible edges for rows that no constraint ties to row 0 (rare: rows of
    statuses nothing reaches), so every row's rank is fixed relative to the top."""
    first: dict[int, str] = {}
    for name, at in row.items():
        first.setdefault(at, name)
    parent = {r: r for r in first}

    def find(r: int) -> int:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for a, b in edges:
        parent[find(a)] = find(b)
    ties: list[tuple[str, str, int]] = []
    ordered = sorted(first)
    for i, r in enumerate(ordered[1:], 1):
        if find(r) != find(ordered[0]):
            above = ordered[i - 1]
            ties.append((first[above], first[r], r - above))
            parent[find(r)] = find(above)
    return ties


#: Per ``rankdir``: the side away from a status's flat neighbours after it, and the
#: side facing the rows before (where arrows come in).
_LOOP_SIDES = {"TB": ("w", "n"), "BT": ("w", "s"), "LR": ("n", "w"), "RL": ("n", "e")}


def _loop_ports(drawing: Drawing, tails: Sequence[str], row: Mapping[str, int],
                rankdir: str) -> dict[str, str]:
    """The side to draw the self-loop of each status that has flat arrows (to or from a
    status of its own row) on, away from them.

    Graphviz draws a self-loop on the far side (right, top to bottom) and a flat
    arrow's label between its two statuses, so a loop and a flat arrow to a
    neighbour on that side collide. Graphviz puts a flat arrow's tail before its
    head (the first arrow between two statuses decides): a status with flat
    neighbours only after it gets its loop on the near side, one with
    neighbours on both sides on the side facing the rows before; one with
    neighbours only before it keeps the default.
    """
    away, before = _LOOP_SIDES.get(rankdir, _LOOP_SIDES["TB"])
    sides: dict[str, set[str]] = {}
    seen: set[frozenset[str]] = set()
    for a, tail in zip(drawing.arrows, tails, strict=True):
        pair = frozenset((tail, a.head))
        if tail == a.head or row[tail] != row[a.head] or pair in seen:
            continue
        seen.add(pair)
        sides.setdefault(tail, set()).add("after")
        sides.setdefault(a.head, set()).add("before")
    return {name: before if len(found) == 2 else away
            for name, found in sides.items() if "after" in found}


def layout(machine: Machine, drawing: Drawing, graph: Mapping[str, str],
           fontsize: float) -> Layout:
    """Rows and per-arrow layout attributes of ``drawing`` (see the module docstring);
    ``graph`` holds the graph attributes in force, ``fontsize`` the statuses' font size."""
    row: dict[str, int] = rows(machine, status_levels(machine), graph, fontsize)
    drawing = badges(machine, _box_or_note(machine, drawing, row), row)
    _helper_rows(drawing, row)
    tails = [_tail(a, row) for a in drawing.arrows]
    attrs: list[tuple[Attr, ...]] = []
    down: list[tuple[int, int]] = []
    loops = _loop_ports(drawing, tails, row, graph.get("rankdir", "TB").upper())
    for a, tail, same in zip(drawing.arrows, tails, sameheads(drawing.arrows, tails, row),
                             strict=True):
        span = row[a.head] - row[tail]
        pairs: list[Attr] = []
        if tail == a.head and tail in loops:
            pairs += [("tailport", loops[tail]), ("headport", loops[tail])]
        if span > 0:
            down.append((row[tail], row[a.head]))
            if span > 1:
                pairs.append(("minlen", str(span)))
        elif span < 0 or tail == a.head:
            pairs.append(("constraint", "false"))
        # a flat arrow keeps its constraint: in a rank=same set it cannot move a row,
        # and it makes Graphviz draw its tail before its head (the loop sides rely on it)
        if same is not None:
            pairs.append(("samehead", same))
        attrs.append(tuple(pairs))
    return Layout(drawing, row, tuple(tails), tuple(attrs), tuple(_ties(row, down)))
