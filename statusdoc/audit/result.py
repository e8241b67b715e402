"""What an audit found, built from the rows of the audit query (:mod:`statusdoc.audit.query`).

The rows number at most the distinct transitions and statuses in the
history, so an :class:`Audit` stays small however long the history is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["Audit", "Dwell", "Move", "from_rows"]

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Move:
    """``source -> target`` happened ``count`` times; ``examples`` are entity ids (as text)."""

    source: str
    target: str
    count: int
    forbidden: bool
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Dwell:
    """How often ``status`` was entered and left, and the time spent in it (seconds).

    ``median``, ``p95`` and ``longest`` are over the ``left`` stays that ended
    (None when none did).
    """

    status: str
    entered: int
    left: int
    median: float | None
    p95: float | None
    longest: float | None


@dataclass(frozen=True, slots=True)
class Audit:
    """A history checked against a machine (see the ``statusdoc audit`` docs)."""

    machine: str
    moves: tuple[Move, ...]
    dwells: tuple[Dwell, ...]
    #: Allowed transitions the history never made, in spec status order.
    unused: tuple[Pair, ...]
    #: Statuses of the spec no row entered, in spec order.
    never_entered: tuple[str, ...]

    @property
    def forbidden(self) -> tuple[Move, ...]:
        """Transitions that happened though the spec forbids them (most frequent first)."""
        return tuple(sorted((m for m in self.moves if m.forbidden),
                            key=lambda m: (-m.count, m.source, m.target)))

    @property
    def rows(self) -> int:
        """History rows read (each entered a status)."""
        return sum(d.entered for d in self.dwells)


def _examples(first: Any, last: Any) -> tuple[str, ...]:
    ids = [str(v) for v in (first, last) if v is not None]
    return tuple(dict.fromkeys(ids))


def _seconds(value: Any) -> float | None:
    return None if value is None else float(value)


def from_rows(machine: Machine, rows: Iterable[Sequence[Any]]) -> Audit:
    """The :class:`Audit` of ``machine`` from the audit query's result rows."""
    moves: list[Move] = []
    dwells: list[Dwell] = []
    for kind, a, b, n, forbidden, first, last, left, median, p95, longest in rows:
        if kind == "move":
            moves.append(Move(str(a), str(b), int(n), bool(forbidden), _examples(first, last)))
        else:
            dwells.append(Dwell(str(a), int(n), int(left), _seconds(median), _seconds(p95),
                                _seconds(longest)))
    made = {(m.source, m.target) for m in moves}
    order = {name: i for i, name in enumerate(machine.state_names)}
    last = len(order)  # statuses the spec does not know come after its own, by name
    dwells.sort(key=lambda d: (order.get(d.status, last), d.status))
    moves.sort(key=lambda m: (order.get(m.source, last), m.source,
                              order.get(m.target, last), m.target))
    unused = sorted(((src, dst) for src, dsts in machine.targets_by_state.items()
                     for dst in dsts if (src, dst) not in made),
                    key=lambda p: (order[p[0]], order[p[1]]))
    entered = {d.status for d in dwells}
    never = tuple(name for name in machine.state_names if name not in entered)
    return Audit(machine.name, tuple(moves), tuple(dwells), tuple(unused), never)
