"""What transition coverage costs: ``check()`` and ``StatusField`` with recording on and off.

Measured side by side in one process with the paired rounds of
``bench_runtime._paired`` (median of per-round ratios):

* ``check()`` on an allowed move with recording on vs off (goal <= 1.5x);
* ``check()`` with recording off after a start/stop vs never started
  (goal: the very same function runs, so ~1.00x; the row is met only when
  the method in the class is the original one);
* a ``StatusField`` assignment vs a Glance-style property setter that checks
  a hand-written dict of frozensets, recording off and on (goal <= 1.5x).

Run alone: ``python bench/bench_coverage.py [--quick]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_runtime import _ns, _paired  # noqa: E402
from common import Row  # noqa: E402

import statusdoc  # noqa: E402
from statusdoc import coverage  # noqa: E402
from statusdoc.runtime import MachineRuntime  # noqa: E402

SPEC = HERE.parent / "examples" / "glance" / "image-statuses.toml"
COMMAND = "python bench/bench_coverage.py"
GOAL = 1.5


def _row(what: str, ratio: float, detail: str, met: bool | None = None,
         goal: str = f"<= {GOAL}x") -> Row:
    return Row("coverage", what, f"{ratio:.2f}x ({detail})", goal=goal,
               met=ratio <= GOAL if met is None else met, command=COMMAND)


def _check_loop(check: Callable[[str, str], None], n: int) -> Callable[[], None]:
    """A loop over ``check``, a bound method taken while the wanted version was installed."""
    loop = range(n)

    def run() -> None:
        f = check
        for _ in loop:
            f("queued", "saving")
            f("saving", "active")

    return run


def _field_rows(machine: statusdoc.Machine, n: int, rounds: int) -> list[Row]:
    table = {name: frozenset(machine.targets(name)) for name in machine.state_names}

    class Glance:
        def __init__(self) -> None:
            self._status = "queued"

        @property
        def status(self) -> str:
            return self._status

        @status.setter
        def status(self, value: str) -> None:
            if value not in table[self._status]:
                raise ValueError(self._status, value)
            self._status = value

    class Field:
        status = machine.field()

        def __init__(self) -> None:
            self.status = "queued"

    g, f_obj = Glance(), Field()
    loop = range(n)

    def s_glance() -> None:
        obj = g
        for _ in loop:
            obj._status = "queued"
            obj.status = "saving"

    def s_field() -> None:
        obj = f_obj
        for _ in loop:
            obj.__statusdoc_status = "queued"  # type: ignore[attr-defined]  # its storage
            obj.status = "saving"

    rows = []
    for label, on in (("off", False), ("on", True)):
        if on:
            coverage.start()
        try:
            ratio, base, other = _paired(s_glance, s_field, rounds)
        finally:
            coverage.stop()
        rows.append(_row(f"StatusField assignment vs Glance-style property setter, "
                         f"recording {label}", ratio, f"{_ns(other, n)} vs {_ns(base, n)}"))
    return rows


def rows(quick: bool = False) -> list[Row]:
    machine = statusdoc.load(SPEC)
    n = 5_000 if quick else 20_000
    rounds = 11 if quick else 41
    out: list[Row] = []
    original = MachineRuntime.check
    never = _check_loop(machine.check, n)
    coverage.start()
    coverage.stop()
    after = _check_loop(machine.check, n)
    ratio, base, other = _paired(never, after, rounds)
    out.append(_row("check() with coverage off (after start/stop) vs never started", ratio,
                    f"{_ns(other, 2 * n)} vs {_ns(base, 2 * n)}",
                    met=MachineRuntime.check is original, goal="same function"))

    coverage.start()
    on = _check_loop(machine.check, n)  # the recording check, bound while installed
    coverage.stop()
    off = _check_loop(machine.check, n)
    ratio, base, other = _paired(off, on, rounds)
    out.append(_row("check() allowed move, coverage recording on vs off", ratio,
                    f"{_ns(other, 2 * n)} vs {_ns(base, 2 * n)}"))
    out += _field_rows(machine, n, rounds)
    return out


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        status = "" if row.met is None else ("  met" if row.met else "  MISSED")
        goal = f"  goal {row.goal}" if row.goal else ""
        print(f"{row.what}: {row.result}{goal}{status}")
