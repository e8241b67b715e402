"""Issue 14 acceptance: the generated SQL enforces the spec in a real PostgreSQL and in SQLite.

For each example (Glance, the docs' 32-status bare-metal machine, and issue 10's
volume and task-instance machines: several entries, ``None``/NULL, returns) and
each dialect, one row per status is written before the triggers exist; then
every ordered pair of statuses is tried as an UPDATE (N x N attempts, each rolled
back) and every status as an INSERT. Each test prints how many pairs it tried
and asserts the counts: the spec's E distinct transitions pass, the N x N - E
other pairs are refused with the documented message, which is also the Python
runtime's message with the column named.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sql_support import (
    Database,
    Postgres,
    Sqlite,
    allowed_pairs,
    ident,
    insert_message,
    seed_rows,
    stored,
    transition_message,
    try_pairs,
)

import statusdoc
from statusdoc.errors import InvalidTransition
from statusdoc.spec.model import Machine
from statusdoc.sql.emit import emit_sql
from statusdoc.sql.settings import parse_settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "glance": ROOT / "examples" / "glance" / "image-statuses.toml",
    "baremetal": ROOT / "examples" / "baremetal" / "node-states.toml",
    "volume": ROOT / "examples" / "volume" / "volume-statuses.toml",
    "taskinstance": ROOT / "examples" / "taskinstance" / "task-instance-statuses.toml",
}
DIALECTS = ("postgresql", "sqlite")
TABLE, COLUMN = "items", "status"


@pytest.fixture
def open_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """``open_db(dialect)``: a fresh database of that dialect with the test table."""
    opened: list[Database] = []

    def open_(dialect: str) -> Database:
        db: Database
        if dialect == "postgresql":
            db = Postgres(request.getfixturevalue("pg_url"))
        else:
            db = Sqlite(tmp_path / "test.db")
        opened.append(db)
        db.script(f"CREATE TABLE {ident(TABLE)} ({ident('id')} integer PRIMARY KEY, "
                  f"{ident(COLUMN)} text, {ident('note')} text)")
        return db

    yield open_
    for db in opened:
        db.close()


def _where(dialect: str) -> str:
    return ('"public".' if dialect == "postgresql" else "") + f'"{TABLE}"."{COLUMN}"'


def _install(db: Database, machine: Machine, example: str, **settings: object) -> None:
    config = parse_settings({"table": TABLE, "dialect": db.dialect, **settings}, "test")
    db.script(emit_sql(machine, source_name=f"examples/{example}.toml", settings=config))


def _python_message(machine: Machine, src: str, dst: str, where: str) -> str:
    """The Python runtime's message for the same refusal, with the column named."""
    with pytest.raises(InvalidTransition) as refused:
        machine.check(src, dst)
    return str(refused.value).replace(f"{machine.name}: ", f"{machine.name}: {where}: ", 1)


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("example", list(EXAMPLES))
def test_every_pair_of_statuses_as_an_update(example: str, dialect: str, open_db) -> None:
    machine = statusdoc.load(EXAMPLES[example])
    db = open_db(dialect)
    ids = seed_rows(db, machine, ident(TABLE), ident(COLUMN))
    # allow-unchanged = false: an unchanged status is a move like any other (as in Python)
    _install(db, machine, example, **{"allow-unchanged": False})
    result = try_pairs(db, machine, ident(TABLE), ident(COLUMN), ids)
    n, allowed = len(machine.state_names), allowed_pairs(machine)
    print(f"{example} on {dialect}: tried {result.tried} = {n}x{n} (from, to) pairs as UPDATEs: "
          f"{len(result.passed)} transitions passed, {len(result.refused)} = {n}x{n} - "
          f"{len(allowed)} pairs refused")
    assert result.tried == n * n
    assert set(result.passed) == allowed
    assert len(result.refused) == n * n - len(allowed)
    where = _where(dialect)
    for (src, dst), message in result.refused.items():
        assert not machine.can(src, dst)
        assert message == transition_message(machine, where, src, dst)
        if "'" not in src + dst:  # Python's repr shows a quote differently
            assert message == _python_message(machine, src, dst, where)


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("example", list(EXAMPLES))
def test_only_entry_statuses_start_a_row(example: str, dialect: str, open_db) -> None:
    machine = statusdoc.load(EXAMPLES[example])
    db = open_db(dialect)
    _install(db, machine, example)
    p = db.param
    refused = {}
    for i, status in enumerate(machine.state_names):
        message = db.attempt(f"INSERT INTO {ident(TABLE)} ({ident('id')}, {ident(COLUMN)}) "
                             f"VALUES ({p}, {p})", (i, stored(machine, status)))
        if message is not None:
            refused[status] = message
    entries = set(machine.entries)
    print(f"{example} on {dialect}: tried {len(machine.state_names)} INSERTs: "
          f"{len(entries)} entry statuses passed, {len(refused)} refused")
    assert set(machine.state_names) - set(refused) == entries
    for status, message in refused.items():
        assert message == insert_message(machine, _where(dialect), status)


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", DIALECTS)
def test_an_unchanged_status_passes_by_default(dialect: str, open_db) -> None:
    """The default: an UPDATE that leaves the status as it was is no move (an ORM
    writing the whole row back must not fail); every pair that changes it is checked."""
    machine = statusdoc.load(EXAMPLES["baremetal"])
    db = open_db(dialect)
    ids = seed_rows(db, machine, ident(TABLE), ident(COLUMN))
    _install(db, machine, "baremetal")
    result = try_pairs(db, machine, ident(TABLE), ident(COLUMN), ids)
    n = len(machine.state_names)
    passing = allowed_pairs(machine) | {(s, s) for s in machine.state_names}
    print(f"baremetal on {dialect}, allow-unchanged: tried {result.tried} pairs, "
          f"{len(result.passed)} passed, {len(result.refused)} refused")
    assert result.tried == n * n
    assert set(result.passed) == passing
    assert len(result.refused) == n * n - len(passing)


@pytest.mark.postgresql
@pytest.mark.parametrize("unchanged", [True, False])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_updating_other_columns_never_trips_the_trigger(dialect: str, unchanged: bool,
                                                        open_db) -> None:
    machine = statusdoc.load(EXAMPLES["glance"])
    db = open_db(dialect)
    ids = seed_rows(db, machine, ident(TABLE), ident(COLUMN))
    _install(db, machine, "glance", **{"allow-unchanged": unchanged})
    p = db.param
    deleted = ids["deleted"]  # final, no self-loop
    assert db.attempt(f"UPDATE {ident(TABLE)} SET {ident('note')} = 'x' "
                      f"WHERE {ident('id')} = {p}", (deleted,)) is None
    rewrite = db.attempt(f"UPDATE {ident(TABLE)} SET {ident('note')} = 'x', "
                         f"{ident(COLUMN)} = {ident(COLUMN)} WHERE {ident('id')} = {p}",
                         (deleted,))
    if unchanged:
        assert rewrite is None
    else:  # naming the column is a move from 'deleted' to 'deleted', which has no self-loop
        assert rewrite == transition_message(machine, _where(dialect), "deleted", "deleted")


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", DIALECTS)
def test_values_that_are_no_status_are_refused(dialect: str, open_db) -> None:
    machine = statusdoc.load(EXAMPLES["glance"])
    db = open_db(dialect)
    ids = seed_rows(db, machine, ident(TABLE), ident(COLUMN))
    _install(db, machine, "glance")
    p = db.param
    known = ", ".join(f"'{s}'" for s in machine.state_names)
    prefix = f"image: {_where(dialect)}: unknown status"
    update = f"UPDATE {ident(TABLE)} SET {ident(COLUMN)} = {p} WHERE {ident('id')} = {p}"
    bogus = db.attempt(update, ("it's bogus", ids["queued"]))
    null = db.attempt(update, (None, ids["queued"]))
    if dialect == "postgresql":  # names the value
        assert bogus == f"{prefix} 'it''s bogus' (known: {known})"
    else:  # SQLite's RAISE takes a constant message
        assert bogus == f"{prefix} (known: {known})"
    assert null == f"{prefix} NULL (known: {known})"


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_null_status_is_sql_null(dialect: str, open_db) -> None:
    machine = statusdoc.load(EXAMPLES["taskinstance"])
    assert machine.null == "none"
    db = open_db(dialect)
    _install(db, machine, "taskinstance")
    p = db.param
    table, col, key = ident(TABLE), ident(COLUMN), ident("id")
    assert db.attempt(f"INSERT INTO {table} ({key}, {col}) VALUES (1, NULL)") is None
    db.run(f"INSERT INTO {table} ({key}, {col}) VALUES (1, NULL)")
    # the name of the null status is not what the column holds
    assert db.attempt(f"UPDATE {table} SET {col} = {p} WHERE {key} = 1", ("none",)) == (
        f"task-instance: {_where(dialect)}: unknown status"
        + (" 'none'" if dialect == "postgresql" else "") + " (known: "
        + ", ".join(f"'{s}'" for s in machine.state_names) + ")")
    assert db.attempt(f"UPDATE {table} SET {col} = 'running' WHERE {key} = 1") == (
        transition_message(machine, _where(dialect), "none", "running"))
    db.run(f"UPDATE {table} SET {col} = 'scheduled' WHERE {key} = 1")
    db.run(f"UPDATE {table} SET {col} = 'queued' WHERE {key} = 1")
    db.run(f"UPDATE {table} SET {col} = 'running' WHERE {key} = 1")
    db.run(f"UPDATE {table} SET {col} = 'success' WHERE {key} = 1")
    db.run(f"UPDATE {table} SET {col} = NULL WHERE {key} = 1")  # cleared: back to 'none'
    assert db.run(f"SELECT {col} FROM {table}") == [(None,)]


@pytest.mark.postgresql
@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_return_allows_every_previous_status_not_only_the_rows_own(dialect: str,
                                                                    open_db) -> None:
    """What docs/database.rst says of ``return = true``: the trigger sees one UPDATE,
    not the row's history, so it allows a return to any status the spec lets lead
    into the source; which one this row came from is the application's to keep."""
    machine = statusdoc.load(EXAMPLES["volume"])
    assert {t.target for t in machine.transitions
            if t.source == "extending" and t.returning} == {"available", "in-use"}
    db = open_db(dialect)
    _install(db, machine, "volume")
    table, col, key = ident(TABLE), ident(COLUMN), ident("id")
    db.run(f"INSERT INTO {table} ({key}, {col}) VALUES (1, 'creating')")
    for status in ("available", "extending"):
        db.run(f"UPDATE {table} SET {col} = '{status}' WHERE {key} = 1")
    # came from 'available', yet may "return" to 'in-use'
    assert db.attempt(f"UPDATE {table} SET {col} = 'in-use' WHERE {key} = 1") is None
    assert db.attempt(f"UPDATE {table} SET {col} = 'available' WHERE {key} = 1") is None
    assert db.attempt(f"UPDATE {table} SET {col} = 'reserved' WHERE {key} = 1") == (
        transition_message(machine, _where(dialect), "extending", "reserved"))
