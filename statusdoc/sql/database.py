"""Database URLs, and read-only connections to what they name.

``postgresql://...`` (or ``postgres://...``) is handed to psycopg 3 (imported
only here, only then: ``pip install 'psycopg[binary]'``); ``sqlite:///PATH``
opens a file with the standard library, SQLAlchemy's way: three slashes and a
relative path (``sqlite:///app.db``), four for an absolute one
(``sqlite:////var/lib/app.db``).

Both connections refuse to write, whatever the caller does: SQLite is opened
with ``mode=ro`` (it cannot even create the file), PostgreSQL with
``default_transaction_read_only=on`` and psycopg's ``read_only``, so every
transaction is ``READ ONLY`` and the server rejects any write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from statusdoc.errors import UsageError, preview

__all__ = ["DatabaseUrl", "Reader", "parse_url", "read_only"]

_SCHEMES = {"postgresql": "postgresql", "postgres": "postgresql", "sqlite": "sqlite"}
#: Seconds to wait for a PostgreSQL server before giving up.
CONNECT_TIMEOUT = 10


class DatabaseError(UsageError):
    """The database cannot be reached or read (exit 2: the check could not start)."""


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """A parsed ``--db`` URL: its dialect, the URL as given, a path for SQLite."""

    dialect: str
    url: str
    path: Path | None = None

    @property
    def shown(self) -> str:
        """The URL without a password (in the user part or a ``password=`` parameter),
        for messages and the fix command: passwords come from PGPASSWORD or .pgpass."""
        if self.dialect != "postgresql":
            return self.url
        parts = urlsplit(self.url)
        user, at, host = parts.netloc.rpartition("@")
        params = parse_qsl(parts.query, keep_blank_values=True)
        if ":" not in user and all(k != "password" for k, _ in params):
            return self.url  # nothing to hide: as given
        netloc = f"{user.partition(':')[0]}{at}{host}"
        query = urlencode([(k, v) for k, v in params if k != "password"], safe="/")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def parse_url(text: str) -> DatabaseUrl:
    """``text`` as a :class:`DatabaseUrl` (UsageError for any other form)."""
    scheme, sep, rest = text.partition("://")
    dialect = _SCHEMES.get(scheme.lower()) if sep else None
    if dialect is None:
        raise UsageError(f"--db: {preview(text)} is not a database URL; use "
                         "postgresql://USER@HOST/DBNAME or sqlite:///PATH")
    if dialect == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise UsageError(f"--db: {preview(text)}: write sqlite:///relative/path.db or "
                             "sqlite:////absolute/path.db")
        return DatabaseUrl(dialect, text, Path(rest[1:]))
    return DatabaseUrl(dialect, text)


class Reader(Protocol):
    """What the check needs of a connection: run a read query, get rows."""

    def rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


class _SqliteReader:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(query, tuple(params)).fetchall())


class _PostgresReader:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def rows(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(query, tuple(params)).fetchall())


@contextmanager
def read_only(db: DatabaseUrl) -> Iterator[Reader]:
    """A connection to ``db`` that cannot write; DatabaseError when it cannot be opened."""
    if db.dialect == "sqlite":
        with _sqlite(db) as reader:
            yield reader
    else:
        with _postgresql(db) as reader:
            yield reader


@contextmanager
def _sqlite(db: DatabaseUrl) -> Iterator[Reader]:
    assert db.path is not None
    uri = f"file:{quote(str(db.path.absolute()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file now
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {db.path} read-only: {exc}") from None
    try:
        yield _SqliteReader(conn)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{db.shown}: {exc}") from None
    finally:
        conn.close()


@contextmanager
def _postgresql(db: DatabaseUrl) -> Iterator[Reader]:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError("--db with a postgresql:// URL needs psycopg 3: "
                            "pip install 'psycopg[binary]'") from None
    try:
        conn = psycopg.connect(db.url, options="-c default_transaction_read_only=on",
                               connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot connect to {db.shown}: {_first_line(exc)}") from None
    try:
        conn.read_only = True
        yield _PostgresReader(conn)
        conn.rollback()  # nothing to keep: the transaction only read
    except psycopg.Error as exc:
        raise DatabaseError(f"{db.shown}: {_first_line(exc)}") from None
    finally:
        conn.close()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
