"""Model-based test data: paths that exercise every transition, and the forbidden pairs.

Re-exported by :mod:`statusdoc.testing`, where projects import them::

    from statusdoc.testing import covering_paths, forbidden_pairs

    @pytest.mark.parametrize(("src", "dst"), forbidden_pairs(IMAGE))
    def test_every_illegal_move_is_refused(src, dst):
        with pytest.raises(InvalidTransition):
            IMAGE.check(src, dst)

    @pytest.mark.parametrize("path", covering_paths(IMAGE), ids=str)
    def test_every_transition(path):
        status = path.start
        for step in path.steps:
            status = IMAGE.fire(status, step.event, to=step.target)

A *transition* is an allowed ``(from, to)`` pair, as in transition coverage
(:mod:`statusdoc.coverage`). How the spec's constructs are treated:

* several entry statuses: a path starts at whichever entry reaches its first
  new transition soonest;
* wildcards and groups: every expanded pair is a transition of its own;
* returns (``return = true``): each status a return can go back to is a
  transition; the path takes it like any other, wherever it came from (the
  runtime keeps no history either), with ``to=`` naming the status;
* the null status: steps name it (``fire()`` returns ``None`` for it and
  accepts ``None`` as the next source);
* guards and choices: every step names its target, so ``fire(..., to=target)``
  makes the choice; a guard itself is the application's to satisfy;
* a pair written by several rules is one transition; the step carries the
  event of its first rule (``None`` when that rule has no event: replay
  such a step with ``check``);
* a transition whose source no entry status reaches starts its own path at
  that source (as for an object loaded from storage).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["Step", "TransitionPath", "covering_paths", "forbidden_pairs"]

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Step:
    """One transition of a path: ``fire(source, event, to=target)``."""

    source: str
    event: str | None
    target: str


@dataclass(frozen=True, slots=True)
class TransitionPath:
    """A sequence of steps from ``start`` (an entry status, see the module docstring)."""

    start: str
    steps: tuple[Step, ...]

    @property
    def events(self) -> tuple[str | None, ...]:
        return tuple(step.event for step in self.steps)

    def __str__(self) -> str:
        parts = [self.start]
        for step in self.steps:
            parts.append(f"--{step.event or '?'}-> {step.target}")
        return " ".join(parts)


def forbidden_pairs(machine: Machine) -> list[Pair]:
    """Every ``(from, to)`` pair of statuses the spec does not allow, in status order.

    The N×N pairs (self-pairs included) minus the transitions; names, the
    null status by its name.
    """
    names = machine.state_names
    allowed = machine.targets_by_state
    return [(src, dst) for src in names for dst in names if dst not in allowed[src]]


def _edges(machine: Machine) -> dict[Pair, str | None]:
    """Each transition, in spec order, with the event of the first rule writing it."""
    edges: dict[Pair, str | None] = {}
    for t in machine.transitions:
        pair = (t.source, t.target)
        if pair not in edges or (edges[pair] is None and t.event):
            edges[pair] = t.event
    return edges


def _routes(machine: Machine, edges: dict[Pair, str | None]) -> dict[str, Pair | None]:
    """Breadth-first from every entry: the last transition of a shortest route to each
    reachable status (``None`` for an entry)."""
    leaving: dict[str, list[str]] = {name: [] for name in machine.state_names}
    for src, dst in edges:
        leaving[src].append(dst)
    last: dict[str, Pair | None] = dict.fromkeys(machine.entries)
    queue = deque(machine.entries)
    while queue:
        src = queue.popleft()
        for dst in leaving[src]:
            if dst not in last:
                last[dst] = (src, dst)
                queue.append(dst)
    return last


def covering_paths(machine: Machine) -> list[TransitionPath]:
    """Paths from the entry statuses that together exercise every transition.

    Each path goes by a shortest route to the first transition (in spec
    order) no earlier path took, takes it, then follows transitions not yet
    taken while one leaves its current status. Linear in the transitions
    times the length of the longest shortest route.
    """
    edges = _edges(machine)
    last = _routes(machine, edges)
    leaving: dict[str, list[Pair]] = {}
    for pair in edges:
        leaving.setdefault(pair[0], []).append(pair)
    taken: set[Pair] = set()
    paths = []
    for pair in edges:
        if pair in taken:
            continue
        route: list[Pair] = []
        status = pair[0]
        while last.get(status) is not None:  # walk the shortest route back to an entry
            hop = last[status]
            assert hop is not None
            route.append(hop)
            status = hop[0]
        route.reverse()
        route.append(pair)
        current: Pair | None = pair
        while current is not None:  # go on along transitions no path took yet
            taken.add(current)
            current = next((p for p in leaving.get(current[1], ()) if p not in taken), None)
            if current is not None:
                route.append(current)
        taken.update(route)
        steps = tuple(Step(src, edges[(src, dst)], dst) for src, dst in route)
        paths.append(TransitionPath(status, steps))
    return paths
