"""The one SQL query of ``statusdoc audit``: a status history checked against a spec.

The query uses only window functions, ``GROUP BY``, a join with a ``VALUES``
list of the allowed pairs and ``UNION ALL``, so the same text runs on DuckDB
(where ``statusdoc audit`` runs it over CSV, JSON lines or Parquet files), on
PostgreSQL, and on other engines with window functions. It returns a few rows
per distinct transition and status seen, never a row per history row: the
engine that holds the history does the work.

Two shapes of history are read:

* *status rows* (``id``, ``status``, ``at``): each row says an entity entered
  a status at a time; the transition is the previous row's status (by time,
  per entity) to this one. An entity's first row enters a status (no
  transition); two consecutive rows with the same status are a
  self-transition, unless ``ignore_unchanged`` drops the repeated rows (a
  history of snapshots, or of writes that did not change the status): the
  status is then held from its first row to the next different one.
* *transition rows* (``id``, ``from``, ``to``, ``at``): each row is one
  transition; a row whose ``from`` is NULL enters ``to`` (creation), unless
  the machine has a null status, which NULL then stands for. With
  ``ignore_unchanged``, rows whose ``from`` equals ``to`` are dropped.

A NULL status is the machine's null status (by name), or ``''`` (no status
of any spec) when it has none. Dwell time is the time from entering a status
to the entity's next row, in seconds; an entity's last status has none yet.
The median and p95 are nearest-rank percentiles (the value at rank
``ceil(p * n)`` of the ``n`` sorted dwell times), computed with window
functions, which engines sort on disk when memory is short.

Result rows are ``(kind, a, b, n, forbidden, first_id, last_id, left, median,
p95, longest)``: ``kind`` is ``'move'`` (``a -> b`` happened ``n`` times,
``forbidden`` 1 when the spec does not allow it; ``first_id``/``last_id``
the smallest and largest entity id that made it, as text) or ``'status'``
(``a`` entered ``n`` times, left ``left`` times, with the dwell statistics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["DEFAULT_COLUMNS", "Columns", "audit_sql", "ident", "literal", "table_relation"]


def ident(name: str) -> str:
    """A delimited SQL identifier (``"..."``, every ``"`` doubled)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A standard SQL string constant (``'...'``, every ``'`` doubled; a backslash
    is plain text, as in PostgreSQL with ``standard_conforming_strings`` on, its
    default, and in DuckDB)."""
    return "'" + text.replace("'", "''") + "'"


def table_relation(name: str) -> str:
    """``schema.table`` as quoted identifiers (split at dots)."""
    return ".".join(ident(part) for part in name.split("."))


@dataclass(frozen=True, slots=True)
class Columns:
    """The history's column names; with ``source``/``target`` set, rows are transitions."""

    id: str = "id"
    status: str = "status"
    at: str = "at"
    source: str | None = None
    target: str | None = None

    @property
    def transition_rows(self) -> bool:
        return self.source is not None


def _history(relation: str, columns: Columns, missing: str) -> tuple[str, str]:
    """The ``history`` projection of the rows read, and the expression of ``previous``
    in ``steps`` (a column of transition rows, else the ``LAG`` of the status over the
    same window as the dwell time's ``LEAD``, so that the engine sorts once)."""
    def status(column: str) -> str:
        return f"COALESCE(CAST({ident(column)} AS VARCHAR), {missing})"

    entity, at = ident(columns.id), ident(columns.at)
    if columns.source is not None and columns.target is not None:
        previous = (status(columns.source) if missing != "''"
                    else f"CAST({ident(columns.source)} AS VARCHAR)")
        return (f"  SELECT {entity} AS id, {previous} AS previous,\n"
                f"         {status(columns.target)} AS status, {at} AS happened_at\n"
                f"  FROM {relation}"), "previous"
    return (f"  SELECT {entity} AS id, {status(columns.status)} AS status,\n"
            f"         {at} AS happened_at\n"
            f"  FROM {relation}"), f"LAG(status) OVER {_WINDOW}"


_WINDOW = "(PARTITION BY id ORDER BY happened_at)"


def _allowed(machine: Machine) -> str:
    pairs = [f"({literal(src)}, {literal(dst)})"
             for src in machine.state_names for dst in sorted(machine.targets_by_state[src])]
    if not pairs:  # a VALUES list cannot be empty: a pair no status can match
        pairs = ["(CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR))"]
    return ",\n       ".join(pairs)


#: The default column names: ``id``, ``status``, ``at``.
DEFAULT_COLUMNS = Columns()


def _changes(columns: Columns) -> str:
    """The CTE that drops repeated statuses (``ignore_unchanged``), read as ``history``."""
    if columns.transition_rows:
        kept = "  SELECT * FROM rows_read\n  WHERE previous IS NULL OR previous <> status"
    else:
        kept = (f"  SELECT id, status, happened_at FROM (\n"
                f"    SELECT id, status, happened_at, LAG(status) OVER {_WINDOW} AS before\n"
                f"    FROM rows_read\n"
                f"  ) AS marked\n"
                f"  WHERE before IS NULL OR before <> status")
    return f"history AS (\n{kept}\n),\n"


def audit_sql(machine: Machine, relation: str, columns: Columns = DEFAULT_COLUMNS, *,
              ignore_unchanged: bool = False) -> str:
    """The audit query of ``machine`` over ``relation`` (a quoted table, a
    parenthesised query with an alias, or a DuckDB table function call);
    ``ignore_unchanged`` drops rows that repeat the status they follow."""
    missing = literal(machine.null) if machine.null is not None else "''"
    history, previous = _history(relation, columns, missing)
    if ignore_unchanged:
        read = f"rows_read AS (\n{history}\n),\n{_changes(columns)}"
    else:
        read = f"history AS (\n{history}\n),\n"
    return f"""\
WITH {read}steps AS (
  SELECT id, {previous} AS previous, status,
         CAST(EXTRACT(EPOCH FROM (LEAD(happened_at) OVER {_WINDOW} - happened_at))
              AS DOUBLE PRECISION) AS dwell
  FROM history
),
allowed (source, target) AS (
VALUES {_allowed(machine)}
),
moves AS (
  SELECT previous AS source, status AS target, COUNT(*) AS n,
         MIN(id) AS first_id, MAX(id) AS last_id
  FROM steps WHERE previous IS NOT NULL
  GROUP BY previous, status
),
ranked AS (
  SELECT status, dwell,
         ROW_NUMBER() OVER (PARTITION BY status ORDER BY dwell) AS place,
         COUNT(*) OVER (PARTITION BY status) AS n
  FROM steps WHERE dwell IS NOT NULL
),
dwells AS (
  SELECT status, MAX(n) AS n,
         MAX(CASE WHEN place = CEIL(0.5 * n) THEN dwell END) AS median,
         MAX(CASE WHEN place = CEIL(0.95 * n) THEN dwell END) AS p95,
         MAX(dwell) AS longest
  FROM ranked GROUP BY status
),
entered AS (
  SELECT status, COUNT(*) AS n FROM steps GROUP BY status
)
SELECT 'move' AS kind, m.source AS a, m.target AS b, m.n,
       CASE WHEN allowed.source IS NULL THEN 1 ELSE 0 END AS forbidden,
       CAST(m.first_id AS VARCHAR) AS first_id, CAST(m.last_id AS VARCHAR) AS last_id,
       CAST(NULL AS BIGINT) AS "left", CAST(NULL AS DOUBLE PRECISION) AS median,
       CAST(NULL AS DOUBLE PRECISION) AS p95, CAST(NULL AS DOUBLE PRECISION) AS longest
FROM moves AS m
LEFT JOIN allowed ON allowed.source = m.source AND allowed.target = m.target
UNION ALL
SELECT 'status', e.status, CAST(NULL AS VARCHAR), e.n, 0,
       CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
       COALESCE(d.n, 0), d.median, d.p95, d.longest
FROM entered AS e
LEFT JOIN dwells AS d ON d.status = e.status
ORDER BY 1, 2, 3
"""
