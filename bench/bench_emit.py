"""Benchmark: emitting RST + DOT + Mermaid as machines grow (10 -> 5,000 states).

Specs of N statuses and about 3N transitions (with labels, events, tags, a
wildcard rule and descriptions) are loaded once; then the RST page, the DOT
source and the Mermaid diagram are emitted from the machine, with the
emitters' per-machine caches cleared before every run so each run does all
the work. Goal: emission grows about linearly: doubling the machine about
doubles the time, and the cost per status stays flat from 100 to 5,000.

Run alone: ``python bench/bench_emit.py [--quick]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench.common` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import gc
import time
from collections.abc import Callable

import statusdoc
from bench.common import Row
from statusdoc.emit.dot import emit_dot
from statusdoc.emit.mermaid import emit_mermaid
from statusdoc.emit.rst import emit_rst

COMMAND = "python bench/bench_emit.py"


def make_spec(states: int) -> str:
    """A valid TOML spec of ``states`` statuses: a chain, chords, a wildcard, a final."""
    out = [
        "[machine]\nname = \"big\"\ntitle = \"Generated <machine> of "
        f"{states} statuses\"\ninitial = \"s 0\"\ninitial_label = \"create\"\n\n"
    ]
    for i in range(states):
        tags = '\ntags = ["hot"]' if i % 7 == 0 else ""
        out.append(f'[states."s {i}"]\ndescription = "Status *number* ``{i}``."{tags}\n\n')
    out.append('[states.gone]\ndescription = "Removed."\nfinal = true\n\n')
    out.append('[[transitions]]\nfrom = "*"\nto = "gone"\nlabel = "remove"\nevent = "remove"\n\n')
    for i in range(states):
        for step in (1, 2, 5):
            dst = (i + step) % states
            tags = 'tags = ["v2"]\ndescription = "Only in v2."\n' if (i + step) % 11 == 0 else ""
            out.append(f'[[transitions]]\nfrom = "s {i}"\nto = "s {dst}"\n'
                       f'label = "go {step} \\"{i}\\" <x>"\nevent = "e{step}"\n{tags}\n')
    out.append('[diagram.tags.v2]\nstyle = "dashed"\nlegend = "API v2 only"\n\n')
    out.append('[diagram.tags.hot]\nfillcolor = "#FFCCCC"\nlegend = "hot status"\n')
    return "".join(out)


def emit_all(machine: statusdoc.Machine) -> int:
    """Emit RST, DOT and Mermaid from scratch; returns the total size (keeps work live)."""
    machine._cache.clear()
    size = len(emit_rst(machine, source_name="big.toml", image="big.png"))
    size += len(emit_dot(machine, source_name="big.toml"))
    return size + len(emit_mermaid(machine, source_name="big.toml"))


def _settle() -> None:
    """Collect garbage and freeze what is left (the loaded machines, modules).

    Otherwise each full collection triggered while emitting re-scans every
    object loaded before, so the time would depend on what else is in memory.
    """
    gc.collect()
    gc.freeze()


def cpu_best(func: Callable[[], object], repeat: int) -> float:
    """Best CPU time of this process for one call of ``func``, over ``repeat`` runs.

    Emission is single-threaded pure Python, so CPU time is its cost; unlike
    wall time it is not inflated when other jobs share the machine.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def rows(quick: bool = False) -> list[Row]:
    """Emission rows: time per size, cost per status, and the doubling ratio."""
    try:
        return _rows(quick)
    finally:
        gc.unfreeze()  # leave the process as we found it for the next benchmark


def _rows(quick: bool) -> list[Row]:
    sizes = (10, 100, 1_000) if quick else (10, 100, 1_000, 5_000)
    repeat = 2 if quick else 4
    command = f"{COMMAND}{' --quick' if quick else ''}"
    result: list[Row] = []
    for n in sizes:
        machine = statusdoc.loads(make_spec(n))
        emit_all(machine)  # warm-up: templates compiled, modules imported
        _settle()
        runs = 9 if n <= 1_000 else repeat  # small sizes are cheap: more runs, less noise
        seconds = cpu_best(lambda m=machine: emit_all(m), runs)
        result.append(Row(
            "emit", f"emit RST+DOT+Mermaid, {n:,} states / {len(machine.transitions):,} "
            "transitions (CPU time)",
            f"{seconds * 1000:.1f} ms ({seconds / n * 1e6:.0f} µs/status)",
            command=command,
        ))
    small, large = (500, 1_000) if quick else (2_500, 5_000)
    t_small, t_large = _alternate(small, large)
    ratio = t_large / t_small
    result.append(Row("emit", f"doubling the machine: {small:,} -> {large:,} states "
                      "(time ratio)", f"{ratio:.2f}x", "<= 2.3x", ratio <= 2.3, command))
    lo, hi = 100, max(sizes)
    t_lo, t_hi = _alternate(lo, hi)
    growth = (t_hi / hi) / (t_lo / lo)
    result.append(Row("emit", f"cost per status at {hi:,} vs {lo} states", f"{growth:.2f}x",
                      "<= 1.5x", growth <= 1.5, command))
    return result


def _alternate(small: int, large: int, rounds: int = 7) -> tuple[float, float]:
    """CPU time per emission at two sizes, measured in alternating rounds.

    The small machine is emitted several times per round so that both sides
    of a round take a similar time; a busy moment then slows both alike.
    """
    m_small, m_large = statusdoc.loads(make_spec(small)), statusdoc.loads(make_spec(large))
    emit_all(m_small)
    emit_all(m_large)
    _settle()
    number = max(1, large // small)
    best_small = best_large = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(number):
            emit_all(m_small)
        best_small = min(best_small, (time.process_time() - start) / number)
        best_large = min(best_large, cpu_best(lambda: emit_all(m_large), 1))
    return best_small, best_large


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    for row in rows(quick=quick):
        mark = "" if row.met is None else (" ok" if row.met else " MISSED")
        goal = f"  (goal {row.goal}{mark})" if row.goal else ""
        print(f"{row.what:<75} {row.result:>26}{goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
