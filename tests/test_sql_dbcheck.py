"""``statusdoc check --db URL``: missing and stale enforcement found, fixed, never written.

Real databases (SQLite and the session's PostgreSQL), the real ``statusdoc``
command in a subprocess. "Never writes" is shown on the database itself: the
SQLite file's bytes and modification time, PostgreSQL's next transaction id
(any write, DDL included, needs one) and its catalog stay the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pgserver
import psycopg
import pytest
from cli_support import GLANCE, run
from sql_support import Postgres

from statusdoc.errors import UsageError
from statusdoc.sql.database import DatabaseError, parse_url, read_only

TABLE_SQL = 'CREATE TABLE images (id integer PRIMARY KEY, status text)'
NEW_EDGE = '\n[[transitions]]\nfrom = "killed"\nto = "queued"\nlabel = "retry"\n'


def _project(root: Path, dialect: str) -> Path:
    shutil.copy(GLANCE, root / "image-statuses.toml")
    (root / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "image-statuses.toml"\noutput-dir = "db"\n'
        'outputs = ["md", "sql", "sql-teardown"]\n'
        f'sql = {{ table = "images", dialect = "{dialect}" }}\n', encoding="utf-8")
    assert run(["generate", "-q"], root).returncode == 0
    return root / "db" / "image-statuses.sql"


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_check_db_on_sqlite_finds_fixes_and_never_writes(tmp_path: Path) -> None:
    sql = _project(tmp_path, "sqlite")
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute(TABLE_SQL)
    url = "sqlite:///app.db"

    def check(*extra: str) -> subprocess.CompletedProcess[str]:
        before = _fingerprint(db)
        proc = run(["check", "--db", url, *extra], tmp_path)
        assert _fingerprint(db) == before  # not one byte, not even the mtime
        return proc

    missing = check()
    assert missing.returncode == 1, missing.stderr
    assert ('sqlite:///app.db: "images"."status" (image-statuses.toml): missing: no trigger '
            '"statusdoc_images_status_insert"') in missing.stdout
    assert ("  to fix: sqlite3 -bail app.db BEGIN '.read db/image-statuses.sql' COMMIT"
            in missing.stdout)
    assert "1 of 1 specs' enforcement in sqlite:///app.db missing or stale" in missing.stderr
    with sqlite3.connect(db) as conn:
        conn.executescript(sql.read_text(encoding="utf-8"))
    current = check()
    assert current.returncode == 0, current.stdout + current.stderr
    assert "enforcement current in sqlite:///app.db: 1 of 1 specs" in current.stdout
    # the spec gains a transition: the file is stale first, then only the database
    with (tmp_path / "image-statuses.toml").open("a", encoding="utf-8") as spec:
        spec.write(NEW_EDGE)
    both = check()
    assert both.returncode == 1
    assert "db/image-statuses.sql: stale: text differs" in both.stdout
    assert "  to fix: statusdoc generate && sqlite3 -bail app.db" in both.stdout
    assert run(["generate", "-q"], tmp_path).returncode == 0
    stale = check("--diff")
    assert stale.returncode == 1
    assert "was made from another version of the spec (installed sha256:" in stale.stdout
    assert "stale: text differs" not in stale.stdout  # the files are current now
    assert "--- statusdoc_images_status_update (in the database)" in stale.stdout
    assert ("-      WHEN NEW.\"status\" = 'queued' THEN RAISE(ABORT, 'image: \"images\".\"status\""
            ": transition ''killed'' -> ''queued'' is not allowed") in stale.stdout
    with sqlite3.connect(db) as conn:
        conn.executescript(sql.read_text(encoding="utf-8"))
    assert check().returncode == 0


@pytest.mark.postgresql
def test_check_db_on_postgresql_finds_fixes_and_never_writes(
        tmp_path: Path, pg_url: str, pg_server: pgserver.PgServer) -> None:
    sql = _project(tmp_path, "postgresql")
    db = Postgres(pg_url)
    db.script(TABLE_SQL)
    env = {"PATH": f"{pg_server.bindir}{os.pathsep}{os.environ['PATH']}"}  # psql

    def next_xid() -> int:
        return int(db.run("SELECT pg_snapshot_xmax(pg_current_snapshot())")[0][0])

    def check(*extra: str) -> subprocess.CompletedProcess[str]:
        catalog, xid = db.objects(), next_xid()
        proc = run(["check", "--db", pg_url, *extra], tmp_path, **env)
        # no transaction id was taken: nothing at all was written
        assert next_xid() == xid and db.objects() == catalog
        return proc

    missing = check()
    assert missing.returncode == 1, missing.stderr
    assert f'{pg_url}: "public"."images"."status" (image-statuses.toml): missing: no trigger ' \
           'function "public"."statusdoc_images_status"()' in missing.stdout
    for what in ('no trigger "statusdoc_images_status_insert"',
                 'no CHECK constraint "statusdoc_status_check"'):
        assert f"missing: {what}" in missing.stdout
    fix = missing.stdout.split("  to fix: ", 1)[1].strip()
    assert fix == (f"psql '{pg_url}' -v ON_ERROR_STOP=1 --single-transaction "
                   "-f db/image-statuses.sql")
    applied = subprocess.run(fix, shell=True, cwd=tmp_path, capture_output=True, text=True,
                             check=False)  # the printed command, as a user would paste it
    assert applied.returncode == 0, applied.stderr
    assert check().returncode == 0
    with (tmp_path / "image-statuses.toml").open("a", encoding="utf-8") as spec:
        spec.write(NEW_EDGE)
    assert run(["generate", "-q"], tmp_path).returncode == 0
    stale = check("--diff")
    assert stale.returncode == 1
    assert ("stale: the trigger function \"public\".\"statusdoc_images_status\"() was made from "
            "another version of the spec") in stale.stdout
    assert "--- statusdoc_images_status (in the database)" in stale.stdout
    assert ("""-      WHEN OLD."status"::text = 'killed' THEN (NEW."status"::text IS NOT NULL """
            """AND NEW."status"::text IN ('deleted'))\n"""
            """+      WHEN OLD."status"::text = 'killed' THEN (NEW."status"::text IS NOT NULL """
            """AND NEW."status"::text IN ('queued', 'deleted'))""") in stale.stdout
    db.script(sql.read_text(encoding="utf-8"))
    assert check().returncode == 0
    # disabled or missing pieces are found too
    db.script('ALTER TABLE images DISABLE TRIGGER "statusdoc_images_status_update"; '
              'ALTER TABLE images DROP CONSTRAINT "statusdoc_status_check"; '
              "COMMENT ON FUNCTION statusdoc_images_status() IS 'mine'")
    broken = check()
    assert broken.returncode == 1
    for what in ('stale: trigger "statusdoc_images_status_update" is disabled',
                 'missing: no CHECK constraint "statusdoc_status_check"',
                 "carries no statusdoc digest"):
        assert what in broken.stdout
    db.close()


@pytest.mark.postgresql
def test_the_connections_refuse_to_write(tmp_path: Path, pg_url: str) -> None:
    with pytest.raises(DatabaseError) as refused, read_only(parse_url(pg_url)) as reader:
        reader.rows("CREATE TABLE z (a int)")
    assert "cannot execute CREATE TABLE in a read-only transaction" in str(refused.value)
    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.execute(TABLE_SQL)
    with pytest.raises(DatabaseError) as refused, \
            read_only(parse_url(f"sqlite:///{tmp_path}/app.db")) as reader:
        reader.rows("CREATE TABLE z (a int)")
    assert "attempt to write a readonly database" in str(refused.value)


def test_database_urls() -> None:
    assert parse_url("sqlite:///app.db").path == Path("app.db")
    assert parse_url("sqlite:////var/lib/app.db").path == Path("/var/lib/app.db")
    assert parse_url("postgres://u@h/d").dialect == "postgresql"
    assert parse_url("postgresql://u:secret@h:5/d?sslmode=require&password=x").shown == (
        "postgresql://u@h:5/d?sslmode=require")
    assert parse_url("postgresql://u@/d?host=/tmp/s").shown == "postgresql://u@/d?host=/tmp/s"
    for bad in ("app.db", "mysql://h/d", "sqlite://app.db", "sqlite:///", "host=x dbname=y"):
        with pytest.raises(UsageError):
            parse_url(bad)


def test_usage_errors_exit_2_and_create_nothing(tmp_path: Path, pg_server: object) -> None:
    _project(tmp_path, "sqlite")
    missing = run(["check", "--db", "sqlite:///nosuch.db"], tmp_path)
    assert missing.returncode == 2
    assert "cannot open nosuch.db read-only" in missing.stderr
    assert not (tmp_path / "nosuch.db").exists()
    other = run(["check", "--db", "postgresql://u@/d"], tmp_path)
    assert other.returncode == 2
    assert "no selected spec has sql settings with dialect 'postgresql'" in other.stderr
    assert run(["check", "--db", "mysql://h/d"], tmp_path).returncode == 2


@pytest.mark.postgresql
def test_an_unreachable_server_or_no_psycopg_exits_2(tmp_path: Path, pg_url: str) -> None:
    _project(tmp_path, "postgresql")
    closed = pg_url.replace("port=", "port=1")  # no server listens there
    down = run(["check", "--db", closed.replace("postgres@", "postgres:pw@")], tmp_path)
    assert down.returncode == 2
    assert "cannot connect to postgresql://postgres@/" in down.stderr
    assert "pw" not in down.stderr
    code = ("import sys; sys.modules['psycopg'] = None; from statusdoc.cli import main; "
            f"sys.exit(main(['check', '--db', {pg_url!r}]))")
    no_driver = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                               capture_output=True, text=True, check=False)
    assert no_driver.returncode == 2
    assert "needs psycopg 3: pip install 'psycopg[binary]'" in no_driver.stderr


def test_psycopg_is_imported_only_for_a_postgresql_url(tmp_path: Path) -> None:
    _project(tmp_path, "sqlite")
    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.execute(TABLE_SQL)
    code = ("import sys; from statusdoc.cli import main; code = main(sys.argv[1:]); "
            "print('psycopg' in sys.modules); sys.exit(code)")
    for args in (["check"], ["check", "--db", "sqlite:///app.db"]):
        proc = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path,
                              capture_output=True, text=True, check=False)
        assert proc.stdout.splitlines()[-1] == "False", proc.stdout + proc.stderr


def test_psycopg_is_there() -> None:
    """The driver the PostgreSQL tests use is installed by the test extra."""
    assert psycopg.__version__ >= "3.1"


def test_a_hostile_spec_file_name_stays_on_its_line(tmp_path: Path) -> None:
    """A line break or escape in the spec's file name is shown escaped (it cannot start
    a line of its own in a CI log), and the fix command still names the real file."""
    name = "image\n::error::x \x1b[31m'.toml"
    shutil.copy(GLANCE, tmp_path / name)
    (tmp_path / "statusdoc.toml").write_text(
        f'[[specs]]\nspec = {json.dumps(name)}\noutput-dir = "db"\noutputs = ["sql"]\n'
        'sql = { table = "images", dialect = "sqlite" }\n', encoding="utf-8")
    assert run(["generate", "-q"], tmp_path).returncode == 0
    sql = tmp_path / "db" / (name.removesuffix(".toml") + ".sql")
    with sqlite3.connect(tmp_path / "app.db") as conn:
        conn.execute(TABLE_SQL)
    proc = run(["check", "--db", "sqlite:///app.db"], tmp_path)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith(("sqlite:///app.db: ", "  to fix: "))
                                   for line in lines), proc.stdout
    assert "(image\\n::error::x \\x1b[31m'.toml): missing: no trigger" in lines[0]
    # bash reads the fix's words back as the real names
    command = lines[2].removeprefix("  to fix: ")
    assert command.startswith("sqlite3 -bail app.db BEGIN $'.read ")
    words = subprocess.run(["bash", "-c", "printf '%s\\0' " + command], capture_output=True,
                           text=True, check=True).stdout.split("\0")
    assert words[:6] == ["sqlite3", "-bail", "app.db", "BEGIN",
                         ".read '" + str(sql.relative_to(tmp_path)).replace("'", "''") + "'",
                         "COMMIT"]
