"""File-system helpers: bounded reads, all-or-nothing writes and a project lock.

:func:`read_regular` (and :func:`open_regular`) is how statusdoc reads every
file it is given — specs, configuration, DOT sources, tables, artifacts on
disk: the path is opened without blocking (``O_NONBLOCK``, so a FIFO nobody
writes to cannot hang the run), anything but a regular file is refused
(:class:`NotRegularFileError`: FIFOs, devices such as ``/dev/zero``,
directories, sockets), and so is a file over the caller's size limit
(:class:`FileTooLargeError`, decided from ``fstat`` before reading, and
again while reading). Both are :class:`OSError` subclasses whose
``strerror`` is the reason, so every ``except OSError`` reports them.

:func:`write_all` writes a whole set of files, and removes another set, or
does neither:

1. every new content goes to a temporary file in its destination directory
   (``.<name>.<random>.statusdoc-tmp``), flushed and ``fsync``-ed; every
   directory a file is to be removed from must be writable;
2. only when every temporary file is complete, SIGINT/SIGTERM are blocked
   and each is renamed over its destination with ``os.replace`` (atomic on
   POSIX), the files to remove are unlinked (the directory entry: a symbolic
   link is removed, never what it points to), then the directories are
   ``fsync``-ed and the signals unblocked (a signal that arrived meanwhile is
   delivered after the whole set is in place: old set or new set, never a mix);
3. on any failure, and in every case in ``finally``, the temporary files are
   removed.

:func:`project_lock` serialises runs on the same project with
``fcntl.flock`` on a lock file kept in the system temporary directory (keyed
by the project root), so no lock file ever appears among the artifacts.
That directory is shared with other users: the lock is opened without
following symbolic links, must be this user's and writable by no one else,
and a wait longer than :data:`LOCK_WAIT` ends with a :class:`LockError`
naming the holder's pid and the lock file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import secrets
import signal
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from statusdoc.errors import StatusdocError

TEMP_SUFFIX = ".statusdoc-tmp"
#: Largest configuration, DOT or table file statusdoc reads (specs: the same 5 MiB,
#: :data:`statusdoc.spec.load.MAX_BYTES`).
MAX_INPUT_BYTES = 5 * 1024 * 1024
#: Largest artifact statusdoc writes or reads back (an image or a text page).
MAX_ARTIFACT_BYTES = 128 * 1024**2
_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WriteError(StatusdocError):
    """An output could not be written; nothing was changed."""


class NotRegularFileError(OSError):
    """A path to read is a FIFO, device, directory or socket, not a regular file."""


class FileTooLargeError(OSError):
    """A file to read is larger than the limit its reader sets."""


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _too_large(path: str | os.PathLike[str], limit: int) -> FileTooLargeError:
    return FileTooLargeError(errno.EFBIG, f"larger than the limit of {limit:,} bytes",
                             os.fspath(path))


def open_regular(path: str | os.PathLike[str], *, limit: int | None = None,
                 follow: bool = True) -> BinaryIO:
    """Open ``path`` for binary reading; refuse anything but a regular file.

    Never blocks on a FIFO. With ``limit``, a file whose size is over it
    is refused before anything is read. ``follow=False``: a symbolic link at
    ``path`` is refused too (``ELOOP``), however it was swapped in.
    """
    nofollow = 0 if follow else os.O_NOFOLLOW

    def opener(name: str, flags: int) -> int:
        fd = os.open(name, flags | os.O_NONBLOCK | os.O_CLOEXEC | nofollow)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise NotRegularFileError(
                    errno.EINVAL, f"not a regular file ({_kind(info.st_mode)})", os.fspath(path)
                )
            if limit is not None and info.st_size > limit:
                raise _too_large(path, limit)
            os.set_blocking(fd, True)
        except BaseException:
            os.close(fd)
            raise
        return fd

    return open(path, "rb", opener=opener)


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = True) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Raises :class:`NotRegularFileError`, :class:`FileTooLargeError` or the
    :class:`OSError` of opening (e.g. :class:`FileNotFoundError`); ``follow``
    as for :func:`open_regular`.
    """
    with open_regular(path, limit=limit, follow=follow) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew after fstat
        raise _too_large(path, limit)
    return data


def temp_name(dest: Path) -> Path:
    """A fresh temporary path next to ``dest``, recognisable as statusdoc's."""
    return dest.with_name(f".{dest.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")


def _write_temp(dest: Path, data: bytes, mode: int, durable: bool = True) -> Path:
    tmp = temp_name(dest)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
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


def write_all(files: Mapping[Path, bytes], *, durable: bool = True,
              remove: Iterable[Path] = ()) -> None:
    """Write every ``path -> bytes`` in ``files`` and remove every path in ``remove``,
    all or nothing.

    Parent directories are created. Raises :class:`WriteError` (nothing
    changed, no temporary file left) when any write fails or a directory to
    remove from is not writable. A path to remove that is gone already is no
    error; one that is also in ``files`` is written, not removed.
    ``durable=False`` skips the ``fsync`` calls: still never half a file for a
    reader, but a power cut may lose what was written, which suits files a
    build makes again (Sphinx's image cache and static assets; Sphinx flushes
    none of its own).
    """
    temps: dict[Path, Path] = {}
    removals = [path for path in remove if path not in files]
    try:
        for dest, data in files.items():
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                temps[dest] = _write_temp(dest, data, _mode_for(dest), durable)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise WriteError(f"cannot write {dest}: {reason}; nothing was changed") from None
        for path in removals:
            if os.path.lexists(path) and not os.access(path.parent, os.W_OK | os.X_OK):
                raise WriteError(f"cannot remove {path}: its directory is not writable; "
                                 "nothing was changed")
        with signals_deferred():
            _commit(temps, removals)
            for directory in {d.parent for d in [*temps, *removals]} if durable else ():
                _fsync_dir(directory)
    finally:
        for tmp in temps.values():
            with contextlib.suppress(FileNotFoundError, OSError):
                tmp.unlink()


def _commit(temps: Mapping[Path, Path], removals: Iterable[Path]) -> None:
    """Rename every temporary file over its destination, then unlink ``removals``.

    Renames and unlinks within writable directories do not fail in practice;
    if one does, the error says exactly what is already done.
    """
    done: list[str] = []

    def failed(what: str, exc: OSError) -> WriteError:
        return WriteError(f"cannot {what}: {exc.strerror}; already done: "
                          + (", ".join(done) or "nothing"))

    for dest, tmp in temps.items():
        try:
            os.replace(tmp, dest)
        except OSError as exc:
            raise failed(f"replace {dest}", exc) from None
        done.append(f"replaced {dest}")
    for path in removals:
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise failed(f"remove {path}", exc) from None
        done.append(f"removed {path}")


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write one file atomically (see :func:`write_all`)."""
    write_all({path: data}, durable=durable)


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


class LockError(StatusdocError):
    """The project lock is unsafe to use (planted, not ours) or held too long."""


#: How long a run waits for another run on the same project, in seconds.
LOCK_WAIT = 600.0
_LOCK_FIX = "; remove it if no statusdoc run is going on (or set TMPDIR to a private directory)"


@contextlib.contextmanager
def project_lock(root: Path, *, wait: float = LOCK_WAIT) -> Iterator[bool]:
    """Hold an exclusive lock on project ``root`` while the block runs.

    A second ``statusdoc generate`` on the same project waits here, then sees
    the first one's outputs as up to date. Yields True when locked. When no
    lock can be created (a read-only temporary directory), the run proceeds
    unlocked (yields False): atomic renames still keep every file whole.

    The lock directory and file live in a shared place, so they are opened
    without following symbolic links and must belong to this user and be
    writable by nobody else; anything else is a :class:`LockError`, as is a
    lock still held by another run after ``wait`` seconds (the message names
    that run's pid, recorded in the lock file, and the path).
    """
    path = lock_path(root)
    try:
        fd = _open_lock(path)
    except LockError:
        raise
    except OSError:
        yield False
        return
    try:
        _acquire(fd, path, root, wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield True
    finally:
        os.close(fd)  # releases the lock


def _check_owned(info: os.stat_result, what: str) -> None:
    if info.st_uid != os.getuid():
        raise LockError(f"{what} is owned by uid {info.st_uid}, not by uid {os.getuid()}"
                        f"{_LOCK_FIX}")
    if info.st_mode & 0o022:
        raise LockError(f"{what} is writable by other users{_LOCK_FIX}")


def _open_lock(path: Path) -> int:
    """The lock file's descriptor, opened safely in a directory that is ours."""
    directory = path.parent
    with contextlib.suppress(FileExistsError):
        directory.mkdir(mode=0o700)
    if directory.is_symlink():
        raise LockError(f"lock directory {directory} is a symbolic link{_LOCK_FIX}")
    dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        _check_owned(os.fstat(dfd), f"lock directory {directory}")
        try:
            fd = os.open(path.name, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                         0o600, dir_fd=dfd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise LockError(f"lock file {path} is a symbolic link{_LOCK_FIX}") from None
            raise
    finally:
        os.close(dfd)
    try:
        info = os.fstat(fd)
        _check_owned(info, f"lock file {path}")
        if not stat.S_ISREG(info.st_mode):
            raise LockError(f"lock file {path} is not a regular file{_LOCK_FIX}")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _acquire(fd: int, path: Path, root: Path, wait: float) -> None:
    """Take the lock on ``fd``, polling until ``wait`` seconds have passed."""
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").split()
            pid = holder[0] if holder and holder[0].isdigit() else "unknown"
            raise LockError(
                f"{root.resolve()} is locked by another statusdoc run (pid {pid}); waited "
                f"{wait:g} s; lock file {path}{_LOCK_FIX}"
            )
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.2)
