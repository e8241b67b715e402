"""Which scored pairs become renames: each other's unique best, best first.

Part of :mod:`statusdoc.renames`: a removed status ``r`` and an added status
``a`` are a rename when, taken best first, neither is taken yet and each is
the other's best free option with no other free option scoring as well.
Only the pairs scoring at least :data:`statusdoc.renames.THRESHOLD` are
given: a lower one can neither be a pair's best option nor tie with it.
"""

from __future__ import annotations

from collections.abc import Callable, Container

__all__ = ["Scored", "select"]

#: A scored pair: ``(-score, first name, second name)``, the names in sorted order.
Scored = tuple[float, str, str]


def select(scored: list[Scored], renames: dict[str, str], renamed_to: dict[str, str],
           is_old: Callable[[str], bool]) -> int:
    """Add mutual unique best pairs of ``scored`` to ``renames`` (and, the other
    way round, to ``renamed_to``); how many."""
    # Best first; ties in a direction-free order, so old->new mirrors new->old.
    # Each status's options then come best first, ties by the other name.
    scored.sort()
    by_old: dict[str, Scored | list[Scored]] = {}
    by_new: dict[str, Scored | list[Scored]] = {}
    for entry in scored:
        _, first, second = entry
        r, a = (first, second) if is_old(first) else (second, first)
        _option(by_old, r, entry)
        _option(by_new, a, entry)
    found = 0
    for _negative, first, second in scored:
        r, a = (first, second) if is_old(first) else (second, first)
        if r in renames or a in renamed_to:
            continue
        if (_unique_best(by_old[r], r, renamed_to) == a
                and _unique_best(by_new[a], a, renames) == r):
            renames[r] = a
            renamed_to[a] = r
            found += 1
    return found


def _option(table: dict[str, Scored | list[Scored]], key: str, entry: Scored) -> None:
    """Note ``entry`` among ``key``'s options (a lone option is kept as itself)."""
    found = table.get(key)
    if found is None:
        table[key] = entry
    elif isinstance(found, tuple):
        table[key] = [found, entry]
    else:
        found.append(entry)


def _partner(entry: Scored, key: str) -> str:
    return entry[2] if entry[1] == key else entry[1]


def _unique_best(options: Scored | list[Scored], key: str, taken: Container[str]
                 ) -> str | None:
    """The best option of ``key`` not taken, if no other free option scores as well."""
    if isinstance(options, tuple):
        partner = _partner(options, key)
        return None if partner in taken else partner
    free = [entry for entry in options if _partner(entry, key) not in taken]
    if not free or (len(free) > 1 and free[1][0] == free[0][0]):
        return None
    return _partner(free[0], key)
