"""Run-time check cost: ``machine.can``/``check`` against the plain-dict floor and peers.

Everything is measured side by side in one process with
:func:`common.interleaved` (ratios are the median of paired rounds); every
timed function runs the same loop over the same queries, so the loop
overhead is the same on both sides of each ratio.

* ``can``: ``machine.can(src, dst)`` vs ``def can(src, dst): return dst in
  TABLE[src]`` over a ``dict[str, frozenset[str]]`` (goal <= 1.5x); the same
  with ``None`` for the null status of the task-instance example, against a
  table holding ``None`` the same way (goal <= 1.5x).
* ``check`` on an invalid move, caught: ``machine.check`` raising
  ``InvalidTransition`` vs a function raising a plain ``ValueError``
  (goal <= 1.5x).
* (``StatusField`` assignments are measured in ``bench/bench_coverage.py``,
  with transition coverage recording off and on.)
* peers doing the equivalent query, when installed (informative ratios vs the
  dict): ``transitions`` -- ``machine.get_transitions(source=src, dest=dst)``;
  ``python-statemachine`` -- scanning ``SM.states_map[src].transitions`` for
  the target; ``automaton`` -- ``fm.is_actionable_event(event)`` with the
  machine initialised at ``src`` (automaton answers per event, not per target).
* what the installed, not enabled pytest plugin adds to ``pytest --collect-only``
  on a one-test project, against ``-p no:statusdoc`` (informative).

Run alone: ``python bench/bench_runtime.py [--quick]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row, interleaved  # noqa: E402

import statusdoc  # noqa: E402
from statusdoc import InvalidTransition  # noqa: E402

SPEC = HERE.parent / "examples" / "glance" / "image-statuses.toml"
TASK_SPEC = HERE.parent / "examples" / "taskinstance" / "task-instance-statuses.toml"
COMMAND = "python bench/bench_runtime.py"
GOAL = 1.5


def _ratio_row(what: str, ratio: float, goal: float | None, detail: str) -> Row:
    result = f"{ratio:.2f}x ({detail})"
    if goal is None:
        return Row("runtime", what, result, command=COMMAND)
    return Row("runtime", what, result, goal=f"<= {goal}x", met=ratio <= goal, command=COMMAND)


def _paired(
    base: Callable[[], object], other: Callable[[], object], rounds: int
) -> tuple[float, float, float]:
    """Median of per-round ratios ``other/base``, and the median time of each side.

    Each round is one :func:`common.interleaved` pass over the two functions,
    alternating which runs first, so a slow spell on a busy machine hits both
    sides of a ratio alike; the median then discards the disturbed rounds.
    """
    ratios: list[float] = []
    base_times: list[float] = []
    other_times: list[float] = []
    for i in range(rounds):
        order = {"base": base, "other": other} if i % 2 else {"other": other, "base": base}
        times = interleaved(order, rounds=1)
        ratios.append(times["other"] / times["base"])
        base_times.append(times["base"])
        other_times.append(times["other"])
    return _median(ratios), _median(base_times), _median(other_times)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _ns(seconds: float, n: int) -> str:
    return f"{seconds / n * 1e9:.0f} ns/call"


def _peers(machine: statusdoc.Machine) -> dict[str, Callable[[str, str, str | None], object]]:
    """Equivalent 'may src go to dst' queries in other libraries, when installed."""
    peers: dict[str, Callable[[str, str, str | None], object]] = {}
    edges = [(t.source, t.target, t.event or f"{t.source}_to_{t.target}")
             for t in machine.transitions]
    try:
        import transitions
    except ImportError:
        pass
    else:
        tm = transitions.Machine(states=list(machine.state_names),
                                 initial=machine.initial, auto_transitions=False)
        for src, dst, event in edges:
            tm.add_transition(event, src, dst)

        def transitions_can(src: str, dst: str, event: str | None) -> object:
            return bool(tm.get_transitions(source=src, dest=dst))

        peers["transitions"] = transitions_can
    try:
        from statemachine import State, StateMachine
    except ImportError:
        pass
    else:
        attrs: dict[str, object] = {}
        states = {s.name: State(initial=s.name == machine.initial, final=s.final)
                  for s in machine.states}
        attrs.update(states)
        grouped: dict[str, object] = {}
        for src, dst, event in edges:
            link = states[src].to(states[dst])
            grouped[event] = link if event not in grouped else grouped[event] | link  # type: ignore[operator]
        attrs.update({f"ev_{k}": v for k, v in grouped.items()})
        sm_class = type("ImageMachine", (StateMachine,), attrs)
        states_map = sm_class.states_map

        def statemachine_can(src: str, dst: str, event: str | None) -> object:
            return any(t.target.id == dst for t in states_map[src].transitions)

        peers["python-statemachine"] = statemachine_can
    try:
        from automaton import machines
    except ImportError:
        pass
    else:
        fm = machines.FiniteMachine()
        for s in machine.states:
            fm.add_state(s.name, terminal=s.final)
        for src, dst, event in edges:
            fm.add_transition(src, dst, event)
        fm.default_start_state = machine.initial

        def automaton_can(src: str, dst: str, event: str | None) -> object:
            return fm.is_actionable_event(event)

        fm.initialize("queued")
        peers["automaton"] = automaton_can
    return peers


def rows(quick: bool = False) -> list[Row]:
    machine = statusdoc.load(SPEC)
    table: dict[str, frozenset[str]] = {
        name: frozenset(machine.targets(name)) for name in machine.state_names
    }
    # Many short rounds rather than a few long ones: on a shared, busy machine
    # the best of many short samples is the one least disturbed by others.
    n = 5_000 if quick else 20_000
    rounds = 11 if quick else 41
    loop = range(n)
    out: list[Row] = []

    # --- can(): allowed and refused queries, the same for both sides ------------------
    def plain_can(src: str, dst: str) -> bool:
        return dst in table[src]

    machine_can = machine.can

    def t_plain() -> None:
        f = plain_can
        for _ in loop:
            f("queued", "saving")
            f("saving", "queued")

    def t_machine() -> None:
        f = machine_can
        for _ in loop:
            f("queued", "saving")
            f("saving", "queued")

    ratio, base, other = _paired(t_plain, t_machine, rounds)
    out.append(_ratio_row(
        "machine.can() vs plain dict-of-frozensets function", ratio,
        GOAL, f"{_ns(other, 2 * n)} vs {_ns(base, 2 * n)}",
    ))

    # --- can() with None for the null status (task instance: null = "none") -----------
    task = statusdoc.load(TASK_SPEC)
    null_table: dict[str | None, frozenset[str | None]] = {
        name: frozenset(None if t == task.null else t for t in task.targets(name))
        for name in task.state_names}
    null_table[None] = null_table[task.null]

    def plain_null_can(src: str | None, dst: str | None) -> bool:
        return dst in null_table[src]

    task_can = task.can

    def n_plain() -> None:
        f = plain_null_can
        for _ in loop:
            f(None, "scheduled")
            f("success", None)

    def n_machine() -> None:
        f = task_can
        for _ in loop:
            f(None, "scheduled")
            f("success", None)

    assert task_can(None, "scheduled") and task_can("success", None)
    ratio, base, other = _paired(n_plain, n_machine, rounds)
    out.append(_ratio_row(
        "machine.can() with None (the null status) vs plain dict function", ratio,
        GOAL, f"{_ns(other, 2 * n)} vs {_ns(base, 2 * n)}",
    ))

    # --- check() on an invalid transition, raised and caught ----------------------------
    def plain_check(src: str, dst: str) -> None:
        if dst not in table[src]:
            raise ValueError(src, dst)

    machine_check = machine.check

    def c_plain() -> None:
        f = plain_check
        for _ in loop:
            try:  # noqa: SIM105 - contextlib.suppress would distort the timing
                f("saving", "queued")
            except ValueError:
                pass

    def c_machine() -> None:
        f = machine_check
        for _ in loop:
            try:  # noqa: SIM105 - contextlib.suppress would distort the timing
                f("saving", "queued")
            except InvalidTransition:
                pass

    ratio, base, other = _paired(c_plain, c_machine, rounds)
    out.append(_ratio_row(
        "machine.check() invalid, caught, vs raising ValueError", ratio,
        GOAL, f"{_ns(other, n)} vs {_ns(base, n)}",
    ))

    # --- peers ---------------------------------------------------------------------------
    peer_n = 2_000
    peer_loop = range(peer_n)
    for name, peer in _peers(machine).items():
        def p_plain(peer_loop: range = peer_loop) -> None:
            f = plain_can
            for _ in peer_loop:
                f("queued", "saving")

        def p_peer(peer_loop: range = peer_loop, peer: Callable = peer) -> None:
            for _ in peer_loop:
                peer("queued", "saving", "upload")

        assert peer("queued", "saving", "upload")
        ratio, base, other = _paired(p_plain, p_peer, max(rounds // 4, 5))
        out.append(_ratio_row(
            f"{name}: equivalent query vs plain dict function", ratio,
            None, f"{_ns(other, peer_n)} vs {_ns(base, peer_n)}",
        ))
    out.append(_plugin_row(quick))
    return out


def _plugin_row(quick: bool) -> Row:
    """What the installed-but-disabled pytest plugin adds to every pytest start-up."""
    import os
    import subprocess
    import tempfile
    import time

    def start(*extra: str) -> Callable[[], object]:
        def run() -> object:
            return subprocess.run(
                [sys.executable, "-m", "pytest", "--collect-only", "-q", *extra],
                cwd=empty, capture_output=True, timeout=120,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
        return run

    with tempfile.TemporaryDirectory() as empty:
        Path(empty, "test_nothing.py").write_text("def test_nothing():\n    pass\n")
        with_plugin, without = start(), start("-p", "no:statusdoc")
        samples: dict[str, list[float]] = {"with": [], "without": []}
        for _ in range(1 if quick else 5):
            for name, func in (("with", with_plugin), ("without", without)):
                t0 = time.perf_counter()
                func()
                samples[name].append(time.perf_counter() - t0)
    on, off = _median(samples["with"]), _median(samples["without"])
    return Row(
        "runtime",
        "pytest start-up with the statusdoc plugin installed but not enabled",
        f"{(on - off) * 1000:+.0f} ms ({on:.2f} s vs {off:.2f} s with -p no:statusdoc)",
        command=COMMAND,
    )


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        status = "" if row.met is None else ("  met" if row.met else "  MISSED")
        goal = f"  goal {row.goal}" if row.goal else ""
        print(f"{row.what}: {row.result}{goal}{status}")
