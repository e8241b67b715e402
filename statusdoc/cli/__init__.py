"""The ``statusdoc`` command line: a thin door over the library.

Each sub-command lives in its own module under ``statusdoc.cli`` with
``register(subparsers)``; modules import heavy dependencies (Jinja2, pydot,
Sphinx) inside their ``run`` function only, so start-up stays small.
Exit codes: 0 success, 1 invalid spec or drift, 2 usage error (see each command).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

#: Sub-command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "validate",
    "generate",
    "check",
    "render",
    "compare",
    "diff",
    "import_",
    "init",
    "schema",
)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    from statusdoc import __version__

    parser = argparse.ArgumentParser(
        prog="statusdoc",
        description=(
            "Generate and check status-machine documentation (reference page, "
            "diagram, code) from one declarative spec."
        ),
        epilog="Exit codes: 0 ok, 1 invalid spec or drift, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"statusdoc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"statusdoc.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"statusdoc.cli.{name}":
                continue  # command not built yet in this checkout
            raise
        module.register(sub)
    return parser


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
    return EXIT_FAIL


def main(argv: Sequence[str] | None = None) -> int:
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
        code = int(args.func(args))
        if sys.stdout is not None:
            sys.stdout.flush()
        return code
    except KeyboardInterrupt:
        print("statusdoc: interrupted", file=sys.stderr)
        return 130
    except _OutputFailed as exc:
        return _output_failed(exc.args[0])
    except BrokenPipeError as exc:
        return _output_failed(exc)
    finally:
        sys.stdout = real_stdout


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
