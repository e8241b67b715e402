"""``statusdoc audit --db postgresql://...``: the audit query run inside real PostgreSQL (issue 15).

The same generated Glance history as tests/test_audit.py (3 planted forbidden
hops, 2 unused transitions) is loaded into a table of a fresh database on the
test session's PostgreSQL server (tests/pgserver.py, fixture ``pg_url``);
PostgreSQL must report exactly what DuckDB reports from the CSV file.
"""

from __future__ import annotations

import json

import psycopg
import pytest
from audit_support import GLANCE, PLANTED, UNUSED, glance_history, with_snapshots, write_csv
from cli_support import run

import statusdoc
from statusdoc.audit import Columns, audit_database, audit_file, database_sql

EXPECTED_FORBIDDEN = sorted((src, dst, 1, (str(i),)) for i, (src, dst) in PLANTED.items())


def _load(url: str, snapshots: bool = False) -> None:
    with psycopg.connect(url) as conn:
        conn.execute('CREATE SCHEMA ops')
        conn.execute('CREATE TABLE ops."image history" (image_id bigint, status text, '
                     'changed_at timestamptz)')
        with conn.cursor().copy('COPY ops."image history" FROM STDIN') as copy:
            for row in with_snapshots(glance_history()) if snapshots else glance_history():
                copy.write_row(row)


@pytest.fixture
def machine() -> statusdoc.Machine:
    return statusdoc.load(GLANCE)


def test_postgresql_reports_what_duckdb_reports(pg_url, machine, tmp_path):
    _load(pg_url)
    columns = Columns(id="image_id", at="changed_at")
    audit = audit_database(machine, pg_url, table="ops.image history", columns=columns)
    found = sorted((m.source, m.target, m.count, m.examples) for m in audit.forbidden)
    assert found == EXPECTED_FORBIDDEN
    assert audit.unused == UNUSED and audit.never_entered == ()
    from_file = audit_file(machine, str(write_csv(tmp_path / "h.csv", glance_history())))
    assert audit == from_file


def test_postgresql_ignores_unchanged_rows_as_duckdb_does(pg_url, machine, tmp_path):
    _load(pg_url, snapshots=True)
    columns = Columns(id="image_id", at="changed_at")
    audit = audit_database(machine, pg_url, table="ops.image history", columns=columns,
                           ignore_unchanged=True)
    found = sorted((m.source, m.target, m.count, m.examples) for m in audit.forbidden)
    assert found == EXPECTED_FORBIDDEN
    snapshots = write_csv(tmp_path / "h.csv", with_snapshots(glance_history()))
    assert audit == audit_file(machine, str(snapshots), ignore_unchanged=True)
    assert audit == audit_file(machine, str(write_csv(tmp_path / "o.csv", glance_history())))


def test_cli_db_with_a_query_and_print_sql(pg_url, machine, tmp_path):
    _load(pg_url)
    query = 'SELECT image_id, status, changed_at FROM ops."image history" WHERE image_id > 9000'
    args = ["audit", str(GLANCE), "--db", pg_url, "--query", query, "--id-column", "image_id",
            "--time-column", "changed_at"]
    result = run([*args, "--format", "json"], tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert sorted((f["from"], f["to"]) for f in data["forbidden"]) == sorted(PLANTED.values())
    printed = run([*args, "--print-sql"], tmp_path)
    assert printed.returncode == 0
    columns = Columns(id="image_id", at="changed_at")
    assert printed.stdout == database_sql(machine, query=query, columns=columns)
    with psycopg.connect(pg_url) as conn:  # the printed query runs as it is
        rows = conn.execute(printed.stdout).fetchall()
    assert {(r[1], r[2]) for r in rows if r[0] == "move" and r[4]} == set(PLANTED.values())


def test_cli_db_errors_exit_2(pg_url, tmp_path):
    missing = run(["audit", str(GLANCE), "--db", pg_url, "--table", "nope"], tmp_path)
    assert missing.returncode == 2 and 'relation "nope" does not exist' in missing.stderr
    sqlite = run(["audit", str(GLANCE), "--db", "sqlite:///x.db", "--table", "t"], tmp_path)
    assert sqlite.returncode == 2 and "SQLite" in sqlite.stderr
    assert "Traceback" not in missing.stderr + sqlite.stderr
