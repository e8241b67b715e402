"""Shared helpers for benchmarks: side-by-side timing and result rows.

Every benchmark module ``bench/bench_<area>.py`` defines
``rows(quick: bool = False) -> list[Row]``; ``bench/run.py`` collects them,
prints one table and writes ``docs/performance.rst``. Ratios are measured
side by side in one process run, never compared with stored numbers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    section: str      # e.g. "runtime", "emit", "render", "check", "sphinx", "load"
    what: str         # what was measured, in words
    result: str       # the measured figure(s), e.g. "1.12x" or "0.31 s"
    goal: str = ""    # the goal it is held to, e.g. "<= 1.5x"; "" when informative
    met: bool | None = None   # None when there is no goal
    command: str = ""  # command that reproduces this row alone


def best_of(func: Callable[[], object], *, repeat: int = 5, number: int = 1) -> float:
    """Best wall time in seconds of ``number`` calls, over ``repeat`` rounds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, time.perf_counter() - start)
    return best / number


def interleaved(funcs: dict[str, Callable[[], object]], *, rounds: int = 7,
                number: int = 1) -> dict[str, float]:
    """Best time per call of each function, measured in alternating rounds.

    Alternating the candidates within each round makes a noisy, shared
    machine slow all of them alike, so their ratio stays meaningful.
    """
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(rounds):
        for name, func in funcs.items():
            start = time.perf_counter()
            for _ in range(number):
                func()
            best[name] = min(best[name], (time.perf_counter() - start) / number)
    return best
