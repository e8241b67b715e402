"""Which removed statuses of a machine were renamed, and to which added status.

A status is known by its transitions: the move, its event and label, and
the status at the other end. A removed status ``r`` and an added status
``a`` are compared by

* their *edges*: the Jaccard overlap of their transitions whose other end
  is known on both sides (a status kept under its name, a status already
  matched as a rename, or the status itself for a self-loop); when neither
  has such a transition (everything around them was renamed too), the
  overlap of their transitions' shapes (direction, event, label);
* their *descriptions*: 1 when equal, else the overlap of their words;

``score = 0.7 * edges + 0.3 * description``, and a pair scoring at least
:data:`THRESHOLD` whose members are each other's unique best is a rename.
So a renamed status that also gained (or lost) a transition is still found,
and two look-alike candidates for one status leave it a removal and an
addition, not a guess.

Cost stays about linear in the machine: pairs are only scored when they
share a *token* (one known transition, one transition shape, or one
description), a token shared by more than :data:`MAX_GROUP` statuses on a
side is too common to tell anything, and a status with more than
:data:`MAX_CANDIDATES` candidates is left unmatched; a note says how many
statuses were left to chance that way. Matching
runs in up to :data:`MAX_ROUNDS` rounds: the renames found in one round make
the transitions around them known for the next.

Memory stays a small part of the two machines: a round with many unmatched
statuses works in slices (:mod:`statusdoc.diffslices`), each pass reading
the machines' transitions again instead of holding an index of all of
them. The tokens are gathered a slice of (event, label) pairs and descriptions at a time;
pairs are scored a slice of removed statuses at a time, from those
statuses' transitions and their candidates' alone; a candidate is kept as
its name, and only pairs scoring at least :data:`THRESHOLD` are kept for
choosing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator

from statusdoc.diffslices import EVERY, NONE, marks, picked, picked_either, slices_for
from statusdoc.renameselect import Scored, select
from statusdoc.spec.model import Machine, Transition

__all__ = ["MAX_CANDIDATES", "MAX_GROUP", "MAX_ROUNDS", "THRESHOLD", "match_renames"]

#: Lowest score that makes a removed and an added status one renamed status.
THRESHOLD = 0.5
#: Weight of the transitions in the score (the description has the rest).
EDGE_WEIGHT = 0.7
#: A token shared by more statuses than this on one side suggests no pair.
MAX_GROUP = 16
#: A status with more candidates than this is left unmatched (and noted).
MAX_CANDIDATES = 16
#: Rounds of matching; each makes the neighbours of new renames known.
MAX_ROUNDS = 4

_SELF = "\x00self"  # the other end of a self-loop (names never hold control characters)

# (direction, other end or None when unknown, event, label)
Edge = tuple[str, str | None, str | None, str]
Shape = tuple[str, str | None, str]
Token = tuple[object, ...]
#: A status's name under the current matching: kept or renamed, else None.
Known = Callable[[str], "str | None"]
#: The candidates of one status: one name, a few, or ``None`` once past the cap.
Partners = str | list[str] | None


def _end(t: Transition, name: str) -> tuple[str, str]:
    """Direction and other end of ``t`` seen from ``name`` (one of its ends)."""
    if t.source == t.target:
        return "loop", name
    return ("out", t.target) if t.source == name else ("in", t.source)


def _resolved(name: str, around: list[Transition], known: Known) -> set[Edge]:
    """Transitions of ``name`` whose other end is known (kept, renamed, or itself)."""
    found: set[Edge] = set()
    for t in around:
        direction, other = _end(t, name)
        end = _SELF if other == name else known(other)
        if end is not None:
            found.add((direction, end, t.event, t.label))
    return found


def _shapes(name: str, around: list[Transition]) -> Counter[Shape]:
    """Direction, event and label of every transition of ``name``."""
    return Counter((_end(t, name)[0], t.event, t.label) for t in around)


def _jaccard(a: set[Edge], b: set[Edge]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _multiset_jaccard(a: Counter[Shape], b: Counter[Shape]) -> float:
    union = sum((a | b).values())
    return sum((a & b).values()) / union if union else 0.0


def _words(text: str) -> frozenset[str]:
    return frozenset(text.lower().split())


class _Round:
    """One round of matching: both machines seen under the renames found so far."""

    def __init__(self, old: Machine, new: Machine, renames: dict[str, str],
                 renamed_to: dict[str, str]) -> None:
        self.old, self.new, self.renames, self.renamed_to = old, new, renames, renamed_to
        self.free_old = sum(1 for r in old.state_names if self.known_old(r) is None)
        self.free_new = sum(1 for a in new.state_names if self.known_new(a) is None)
        self.slices = slices_for(self.free_old + self.free_new)

    def known_old(self, name: str) -> str | None:
        """An old status's name in the new machine: kept, renamed, else None."""
        return name if name in self.new.state_map else self.renames.get(name)

    def known_new(self, name: str) -> str | None:
        """A new status's own name if kept or a rename target, else None."""
        return name if name in self.old.state_map or name in self.renamed_to else None

    # ------------------------------------------------------------ candidates

    def candidates(self, crowded_old: _Crowded, crowded_new: _Crowded
                   ) -> tuple[dict[str, Partners], dict[str, Partners]]:
        """Each unmatched status's distinct candidates (``None`` past the cap);
        the statuses sharing a token too common to pair by join the crowded sets."""
        of_old: dict[str, Partners] = {}
        of_new: dict[str, Partners] = {}
        old_marks, new_marks = self._token_marks(self.old), self._token_marks(self.new)
        for part in range(self.slices):
            on_old: dict[Token, list[str]] = {}
            for name, token in self._tokens(self.old, self.known_old, part, old_marks):
                on_old.setdefault(token, []).append(name)
            on_new: dict[Token, list[str]] = {}
            for name, token in self._tokens(self.new, self.known_new, part, new_marks):
                if token in on_old:
                    on_new.setdefault(token, []).append(name)
            for token, found in on_new.items():
                removed = list(dict.fromkeys(on_old[token]))
                added = list(dict.fromkeys(found))
                if len(removed) > MAX_GROUP or len(added) > MAX_GROUP:
                    crowded_old.add(removed)
                    crowded_new.add(added)
                    continue
                for r in removed:
                    for a in added:
                        _add(of_old, r, a)
                        _add(of_new, a, r)
        crowded_old.add([r for r, partners in of_old.items() if partners is None])
        crowded_new.add([a for a, partners in of_new.items() if partners is None])
        return of_old, of_new

    def _token_marks(self, machine: Machine) -> tuple[bytes, bytes]:
        """The slice of each transition and each status's description: equal
        tokens have equal events and labels, or equal descriptions."""
        return (marks((hash(t.event) ^ hash(t.label) for t in machine.transitions), self.slices),
                marks((hash(s.description) for s in machine.states), self.slices))

    @staticmethod
    def _tokens(machine: Machine, known: Known, part: int, slice_marks: tuple[bytes, bytes]
                ) -> Iterator[tuple[str, Token]]:
        """``(status, token)`` for the unmatched statuses' tokens in slice ``part``
        (a status may come more than once with one token)."""
        of_transitions, of_states = slice_marks
        for t in picked(machine.transitions, of_transitions, part):
            src, dst, event, label = t.source, t.target, t.event, t.label
            if src == dst:
                if known(src) is None:
                    yield src, ("edge", "loop", _SELF, event, label)
                continue
            at_src, at_dst = known(src), known(dst)
            if at_src is None:
                yield src, (("shape", "out", event, label) if at_dst is None
                            else ("edge", "out", at_dst, event, label))
            if at_dst is None:
                yield dst, (("shape", "in", event, label) if at_src is None
                            else ("edge", "in", at_src, event, label))
        for state in picked(machine.states, of_states, part):
            text = state.description
            if text and known(state.name) is None:
                yield state.name, ("description", text)

    # --------------------------------------------------------------- scores

    def scores(self, of_old: dict[str, Partners], of_new: dict[str, Partners]
               ) -> list[Scored]:
        """``(-score, first, second)`` of every candidate pair scoring at least
        THRESHOLD, the pair's names in sorted order."""
        found: list[Scored] = []
        removed = list(of_old)
        of_removed = marks(map(hash, removed), self.slices)
        old_ends, new_ends = self._end_marks(of_new)
        for part in range(self.slices):
            pairs: dict[str, list[str]] = {}
            for r in picked(removed, of_removed, part):
                partners = of_old[r]
                kept = [] if partners is None else [
                    a for a in _names(partners) if of_new[a] is not None]
                if kept:
                    pairs[r] = kept
            if pairs:
                self._score_slice(pairs, picked_either(self.old.transitions, *old_ends, part),
                                  picked_either(self.new.transitions, *new_ends, part), found)
        return found

    def _end_marks(self, of_new: dict[str, Partners]
                   ) -> tuple[tuple[bytes, bytes], tuple[bytes, bytes]]:
        """The slices each transition is read in, by source and by target: an
        old status's slice is its own, a new one's that of its candidates (or
        every slice when they spread over several)."""
        slices = self.slices
        if slices == 1:
            return (b"", b""), (b"", b"")
        old_moves, new_moves = self.old.transitions, self.new.transitions

        def new_slice(name: str) -> int:
            partners = of_new.get(name)
            if partners is None:
                return NONE
            parts = {hash(r) % slices for r in _names(partners)}
            return parts.pop() if len(parts) == 1 else EVERY

        return ((marks((hash(t.source) for t in old_moves), slices),
                 marks((hash(t.target) for t in old_moves), slices)),
                (bytes(new_slice(t.source) for t in new_moves),
                 bytes(new_slice(t.target) for t in new_moves)))

    def _score_slice(self, pairs: dict[str, list[str]], old_moves: Iterable[Transition],
                     new_moves: Iterable[Transition], found: list[Scored]) -> None:
        """Score ``pairs`` (removed status: its candidates) from the transitions
        that may touch them; add those scoring at least THRESHOLD to ``found``."""
        around_old = _around(old_moves, pairs)
        around_new = _around(new_moves, {a for kept in pairs.values() for a in kept})
        resolved_new: dict[str, set[Edge]] = {}
        for r, kept in pairs.items():
            resolved_r = _resolved(r, around_old.get(r, []), self.known_old)
            for a in kept:
                resolved_a = resolved_new.get(a)
                if resolved_a is None:
                    resolved_a = resolved_new[a] = _resolved(
                        a, around_new.get(a, []), self.known_new)
                if resolved_r or resolved_a:
                    edges = _jaccard(resolved_r, resolved_a)
                else:
                    edges = _multiset_jaccard(_shapes(r, around_old.get(r, [])),
                                              _shapes(a, around_new.get(a, [])))
                score = EDGE_WEIGHT * edges + (1 - EDGE_WEIGHT) * self._text(r, a)
                if score >= THRESHOLD:
                    found.append((-score, r, a) if r < a else (-score, a, r))

    def _text(self, r: str, a: str) -> float:
        d_old = self.old.state_map[r].description
        d_new = self.new.state_map[a].description
        if d_old and d_old == d_new:
            return 1.0
        w_old, w_new = _words(d_old), _words(d_new)
        union = len(w_old | w_new)
        return len(w_old & w_new) / union if union else 0.0


class _Crowded:
    """The statuses found too alike to pair: a list, sorted and deduplicated when it
    has grown to twice what it held (a set of every status would take more)."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.distinct = 0

    def add(self, names: list[str]) -> None:
        self.names += names
        if len(self.names) > 2 * self.distinct + 64:
            self._deduplicate()

    def _deduplicate(self) -> None:
        names = self.names
        names.sort()
        kept = 0
        for name in names:
            if not kept or names[kept - 1] != name:
                names[kept] = name
                kept += 1
        del names[kept:]
        self.distinct = kept

    def count(self, matched: Container[str]) -> int:
        """How many of them are not in ``matched``."""
        self._deduplicate()
        return sum(1 for name in self.names if name not in matched)


def _add(table: dict[str, Partners], key: str, partner: str) -> None:
    """Record ``partner`` as a candidate of ``key`` (once); past the cap, ``None``."""
    found = table.get(key, "")
    if found == "":
        table[key] = partner
    elif found is None or found == partner:
        return
    elif isinstance(found, str):
        table[key] = [found, partner] if MAX_CANDIDATES >= 2 else None
    elif partner not in found:
        if len(found) >= MAX_CANDIDATES:
            table[key] = None
        else:
            found.append(partner)


def _names(partners: str | list[str]) -> list[str]:
    return [partners] if isinstance(partners, str) else partners


def _around(transitions: Iterable[Transition], names: set[str] | dict[str, list[str]]
            ) -> dict[str, list[Transition]]:
    """Of ``transitions``, those touching each of ``names`` (a self-loop once)."""
    found: dict[str, list[Transition]] = {}
    for t in transitions:
        if t.source in names:
            found.setdefault(t.source, []).append(t)
        if t.target in names and t.target != t.source:
            found.setdefault(t.target, []).append(t)
    return found


def match_renames(
    old: Machine, new: Machine, removed: list[str], added: list[str]
) -> tuple[dict[str, str], list[str]]:
    """``({removed: added}, notes)``: the renames between ``old`` and ``new``.

    ``removed`` are the statuses of ``old`` that ``new`` lacks, ``added`` those
    of ``new`` that ``old`` lacks (their names are what the matching reads:
    whether a status is kept, renamed or unmatched is looked up in the machines).
    """
    renames: dict[str, str] = {}
    if not removed or not added:
        return renames, []
    renamed_to: dict[str, str] = {}
    crowded_old, crowded_new = _Crowded(), _Crowded()
    for _round in range(MAX_ROUNDS):
        round_ = _Round(old, new, renames, renamed_to)
        if not round_.free_old or not round_.free_new:
            break
        of_old, of_new = round_.candidates(crowded_old, crowded_new)
        scored = round_.scores(of_old, of_new)
        del of_old, of_new
        if not select(scored, renames, renamed_to, old.state_map.__contains__):
            break
    unmatched = crowded_old.count(renames) + crowded_new.count(renamed_to)
    notes = []
    if unmatched:
        notes.append(
            f"{unmatched} status(es) look like more than {MAX_GROUP} others; renames among "
            "them cannot be told apart and show as removed and added"
        )
    return renames, notes
