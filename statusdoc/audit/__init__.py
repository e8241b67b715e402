"""``statusdoc audit``: what a status history did, against what the spec allows.

::

    from statusdoc.audit import audit_file

    audit = audit_file(machine, "history.parquet")
    audit.forbidden      # transitions that happened but the spec forbids
    audit.unused         # allowed transitions that never happened
    audit.never_entered  # statuses no row entered
    audit.dwells         # per status: entered, left, median/p95/max seconds

One SQL query (:mod:`statusdoc.audit.query`) does the work where the history
lies: DuckDB over CSV, JSON lines or Parquet files (:func:`audit_file`), or
the database holding a history table (:func:`audit_database`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statusdoc.audit.query import DEFAULT_COLUMNS, Columns, audit_sql, table_relation
from statusdoc.audit.result import Audit, Dwell, Move, from_rows
from statusdoc.errors import UsageError

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["Audit", "Columns", "Dwell", "Move", "audit_database", "audit_file",
           "database_sql", "file_sql"]


def file_sql(machine: Machine, path: str, *, fmt: str | None = None,
             columns: Columns = DEFAULT_COLUMNS, ignore_unchanged: bool = False) -> str:
    """The audit query DuckDB runs over the history file(s) at ``path`` (a glob allowed)."""
    from statusdoc.audit.engine import file_format, file_relation

    return audit_sql(machine, file_relation(path, file_format(path, fmt)), columns,
                     ignore_unchanged=ignore_unchanged)


def audit_file(machine: Machine, path: str, *, fmt: str | None = None,
               columns: Columns = DEFAULT_COLUMNS, ignore_unchanged: bool = False) -> Audit:
    """Audit the history file(s) at ``path`` with DuckDB (``fmt``: csv, json or parquet;
    by default from the suffix). ``ignore_unchanged``: a row repeating the status it
    follows is no transition (see :mod:`statusdoc.audit.query`)."""
    from statusdoc.audit.engine import run_duckdb

    sql = file_sql(machine, path, fmt=fmt, columns=columns, ignore_unchanged=ignore_unchanged)
    return from_rows(machine, run_duckdb(sql))


def database_sql(machine: Machine, *, table: str | None = None, query: str | None = None,
                 columns: Columns = DEFAULT_COLUMNS, ignore_unchanged: bool = False) -> str:
    """The audit query over a table (``schema.table`` allowed) or over a query's rows."""
    if (table is None) == (query is None):
        raise UsageError("give the history as a table or as a query (one of them)")
    relation = table_relation(table) if table is not None else f"({query}) AS history_rows"
    return audit_sql(machine, relation, columns, ignore_unchanged=ignore_unchanged)


def audit_database(machine: Machine, url: str, *, table: str | None = None,
                   query: str | None = None, columns: Columns = DEFAULT_COLUMNS,
                   ignore_unchanged: bool = False) -> Audit:
    """Audit a history table (or query) inside the database at ``url``, read-only.

    ``postgresql://...`` (psycopg 3) or ``duckdb:///PATH`` (a DuckDB database file).
    """
    from statusdoc.audit.engine import read_database

    sql = database_sql(machine, table=table, query=query, columns=columns,
                       ignore_unchanged=ignore_unchanged)
    return from_rows(machine, read_database(url, sql))
