"""How many transitions a spec's rules expand to, counted before they are built.

``from = "*"`` stands for every non-final status but the target, so a few
bytes of spec can stand for a great many transitions: 60,000 wildcard rules
over 5,000 statuses (3.5 MB of TOML) would be 300 million transitions and
took 2.7 GB before validation refused anything. The validator asks
:func:`first_over_limit` first and refuses a machine that would expand past
:data:`MAX_TRANSITIONS`, so what it builds stays proportional to the spec.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

__all__ = ["MAX_TRANSITIONS", "first_over_limit", "over_limit_message"]

#: Most transitions a machine may have once wildcards are expanded.
MAX_TRANSITIONS = 200_000


def first_over_limit(
    rules: Iterable[tuple[int, bool, str | None, int]],
    non_final: Collection[str],
    limit: int = MAX_TRANSITIONS,
) -> tuple[int, int] | None:
    """``(rule index, transitions so far)`` where the running count passes ``limit``.

    ``rules`` are ``(index, wildcard, target, explicit source count)``; a
    wildcard counts every status of ``non_final`` except its target. None
    when the whole spec stays within ``limit``.
    """
    wildcard_size = len(non_final)
    total = 0
    for index, wildcard, target, sources in rules:
        if wildcard:
            total += wildcard_size - (1 if target in non_final else 0)
        else:
            total += sources
        if total > limit:
            return index, total
    return None


def over_limit_message(total: int, limit: int = MAX_TRANSITIONS) -> str:
    """The error for a machine whose rules expand past ``limit``."""
    return (
        f"the transitions up to this one expand to {total:,} transitions (wildcards "
        f"included), more than the limit of {limit:,}; split the machine into several specs "
        "or replace some from = \"*\" rules"
    )
