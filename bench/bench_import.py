"""Benchmark: ``statusdoc import`` of Mermaid state diagrams as they grow.

Diagrams of N states (declared with labels and notes, 4N labelled arrows,
every fourth state inside one of N/50 nested composite states, entity codes
in labels) are imported with
:func:`statusdoc.importers.mermaid.import_mermaid_text`. Goal: the cost is
linear, so doubling the diagram about doubles the time.

Run alone: ``python bench/run.py --only import [--quick]``.
"""

from __future__ import annotations

import gc
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row, best_of  # noqa: E402

from statusdoc.importers.mermaid import import_mermaid_text  # noqa: E402

COMMAND = "python bench/run.py --only import"


def make_diagram(states: int) -> str:
    """A ``stateDiagram-v2`` of ``states`` states and ``4 * states`` arrows."""
    out = ["stateDiagram-v2", "    direction LR", "    [*] --> s0 : create"]
    out += [f'    state "Status #34;{i}#34;" as s{i}' for i in range(states)]
    groups = max(1, states // 50)
    out += [f"    state g{g} {{" for g in range(groups)]  # nested, one inside the next
    out += [f"        s{i}:::inner" for i in range(0, states, 4)]
    out += ["    }"] * groups
    for j in range(4 * states):
        src = j % states
        dst = (src + 1 + j // states) % states
        out.append(f"    s{src} --> s{dst} : event {j}#59; retry")
    out += [f"    note right of s{i} : Status number {i}." for i in range(states)]
    out.append("    classDef inner fill:#eef,stroke:#99f")
    return "\n".join(out) + "\n"


def rows(quick: bool = False) -> list[Row]:
    """Import rows: growth 100 -> 5,000 states, and the doubling ratio."""
    repeat = 2 if quick else 5
    sizes = (100, 1_000) if quick else (100, 1_000, 5_000)
    result: list[Row] = []
    for n in sizes:
        text = make_diagram(n)
        seconds = best_of(partial(import_mermaid_text, text), repeat=repeat)
        result.append(Row(
            "import", f"import Mermaid, {n:,} states / {4 * n:,} arrows "
            f"({len(text) / 1e6:.2f} MB)", f"{seconds * 1000:.1f} ms",
            command=f"{COMMAND}{' --quick' if quick else ''}",
        ))
    small, large = (500, 1_000) if quick else (2_500, 5_000)
    texts = {"small": make_diagram(small), "large": make_diagram(large)}
    best = {"small": float("inf"), "large": float("inf")}
    for _ in range(repeat + 4):  # alternate, so a busy machine slows both alike
        for key, text in texts.items():
            gc.collect()
            start = time.process_time()
            import_mermaid_text(text)
            best[key] = min(best[key], time.process_time() - start)
    ratio = best["large"] / best["small"]
    result.append(Row(
        "import", f"doubling the Mermaid diagram: {small:,} -> {large:,} states "
        "(CPU time ratio, alternating rounds)", f"{ratio:.2f}x", "<= 2.3x", ratio <= 2.3,
        COMMAND,
    ))
    return result
