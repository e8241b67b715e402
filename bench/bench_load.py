"""Benchmark: load + validate generated specs as machines grow.

Specs of N states and 4N transitions (TOML, the primary format; JSON and YAML
for comparison) are generated in memory and loaded with
:func:`statusdoc.loads`, which parses, validates and builds the Machine.
Goals: 5,000 states / 20,000 transitions well under 1 s, and doubling the
spec about doubles the time (linear growth).

Run alone: ``python bench/bench_load.py [--quick]``.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row, best_of  # noqa: E402

import statusdoc  # noqa: E402

COMMAND = "python bench/bench_load.py"


def make_spec(states: int, transitions: int | None = None) -> str:
    """A valid TOML spec: a ring of ``states`` plus chords, ``transitions`` edges in all.

    Every status has a one-line description, every transition ``from``, ``to``
    and a ``label``; every status is reachable and has a way out; one final
    status collects a wildcard, as real machines do ("every status may go to
    error").
    """
    transitions = 4 * states if transitions is None else transitions
    out = [
        "[machine]\n"
        'name = "big"\n'
        f'title = "Generated machine of {states} statuses"\n'
        'initial = "s0"\n\n'
    ]
    for i in range(states):
        out.append(f'[states.s{i}]\ndescription = "Status number {i}."\n\n')
    out.append('[states.gone]\ndescription = "Removed."\nfinal = true\n\n')
    out.append('[[transitions]]\nfrom = "*"\nto = "gone"\nlabel = "remove"\n\n')
    for j in range(transitions - 1):
        src = j % states
        dst = (src + 1 + j // states) % states
        out.append(f'[[transitions]]\nfrom = "s{src}"\nto = "s{dst}"\nlabel = "t{j}"\n\n')
    return "".join(out)


def _time(text: str, fmt: str, repeat: int) -> float:
    return best_of(lambda: statusdoc.loads(text, fmt), repeat=repeat)


def rows(quick: bool = False) -> list[Row]:
    """Load+validate rows: growth 10 -> 5,000 states, the doubling ratio, other formats."""
    repeat = 2 if quick else 5
    sizes = (10, 100, 1_000) if quick else (10, 100, 1_000, 5_000)
    result: list[Row] = []
    for n in sizes:
        text = make_spec(n)
        seconds = _time(text, "toml", repeat)
        goal, met = ("", None)
        if n == 5_000:
            goal, met = "< 1 s", seconds < 1.0
        result.append(Row(
            "load", f"load+validate TOML spec, {n:,} states / {4 * n:,} transitions "
            f"({len(text) / 1e6:.2f} MB)", f"{seconds * 1000:.1f} ms", goal, met,
            f"{COMMAND}{' --quick' if quick else ''}",
        ))
    small, large = (500, 1_000) if quick else (2_500, 5_000)
    small_text, large_text = make_spec(small), make_spec(large)
    # alternate the two in each round, so a busy machine slows both alike;
    # CPU time, so that other processes on a shared machine count less
    best = {"small": float("inf"), "large": float("inf")}
    for _ in range(repeat + 6):
        for key, text in (("small", small_text), ("large", large_text)):
            gc.collect()  # the previous round's garbage must not be collected on our clock
            start = time.process_time()
            statusdoc.loads(text)
            best[key] = min(best[key], time.process_time() - start)
    ratio = best["large"] / best["small"]
    result.append(Row(
        "load", f"doubling the spec: {small:,} -> {large:,} states (CPU time ratio, "
        "alternating rounds)",
        f"{ratio:.2f}x", "<= 2.3x", ratio <= 2.3, COMMAND,
    ))
    n = 1_000 if quick else 5_000
    data = tomllib.loads(make_spec(n))
    as_json = json.dumps(data)
    t_json = _time(as_json, "json", repeat)
    result.append(Row("load", f"load+validate JSON spec, {n:,} states", f"{t_json * 1000:.1f} ms",
                      command=COMMAND))
    if not quick:
        import yaml

        as_yaml = yaml.safe_dump(data, sort_keys=False)
        t_yaml = _time(as_yaml, "yaml", 1)
        composer = "libyaml" if getattr(yaml, "__with_libyaml__", False) else "pure-Python"
        result.append(Row("load", f"load+validate YAML spec, {n:,} states ({composer} "
                          "composer)", f"{t_yaml * 1000:.0f} ms", command=COMMAND))
    return result


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    for row in rows(quick=quick):
        mark = "" if row.met is None else (" ok" if row.met else " MISSED")
        goal = f"  (goal {row.goal}{mark})" if row.goal else ""
        print(f"{row.what:<75} {row.result:>10}{goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
