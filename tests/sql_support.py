"""Helpers for the SQL tests: one small interface over a real PostgreSQL and SQLite.

The expected messages are written here from the documented format (docs/database.rst),
not taken from statusdoc's own message builder, so a test compares two separate
descriptions of one fact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from statusdoc.spec.model import Machine


def ident(name: str) -> str:
    """The test's own quoting of an identifier (both dialects)."""
    return '"' + name.replace('"', '""') + '"'


def shown(status: str) -> str:
    """A status as the documented messages show it."""
    return "'" + status.replace("'", "''") + "'"


def transition_message(machine: Machine, where: str, src: str, dst: str) -> str:
    allowed = sorted(machine.targets_by_state[src])
    hint = (f"allowed from {shown(src)}: {', '.join(shown(a) for a in allowed)}" if allowed
            else f"{shown(src)} is final: no transition leaves it")
    return (f"{machine.name}: {where}: transition {shown(src)} -> {shown(dst)} "
            f"is not allowed ({hint})")


def insert_message(machine: Machine, where: str, dst: str) -> str:
    entries = ", ".join(shown(e) for e in sorted(machine.entries))
    return f"{machine.name}: {where} must start at one of {entries}, not {shown(dst)}"


def unknown_message(machine: Machine, where: str, value: str | None) -> str:
    known = ", ".join(shown(s) for s in machine.state_names)
    named = "" if value is None else f" {value}"
    return f"{machine.name}: {where}: unknown status{named} (known: {known})"


class Database:
    """A connection in autocommit mode; ``attempt`` runs one statement in a
    transaction that is always rolled back and returns the trigger's message
    (None when the statement succeeded)."""

    dialect: str
    param: str

    def script(self, sql: str) -> None:
        raise NotImplementedError

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def attempt(self, sql: str, params: tuple[Any, ...] = ()) -> str | None:
        raise NotImplementedError

    def objects(self) -> set[tuple[str, ...]]:
        """Every object the user could have made, from the catalog."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class Postgres(Database):
    dialect = "postgresql"
    param = "%s"

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = psycopg.connect(url, autocommit=True)

    def script(self, sql: str) -> None:
        self.conn.execute(sql.encode("utf-8"))  # bytes: several statements, no parameters

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.execute(sql, params or None)
        return cur.fetchall() if cur.description else []

    def attempt(self, sql: str, params: tuple[Any, ...] = ()) -> str | None:
        try:
            with self.conn.transaction(force_rollback=True):
                self.conn.execute(sql, params or None)
        except psycopg.errors.CheckViolation as exc:
            assert exc.sqlstate == "23514"
            return exc.diag.message_primary
        return None

    def objects(self) -> set[tuple[str, ...]]:
        system = "('pg_catalog', 'information_schema', 'pg_toast')"
        found: set[tuple[str, ...]] = set()
        for kind, query in (
            ("schema", f"SELECT nspname FROM pg_namespace WHERE nspname NOT IN {system} "
                       "AND nspname NOT LIKE 'pg_temp%' AND nspname NOT LIKE 'pg_toast%'"),
            ("table", "SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c "
                      f"JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN "
                      f"{system} AND n.nspname NOT LIKE 'pg_toast%'"),
            ("function", "SELECT n.nspname, p.proname, coalesce(obj_description(p.oid, "
                         "'pg_proc'), '') FROM pg_proc p JOIN pg_namespace n ON "
                         f"n.oid = p.pronamespace WHERE n.nspname NOT IN {system}"),
            ("trigger", "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON "
                        "c.oid = t.tgrelid WHERE NOT t.tgisinternal"),
            ("constraint", "SELECT r.relname, c.conname, c.contype::text FROM pg_constraint c "
                           "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON "
                           f"n.oid = c.connamespace WHERE n.nspname NOT IN {system}"),
            ("type", "SELECT n.nspname, t.typname, t.typtype::text FROM pg_type t JOIN "
                     "pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname NOT IN "
                     f"{system} AND t.typrelid = 0 AND t.typcategory <> 'A'"),
            ("column", "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) "
                       "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN "
                       "pg_namespace n ON n.oid = c.relnamespace WHERE a.attnum > 0 AND "
                       f"NOT a.attisdropped AND c.relkind = 'r' AND n.nspname NOT IN {system}"),
        ):
            found.update((kind, *row) for row in self.run(query))
        return found

    def close(self) -> None:
        self.conn.close()


class Sqlite(Database):
    dialect = "sqlite"
    param = "?"

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)

    def script(self, sql: str) -> None:
        self.conn.executescript(sql)

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def attempt(self, sql: str, params: tuple[Any, ...] = ()) -> str | None:
        self.conn.execute("BEGIN")
        try:
            self.conn.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            assert exc.sqlite_errorname == "SQLITE_CONSTRAINT_TRIGGER", exc
            return str(exc)
        finally:
            self.conn.execute("ROLLBACK")
        return None

    def objects(self) -> set[tuple[str, ...]]:
        return {("object", *row) for row in
                self.run("SELECT type, name, tbl_name FROM sqlite_master")}

    def close(self) -> None:
        self.conn.close()


@dataclass
class PairResult:
    """What the UPDATE of every ordered pair of statuses did."""

    tried: int
    passed: list[tuple[str, str]]
    refused: dict[tuple[str, str], str]


def stored(machine: Machine, status: str) -> str | None:
    """The column value of ``status`` (NULL for the null status)."""
    return None if status == machine.null else status


def seed_rows(db: Database, machine: Machine, table: str, column: str,
              key: str = ident("id")) -> dict[str, int]:
    """One row per status (``key`` = its position), written before the triggers exist."""
    ids = {}
    for i, status in enumerate(machine.state_names):
        db.run(f"INSERT INTO {table} ({key}, {column}) VALUES ({db.param}, {db.param})",
               (i, stored(machine, status)))
        ids[status] = i
    return ids


def every_pair(machine: Machine) -> Iterator[tuple[str, str]]:
    for src in machine.state_names:
        for dst in machine.state_names:
            yield src, dst


def try_pairs(db: Database, machine: Machine, table: str, column: str,
              ids: dict[str, int], key: str = ident("id")) -> PairResult:
    """UPDATE each seeded row to every status (each attempt rolled back)."""
    result = PairResult(0, [], {})
    p = db.param
    for src, dst in every_pair(machine):
        result.tried += 1
        message = db.attempt(f"UPDATE {table} SET {column} = {p} WHERE {key} = {p}",
                             (stored(machine, dst), ids[src]))
        if message is None:
            result.passed.append((src, dst))
        else:
            result.refused[(src, dst)] = message
    return result


def allowed_pairs(machine: Machine) -> set[tuple[str, str]]:
    """The distinct (from, to) pairs of the spec's expanded transitions."""
    return {(t.source, t.target) for t in machine.transitions}
