"""PostgreSQL specifics of the ``sql`` output, on the real server: the enum type,
the key check, installing over existing rows, and a teardown of nothing."""

from __future__ import annotations

import psycopg
import pytest
from cli_support import GLANCE
from sql_support import Postgres

import statusdoc
from statusdoc.spec.api import loads
from statusdoc.sql.emit import emit_sql, emit_teardown
from statusdoc.sql.settings import parse_settings

pytestmark = pytest.mark.postgresql

TABLE = "CREATE TABLE images (id integer PRIMARY KEY, status text)"


def _sql(spec_text: str, **settings: object) -> tuple[str, str]:
    machine = loads(spec_text, "toml", filename="image.toml")
    config = parse_settings({"table": "images", **settings}, "test")
    return (emit_sql(machine, source_name="image.toml", settings=config),
            emit_teardown(machine, source_name="image.toml", settings=config))


def _labels(db: Postgres) -> list[str]:
    return [label for (label,) in db.run(
        "SELECT enumlabel FROM pg_enum WHERE enumtypid = 'images_status'::regtype "
        "ORDER BY enumsortorder")]


def _column_type(db: Postgres) -> str:
    return str(db.run("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                      "WHERE attrelid = 'images'::regclass AND attname = 'status'")[0][0])


def test_the_enum_type_follows_the_spec(pg_url: str) -> None:
    spec = GLANCE.read_text(encoding="utf-8")
    install, teardown = _sql(spec, enum=True)
    db = Postgres(pg_url)
    db.script(TABLE)
    db.run("INSERT INTO images VALUES (1, 'queued')")
    db.script(install)
    db.script(install)  # re-runnable: the type is left alone when its labels are right
    assert _column_type(db) == "images_status"
    assert _labels(db) == list(statusdoc.load(GLANCE).state_names)
    db.run("UPDATE images SET status = 'saving'")
    # the spec gains a status: a new type replaces the old one, the rows keep their values
    grown = spec + '\n[states.archived]\ndescription = "x"\n\n' \
                   '[[transitions]]\nfrom = "active"\nto = "archived"\n'
    db.script(_sql(grown, enum=True)[0])
    assert _labels(db)[-1] == "archived"
    assert db.run("SELECT status::text FROM images") == [("saving",)]
    assert db.run("SELECT count(*) FROM pg_type WHERE typname LIKE 'images_status%'") == [(1,)]
    # a status that rows still hold cannot go: the install fails and changes nothing
    shrunk = grown.replace("saving", "uploading")
    with pytest.raises(psycopg.errors.InvalidTextRepresentation):
        db.script(_sql(shrunk, enum=True)[0])
    assert _labels(db)[1] == "saving"
    db.script(teardown)
    assert _column_type(db) == "text"
    assert db.run("SELECT to_regtype('images_status')") == [(None,)]
    assert db.run("SELECT status FROM images") == [("saving",)]
    db.close()


def test_a_wrong_key_column_fails_the_install(pg_url: str) -> None:
    install, _ = _sql(GLANCE.read_text(encoding="utf-8"), key="ident")
    db = Postgres(pg_url)
    db.script(TABLE)
    with pytest.raises(psycopg.errors.UndefinedColumn, match='column "ident" does not exist'):
        db.script(install)
    db.close()


def test_rows_holding_no_status_fail_the_install(pg_url: str) -> None:
    install, _ = _sql(GLANCE.read_text(encoding="utf-8"))
    db = Postgres(pg_url)
    db.script(TABLE)
    db.run("INSERT INTO images VALUES (1, 'uploading')")
    with pytest.raises(psycopg.errors.CheckViolation, match="statusdoc_status_check"):
        db.script(install)
    db.close()


def test_the_teardown_of_nothing_succeeds(pg_url: str) -> None:
    _, teardown = _sql(GLANCE.read_text(encoding="utf-8"), enum=True)
    db = Postgres(pg_url)
    before = db.objects()
    db.script(teardown)  # no table, no type, no function: nothing to do, no error
    assert db.objects() == before
    db.close()


@pytest.mark.parametrize("isolation", ["read committed", "repeatable read"])
def test_concurrent_moves_out_of_one_status_cannot_both_pass(pg_url: str,
                                                             isolation: str) -> None:
    """docs/database.rst: the trigger checks the row version an UPDATE replaces. Both
    writers see 'queued'; the second waits for the first and is then checked against
    'active' (or, at REPEATABLE READ, fails to serialize)."""
    import threading

    sql, _ = _sql(GLANCE.read_text(encoding="utf-8"))
    first, second = Postgres(pg_url), Postgres(pg_url)
    first.script(TABLE)
    first.script(sql)
    first.run("INSERT INTO images (id, status) VALUES (1, 'queued')")
    outcome: list[BaseException | None] = []
    with first.conn.transaction():
        first.run("UPDATE images SET status = 'active' WHERE id = 1")  # queued -> active

        def move() -> None:
            try:
                with second.conn.transaction():
                    second.run(f"SET TRANSACTION ISOLATION LEVEL {isolation}")
                    second.run("SELECT status FROM images WHERE id = 1")  # sees 'queued'
                    second.run("UPDATE images SET status = 'saving' WHERE id = 1")
                outcome.append(None)
            except psycopg.Error as exc:
                outcome.append(exc)

        mover = threading.Thread(target=move)
        mover.start()
        mover.join(1.0)
        assert mover.is_alive()  # waiting for the row
    mover.join(30)
    assert first.run("SELECT status FROM images") == [("active",)]
    error = outcome[0]
    if isolation == "read committed":
        assert isinstance(error, psycopg.errors.CheckViolation)
        assert error.diag.message_primary == (
            "image: \"public\".\"images\".\"status\": transition 'active' -> 'saving' is not "
            "allowed (allowed from 'active': 'deleted', 'pending_delete', 'queued')")
    else:
        assert isinstance(error, psycopg.errors.SerializationFailure)
    first.close()
    second.close()
