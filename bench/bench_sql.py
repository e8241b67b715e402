"""The database enforcement: the trigger's cost in PostgreSQL, and ``check --db`` start-up.

* Trigger cost: two tables of 100,000 rows, one with the Glance spec's
  enforcement installed, take the same 100,000 single-row UPDATEs (each row
  moves one step along queued -> saving -> active -> queued, every step an
  allowed transition), in alternating rounds, best round of each:
  - from a client, one ``UPDATE ... WHERE id = %s`` per row, each its own
    transaction (autocommit), as an application issues them: the goal row;
  - inside the server, one PL/pgSQL loop running the 100,000 UPDATE statements
    (no network, no commit per row): informative, the trigger's cost laid bare.
  The server is the tests' throw-away one (tests/pgserver.py: Debian's
  PostgreSQL, fsync off, so commits do not hide the trigger).
* ``check --db``: ``statusdoc check --db URL`` vs ``statusdoc check`` on the same
  up-to-date project (SQLite and PostgreSQL), in alternating rounds.

Run alone: ``python bench/bench_sql.py [--quick]``.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from common import Row, interleaved  # noqa: E402

GLANCE = HERE.parent / "examples" / "glance" / "image-statuses.toml"
COMMAND = "python bench/bench_sql.py"
RATIO_GOAL = 1.3
EXTRA_GOAL = 0.3
#: Each row's next status: a cycle of allowed Glance transitions.
NEXT = {"queued": "saving", "saving": "active", "active": "queued"}
TABLES = ("plain", "guarded")


def _tables(conn: Any, rows: int) -> None:
    import statusdoc
    from statusdoc.sql.emit import emit_sql
    from statusdoc.sql.settings import parse_settings

    for table in TABLES:
        conn.execute(f"CREATE TABLE {table} (id integer PRIMARY KEY, status text, note text)")
        conn.execute(f"INSERT INTO {table} SELECT i, 'queued', 'x' "
                     f"FROM generate_series(1, {rows}) i")
        conn.execute(f"VACUUM ANALYZE {table}")
    settings = parse_settings({"table": "guarded"}, "bench")
    conn.execute(emit_sql(statusdoc.load(GLANCE), source_name="image-statuses.toml",
                          settings=settings).encode("utf-8"))


def _trigger_rows(url: str, rows: int, rounds: int) -> list[Row]:
    import psycopg

    out = []
    with psycopg.connect(url, autocommit=True) as conn:
        _tables(conn, rows)
        for client, what, goal in (
            (True, f"trigger cost: {rows:,} single-row UPDATEs from a client, each its own "
                   "transaction, with the Glance enforcement vs without", True),
            (False, f"trigger cost: the same {rows:,} UPDATEs in one server-side PL/pgSQL "
                    "loop (no round trips, one transaction)", False),
        ):
            times = _best(conn, rows, rounds, client)
            ratio = times["guarded"] / times["plain"]
            per_row = (times["guarded"] - times["plain"]) / rows * 1e6
            out.append(Row(
                "database", what,
                f"{times['guarded']:.2f} s vs {times['plain']:.2f} s ({ratio:.2f}x, "
                f"{per_row:+.1f} µs a row)",
                goal=f"<= {RATIO_GOAL}x" if goal else "",
                met=ratio <= RATIO_GOAL if goal else None,
                command=COMMAND,
            ))
    return out


def _best(conn: Any, rows: int, rounds: int, client: bool) -> dict[str, float]:
    """Best time of each table's round, the tables alternating (VACUUM not timed)."""
    best = dict.fromkeys(TABLES, float("inf"))
    for _ in range(rounds):
        for table in TABLES:
            start = time.perf_counter()
            _run_round(conn, table, rows, client)
            best[table] = min(best[table], time.perf_counter() - start)
            conn.execute(f"VACUUM {table}")
    return best


def _run_round(conn: Any, table: str, rows: int, client: bool) -> None:
    if client:
        status = conn.execute(f"SELECT status FROM {table} WHERE id = 1").fetchone()[0]
        query = f"UPDATE {table} SET status = %s WHERE id = %s"
        new = NEXT[status]
        for key in range(1, rows + 1):
            conn.execute(query, (new, key))
    else:
        conn.execute(f"""DO $$ BEGIN FOR i IN 1..{rows} LOOP
            UPDATE {table} SET status = CASE status WHEN 'queued' THEN 'saving'
              WHEN 'saving' THEN 'active' ELSE 'queued' END WHERE id = i;
          END LOOP; END $$""")


def _project(root: Path, dialect: str) -> Path:
    shutil.copy(GLANCE, root / "image-statuses.toml")
    (root / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "image-statuses.toml"\noutput-dir = "db"\n'
        'outputs = ["md", "sql"]\n'
        f'sql = {{ table = "images", dialect = "{dialect}" }}\n', encoding="utf-8")
    subprocess.run([sys.executable, "-m", "statusdoc", "generate", "-q"], cwd=root, check=True)
    return root / "db" / "image-statuses.sql"


def _startup_row(root: Path, url: str, dialect: str, rounds: int) -> Row:
    def check(*extra: str) -> Callable[[], None]:
        def run() -> None:
            subprocess.run([sys.executable, "-m", "statusdoc", "check", "-q", *extra],
                           cwd=root, check=True)
        return run

    times = interleaved({"check": check(), "db": check("--db", url)}, rounds=rounds)
    extra = times["db"] - times["check"]
    return Row(
        "database", f"statusdoc check --db ({dialect}) vs statusdoc check (Glance, up to date)",
        f"{times['db']:.3f} s vs {times['check']:.3f} s (+{extra:.3f} s)",
        goal=f"+<= {EXTRA_GOAL:g} s", met=extra <= EXTRA_GOAL, command=COMMAND)


def rows(quick: bool = False) -> list[Row]:
    import pgserver
    import psycopg

    count = 10_000 if quick else 100_000
    server = pgserver.start()
    try:
        out = _trigger_rows(server.createdb("trigger_cost"), count, 2 if quick else 3)
        with tempfile.TemporaryDirectory() as tmp:
            lite, pg = Path(tmp) / "lite", Path(tmp) / "pg"
            lite.mkdir()
            pg.mkdir()
            with sqlite3.connect(lite / "app.db") as conn:
                conn.execute("CREATE TABLE images (id integer PRIMARY KEY, status text)")
                conn.executescript(_project(lite, "sqlite").read_text(encoding="utf-8"))
            url = server.createdb("startup")
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE TABLE images (id integer PRIMARY KEY, status text)")
                conn.execute(_project(pg, "postgresql").read_bytes())
            rounds = 3 if quick else 7
            out.append(_startup_row(lite, "sqlite:///app.db", "SQLite", rounds))
            out.append(_startup_row(pg, url, "PostgreSQL", rounds))
    finally:
        server.stop()
    return out


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        print(f"{row.section:8} {row.what:100} {row.result:45} {row.goal}")
