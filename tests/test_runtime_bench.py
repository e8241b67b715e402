"""The runtime benchmark runs and prints every row (a smoke test: no timing is asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bench_runtime_prints_its_rows():
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_runtime.py"), "--quick"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    ratio = re.compile(r": \d+\.\d\dx \(\d+ ns/call vs \d+ ns/call\)")
    goals = [line for line in lines if "goal <= 1.5x" in line]
    assert len(goals) == 3  # can(), can() with None and check(), each held to 1.5x
    assert all(ratio.search(line) for line in goals)
    for peer in ("transitions", "python-statemachine", "automaton"):
        assert any(line.startswith(f"{peer}: equivalent query") for line in lines), peer
    assert any(line.startswith("pytest start-up") and " ms (" in line for line in lines)
