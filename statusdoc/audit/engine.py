"""Running the audit query: DuckDB over history files, or inside a database.

Files are read where they lie by DuckDB's table functions (``read_csv``,
``read_json``, ``read_parquet``; a path may be a glob such as
``history/*.parquet``). DuckDB runs inside the statusdoc process, with a
memory limit and a spill directory so that its sorts go to disk instead of
growing the process with the history.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from statusdoc.audit.query import literal
from statusdoc.errors import UsageError, preview

__all__ = ["FILE_FORMATS", "file_format", "file_relation", "read_database", "run_duckdb"]

#: History file formats and the DuckDB table function reading each.
FILE_FORMATS = {
    "csv": "read_csv({path})",
    "json": "read_json({path}, format = 'newline_delimited')",
    "parquet": "read_parquet({path})",
}
_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "json", ".ndjson": "json",
             ".json": "json", ".parquet": "parquet", ".pq": "parquet"}
#: What DuckDB may hold in memory before it spills to its temporary directory.
MEMORY_LIMIT = "128MB"


def file_format(path: str, given: str | None) -> str:
    """The format of a history file: ``given``, else from its suffix."""
    if given:
        return given
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: cannot tell the history format from the suffix; "
                         f"pass --format ({', '.join(FILE_FORMATS)})")
    return fmt


def file_relation(path: str, fmt: str) -> str:
    """The DuckDB table function call reading ``path`` in format ``fmt``."""
    return FILE_FORMATS[fmt].format(path=literal(path))


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        raise UsageError("statusdoc audit reads history files with DuckDB: "
                         "pip install 'statusdoc[audit]'") from None
    return duckdb


def run_duckdb(sql: str) -> list[tuple[Any, ...]]:
    """Run ``sql`` in a fresh in-memory DuckDB (bounded memory, spilling to a temp dir)."""
    duckdb = _duckdb()
    with tempfile.TemporaryDirectory(prefix="statusdoc-audit-") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = {literal(MEMORY_LIMIT)}")
            con.execute(f"SET temp_directory = {literal(spill)}")
            con.execute("SET preserve_insertion_order = false")
            return _fetch(duckdb, con, sql)
        finally:
            con.close()


def read_database(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run ``sql`` read-only in the database at ``url``: ``duckdb:///PATH`` here,
    ``postgresql://...`` through :mod:`statusdoc.sql.database` (as ``check --db``)."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() == "duckdb":
        if not rest.startswith("/") or rest == "/":
            raise UsageError(f"--db: {preview(url)}: write duckdb:///relative/path.db or "
                             "duckdb:////absolute/path.db")
        return _run_duckdb_file(rest[1:], sql)
    from statusdoc.sql.database import parse_url, read_only

    try:
        db = parse_url(url)
    except UsageError:
        raise UsageError(f"--db: {preview(url)} is not a database URL statusdoc audit reads; "
                         "use postgresql://USER@HOST/DBNAME or duckdb:///PATH") from None
    if db.dialect != "postgresql":
        raise UsageError(f"--db {db.shown}: statusdoc audit cannot run on SQLite (its SQL "
                         "has no EXTRACT(EPOCH ...)); export the history as CSV or Parquet")
    with read_only(db) as reader:
        return reader.rows(sql)


def _run_duckdb_file(path: str, sql: str) -> list[tuple[Any, ...]]:
    duckdb = _duckdb()
    try:
        con = duckdb.connect(path, read_only=True)
    except duckdb.Error as exc:
        raise UsageError(f"cannot open {path} read-only: {str(exc).splitlines()[0]}") from None
    try:
        return _fetch(duckdb, con, sql)
    finally:
        con.close()


def _fetch(duckdb: Any, con: Any, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on DuckDB connection ``con``; the engine's refusal as a message."""
    try:
        rows: list[tuple[Any, ...]] = con.execute(sql).fetchall()
    except duckdb.Error as exc:
        raise AuditQueryError(str(exc).splitlines()[0]) from None
    return rows


class AuditQueryError(UsageError):
    """The engine refused the query: a missing file, table or column, a wrong type."""
