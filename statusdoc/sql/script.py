"""What both dialects share: the script object, membership tests, the digest.

A dialect module (:mod:`statusdoc.sql.postgresql`, :mod:`statusdoc.sql.sqlite`)
turns a machine and its :class:`~statusdoc.sql.settings.SqlSettings` into
:class:`Script`: the install statements, the teardown statements, and the
text the database keeps of each object ``check --db`` compares (for
``--diff``). :func:`build` makes the script twice: once with an empty digest
and spec name, whose SHA-256 is the digest, then with both filled in; so the
digest covers every byte of the installed SQL but itself and the spec's file
name (moving the spec file does not make a database stale).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from statusdoc.spec.model import Machine
from statusdoc.sql.quoting import Quoting
from statusdoc.sql.settings import SqlSettings

__all__ = ["Script", "build", "is_status", "one_of"]


@dataclass(frozen=True, slots=True)
class Script:
    """The SQL of one spec: to install, to tear down, and what the database keeps."""

    install: tuple[str, ...]
    teardown: tuple[str, ...]
    #: The SHA-256 recorded in the database (function comment or trigger text).
    digest: str
    #: Object name -> the text the database stores for it: PostgreSQL keeps the
    #: function body as written (``pg_proc.prosrc``), SQLite each trigger's
    #: CREATE statement (``sqlite_schema.sql``).
    stored: Mapping[str, str]


#: ``(machine, settings, digest, source_name) -> Script`` of one dialect.
Builder = Callable[[Machine, SqlSettings, str, str], Script]


def build(builder: Builder, machine: Machine, settings: SqlSettings, source_name: str) -> Script:
    """The script of ``builder`` with its digest filled in (see the module docstring)."""
    blank = builder(machine, settings, "", "")
    digest = hashlib.sha256("\n".join(blank.install).encode("utf-8")).hexdigest()
    return builder(machine, settings, digest, source_name)


def is_status(value: str, status: str, null: str | None, q: Quoting) -> str:
    """SQL true when the expression ``value`` holds ``status`` (NULL for the null status)."""
    return f"{value} IS NULL" if status == null else f"{value} = {q.literal(status)}"


def one_of(value: str, statuses: Iterable[str], null: str | None, q: Quoting) -> str:
    """SQL that is TRUE when the expression ``value`` holds one of ``statuses`` and FALSE
    otherwise — never NULL, so ``NOT`` of it means what it says. NULL counts as the
    null status, when the machine has one."""
    wanted = tuple(statuses)
    names = [s for s in wanted if s != null]
    listed = f"{value} IN ({', '.join(q.literal(n) for n in names)})" if names else ""
    if null is not None and null in wanted:
        return f"({value} IS NULL OR {listed})" if listed else f"({value} IS NULL)"
    return f"({value} IS NOT NULL AND {listed})" if listed else "FALSE"
