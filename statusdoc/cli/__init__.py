"""The ``statusdoc`` command line: a thin door over the library.

Each sub-command lives in its own module under ``statusdoc.cli`` with
``register(subparsers)``; modules import heavy dependencies (Jinja2, pydot,
Sphinx) inside their ``run`` function only, so start-up stays small.

Exit codes (the table in ``docs/cli.rst``): a command's ``run`` returns 0 or
1 for what it found (:data:`~statusdoc.errors.EXIT_OK`,
:data:`~statusdoc.errors.EXIT_PROBLEMS`) and raises a
:class:`~statusdoc.errors.StatusdocError` for anything that stops it; :func:`main`
is the one place that prints such an error (``statusdoc COMMAND: message``)
and exits with the code the error carries.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from statusdoc.errors import (
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    EXIT_TERMINATED,
    EXIT_USAGE,
    StatusdocError,
)

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "validate",
    "generate",
    "check",
    "render",
    "compare",
    "audit",
    "diff",
    "import_",
    "init",
    "schema",
)


def build_parser() -> argparse.ArgumentParser:
    from statusdoc import __version__

    parser = argparse.ArgumentParser(
        prog="statusdoc",
        description=(
            "Generate and check status-machine documentation (reference page, "
            "diagram, code) from one declarative spec."
        ),
        epilog="Exit codes: 0 clean, 1 problems found (invalid spec, drift, differences, "
        "render or write failure), 2 usage or environment error (bad option, unreadable "
        "file, unusable configuration).",
    )
    parser.add_argument("--version", action="version", version=f"statusdoc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"statusdoc.cli.{name}").register(sub)
    return parser


def say(command: str, message: str) -> None:
    """Print ``statusdoc COMMAND: message`` to standard error: the one format of
    every message about a command's failure."""
    print(f"statusdoc {command}: {message}", file=sys.stderr)


def _report(command: str, error: StatusdocError, note: str | None) -> int:
    """Print ``error`` (its details, then its summary) and return its exit code."""
    for line in error.details():
        print(line, file=sys.stderr)
    say(command, error.summary)
    if note:
        say(command, note)
    return error.exit_code


class Terminated(BaseException):
    """SIGTERM arrived; unwinds like KeyboardInterrupt so temporary files are removed."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while the block runs."""

    def handler(signum: int, frame: object) -> None:
        raise Terminated

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


class _OutputFailed(Exception):
    """Writing to standard output failed (a full device, a closed pipe)."""


class _GuardedOutput:
    """Standard output whose write errors are told apart from every other OSError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _OutputFailed(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _OutputFailed(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _output_failed(error: OSError) -> int:
    """Report a failed write to standard output; exit 1 without a traceback."""
    if isinstance(error, BrokenPipeError):
        message = None  # the reader went away (``| head``): nothing to say
    else:
        message = f"statusdoc: cannot write to standard output: {error.strerror or error}"
    # What is still buffered would fail again when Python exits: point the
    # descriptor at /dev/null so that last flush succeeds silently.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())  # type: ignore[union-attr]
        os.close(devnull)
    if message:
        with contextlib.suppress(OSError):
            print(message, file=sys.stderr)
    return EXIT_PROBLEMS


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``statusdoc`` command line; returns the exit code.

    ``argparse`` exits 2 itself on a bad option (0 for ``--help``).
    """
    for stream in (sys.stdout, sys.stderr):  # a name with undecodable bytes never crashes
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    real_stdout = sys.stdout
    if real_stdout is not None:
        sys.stdout = _GuardedOutput(real_stdout)
    try:
        with sigterm_unwinds():
            code = int(args.func(args))
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except StatusdocError as exc:
        return _report(args.command, exc, getattr(args, "failure_note", None))
    except Terminated:
        print("statusdoc: terminated; no artifact was left half-written", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("statusdoc: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _OutputFailed as exc:
        return _output_failed(exc.args[0])
    except BrokenPipeError as exc:
        return _output_failed(exc)
    finally:
        sys.stdout = real_stdout


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
