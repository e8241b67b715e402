"""Rendering benchmarks: Glance and synthetic 10/50/100/200-state specs with each backend,
plus the renderer time limit on a graph too large to lay out.

Run alone: ``python bench/bench_render.py [--quick]``.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row, best_of  # noqa: E402

GLANCE = HERE.parent / "examples" / "glance" / "image-statuses.toml"
COMMAND = "python bench/bench_render.py"


def synthetic_spec(states: int, seed: int = 7) -> str:
    """A plausible status machine: a main path, side exits, some back edges, one final."""
    rng = random.Random(seed)
    names = [f"step_{i:04d}" for i in range(states - 1)] + ["done"]
    lines = ['[machine]', f'name = "m{states}"', f'title = "Machine of {states} states"',
             f'initial = "{names[0]}"', ""]
    for name in names:
        lines += [f"[states.{name}]", f'description = "Status {name}."']
        if name == "done":
            lines.append("final = true")
        lines.append("")
    edges = set()
    for i in range(states - 1):
        edges.add((names[i], names[i + 1]))
        if i > 2 and rng.random() < 0.3:
            edges.add((names[i], names[rng.randrange(max(0, i - 4), i)]))
        if i + 3 < states and rng.random() < 0.3:
            edges.add((names[i], names[i + rng.randrange(2, 4)]))
    for src, dst in sorted(edges):
        lines += ["[[transitions]]", f'from = "{src}"', f'to = "{dst}"',
                  f'label = "{src[-4:]} to {dst[-4:]}"', ""]
    return "\n".join(lines)


def random_graph_dot(nodes: int, edges_per_node: int = 3, seed: int = 1) -> str:
    """A random-looking graph: the kind of input that takes any layout engine minutes."""
    rng = random.Random(seed)
    body = [f'  n{i} -> n{rng.randrange(nodes)} [label="e{i}_{k}"];'
            for i in range(nodes) for k in range(edges_per_node)]
    return "digraph {\n" + "\n".join(body) + "\n}\n"


def backends() -> list[str]:
    from statusdoc.errors import RenderError
    from statusdoc.render import resolve_backend

    found = []
    for name in ("graphviz-pure", "dot"):
        try:
            resolve_backend(name)
        except RenderError:
            continue
        found.append(name)
    return found


def rows(quick: bool = False) -> list[Row]:
    from statusdoc import load, loads
    from statusdoc.emit.dot import emit_dot
    from statusdoc.errors import RenderError
    from statusdoc.render import render

    machines = {"Glance (6 states)": load(GLANCE)}
    for size in (10, 50) if quick else (10, 50, 100, 200):
        machines[f"{size} states"] = loads(synthetic_spec(size), "toml")
    out: list[Row] = []
    available = backends()
    for backend in available:
        for label, machine in machines.items():
            dot = emit_dot(machine, source_name="bench")
            for fmt in ("svg", "png"):
                seconds = best_of(lambda d=dot, f=fmt, b=backend: render(d, f, renderer=b),
                                  repeat=2 if quick else 3)
                out.append(Row("render", f"{label} -> {fmt.upper()} with {backend}",
                               f"{seconds:.3f} s", command=COMMAND))
    if "dot" not in available:
        out.append(Row("render", "system Graphviz (dot) backend", "not installed: skipped",
                       command="which dot"))
    limit = 2.0
    nodes = 300 if quick else 600
    dot = random_graph_dot(nodes)
    start = time.perf_counter()
    try:
        render(dot, "svg", timeout=limit, spec=f"random-{nodes}.toml")
        outcome, message = "finished", ""
    except RenderError as exc:
        outcome, message = "stopped", str(exc)
    elapsed = time.perf_counter() - start
    clear = "split the machine" in message and ":sections:" in message
    out.append(Row(
        "render",
        f"time limit {limit:g} s on a random {nodes}-node graph (graphviz-pure)",
        f"{outcome} after {elapsed:.2f} s" + ("; message names the fix" if clear else ""),
        goal=f"stopped by {limit + 1:g} s with a message suggesting a split",
        met=outcome == "stopped" and elapsed <= limit + 1 and clear,
        command=COMMAND,
    ))
    return out


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    if not shutil.which("graphviz-pure") and not (Path(sys.executable).parent
                                                    / "graphviz-pure").exists():
        print("graphviz-pure is not installed", file=sys.stderr)
    for row in rows(quick=quick):
        print(f"{row.section:8} {row.what:55} {row.result:30} {row.goal}")
