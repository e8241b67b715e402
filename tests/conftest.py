"""Fixtures shared by the whole suite.

``pg_server`` is one real PostgreSQL server for the test session
(tests/pgserver.py: Debian's server run by initdb/pg_ctl in a temporary
directory, as an unprivileged user when the tests run as root); ``pg_url`` a
fresh, empty database on it for one test. When the server cannot be set up,
every test using them FAILS with the reason: they are never skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pgserver
import pytest

_NAMES = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    try:
        server = pgserver.start()
    except pgserver.PgUnavailable as exc:
        pytest.fail(f"PostgreSQL could not be set up: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: pgserver.PgServer) -> Iterator[str]:
    """The URL of a new, empty database (dropped after the test)."""
    name = f"test_{next(_NAMES)}"
    url = pg_server.createdb(name)
    yield url
    pg_server.dropdb(name)
