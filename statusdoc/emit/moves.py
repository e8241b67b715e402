"""The moves of a machine as the code outputs (TypeScript, OpenAPI) list them.

Read from ``machine.transitions`` (wildcards, groups and returns expanded), in
spec order, once for every output that lists them, so that the generated
module and the API document cannot disagree about an order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["GuardedMove", "guarded_moves", "return_moves", "targets_in_order"]


def targets_in_order(machine: Machine) -> dict[str, list[str]]:
    """Each status, in spec order, and its targets in the order of the spec's transitions."""
    targets: dict[str, dict[str, None]] = {name: {} for name in machine.state_names}
    for t in machine.transitions:
        targets[t.source][t.target] = None
    return {name: list(dsts) for name, dsts in targets.items()}


@dataclass(frozen=True, slots=True)
class GuardedMove:
    """One transition with a guard: the condition, in words, under which it is taken."""

    source: str
    target: str
    event: str | None
    guard: str


def guarded_moves(machine: Machine) -> list[GuardedMove]:
    """Every expanded transition that has a guard, in spec order (the runtime never
    evaluates a guard: the move is allowed, the guard documents when it is taken)."""
    return [GuardedMove(t.source, t.target, t.event, t.guard)
            for t in machine.transitions if t.guard]


def return_moves(machine: Machine) -> list[tuple[str, str]]:
    """The ``(source, target)`` pairs expanded from ``return = true`` rules, each once, in
    spec order: a move back to the status the record had before ``source``."""
    return list(dict.fromkeys((t.source, t.target) for t in machine.transitions
                              if t.returning))
