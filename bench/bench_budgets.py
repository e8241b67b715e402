"""Benchmark: cost budgets on the small-input / huge-cost shapes of issue 13.

Each shape is built at two sizes, the second about twice the first, and run
side by side in alternating rounds; a row prints

* the CPU-time ratio for the doubled input (goal <= 2.5x: about linear), and
* the peak memory (``tracemalloc``: Python allocations during the run) at the
  larger size, as a multiple of its input size (the bytes of the text or
  texts given), and the *marginal* multiple
  ``(peak(2N) - peak(N)) / (input(2N) - input(N))`` (goal <= 10x: memory
  under 10x the input plus a constant).

The first row is the floor the others are read against: loading an ordinary
valid spec peaks while the Machine's lookups are built, when the Machine
(a TransitionRule and a Transition per transition, a frozenset of targets
per status) is nearly all that is left, about 9x the spec. The shapes:
did-you-mean against many long status names; ``from = "*"`` rules that
would expand past the transition limit; a dotted TOML key of tens of
thousands of parts; ``diff`` of a machine whose every status was renamed
(two Machines plus the rename matching); ``import`` of a ``.dot`` file of
tens of thousands of edges (the imported edges, then the spec, about twice
the ``.dot``, written a table at a time as the edges go, then its check part
by part: ``render_spec``, what ``statusdoc import`` runs); the baseline
spec written as YAML and as JSON; the import written as a YAML spec (a part
at a time, checked part by part as the TOML one).

Run alone: ``python bench/bench_budgets.py [--quick]``.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
import tomllib
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_load import make_spec  # noqa: E402
from common import Row  # noqa: E402

import statusdoc  # noqa: E402
from statusdoc.importers import render_spec  # noqa: E402
from statusdoc.importers.dot import import_dot_text  # noqa: E402
from statusdoc.semdiff import diff_machines  # noqa: E402
from statusdoc.spec.api import validate_text  # noqa: E402
from statusdoc.spec.dump import dump  # noqa: E402

COMMAND = "python bench/bench_budgets.py"
RATIO_GOAL = 2.5
MEMORY_GOAL = 10.0


#: What a shape runs on: one text, or the texts a command reads (``diff``: two).
Input = str | tuple[str, ...]


@dataclass(frozen=True)
class Shape:
    """One hostile shape: how to build its input at size ``n``, and what to run on it."""

    name: str
    sizes: tuple[int, int]
    quick_sizes: tuple[int, int]
    build: Callable[[int], Input]
    run: Callable[[Input], object]
    unit: str


def did_you_mean_spec(n: int) -> str:
    """``n`` statuses with 180-character names, and 20 transitions to unknown ones."""
    names = [f"status-{i:05d}-" + "abcdefghij" * 17 for i in range(n)]
    out = ['[machine]\nname = "m"\ninitial = "' + names[0] + '"\n\n']
    out += [f'[states."{s}"]\ndescription = "d"\n\n' for s in names]
    out += [f'[[transitions]]\nfrom = "{a}"\nto = "{b}"\n\n' for a, b in pairwise(names)]
    out += [f'[[transitions]]\nfrom = "{names[0]}"\nto = "unknown-{j:03d}-'
            + "abcdefghij" * 16 + '"\n\n' for j in range(20)]
    return "".join(out)


def wildcard_spec(rules: int, states: int = 2_000) -> str:
    """``rules`` ``from = "*"`` rules over ``states`` statuses (far past the limit)."""
    out = ['[machine]\nname = "m"\ninitial = "s0"\n\n']
    out += [f"[states.s{i}]\n" for i in range(states)]
    out += [f'[[transitions]]\nfrom = "*"\nto = "s{j % states}"\nlabel = "l{j}"\n'
            for j in range(rules)]
    return "".join(out)


def dotted_key_spec(parts: int) -> str:
    """One TOML key of ``parts`` dotted parts."""
    return ".".join(["a"] * parts) + " = 1\n"


def renamed_pair(n: int) -> tuple[str, str]:
    """Old and new spec of ``n`` statuses, every status renamed."""
    old = make_spec(n)
    return old, re.sub(r"\bs(\d+)\b", r"st\1", old)


def diff_renamed(pair: Input) -> object:
    old_text, new_text = pair
    diff = diff_machines(statusdoc.loads(old_text), statusdoc.loads(new_text))
    assert len(diff.renamed) > 0
    return diff


def dot_file(edges: int) -> str:
    """A hand-kept-style DOT file of ``edges`` labelled edges over ``edges / 4`` nodes."""
    nodes = max(2, edges // 4)
    out = ["digraph G {", "  rankdir=LR;", "  node [shape=box];", '  "" -> s0;']
    for j in range(edges):
        a = j % nodes
        out.append(f'  s{a} -> s{(a + 1 + j // nodes) % nodes} [label="t{j}"];')
    return "\n".join([*out, "}"]) + "\n"


def import_dot(text: Input) -> object:
    assert isinstance(text, str)
    return render_spec(import_dot_text(text, source="big.dot"))


def validate(text: Input) -> object:
    assert isinstance(text, str)
    return validate_text(text, "toml")


def spec_as(fmt: str) -> Callable[[int], str]:
    """``make_spec(n)`` written in ``fmt`` (yaml, as ``statusdoc`` dumps it; json)."""
    def build(n: int) -> str:
        data = tomllib.loads(make_spec(n))
        return dump(data, "yaml") if fmt == "yaml" else json.dumps(data, indent=2)
    return build


def validate_as(fmt: str) -> Callable[[Input], object]:
    def run(text: Input) -> object:
        assert isinstance(text, str)
        return validate_text(text, fmt)
    return run


def import_dot_to_yaml(text: Input) -> object:
    assert isinstance(text, str)
    return render_spec(import_dot_text(text, source="big.dot"), "yaml")


SHAPES = (
    Shape("baseline: load+validate an ordinary spec of N statuses (4N transitions)",
          (1_000, 2_000), (250, 500), make_spec,
          validate, "statuses"),
    Shape("did-you-mean: N statuses with 180-character names, 20 unknown names",
          (1_000, 2_000), (250, 500), did_you_mean_spec,
          validate, "statuses"),
    Shape('wildcards: N from = "*" rules over 2,000 statuses (past the 200,000 limit)',
          (15_000, 30_000), (3_000, 6_000), wildcard_spec,
          validate, "rules"),
    Shape("dotted TOML key of N parts", (30_000, 60_000), (30_000, 60_000), dotted_key_spec,
          validate, "parts"),
    Shape("diff: N statuses, every one renamed (load both + diff)", (1_000, 2_000),
          (250, 500), renamed_pair, diff_renamed, "statuses"),
    Shape("import: .dot file of N edges (parse, build, write the spec)", (15_000, 30_000),
          (3_000, 6_000), dot_file, import_dot, "edges"),
    Shape("baseline as YAML: load+validate an ordinary spec of N statuses",
          (1_000, 2_000), (250, 500), spec_as("yaml"), validate_as("yaml"), "statuses"),
    Shape("baseline as JSON: load+validate an ordinary spec of N statuses",
          (1_000, 2_000), (250, 500), spec_as("json"), validate_as("json"), "statuses"),
    Shape("import: .dot file of N edges to a YAML spec", (15_000, 30_000),
          (3_000, 6_000), dot_file, import_dot_to_yaml, "edges"),
)


def _size(given: Input) -> int:
    """Bytes of the input (UTF-8, as the files would hold them)."""
    return sum(len(text.encode()) for text in ((given,) if isinstance(given, str) else given))


def _cpu_ratio(run: Callable[[Input], object], small: Input, large: Input,
               rounds: int) -> float:
    best = {"small": float("inf"), "large": float("inf")}
    for _ in range(rounds):
        for key, text in (("small", small), ("large", large)):
            gc.collect()
            start = time.process_time()
            run(text)
            best[key] = min(best[key], time.process_time() - start)
    return best["large"] / max(best["small"], 1e-9)


def _peak(run: Callable[[Input], object], text: Input) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        run(text)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(shape: Shape, quick: bool) -> tuple[Row, Row]:
    n_small, n_large = shape.quick_sizes if quick else shape.sizes
    small, large = shape.build(n_small), shape.build(n_large)
    ratio = _cpu_ratio(shape.run, small, large, rounds=3 if quick else 5)
    peak_small, peak_large = _peak(shape.run, small), _peak(shape.run, large)
    size_small, size_large = _size(small), _size(large)
    marginal = (peak_large - peak_small) / max(size_large - size_small, 1)
    command = f"{COMMAND}{' --quick' if quick else ''}"
    where = f"{shape.name} ({n_small:,} -> {n_large:,} {shape.unit})"
    time_row = Row("budgets", f"time, {where}", f"{ratio:.2f}x", f"<= {RATIO_GOAL}x",
                   ratio <= RATIO_GOAL, command)
    memory_row = Row(
        "budgets", f"peak memory, {shape.name} ({n_large:,} {shape.unit}, "
        f"{size_large / 1e6:.2f} MB input)",
        f"{peak_large / 1e6:.1f} MB = {peak_large / size_large:.1f}x input; "
        f"marginal {marginal:.1f}x", f"marginal <= {MEMORY_GOAL:.0f}x",
        marginal <= MEMORY_GOAL, command,
    )
    return time_row, memory_row


def rows(quick: bool = False) -> list[Row]:
    """Time ratio and peak memory of every shape, measured in this one run."""
    found: list[Row] = []
    for shape in SHAPES:
        found.extend(measure(shape, quick))
    return found


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    for row in rows(quick=quick):
        mark = "" if row.met is None else (" ok" if row.met else " MISSED")
        print(f"{row.what:<100} {row.result:>36}  (goal {row.goal}{mark})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
