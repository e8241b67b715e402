"""The RST safety check grows linearly with the text (issue 13: "bound every cost").

For each hostile shape, one description of N repetitions and one of 2N are
checked side by side; the ratio of their best times must stay near 2 (goal
<= 2.5x). The shapes are the ones that cost most in docutils: duplicate link
targets (docutils re-validates the whole document for each, which the check
skips), substitution definitions, nested directives, roles, and inline markup
that never ends (the check stops a paragraph after 100 such start-strings,
since docutils searches the rest of the paragraph for each).

Run alone: ``python bench/bench_rstsafety.py [--quick]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row, interleaved  # noqa: E402

COMMAND = "python bench/bench_rstsafety.py"
GOAL = 2.5

SHAPES: dict[str, Callable[[int], str]] = {
    "duplicate link targets": lambda n: "\n\n".join(
        f"Para {i}: `same <https://example.com/{i}>`_ and :ref:`x`." for i in range(n)),
    "substitution definitions": lambda n: "\n".join(
        f".. |s{i}| replace:: *x* :code:`y` `z <https://e/{i}>`__" for i in range(n)),
    "notes in a list": lambda n: "\n\n".join(
        f"* item {i}\n\n  .. note:: see :kbd:`C-{i}` here: x" for i in range(n)),
    "one paragraph of roles": lambda n: "\n".join(
        f":code:`a{i}` *b* ``c``: :sub:`d` |e|_" for i in range(n)),
    "unclosed inline markup, one paragraph": lambda n: "x:\n" + "\n".join(
        "*a `b |c _d" for _ in range(n)),
    "unclosed inline markup, just under the cap per paragraph": lambda n: "x:\n\n" + "\n\n".join(
        " ".join(["*a `b |c"] * 30) for _ in range(n // 10)),
}


def _check(text: str) -> Callable[[], object]:
    from statusdoc.rstsafety import _findings  # uncached: measure the parse itself

    return lambda: _findings(text, "en", "", "")


def rows(quick: bool = False) -> list[Row]:
    small = 400 if quick else 1500
    out: list[Row] = []
    for name, shape in SHAPES.items():
        texts = {"n": shape(small), "2n": shape(2 * small)}
        times = interleaved({k: _check(t) for k, t in texts.items()}, rounds=3 if quick else 5)
        ratio = times["2n"] / times["n"]
        out.append(Row(
            "rstsafety",
            f"{name}: {len(texts['n']):,} -> {len(texts['2n']):,} characters "
            f"(time ratio; {times['2n']:.2f} s at 2N)",
            f"{ratio:.2f}x", f"<= {GOAL}x", ratio <= GOAL, COMMAND,
        ))
    return out


if __name__ == "__main__":
    from common import Row as _Row  # noqa: F401 - the same class run.py prints

    for row in rows(quick="--quick" in sys.argv):
        print(f"{row.what}: {row.result} (goal {row.goal}) {'met' if row.met else 'MISSED'}")
