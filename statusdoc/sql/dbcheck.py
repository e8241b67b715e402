"""``statusdoc check --db URL``: is the enforcement installed in a database current?

For every selected spec with ``sql`` settings of the URL's dialect, the catalog
is read (never written: :func:`statusdoc.sql.database.read_only`) and compared
with what the spec's ``sql`` output installs now:

* PostgreSQL: the table, the trigger function and the ``statusdoc sha256:``
  digest in its comment, both triggers (present, running that function,
  enabled) and the CHECK constraint (present, validated);
* SQLite: the table, and both triggers (present, on that table, carrying the
  digest line in their text).

A digest that differs means the objects were made from another version of the
spec (or of statusdoc's SQL). Each finding names the column, the spec and the
command that fixes it; ``--diff`` adds a unified diff of the function body
(PostgreSQL) or trigger text (SQLite) against what the spec makes now.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from statusdoc.config import SpecConfig
from statusdoc.errors import ConfigError, shown_name
from statusdoc.spec.model import Machine
from statusdoc.sql.database import DatabaseUrl, Reader, read_only
from statusdoc.sql.emit import script_for
from statusdoc.sql.quoting import QUOTING
from statusdoc.sql.script import Script
from statusdoc.sql.settings import SqlSettings

__all__ = ["DbDrift", "check_database", "selected"]

_PG_RECORD = re.compile(r"statusdoc sha256:([0-9a-f]{64})(?: |$)")
_SQLITE_RECORD = re.compile(r"^  -- statusdoc sha256:([0-9a-f]{64}) ", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class DbDrift:
    """One spec whose enforcement in the database is missing or stale."""

    where: str
    spec: str
    reasons: tuple[str, ...]
    fix: str
    diff: str = ""

    def lines(self, url: str) -> list[str]:
        """What ``check --db`` prints: one line per reason, then the fix."""
        spec = shown_name(self.spec)
        return [*(f"{url}: {self.where} ({spec}): {r}" for r in self.reasons),
                f"  to fix: {self.fix}"]


def selected(db: DatabaseUrl, configs: Iterable[SpecConfig]) -> list[SpecConfig]:
    """The configs with ``sql`` settings of ``db``'s dialect (ConfigError when none)."""
    found = [c for c in configs
             if isinstance(s := c.settings.get("sql"), SqlSettings) and s.dialect == db.dialect]
    if not found:
        raise ConfigError(f"--db {db.shown}: no selected spec has sql settings with dialect "
                          f"{db.dialect!r} (sql = {{ table = ..., dialect = ... }} in "
                          "[[tool.statusdoc.specs]])")
    return found


def check_database(db: DatabaseUrl, items: Sequence[tuple[SpecConfig, Machine]], *,
                   stale_files: Iterable[Path] = ()) -> list[DbDrift]:
    """Every spec of ``items`` whose enforcement in ``db`` is missing or stale.

    ``stale_files`` are the artifacts found stale: when a spec's SQL file is
    one, the fix starts with ``statusdoc generate``. Writes nothing anywhere.
    """
    stale = {p.resolve() for p in stale_files}
    drifts = []
    with read_only(db) as reader:
        for config, machine in items:
            settings = config.settings["sql"]
            script = script_for(machine, settings, config.source_name())
            if settings.dialect == "postgresql":
                reasons, stored = _inspect_postgresql(reader, settings, script)
            else:
                reasons, stored = _inspect_sqlite(reader, settings, script)
            if reasons:
                path = config.output_path("sql")
                fix = _fix(db, path)
                if path.resolve() in stale:
                    fix = f"statusdoc generate && {fix}"
                where = QUOTING[settings.dialect].qualified(settings.schema, settings.table,
                                                            settings.column)
                drifts.append(DbDrift(where, config.source_name(), tuple(reasons), fix,
                                      _diff(stored, script)))
    return drifts


def _fix(db: DatabaseUrl, path: Path) -> str:
    """The command that applies the spec's SQL file to ``db`` in one transaction."""
    name = _display(path)
    if db.dialect == "postgresql":
        return (f"psql {_shell_word(db.shown)} -v ON_ERROR_STOP=1 --single-transaction "
                f"-f {_shell_word(name)}")
    assert db.path is not None
    inner = name if re.fullmatch(r"[\w./-]+", name) else "'" + name.replace("'", "''") + "'"
    return (f"sqlite3 -bail {_shell_word(str(db.path))} BEGIN "
            f"{_shell_word('.read ' + inner)} COMMIT")


def _shell_word(text: str) -> str:
    """``text`` as one shell word on one line: ``shlex.quote`` when it is printable,
    else bash's ``$'...'`` with every other character escaped (a line break in a
    file name must not start a line of its own in a CI log)."""
    if text.isprintable():
        return shlex.quote(text)
    escaped = "".join("\\" + ch if ch in "\\'" else ch if ch.isprintable()
                      else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return f"$'{escaped}'"


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def _record_problem(record: re.Match[str] | None, digest: str, what: str) -> list[str]:
    if record is None:
        return [f"stale: {what} carries no statusdoc digest (not made by statusdoc)"]
    if record.group(1) != digest:
        return [f"stale: {what} was made from another version of the spec "
                f"(installed sha256:{record.group(1)[:12]}, the spec makes "
                f"sha256:{digest[:12]})"]
    return []


_PG_TABLE = """SELECT c.oid FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p')"""
_PG_FUNCTION = """SELECT p.oid, pg_catalog.obj_description(p.oid, 'pg_proc'), p.prosrc
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = %s AND p.proname = %s AND p.pronargs = 0"""
_PG_TRIGGERS = """SELECT t.tgname, t.tgenabled::text, t.tgfoid FROM pg_catalog.pg_trigger t
 WHERE t.tgrelid = %s AND NOT t.tgisinternal"""
_PG_CONSTRAINT = """SELECT con.convalidated FROM pg_catalog.pg_constraint con
 WHERE con.conrelid = %s AND con.conname = %s AND con.contype = 'c'"""
#: pg_trigger.tgenabled values that do not fire in ordinary sessions.
_PG_NOT_FIRING = {"D": "is disabled", "R": "fires only in replica sessions"}


def _inspect_postgresql(reader: Reader, settings: SqlSettings, script: Script
                        ) -> tuple[list[str], dict[str, str]]:
    """Problems of the PostgreSQL objects, and the stored function body."""
    q, names = QUOTING["postgresql"], settings.names
    table = reader.rows(_PG_TABLE, (settings.schema, settings.table))
    if not table:
        return [f"missing: no table {q.qualified(settings.schema, settings.table)}"], {}
    table_oid = table[0][0]
    func = f"{q.qualified(settings.schema, names.function)}()"
    problems: list[str] = []
    stored: dict[str, str] = {}
    found = reader.rows(_PG_FUNCTION, (settings.schema, names.function))
    func_oid = found[0][0] if found else None
    if not found:
        problems.append(f"missing: no trigger function {func}")
    else:
        stored[names.function] = found[0][2]
        problems += _record_problem(_PG_RECORD.match(found[0][1] or ""), script.digest,
                                    f"the trigger function {func}")
    triggers = {name: (enabled, oid) for name, enabled, oid in
                reader.rows(_PG_TRIGGERS, (table_oid,))}
    for name in (names.insert_trigger, names.update_trigger):
        if name not in triggers:
            problems.append(f"missing: no trigger {q.ident(name)}")
            continue
        enabled, oid = triggers[name]
        if func_oid is not None and oid != func_oid:
            problems.append(f"stale: trigger {q.ident(name)} runs another function")
        if enabled in _PG_NOT_FIRING:
            problems.append(f"stale: trigger {q.ident(name)} {_PG_NOT_FIRING[enabled]}")
    check = reader.rows(_PG_CONSTRAINT, (table_oid, names.constraint))
    if not check:
        problems.append(f"missing: no CHECK constraint {q.ident(names.constraint)}")
    elif not check[0][0]:
        problems.append(f"stale: CHECK constraint {q.ident(names.constraint)} is not "
                        "validated (NOT VALID)")
    return problems, stored


_SQLITE_TABLE = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE"
_SQLITE_TRIGGER = """SELECT tbl_name, sql FROM sqlite_master
 WHERE type = 'trigger' AND name = ? COLLATE NOCASE"""


def _inspect_sqlite(reader: Reader, settings: SqlSettings, script: Script
                    ) -> tuple[list[str], dict[str, str]]:
    """Problems of the SQLite triggers, and their stored text."""
    q, names = QUOTING["sqlite"], settings.names
    if not reader.rows(_SQLITE_TABLE, (settings.table,)):
        return [f"missing: no table {q.ident(settings.table)}"], {}
    problems: list[str] = []
    stored: dict[str, str] = {}
    for name in (names.insert_trigger, names.update_trigger):
        found = reader.rows(_SQLITE_TRIGGER, (name,))
        if not found:
            problems.append(f"missing: no trigger {q.ident(name)}")
            continue
        table, text = found[0]
        stored[name] = text
        if table.lower() != settings.table.lower():
            problems.append(f"stale: trigger {q.ident(name)} is on table {q.ident(table)}")
        problems += _record_problem(_SQLITE_RECORD.search(text or ""), script.digest,
                                    f"trigger {q.ident(name)}")
    return problems, stored


def _diff(stored: dict[str, str], script: Script) -> str:
    """Unified diffs of each stored object text against what the spec makes now."""
    out = []
    for name, wanted in script.stored.items():
        have = stored.get(name, "")
        if have == wanted:
            continue
        lines = difflib.unified_diff(have.splitlines(keepends=True),
                                     wanted.splitlines(keepends=True),
                                     f"{name} (in the database)", f"{name} (from spec)")
        out.append("".join(line if line.endswith("\n") else line + "\n" for line in lines))
    return "".join(out)
