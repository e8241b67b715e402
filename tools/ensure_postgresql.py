"""Make sure Debian's PostgreSQL server is available for the database tests.

Run by ``make postgresql`` (which ``make test``, and so ``.ci/run``, runs). The
tests start a throw-away server from its ``initdb`` and ``pg_ctl``
(``tests/pgserver.py``); psycopg, the driver, comes from the ``test`` extra.

* ``initdb`` and ``pg_ctl`` found (Debian keeps them in
  ``/usr/lib/postgresql/<major>/bin``, else on PATH): prints where, exits 0.
* Not found, running as root on Debian/Ubuntu: ``apt-get update`` and
  ``apt-get install -y postgresql``, printing each command before running it.
* Running as root: PostgreSQL refuses to run as root, so the tests run it as
  the ``postgres`` system user that the package creates; if that user is
  missing, it is created (``useradd --system``).
* Cannot install (not root, not Debian, apt failed): prints a clear message
  and exits 0 anyway, like ``tools/ensure_chromium.py``: the database tests
  then FAIL with the same explanation; they never skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

# The sibling apt_install, also when tests/pgserver.py loads this file by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from apt_install import apt_install

PACKAGE = "postgresql"
#: Where Debian's packages put each major version's server programs.
DEBIAN_DIR = Path("/usr/lib/postgresql")
#: The unprivileged account the tests run the server as when they run as root.
SERVER_USER = "postgres"


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: the newest
    ``/usr/lib/postgresql/<major>/bin``, else the one on PATH; None when missing."""
    versions = []
    for candidate in DEBIAN_DIR.glob("*/bin/pg_ctl"):
        with contextlib.suppress(ValueError):
            versions.append((int(candidate.parent.parent.name), candidate.parent))
    if versions:
        return max(versions)[1]
    found = shutil.which("pg_ctl")
    if found:
        bindir = Path(found).resolve().parent
        if (bindir / "initdb").exists():
            return bindir
    return None


def _run(cmd: list[str]) -> int:
    print("ensure_postgresql: running", " ".join(cmd), flush=True)
    return subprocess.run(cmd, check=False).returncode


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _ensure_server_user() -> bool:
    """As root: the unprivileged user the server runs as exists (created if needed)."""
    if os.geteuid() != 0 or _has_user(SERVER_USER):
        return True
    if _run(["useradd", "--system", "--user-group", "--no-create-home",
             "--shell", "/usr/sbin/nologin", SERVER_USER]) != 0:
        print(f"ensure_postgresql: could not create the {SERVER_USER!r} user; the database "
              "tests will fail.")
        return False
    return True


def ensure() -> Path | None:
    """Return the directory of ``initdb``/``pg_ctl`` after trying to install them, or None."""
    found = find_bindir()
    if found is None:
        if not apt_install("ensure_postgresql", [PACKAGE],
                           "PostgreSQL's initdb/pg_ctl were not found",
                           "the database tests will fail"):
            return None
        found = find_bindir()
        if found is None:
            print(f"ensure_postgresql: {PACKAGE} is installed but initdb/pg_ctl are still "
                  "not found; the database tests will fail.")
            return None
    if not _ensure_server_user():
        return None
    print(f"ensure_postgresql: initdb and pg_ctl found in {found}")
    return found


def main() -> int:
    """Entry point; always exits 0 (the database tests report a missing server)."""
    ensure()
    return 0


if __name__ == "__main__":
    sys.exit(main())
