"""The ``sql`` settings of a configured spec, and the names of the objects they make.

In ``[[tool.statusdoc.specs]]``::

    sql = { table = "images", column = "status", dialect = "postgresql" }

Keys (every one but ``table`` optional): ``table``, ``column`` (``"status"``),
``dialect`` (``"postgresql"`` or ``"sqlite"``; default ``"postgresql"``),
``schema`` (PostgreSQL; ``"public"``), ``key`` (PostgreSQL: the key column
named in an error's DETAIL), ``enum`` (PostgreSQL: ``true`` or a type name;
the column becomes an enum type of the statuses) and ``allow-unchanged``
(default ``true``: an UPDATE that leaves the status as it was passes).

Every name is used exactly as written (the SQL quotes it: no case folding),
and may hold any character but control characters.
PostgreSQL truncates names past 63 bytes, so a longer configured name is an
error, and a derived name past that length is cut and given a hash suffix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from statusdoc.configvalues import check_keys, parse_bool, parse_str
from statusdoc.errors import ConfigError, preview
from statusdoc.spec.keys import CONTROL_RE
from statusdoc.suggest import did_you_mean

__all__ = ["DIALECTS", "KEYS", "ObjectNames", "SqlSettings", "parse_settings"]

Dialect = Literal["postgresql", "sqlite"]
#: The dialects, the default first.
DIALECTS: tuple[Dialect, ...] = ("postgresql", "sqlite")
KEYS = ("table", "column", "dialect", "schema", "key", "enum", "allow-unchanged")
#: Keys only PostgreSQL has a use for.
_POSTGRESQL_ONLY = ("schema", "key", "enum")
#: PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes.
PG_NAME_BYTES = 63


@dataclass(frozen=True, slots=True)
class SqlSettings:
    """Where a spec's statuses live in a database, and how they are enforced there."""

    table: str
    column: str = "status"
    dialect: Dialect = "postgresql"
    #: PostgreSQL schema (None for SQLite).
    schema: str | None = None
    #: PostgreSQL: the key column named in an error's DETAIL.
    key: str | None = None
    #: PostgreSQL: the enum type the column is made of (None: a CHECK constraint only).
    enum: str | None = None
    #: An UPDATE leaving the status as it was passes (else only a self-loop allows it).
    allow_unchanged: bool = True

    @property
    def names(self) -> ObjectNames:
        """The names of the objects the generated SQL creates."""
        fit = _fit if self.dialect == "postgresql" else _as_is
        base = f"statusdoc_{self.table}_{self.column}"
        return ObjectNames(
            function=fit(base),
            insert_trigger=fit(f"{base}_insert"),
            update_trigger=fit(f"{base}_update"),
            constraint=fit(f"statusdoc_{self.column}_check"),
            old_enum=fit(f"{self.enum}_statusdoc_old") if self.enum else None,
        )


@dataclass(frozen=True, slots=True)
class ObjectNames:
    """The (unquoted) names of what the SQL creates; PostgreSQL-only ones unused by SQLite."""

    function: str
    insert_trigger: str
    update_trigger: str
    constraint: str
    #: The enum type's name while a changed type replaces it.
    old_enum: str | None


def _as_is(name: str) -> str:
    return name


def _fit(name: str) -> str:
    """``name`` if PostgreSQL keeps it whole; else cut to fit with a hash of the whole."""
    if len(name.encode("utf-8")) <= PG_NAME_BYTES:
        return name
    suffix = "_" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    room = PG_NAME_BYTES - len(suffix)
    cut = name.encode("utf-8")[:room].decode("utf-8", "ignore")  # never half a character
    return cut + suffix


def _name(value: Any, where: str, dialect: str) -> str:
    """A table, column, schema or type name: a non-empty string PostgreSQL keeps whole,
    on one line (no control characters: the SQL's statements hold no empty line)."""
    text = parse_str(value, where)
    bad = CONTROL_RE.search(text)
    if bad:
        raise ConfigError(f"{where}: {preview(text)} contains a control character "
                          f"({bad.group(0)!r})")
    if dialect == "postgresql" and len(text.encode("utf-8")) > PG_NAME_BYTES:
        raise ConfigError(
            f"{where}: {preview(text)} is longer than PostgreSQL's {PG_NAME_BYTES}-byte "
            "limit for names (it would be cut short)")
    return text


def _dialect(value: Any, where: str) -> Dialect:
    for dialect in DIALECTS:
        if value == dialect:
            return dialect
    raise ConfigError(f"{where}: unknown dialect {preview(value)}"
                      f"{did_you_mean(str(value), DIALECTS)}; use "
                      + " or ".join(repr(d) for d in DIALECTS))


def parse_settings(value: Any, where: str) -> SqlSettings:
    """Validate ``sql = {...}`` of one spec entry (``where`` names it in messages)."""
    if not isinstance(value, dict):
        raise ConfigError(f'{where}: expected a table like {{ table = "images", '
                          'column = "status" }')
    check_keys(value, KEYS, where)
    if "table" not in value:
        raise ConfigError(f"{where}: missing required key 'table' (the table holding the "
                          "status column)")
    dialect = _dialect(value.get("dialect", DIALECTS[0]), f"{where}.dialect")
    if dialect != "postgresql":
        for key in _POSTGRESQL_ONLY:
            if key in value:
                raise ConfigError(f"{where}.{key}: PostgreSQL only, not for dialect "
                                  f"{dialect!r}")

    def name(key: str, default: str | None = None) -> str | None:
        if key not in value:
            return default
        return _name(value[key], f"{where}.{key}", dialect)

    table = name("table")
    column = name("column", "status")
    assert table is not None and column is not None  # required / defaulted above
    return SqlSettings(
        table=table,
        column=column,
        dialect=dialect,
        schema=name("schema", "public" if dialect == "postgresql" else None),
        key=name("key"),
        enum=_enum(value, where, table, column),
        allow_unchanged=parse_bool(value.get("allow-unchanged", True), f"{where}.allow-unchanged"),
    )


def _enum(value: dict[str, Any], where: str, table: str, column: str) -> str | None:
    """``enum = true`` names the type ``<table>_<column>``; a string names it."""
    raw = value.get("enum", False)
    if raw is False:
        return None
    if raw is True:
        return _fit(f"{table}_{column}")
    if isinstance(raw, str):
        return _name(raw, f"{where}.enum", "postgresql")
    raise ConfigError(f"{where}.enum: expected true, false or a type name, got {preview(raw)}")
