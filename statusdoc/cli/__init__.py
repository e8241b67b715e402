"""The ``statusdoc`` command line: a thin door over the library.

Each sub-command lives in its own module under ``statusdoc.cli`` with
``register(subparsers)``; modules import heavy dependencies (Jinja2, pydot,
Sphinx) inside their ``run`` function only, so start-up stays small.
Exit codes: 0 success, 1 invalid spec or drift, 2 usage error (see each command).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("statusdoc: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
