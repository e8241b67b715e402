"""Layout stability of the docs' 32-status example, measured (issue 11, item 4).

Adds ten different single transitions to ``examples/baremetal/node-states.toml``,
each leaving every status's distance from the entry unchanged, renders the
diagram with graphviz-pure before and after, and compares where each status
is drawn (the SVG parsed as XML): its row (the rank of its y among the
statuses', top down), its y, its x and its place in its row's left-to-right
order. ``tests/test_dot_layout.py`` asserts that no status changes row;
this script prints how many moved at all, and how many changed place::

    python tools/layout_stability.py
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from emit_support import render  # noqa: E402
from svg_geometry import node_boxes, status_rows  # noqa: E402

from statusdoc.emit.dot import emit_dot  # noqa: E402
from statusdoc.emit.dotlayout import status_levels  # noqa: E402
from statusdoc.spec.api import load  # noqa: E402
from statusdoc.spec.model import Machine, Transition, TransitionRule  # noqa: E402

SPEC = ROOT / "examples" / "baremetal" / "node-states.toml"

#: (from, to, label): none is in the spec, none changes a distance (the test checks).
CASES: tuple[tuple[str, str, str], ...] = (
    ("rescue failed", "active", "abort"),
    ("clean failed", "cleaning", "retry"),
    ("inspect failed", "enroll", "reset"),
    ("service wait", "active", "abort"),
    ("deploy failed", "manageable", "manage"),
    ("verifying", "enroll", "cancel"),
    ("unrescue failed", "active", "abort"),
    ("error", "cleaning", "clean"),
    ("adopting", "manageable", "manage"),
    ("rebuilding", "deleting", "delete"),
)


def with_transition(machine: Machine, source: str, target: str, label: str) -> Machine:
    """``machine`` with one more listed transition, appended as the last rule."""
    index = len(machine.rules)
    rule = TransitionRule(index, (source,), target, label=label, event=label)
    added = Transition(source, target, label, label, rule=index)
    return dataclasses.replace(machine, rules=(*machine.rules, rule),
                               transitions=(*machine.transitions, added))


@dataclass(frozen=True)
class Moved:
    """What adding one transition did to where the statuses are drawn."""

    case: tuple[str, str, str]
    levels_same: bool
    rows_changed: tuple[str, ...]
    moved_y: int
    moved_x: int
    moved: int
    reordered: int


def row_places(svg: bytes) -> dict[str, tuple[int, int]]:
    """Each status's row and its index in the row, left to right."""
    rows, boxes = status_rows(svg), node_boxes(svg)
    by_row: dict[int, list[str]] = {}
    for status, row in rows.items():
        by_row.setdefault(row, []).append(status)
    return {status: (row, index) for row, statuses in by_row.items()
            for index, status in enumerate(sorted(statuses, key=lambda s: boxes[s].centre[0]))}


def compare(before: bytes, after: bytes) -> tuple[list[str], int, int, int, int]:
    """Statuses that changed row, and how many moved in y, in x, at all (0.01 pt), and
    how many changed place in their row's order."""
    rows_a, rows_b = status_rows(before), status_rows(after)
    places_a, places_b = row_places(before), row_places(after)
    boxes_a, boxes_b = node_boxes(before), node_boxes(after)
    changed = sorted(s for s in rows_a if rows_a[s] != rows_b.get(s))
    ids = [i for i in boxes_a if i.startswith("sd-s-")]
    dy = {i for i in ids if abs(boxes_a[i].centre[1] - boxes_b[i].centre[1]) > 0.01}
    dx = {i for i in ids if abs(boxes_a[i].centre[0] - boxes_b[i].centre[0]) > 0.01}
    reordered = sum(1 for i in places_a if places_a[i] != places_b.get(i))
    return changed, len(dy), len(dx), len(dy | dx), reordered


def measure() -> list[Moved]:
    machine = load(SPEC)
    levels = status_levels(machine)
    before = render(emit_dot(machine, source_name="node-states.toml"))
    out = []
    for case in CASES:
        changed_machine = with_transition(machine, *case)
        after = render(emit_dot(changed_machine, source_name="node-states.toml"))
        changed, dy, dx, moved, reordered = compare(before, after)
        out.append(Moved(case, status_levels(changed_machine) == levels, tuple(changed),
                         dy, dx, moved, reordered))
    return out


def main() -> int:
    results = measure()
    total = len(load(SPEC).states)
    print(f"{SPEC.relative_to(ROOT)}: {total} statuses; one transition added per case")
    print(f"{'added transition':<48} {'levels':>7} {'row':>4} {'y':>4} {'x':>4} {'any':>4} "
          f"{'order':>5}")
    for r in results:
        added = f"{r.case[0]} -> {r.case[1]} ({r.case[2]})"
        print(f"{added:<48} {'same' if r.levels_same else 'CHANGED':>7} "
              f"{len(r.rows_changed):>4} {r.moved_y:>4} {r.moved_x:>4} {r.moved:>4} "
              f"{r.reordered:>5}")
    bad = [r for r in results if r.rows_changed or not r.levels_same]
    print("no status changed row" if not bad else f"{len(bad)} case(s) moved a status "
          "to another row")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
