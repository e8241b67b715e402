"""File-system helpers of the artifacts layer: all-or-nothing writes and a project lock.

:func:`write_all` writes a whole set of files or none of them:

1. every new content goes to a temporary file in its destination directory
   (``.<name>.<random>.statusdoc-tmp``), flushed and ``fsync``-ed;
2. only when every temporary file is complete, SIGINT/SIGTERM are blocked
   and each is renamed over its destination with ``os.replace`` (atomic on
   POSIX), then the directories are ``fsync``-ed and the signals unblocked
   (a signal that arrived meanwhile is delivered after the whole set is in
   place: old set or new set, never a mix);
3. on any failure, and in every case in ``finally``, the temporary files are
   removed.

:func:`project_lock` serialises runs on the same project with
``fcntl.flock`` on a lock file kept in the system temporary directory (keyed
by the project root), so no lock file ever appears among the artifacts.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import signal
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from statusdoc.errors import StatusdocError

TEMP_SUFFIX = ".statusdoc-tmp"
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WriteError(StatusdocError):
    """An output could not be written; nothing was changed."""


def temp_name(dest: Path) -> Path:
    """A fresh temporary path next to ``dest``, recognisable as statusdoc's."""
    return dest.with_name(f".{dest.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _write_temp(dest: Path, data: bytes, mode: int) -> Path:
    tmp = temp_name(dest)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(dest: Path) -> int:
    try:
        return dest.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread for the duration; deliver them after."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def write_all(files: Mapping[Path, bytes]) -> None:
    """Write every ``path -> bytes`` in ``files``, all or nothing.

    Parent directories are created. Raises :class:`WriteError` (nothing
    changed, no temporary file left) when any write fails.
    """
    temps: dict[Path, Path] = {}
    try:
        for dest, data in files.items():
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                temps[dest] = _write_temp(dest, data, _mode_for(dest))
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise WriteError(f"cannot write {dest}: {reason}; nothing was changed") from None
        with signals_deferred():
            done: list[Path] = []
            try:
                for dest, tmp in temps.items():
                    os.replace(tmp, dest)
                    done.append(dest)
            except OSError as exc:
                # Renames within one directory do not fail in practice; if one
                # does, report exactly which files are already new.
                raise WriteError(
                    f"cannot replace {dest}: {exc.strerror}; already replaced: "
                    + (", ".join(str(d) for d in done) or "none")
                ) from None
            for directory in {d.parent for d in temps}:
                _fsync_dir(directory)
    finally:
        for tmp in temps.values():
            with contextlib.suppress(FileNotFoundError, OSError):
                tmp.unlink()


def write_atomic(path: Path, data: bytes) -> None:
    """Write one file atomically (see :func:`write_all`)."""
    write_all({path: data})


def lock_path(root: Path) -> Path:
    """The lock file used for project ``root`` (outside the project)."""
    key = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    base = Path(tempfile.gettempdir()) / f"statusdoc-locks-{os.getuid()}"
    return base / f"{key[:32]}.lock"


def remove_stale_temps(dest: Path) -> list[Path]:
    """Remove temporary files a killed run left next to ``dest``; return them.

    Call only while holding :func:`project_lock` for ``dest``'s directory:
    then no other statusdoc run can be writing them.
    """
    removed = []
    for tmp in dest.parent.glob(f".{glob_escape(dest.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def glob_escape(name: str) -> str:
    """``name`` with glob metacharacters made literal."""
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[bool]:
    """Hold an exclusive lock on project ``root`` while the block runs.

    A second ``statusdoc generate`` on the same project waits here, then sees
    the first one's outputs as up to date. Yields True when locked. When no
    lock can be created (a read-only temporary directory), the run proceeds
    unlocked (yields False): atomic renames still keep every file whole.
    """
    path = lock_path(root)
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield True
    finally:
        os.close(fd)  # releases the lock
