"""The coverage and audit benchmarks run and print their rows (smoke tests: no timing
asserted; the audit one starts the tests' PostgreSQL server)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench(name: str) -> list[str]:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / name), "--quick"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.mark.slow
def test_bench_coverage_prints_its_rows():
    lines = _bench("bench_coverage.py")
    assert len(lines) == 4
    assert lines[0].startswith("check() with coverage off (after start/stop) vs never started: ")
    assert lines[0].endswith("goal same function  met")  # the original method is back
    assert sum("goal <= 1.5x" in line for line in lines) == 3


@pytest.mark.slow
def test_bench_audit_prints_time_and_peak_memory():
    lines = _bench("bench_audit.py")
    assert len(lines) == 6
    for where, first in (("Parquet file (DuckDB)", 0), ("PostgreSQL table (--db)", 3)):
        assert lines[first].startswith(f"statusdoc audit, 1,000,000-row history, {where}: ")
        assert "peak RSS" in lines[first + 1]
        assert lines[first + 2].startswith(
            f"peak RSS of statusdoc, 3,000,000 vs 1,000,000 rows, {where}: ")
