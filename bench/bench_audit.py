"""``statusdoc audit`` over a large history: time, and peak memory of the statusdoc process.

A Glance history of N rows (entities of 5 rows each, with a forbidden hop
every 1,000 entities) is written as Parquet by DuckDB, then ``statusdoc audit``
runs on it in a child process whose peak RSS is read with ``os.wait4``. Two
sizes run side by side, the large one 10x the small one: the goal is that the
peak memory does not grow with the history (large/small <= 1.5x), since DuckDB
works within its memory limit (``statusdoc.audit.engine.MEMORY_LIMIT``) and
spills its sorts to disk. Below about a million rows the query does not reach
that limit, so the small size is a million rows.

The same history, made by ``generate_series`` inside PostgreSQL (the tests'
throw-away server, tests/pgserver.py), is audited with ``--db URL --table``:
the database does the work, so the statusdoc process stays as small as its
start-up (goal: large/small <= 1.5x again).

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
sys.path.insert(0, str(HERE.parent / "tests"))

from common import Row  # noqa: E402

SPEC = HERE.parent / "examples" / "glance" / "image-statuses.toml"
COMMAND = "python bench/bench_audit.py"
GOAL = 1.5

#: One entity's statuses, and the forbidden hop (deleted -> active) planted every 1,000
#: entities.
WALK = "CASE i % 5 WHEN 0 THEN 'queued' WHEN 1 THEN 'saving' WHEN 2 THEN 'active' " \
       "WHEN 3 THEN 'pending_delete' ELSE 'deleted' END"
PLANTED = "CASE WHEN i % 5000 = 1 THEN 'deleted' ELSE {walk} END"
#: The history's rows from the row numbers ``i`` (``{time}``: seconds as a timestamp).
SELECT = "SELECT CAST(FLOOR(i / 5.0) AS BIGINT) AS id, {status} AS status, {time} AS at"


def write_history(path: Path, rows: int) -> None:
    """``rows`` history rows as Parquet, written by DuckDB (not by the measured process)."""
    import duckdb

    select = SELECT.format(status=PLANTED.format(walk=WALK),
                           time="TIMESTAMP '2024-01-01' + to_seconds(i * 60 + i % 7)")
    con = duckdb.connect()
    con.execute(f"COPY ({select} FROM range({rows}) AS t(i)) TO '{path}' (FORMAT parquet)")
    con.close()


def fill_table(url: str, rows: int) -> None:
    """``rows`` history rows in table ``history``, made inside PostgreSQL."""
    import psycopg

    select = SELECT.format(status=PLANTED.format(walk=WALK),
                           time="TIMESTAMP '2024-01-01' + make_interval(secs => "
                                "i * 60 + i % 7)")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE history AS {select} "
                     f"FROM generate_series(0, {rows - 1}::bigint) AS t(i)")
        conn.execute("ANALYZE history")


def audit_run(*args: str) -> tuple[float, int]:
    """Seconds and peak RSS in bytes of ``statusdoc audit SPEC ARGS`` (which must exit 1:
    the planted hops are found)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "statusdoc", "audit", str(SPEC), *args, "--format", "json"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    assert proc.stderr is not None
    errors = proc.stderr.read().decode()
    proc.stderr.close()
    if code != 1:
        raise RuntimeError(f"statusdoc audit exited {code}: {errors}")
    return elapsed, usage.ru_maxrss * 1024


def _rows_of(where: str, results: dict[int, tuple[float, int]]) -> list[Row]:
    out = [Row("audit", f"statusdoc audit, {n:,}-row history, {where}",
               f"{seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB", command=COMMAND)
           for n, (seconds, peak) in results.items()]
    small, large = results
    ratio = results[large][1] / results[small][1]
    out.append(Row("audit", f"peak RSS of statusdoc, {large:,} vs {small:,} rows, {where}",
                   f"{ratio:.2f}x", goal=f"<= {GOAL}x", met=ratio <= GOAL, command=COMMAND))
    return out


def _postgresql(sizes: tuple[int, int]) -> list[Row]:
    import pgserver

    server = pgserver.start()
    try:
        results = {}
        for n in sizes:
            url = server.createdb(f"audit_{n}")
            fill_table(url, n)
            results[n] = audit_run("--db", url, "--table", "history")
            server.dropdb(f"audit_{n}")
    finally:
        server.stop()
    return _rows_of("PostgreSQL table (--db)", results)


def rows(quick: bool = False) -> list[Row]:
    sizes = (1_000_000, 3_000_000) if quick else (1_000_000, 10_000_000)
    with tempfile.TemporaryDirectory(prefix="statusdoc-bench-audit-") as tmp:
        results = {}
        for n in sizes:
            path = Path(tmp) / f"history-{n}.parquet"
            write_history(path, n)
            results[n] = audit_run(str(path))
            path.unlink()
    return [*_rows_of("Parquet file (DuckDB)", results), *_postgresql(sizes)]


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        status = "" if row.met is None else ("  met" if row.met else "  MISSED")
        goal = f"  goal {row.goal}" if row.goal else ""
        print(f"{row.what}: {row.result}{goal}{status}")
