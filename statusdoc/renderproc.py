"""Running a renderer process: bounded in time, memory and output, never left behind.

:func:`run_limited` starts a program in a new session (its own process
group), feeds it standard input, and collects its standard output and the
tail of its standard error, with these guarantees:

- **time**: when ``timeout`` runs out the whole group is killed
  (:class:`TimedOut`);
- **memory**: ``RLIMIT_AS`` is set on the child to the requested limit,
  clamped to the hard limit of this process (a hard ``ulimit -v`` below
  the request used to make every start fail in ``preexec_fn``);
  :func:`address_space_limit` says what was applied. On Linux the limits
  are set with ``prlimit`` right after the child starts and before any of
  its input is written: a renderer's work depends on its input, so all of
  it runs under the limits, and without a ``preexec_fn`` Python starts the
  child with ``vfork`` (a render costs half as much from a big process,
  such as a Sphinx build). Elsewhere ``preexec_fn`` sets them;
- **output**: standard output is read in chunks and capped at
  ``max_output`` bytes (:class:`OutputTooLarge`, the group is killed);
  only the last :data:`STDERR_KEPT` bytes of standard error are kept;
- **lingering children**: as soon as the program itself exits, the rest
  of its group is killed, and the pipes are read only until a short grace
  ends, so a child that keeps standard output open neither turns a
  success into a time-out nor keeps running;
- **a killed statusdoc**: every renderer gets a *watchdog*, a ``/bin/sh``
  in its own session blocked reading a pipe only statusdoc holds. When
  statusdoc ends in any way, even by SIGKILL, the kernel closes that pipe
  and the watchdog kills the renderer's whole process group. (Chosen over
  ``PR_SET_PDEATHSIG``, which reaches only the direct child, not its
  children, and needs ``prctl`` through ctypes in ``preexec_fn``.) When
  ``/bin/sh`` is missing the render runs without a watchdog.

The group is always killed before the program is reaped, so its process
group ID cannot have been reused by then.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from statusdoc.errors import StatusdocError

#: Bytes of standard error kept (the end of it: that is where errors are).
STDERR_KEPT = 64 * 1024
#: How long the pipes are still read after the program itself exited.
LINGER_GRACE = 1.0
_CHUNK = 64 * 1024
_POLL = 0.05
_WATCHDOG = 'read -r _; kill -s KILL -- "-$1" 2>/dev/null'


class StartError(OSError):
    """The program could not be started (or its limits not set)."""


class TimedOut(StatusdocError):
    """The program did not finish in time; its group was killed."""


class OutputTooLarge(StatusdocError):
    """The program wrote more than ``max_output`` bytes; its group was killed."""


@dataclass(frozen=True, slots=True)
class Finished:
    """A program that exited: its status, its output, the end of its errors."""

    returncode: int
    stdout: bytes
    stderr: bytes


def address_space_limit(requested: int | None) -> tuple[int | None, bool]:
    """The ``RLIMIT_AS`` a child gets for ``requested`` bytes, and whether it was clamped.

    A child cannot raise a limit above this process's hard limit, so a
    request above it is clamped to it.
    """
    if not requested:
        return None, False
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and requested > hard:
        return hard, True
    return requested, False


def _child_limits(memory: int | None) -> None:  # runs in the child before exec
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _limit_started(pid: int, memory: int | None) -> None:
    """The limits of :func:`_child_limits`, set from outside on a started child."""
    with contextlib.suppress(ProcessLookupError):  # it already ended: nothing to bound
        if memory:
            resource.prlimit(pid, resource.RLIMIT_AS, (memory, memory))
        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))


#: Set the limits from outside (Linux) rather than in a ``preexec_fn``.
_PRLIMIT = hasattr(resource, "prlimit")


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """Has the program exited? Leaves it unreaped (a zombie keeps its group ID reserved)."""
    if proc.returncode is not None:
        return True
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _start_watchdog(pgid: int) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            ["/bin/sh", "-c", _WATCHDOG, "statusdoc-watchdog", str(pgid)],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return None


def run_limited(
    argv: Sequence[str],
    stdin: bytes,
    *,
    timeout: float,
    memory: int | None,
    max_output: int,
    env: Mapping[str, str],
) -> Finished:
    """Run ``argv`` with ``stdin``; see the module docstring for the guarantees.

    Raises :class:`StartError`, :class:`TimedOut` or :class:`OutputTooLarge`.
    """
    deadline = time.monotonic() + timeout
    limit, _clamped = address_space_limit(memory)
    preexec = None if _PRLIMIT else functools.partial(_child_limits, limit)
    try:
        proc = subprocess.Popen(
            list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(env), start_new_session=True, preexec_fn=preexec,
        )
    except subprocess.SubprocessError as exc:
        raise StartError(0, f"could not set its limits ({exc})") from None
    if _PRLIMIT:
        try:
            _limit_started(proc.pid, limit)  # before a byte of input: see the docstring
        except OSError as exc:
            _kill_group(proc)
            proc.wait()
            for pipe in (proc.stdin, proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
            raise StartError(0, f"could not set its limits ({exc})") from None
    watchdog = _start_watchdog(proc.pid)
    try:
        stdout, stderr = _pump(proc, stdin, deadline, max_output)
        _wait_exit(proc, deadline)
    finally:
        _kill_group(proc)  # leftovers; the unreaped program keeps the group ID ours
        if watchdog is not None:
            watchdog.kill()
            watchdog.wait()
            if watchdog.stdin is not None:
                watchdog.stdin.close()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        proc.wait()
    return Finished(proc.returncode, stdout, stderr)


def _wait_exit(proc: subprocess.Popen[bytes], deadline: float) -> None:
    while not _exited(proc):
        if time.monotonic() >= deadline:
            raise TimedOut
        time.sleep(0.01)


def _pump(proc: subprocess.Popen[bytes], data: bytes, deadline: float,
          max_output: int) -> tuple[bytes, bytes]:
    """Write ``data`` to the program and read both outputs until EOF, time or cap."""
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    out, err = bytearray(), bytearray()
    view, written = memoryview(data), 0
    with selectors.DefaultSelector() as selector:
        if data:
            os.set_blocking(proc.stdin.fileno(), False)
            selector.register(proc.stdin, selectors.EVENT_WRITE)
        else:
            proc.stdin.close()
        selector.register(proc.stdout, selectors.EVENT_READ, out)
        selector.register(proc.stderr, selectors.EVENT_READ, err)
        reading = 2
        grace_end: float | None = None
        while reading:
            now = time.monotonic()
            if now >= deadline:
                raise TimedOut
            if grace_end is None and _exited(proc):
                _kill_group(proc)  # what is left of the group only holds the pipes open
                grace_end = now + LINGER_GRACE
            if grace_end is not None and now >= grace_end:
                break
            for key, _events in selector.select(min(deadline - now, _POLL)):
                if key.fileobj is proc.stdin:
                    written = _feed(selector, proc, view, written)
                    continue
                chunk = os.read(key.fd, _CHUNK)
                buffer: bytearray = key.data
                if not chunk:
                    selector.unregister(key.fileobj)
                    reading -= 1
                    continue
                buffer += chunk
                if buffer is out and len(out) > max_output:
                    raise OutputTooLarge
                if buffer is err and len(err) > STDERR_KEPT:
                    del err[:-STDERR_KEPT]
    return bytes(out), bytes(err)


def _feed(selector: selectors.BaseSelector, proc: subprocess.Popen[bytes],
          view: memoryview, written: int) -> int:
    """Write the next chunk of standard input; close it when done or when the program left."""
    assert proc.stdin is not None
    try:
        written += os.write(proc.stdin.fileno(), view[written:written + _CHUNK])
    except (BrokenPipeError, BlockingIOError) as exc:
        if isinstance(exc, BlockingIOError):
            return written
        written = len(view)
    if written >= len(view):
        selector.unregister(proc.stdin)
        proc.stdin.close()
    return written
