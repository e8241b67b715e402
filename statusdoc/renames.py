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
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from statusdoc.spec.model import Machine

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


@dataclass
class _Side:
    """One machine's statuses that may be renamed, seen under the current matching."""

    adjacency: dict[str, list[tuple[str, str, str | None, str]]]
    descriptions: dict[str, str]
    words: dict[str, frozenset[str]] = field(default_factory=dict)

    def resolved(self, name: str, known: Mapping[str, str]) -> set[Edge]:
        """Transitions of ``name`` whose other end is known (kept, renamed, or itself)."""
        found: set[Edge] = set()
        for direction, other, event, label in self.adjacency.get(name, ()):
            end = _SELF if other == name else known.get(other)
            if end is not None:
                found.add((direction, end, event, label))
        return found

    def shapes(self, name: str) -> Counter[Shape]:
        """Direction, event and label of every transition of ``name``."""
        return Counter((d, e, lab) for d, _other, e, lab in self.adjacency.get(name, ()))

    def word_set(self, name: str) -> frozenset[str]:
        found = self.words.get(name)
        if found is None:
            found = self.words[name] = frozenset(self.descriptions.get(name, "").lower().split())
        return found


def _side(machine: Machine, names: Iterable[str]) -> _Side:
    wanted = set(names)
    adjacency: dict[str, list[tuple[str, str, str | None, str]]] = defaultdict(list)
    for t in machine.transitions:
        if t.source == t.target:
            if t.source in wanted:
                adjacency[t.source].append(("loop", t.source, t.event, t.label))
            continue
        if t.source in wanted:
            adjacency[t.source].append(("out", t.target, t.event, t.label))
        if t.target in wanted:
            adjacency[t.target].append(("in", t.source, t.event, t.label))
    descriptions = {s.name: s.description for s in machine.states if s.name in wanted}
    return _Side(dict(adjacency), descriptions)


def _jaccard(a: set[Edge], b: set[Edge]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _multiset_jaccard(a: Counter[Shape], b: Counter[Shape]) -> float:
    union = sum((a | b).values())
    return sum((a & b).values()) / union if union else 0.0


@dataclass
class _View:
    """One status in one round: its known transitions and the tokens it can pair by."""

    resolved: set[Edge]
    tokens: set[tuple[object, ...]]


def _view(side: _Side, name: str, known: Mapping[str, str]) -> _View:
    resolved = side.resolved(name, known)
    tokens: set[tuple[object, ...]] = {("edge", *e) for e in resolved}
    for direction, other, event, label in side.adjacency.get(name, ()):
        if other != name and known.get(other) is None:
            tokens.add(("shape", direction, event, label))
    description = side.descriptions.get(name, "")
    if description:
        tokens.add(("description", description))
    return _View(resolved, tokens)


def _candidates(
    old_views: dict[str, _View], new_views: dict[str, _View]
) -> tuple[set[tuple[str, str]], set[str], set[str]]:
    """Pairs sharing an informative token, and the old and new statuses that have
    a token too common to pair by or too many candidates."""
    on_old: dict[tuple[object, ...], list[str]] = {}
    for name, view in old_views.items():
        for token in view.tokens:
            on_old.setdefault(token, []).append(name)
    on_new: dict[tuple[object, ...], list[str]] = {}
    for name, view in new_views.items():
        for token in view.tokens:
            if token in on_old:
                on_new.setdefault(token, []).append(name)
    pairs: set[tuple[str, str]] = set()
    crowded_old: set[str] = set()
    crowded_new: set[str] = set()
    for token, added in on_new.items():
        removed = on_old[token]
        if len(removed) > MAX_GROUP or len(added) > MAX_GROUP:
            crowded_old.update(removed)
            crowded_new.update(added)
        else:
            pairs.update((r, a) for r in removed for a in added)
    per_old = Counter(r for r, _a in pairs)
    per_new = Counter(a for _r, a in pairs)
    crowded_old |= {r for r, n in per_old.items() if n > MAX_CANDIDATES}
    crowded_new |= {a for a, n in per_new.items() if n > MAX_CANDIDATES}
    kept = {(r, a) for r, a in pairs if per_old[r] <= MAX_CANDIDATES
            and per_new[a] <= MAX_CANDIDATES}
    return kept, crowded_old, crowded_new


def _score(old: _Side, new: _Side, r: str, a: str, rv: _View, av: _View) -> float:
    if rv.resolved or av.resolved:
        edges = _jaccard(rv.resolved, av.resolved)
    else:
        edges = _multiset_jaccard(old.shapes(r), new.shapes(a))
    d_old, d_new = old.descriptions.get(r, ""), new.descriptions.get(a, "")
    if d_old and d_old == d_new:
        text = 1.0
    else:
        w_old, w_new = old.word_set(r), new.word_set(a)
        union = len(w_old | w_new)
        text = len(w_old & w_new) / union if union else 0.0
    return EDGE_WEIGHT * edges + (1 - EDGE_WEIGHT) * text


def _unique_best(options: list[tuple[float, str]], taken: set[str]) -> str | None:
    """The best option not taken, if no other free option scores as well."""
    free = [(s, n) for s, n in options if n not in taken]
    if not free or (len(free) > 1 and free[1][0] == free[0][0]):
        return None
    return free[0][1]


def _select(scores: dict[tuple[str, str], float], renames: dict[str, str]) -> int:
    """Add mutual unique best pairs at or above THRESHOLD to ``renames``; how many."""
    by_old: dict[str, list[tuple[float, str]]] = defaultdict(list)
    by_new: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (r, a), s in scores.items():
        by_old[r].append((s, a))
        by_new[a].append((s, r))
    for options in (*by_old.values(), *by_new.values()):
        options.sort(key=lambda o: (-o[0], o[1]))
    taken_old, taken_new = set(renames), set(renames.values())
    found = 0
    # Best first; ties in a direction-free order, so old->new mirrors new->old.
    for (r, a), s in sorted(scores.items(), key=lambda i: (-i[1], sorted(i[0]))):
        if s < THRESHOLD:
            break
        if r in taken_old or a in taken_new:
            continue
        if _unique_best(by_old[r], taken_new) == a and _unique_best(by_new[a], taken_old) == r:
            renames[r] = a
            taken_old.add(r)
            taken_new.add(a)
            found += 1
    return found


def match_renames(
    old: Machine, new: Machine, removed: list[str], added: list[str]
) -> tuple[dict[str, str], list[str]]:
    """``({removed: added}, notes)``: the renames between ``old`` and ``new``."""
    renames: dict[str, str] = {}
    if not removed or not added:
        return renames, []
    old_side, new_side = _side(old, removed), _side(new, added)
    kept = {s for s in old.state_names if s in new.state_map}
    crowded_old: set[str] = set()
    crowded_new: set[str] = set()
    for _round in range(MAX_ROUNDS):
        known_old = {name: name for name in kept} | renames
        known_new = {name: name for name in kept} | {a: a for a in renames.values()}
        old_views = {r: _view(old_side, r, known_old) for r in removed if r not in renames}
        taken = set(renames.values())
        new_views = {a: _view(new_side, a, known_new) for a in added if a not in taken}
        pairs, more_old, more_new = _candidates(old_views, new_views)
        crowded_old |= more_old
        crowded_new |= more_new
        scores = {
            (r, a): _score(old_side, new_side, r, a, old_views[r], new_views[a])
            for r, a in pairs
        }
        if not _select(scores, renames):
            break
    unmatched = len(crowded_old - set(renames)) + len(crowded_new - set(renames.values()))
    notes = []
    if unmatched:
        notes.append(
            f"{unmatched} status(es) look like more than {MAX_GROUP} others; renames among "
            "them cannot be told apart and show as removed and added"
        )
    return renames, notes
