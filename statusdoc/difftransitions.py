"""The transition-level changes of :func:`statusdoc.semdiff.diff_machines`.

Old transitions are read with the renames applied. A transition is matched,
within the moves from one status:

1. to a new one of the same target, event and label;
2. else to one of the same target and event (a changed label);
3. else, when it is the only unmatched old move to that target and the new
   machine has just one unmatched move there too, to that one (a changed
   event, breaking).

What is left is added or removed. Moves leading elsewhere for the same event
are reported once per status and event.

Memory stays a small part of the two machines: the matching is one array
entry per new transition and one byte per old one; the moves are grouped by
status a slice of statuses at a time (:mod:`statusdoc.diffslices`),
each pass reading the machines' transitions again.
"""

from __future__ import annotations

from array import array
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence

from statusdoc.diffchanges import Change, short
from statusdoc.diffslices import marks, picked, slices_for
from statusdoc.spec.model import Transition

__all__ = ["transition_changes"]

Rename = Callable[[str], str]


def _edge(t: Transition, rename: Rename) -> str:
    text = f"{rename(t.source)} -> {rename(t.target)}"
    detail = t.label or t.event
    if t.label and t.event and t.event != t.label:
        detail = f"{t.label}; event {t.event}"
    text = f"{text} ({detail})" if detail else text
    return f"{text} [{t.guard}]" if t.guard else text


def _event(name: str | None) -> str:
    return repr(name) if name else "(none)"


def _same(name: str) -> str:
    return name


class _Matching:
    """Which old transition each new one continues (``-1``: none), built per status."""

    def __init__(self, before: Sequence[Transition], after: Sequence[Transition],
                 rename: Rename) -> None:
        self.before, self.after, self.rename = before, after, rename
        self.partner = array("i", [-1]) * len(after)
        self.matched = bytearray(len(before))
        #: event-retargeted changes, with the position of the first new move they name
        self.retargeted: list[tuple[int, Change]] = []

    def pair(self, i: int, j: int) -> None:
        self.partner[i] = j
        self.matched[j] = 1

    def run(self) -> None:
        before, after, rename = self.before, self.after, self.rename
        slices = slices_for(len(before) + len(after))
        of_after = marks((hash(t.source) for t in after), slices)
        of_before = marks((hash(rename(t.source)) for t in before), slices)
        for part in range(slices):
            moves_after: dict[str, list[int]] = {}
            for i in picked(range(len(after)), of_after, part):
                moves_after.setdefault(after[i].source, []).append(i)
            moves_before: dict[str, list[int]] = {}
            for j in picked(range(len(before)), of_before, part):
                source = rename(before[j].source)
                if source in moves_after:
                    moves_before.setdefault(source, []).append(j)
            for source, after_ids in moves_after.items():
                before_ids = moves_before.get(source, [])
                self.status(before_ids, after_ids)
                self.events(source, before_ids, after_ids)

    def status(self, before_ids: list[int], after_ids: list[int]) -> None:
        """Match the moves from one status (the module docstring's three steps)."""
        before, after, rename = self.before, self.after, self.rename
        exact: dict[tuple[str, str | None, str], deque[int]] = {}
        for i in after_ids:
            t = after[i]
            exact.setdefault((t.target, t.event, t.label), deque()).append(i)
        unmatched = []
        for j in before_ids:
            t = before[j]
            bucket = exact.get((rename(t.target), t.event, t.label))
            if bucket:
                self.pair(bucket.popleft(), j)
            else:
                unmatched.append(j)
        same_event: dict[tuple[str, str | None], deque[int]] = {}
        for i in after_ids:
            if self.partner[i] < 0:
                same_event.setdefault((after[i].target, after[i].event), deque()).append(i)
        removed = []
        for j in unmatched:
            t = before[j]
            bucket = same_event.get((rename(t.target), t.event))
            if bucket:
                self.pair(bucket.popleft(), j)
            else:
                removed.append(j)
        added = [i for i in after_ids if self.partner[i] < 0]
        moves_removed = Counter(rename(before[j].target) for j in removed)
        moves_added = Counter(after[i].target for i in added)
        unique = {m for m, n in moves_removed.items() if n == 1 and moves_added.get(m) == 1}
        if unique:
            by_move = {after[i].target: i for i in added if after[i].target in unique}
            for j in removed:
                move = rename(before[j].target)
                if move in unique:
                    self.pair(by_move[move], j)

    def events(self, source: str, before_ids: list[int], after_ids: list[int]) -> None:
        """An event of ``source`` that now leads to other statuses."""
        def targets(moves: Sequence[Transition], ids: list[int], name: Rename
                    ) -> dict[str, tuple[int, list[str]]]:
            table: dict[str, tuple[int, list[str]]] = {}
            for i in ids:
                t = moves[i]
                if t.event:
                    _first, dsts = table.setdefault(t.event, (i, []))
                    target = name(t.target)
                    if target not in dsts:
                        dsts.append(target)
            return table

        old_t = targets(self.before, before_ids, self.rename)
        if not old_t:
            return
        for event, (first, dsts) in targets(self.after, after_ids, _same).items():
            was = old_t.get(event)
            if was is not None and set(was[1]) != set(dsts):
                self.retargeted.append((first, Change(
                    "event-retargeted",
                    f"event {event!r} from {source!r} now leads to "
                    f"{', '.join(map(repr, dsts))} (was {', '.join(map(repr, was[1]))})",
                    "code firing this event ends up elsewhere",
                )))


def transition_changes(before: Sequence[Transition], after: Sequence[Transition],
                       renames: Mapping[str, str]) -> list[Change]:
    """Transitions added, removed and changed from ``before`` (old names, renamed
    by ``renames``) to ``after``, then the events leading elsewhere."""
    def rename(name: str) -> str:
        return renames.get(name, name)

    matching = _Matching(before, after, rename)
    matching.run()
    out = [Change("transition-added", f"transition {_edge(t, _same)} added")
           for i, t in enumerate(after) if matching.partner[i] < 0]
    out += [Change("transition-removed", f"transition {_edge(t, rename)} removed",
                   "code making this move now fails")
            for j, t in enumerate(before) if not matching.matched[j]]
    for i, b in enumerate(after):
        j = matching.partner[i]
        if j >= 0:
            out += _pair_changes(before[j], b)
    matching.retargeted.sort(key=lambda found: found[0])
    out += [change for _first, change in matching.retargeted]
    return out


def _pair_changes(a: Transition, b: Transition) -> list[Change]:
    """What changed from the old transition ``a`` to its new form ``b``."""
    out = []
    where = f"transition {b.source} -> {b.target}" + (f" ({b.event})" if b.event else "")
    if a.event != b.event:
        out.append(Change(
            "transition-changed", f"{where}: event {_event(a.event)} -> {_event(b.event)}",
            f"code firing {a.event!r} here now fails" if a.event else "",
        ))
    if a.label != b.label:
        out.append(Change("transition-changed", f"{where}: label {a.label!r} -> {b.label!r}"))
    if a.description != b.description:
        out.append(Change(
            "transition-changed",
            f"{where}: description changed "
            f"({short(a.description)!r} -> {short(b.description)!r})",
        ))
    if a.tags != b.tags:
        out.append(Change("transition-changed", f"{where}: tags {list(a.tags)} -> {list(b.tags)}"))
    if a.guard != b.guard:
        text = (f"guard {a.guard!r} -> {b.guard!r}" if a.guard and b.guard else
                f"guard {b.guard!r} added" if b.guard else f"guard {a.guard!r} removed")
        out.append(Change("transition-changed", f"{where}: {text}"))
    if a.returning != b.returning:
        text = ("now a return to the previous status" if b.returning else
                "no longer a return to the previous status")
        out.append(Change("transition-changed", f"{where}: {text}"))
    return out
