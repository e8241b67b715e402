"""A throw-away PostgreSQL server for the tests and the benchmark.

:func:`start` runs Debian's ``initdb`` and ``pg_ctl`` (``tools/ensure_postgresql.py``
installs them; ``make test`` runs it) in a fresh temporary directory: the data
directory, the server log and the unix socket all live there, the server listens
on 127.0.0.1 on a free port, trusts local connections (nothing else can reach
it) and runs with ``fsync=off`` (its data is thrown away). PostgreSQL refuses to
run as root, so under root the server runs as the unprivileged ``postgres``
system user that Debian's package creates (through ``runuser``), and the
temporary directory is handed to that user. :meth:`PgServer.stop` stops the
server and removes the directory.

Anything that prevents the server from starting raises :class:`PgUnavailable`
with the reason and the server log: the tests FAIL with it, they never skip.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import quote

#: The database superuser initdb creates (the tests connect as it).
DB_USER = "postgres"
INSTALL_HINT = ("install Debian's postgresql package: `python tools/ensure_postgresql.py` "
                "as root (`make test` runs it)")


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be set up here (not installed, cannot start, ...)."""


def _load_tool() -> ModuleType:
    """tools/ensure_postgresql.py, where the binaries are looked for (one place)."""
    path = Path(__file__).resolve().parents[1] / "tools" / "ensure_postgresql.py"
    spec = importlib.util.spec_from_file_location("ensure_postgresql", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_TOOL = _load_tool()
find_bindir = _TOOL.find_bindir
SERVER_USER: str = _TOOL.SERVER_USER


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgServer:
    """A running server: its binaries, its directory, its socket directory and port."""

    bindir: Path
    base: Path
    port: int
    run_as: str | None

    @property
    def sockdir(self) -> Path:
        return self.base / "socket"

    @property
    def datadir(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    def url(self, dbname: str = "postgres") -> str:
        """A ``postgresql://`` URL reaching ``dbname`` through the unix socket."""
        return (f"postgresql://{DB_USER}@/{quote(dbname, safe='')}"
                f"?host={quote(str(self.sockdir), safe='')}&port={self.port}")

    def tcp_url(self, dbname: str = "postgres") -> str:
        """The same database over TCP on 127.0.0.1."""
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/{quote(dbname, safe='')}"

    def bin(self, name: str) -> str:
        return str(self.bindir / name)

    def run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run a server program as the server's user; PgUnavailable when it fails."""
        cmd = list(argv)
        if self.run_as is not None:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout,
                              check=False, cwd=self.base)
        if proc.returncode != 0:
            raise PgUnavailable(f"{' '.join(argv[:2])} failed (exit {proc.returncode}):\n"
                                f"{proc.stdout}{proc.stderr}{self.log_tail()}")
        return proc

    def log_tail(self) -> str:
        try:
            lines = self.log.read_text(errors="replace").splitlines()[-20:]
        except OSError:
            return ""
        return "\nserver log:\n" + "\n".join(lines) if lines else ""

    def createdb(self, name: str) -> str:
        """Create database ``name`` (UTF-8); return its URL."""
        if not re.fullmatch(r"[a-z0-9_]+", name):
            raise ValueError(f"test database names are plain: {name!r}")
        self.run(self.bin("createdb"), "-h", str(self.sockdir), "-p", str(self.port),
                 "-U", DB_USER, "-E", "UTF8", "-T", "template0", name)
        return self.url(name)

    def dropdb(self, name: str) -> None:
        self.run(self.bin("dropdb"), "-h", str(self.sockdir), "-p", str(self.port),
                 "-U", DB_USER, "--force", name)

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its directory."""
        try:
            if (self.datadir / "postmaster.pid").exists():
                self.run(self.bin("pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w",
                         "stop")
        finally:
            shutil.rmtree(self.base, ignore_errors=True)


def _server_user() -> str | None:
    """None when the current user may run the server; else the account to run it as."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PgUnavailable(
            f"running as root, and there is no {SERVER_USER!r} user to run PostgreSQL as "
            f"(the server refuses root); {INSTALL_HINT}") from None
    if shutil.which("runuser") is None:
        raise PgUnavailable("running as root without `runuser` (util-linux) to start "
                            "PostgreSQL as an unprivileged user")
    return SERVER_USER


def start() -> PgServer:
    """Start a fresh server; raise PgUnavailable (with the reason) when that fails."""
    bindir = find_bindir()
    if bindir is None:
        raise PgUnavailable(f"PostgreSQL's initdb/pg_ctl were not found; {INSTALL_HINT}")
    run_as = _server_user()
    base = Path(tempfile.mkdtemp(prefix="statusdoc-pg-"))
    server = PgServer(bindir, base, free_port(), run_as)
    try:
        server.sockdir.mkdir()
        if run_as is not None:
            entry = pwd.getpwnam(run_as)
            for path in (base, server.sockdir):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        server.run(server.bin("initdb"), "-D", str(server.datadir), "-U", DB_USER,
                   "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {server.port} "
                   f"-c unix_socket_directories={server.sockdir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        server.run(server.bin("pg_ctl"), "-D", str(server.datadir), "-l", str(server.log),
                   "-o", options, "-w", "-t", "60", "start")
    except BaseException:
        server.stop()
        raise
    return server
