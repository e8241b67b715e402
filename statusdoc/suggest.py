"""Bounded "did you mean ...?" suggestions, the one implementation statusdoc uses.

``difflib.get_close_matches`` compares the word with every candidate by
edit-like similarity: quadratic in the length of the strings and linear in
the number of candidates, for every unknown name. A spec of 1,000 long
status names with 20 unknown ones took 17 s that way, and a Sphinx build
with 100 mistyped ``:status:`` roles against 3,000 statuses 256 s. Here each
suggestion costs at most:

* one pass over the candidates with a cheap filter: a length window that
  difflib's own ratio implies (a candidate whose length is too far from the
  word's can never reach the cutoff), then the overlap of character pairs
  (bigrams, with the first and last letter marked) of at most
  :data:`MAX_KEY` characters of each string;
* a :class:`difflib.SequenceMatcher` ratio for only the :data:`MAX_COMPARED`
  best of those, on at most :data:`MAX_KEY` characters (the head and tail of
  a long name, where a typo in it still shows);

(each candidate's letter pairs are computed once per run);

and a :class:`Budget` caps the candidates scanned per run (a spec
validation, a Sphinx build) at :data:`MAX_WORK`: once spent, further unknown
names get no suggestion, so a spec with 60,000 unknown names costs no more
than one with 60.
"""

from __future__ import annotations

import contextlib
import contextvars
import difflib
import heapq
from collections.abc import Iterable, Iterator, Sized

__all__ = ["MAX_COMPARED", "MAX_KEY", "MAX_WORK", "Budget", "budget", "closest", "did_you_mean"]

#: Similarity (difflib ratio) a candidate needs to be suggested.
CUTOFF = 0.6
#: Characters of a string that are compared: its first and last MAX_KEY // 2.
MAX_KEY = 64
#: Candidates compared with difflib per suggestion (the best by bigram overlap).
MAX_COMPARED = 8
#: Candidates scanned per run (all suggestions together) before suggesting stops.
MAX_WORK = 100_000

# A candidate reaches CUTOFF only when 2 * shorter / (shorter + longer) >= CUTOFF.
_MIN_LENGTH_RATIO = CUTOFF / (2 - CUTOFF)


class Budget:
    """How many more candidates may be scanned for suggestions in this run.

    It also remembers each candidate's letter pairs, so a run that suggests
    for many unknown names against the same statuses computes them once.
    """

    __slots__ = ("grams", "remaining")

    def __init__(self, work: int = MAX_WORK) -> None:
        self.remaining = work
        self.grams: dict[str, frozenset[str]] = {}

    def bigrams(self, candidate: str) -> frozenset[str]:
        """The letter pairs of ``candidate``'s compared characters (cached for the run)."""
        found = self.grams.get(candidate)
        if found is None:
            found = self.grams[candidate] = _bigrams(_key(candidate))
        return found

    def spend(self, work: int) -> bool:
        """Take ``work`` from the budget; False (and nothing taken) when it is not there."""
        if work > self.remaining:
            self.remaining = 0
            return False
        self.remaining -= work
        return True


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "statusdoc_suggest_budget", default=None
)


@contextlib.contextmanager
def budget(work: int = MAX_WORK) -> Iterator[Budget]:
    """Share one :class:`Budget` between every suggestion made inside the ``with`` block."""
    token = _current.set(Budget(work))
    try:
        yield _current.get() or Budget(work)
    finally:
        _current.reset(token)


def _key(text: str) -> str:
    half = MAX_KEY // 2
    return text if len(text) <= MAX_KEY else text[:half] + text[-half:]


_PAIRS: dict[str, str] = {}  # one string object per letter pair, shared by every set


def _bigrams(key: str) -> frozenset[str]:
    marked = f"\x02{key}\x03"  # the first and last letter count on their own
    return frozenset(_PAIRS.setdefault(pair, pair) if len(_PAIRS) < 65_536 else pair
                     for pair in map(str.__add__, marked, marked[1:]))


def closest(word: str, candidates: Iterable[str], *, within: Budget | None = None) -> str | None:
    """The candidate most like ``word`` (difflib ratio >= 0.6), or None.

    ``within`` is the budget to spend; by default the one of the enclosing
    :func:`budget` block, else a fresh one for this call alone.
    """
    spent = within or _current.get() or Budget()
    if isinstance(candidates, Sized):  # charged before copying: a spent budget is free
        if not spent.spend(len(candidates)):
            return None
        pool = candidates if isinstance(candidates, list | tuple) else list(candidates)
    else:
        pool = list(candidates)
        if not spent.spend(len(pool)):
            return None
    if not pool:
        return None
    size = len(word)
    low, high = size * _MIN_LENGTH_RATIO, size / _MIN_LENGTH_RATIO
    near = [c for c in pool if low <= len(c) <= high]
    if not near:
        return None
    key = _key(word)
    grams = _bigrams(key)
    pairs = spent.bigrams
    scored = (
        (len(grams & other) / (len(grams) + len(other)), -index, candidate)
        for index, candidate in enumerate(near)
        for other in (pairs(candidate),)
    )
    best: tuple[float, str] | None = None
    for _overlap, _order, candidate in heapq.nlargest(MAX_COMPARED, scored):
        ratio = difflib.SequenceMatcher(None, key, _key(candidate), autojunk=False).ratio()
        if ratio >= CUTOFF and (best is None or (ratio, candidate) > best):
            best = (ratio, candidate)
    return best[1] if best else None


def did_you_mean(word: str, candidates: Iterable[str], *, within: Budget | None = None) -> str:
    """``" (did you mean 'x'?)"`` for the closest candidate, or ``""``."""
    found = closest(word, candidates, within=within)
    return f" (did you mean {found!r}?)" if found is not None else ""
