"""``statusdoc audit`` over a large history file: time, and peak memory of the process.

A Glance history of N rows (entities of 5 rows each, with a forbidden hop
every 1,000 entities) is written as Parquet by DuckDB, then ``statusdoc audit``
runs on it in a child process whose peak RSS is read with ``os.wait4``. Two
sizes run side by side, the large one 10x the small one: the goal is that the
peak memory does not grow with the history (large/small <= 1.5x), since DuckDB
works within its memory limit (``statusdoc.audit.engine.MEMORY_LIMIT``) and
spills its sorts to disk. Below about a million rows the query does not reach
that limit, so the small size is a million rows.

Run alone: ``python bench/bench_audit.py [--quick]`` (quick: 1,000,000 and
3,000,000 rows; full: 1,000,000 and 10,000,000).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row  # noqa: E402

SPEC = HERE.parent / "examples" / "glance" / "image-statuses.toml"
COMMAND = "python bench/bench_audit.py"
GOAL = 1.5

#: One entity's statuses, and the forbidden hop planted every 1,000 entities.
WALK = "CASE i % 5 WHEN 0 THEN 'queued' WHEN 1 THEN 'saving' WHEN 2 THEN 'active' " \
       "WHEN 3 THEN 'pending_delete' ELSE 'deleted' END"
PLANTED = "CASE WHEN i % 5000 = 3 THEN 'queued' ELSE {walk} END"


def write_history(path: Path, rows: int) -> None:
    """``rows`` history rows as Parquet, written by DuckDB (not by the measured process)."""
    import duckdb

    con = duckdb.connect()
    status = PLANTED.format(walk=WALK)
    con.execute(f"""COPY (SELECT i // 5 AS id, {status} AS status,
                                 TIMESTAMP '2024-01-01' + to_seconds(i * 7 + (i % 13) * 60) AS at
                          FROM range({rows}) AS t(i))
                    TO '{path}' (FORMAT parquet)""")
    con.close()


def audit_run(history: Path) -> tuple[float, int, int]:
    """Seconds, peak RSS in bytes and exit code of ``statusdoc audit`` on ``history``."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "statusdoc", "audit", str(SPEC), str(history), "--format",
         "json"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.stderr is not None
    errors = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 1:  # the planted hops must be found
        raise RuntimeError(f"statusdoc audit exited {proc.returncode}: {errors}")
    return elapsed, usage.ru_maxrss * 1024, proc.returncode


def rows(quick: bool = False) -> list[Row]:
    small, large = (1_000_000, 3_000_000) if quick else (1_000_000, 10_000_000)
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="statusdoc-bench-audit-") as tmp:
        results = {}
        for n in (small, large):
            path = Path(tmp) / f"history-{n}.parquet"
            write_history(path, n)
            results[n] = audit_run(path)
            path.unlink()
    for n, (seconds, peak, _) in results.items():
        out.append(Row("audit", f"statusdoc audit, {n:,}-row Parquet history (DuckDB)",
                       f"{seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB", command=COMMAND))
    ratio = results[large][1] / results[small][1]
    out.append(Row("audit", f"peak RSS, {large:,} rows vs {small:,} rows", f"{ratio:.2f}x",
                   goal=f"<= {GOAL}x", met=ratio <= GOAL, command=COMMAND))
    return out


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        status = "" if row.met is None else ("  met" if row.met else "  MISSED")
        goal = f"  goal {row.goal}" if row.goal else ""
        print(f"{row.what}: {row.result}{goal}{status}")
