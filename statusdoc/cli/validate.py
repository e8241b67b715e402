"""``statusdoc validate SPEC...``: report every problem, one per line.

Problems go to standard output as ``file:line: key.path: message`` (warnings
say ``warning:``), so editors and CI annotate them; a one-line summary per
spec goes to standard error. Exit 0 when every spec is valid, 1 when any spec
has errors (or warnings, with ``--strict``), 2 on a usage error: a missing or
unreadable file, or a file whose format cannot be told from its name.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check spec files and report every problem",
        description="Check spec files. Prints one problem per line to standard output as "
        "'file:line: key: message' and a summary per spec to standard error. "
        "Exit 0 valid, 1 invalid (or warnings with --strict), 2 usage error "
        "(file missing or unreadable, unknown format).",
    )
    p.add_argument("specs", nargs="+", metavar="SPEC",
                   help="spec file (.toml, .yaml, .yml, .json); '-' reads standard input "
                   "(needs --format)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=("toml", "yaml", "json"),
                   help="spec format (default: from the file name's suffix)")
    p.set_defaults(func=run)


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _read(spec: str, fmt: str | None) -> tuple[bytes, str] | str:
    """The spec's bytes and format, or a usage-error message."""
    from statusdoc.spec.load import MAX_BYTES, detect_format

    if spec == "-":
        if fmt is None:
            return "reading standard input needs --format toml|yaml|json"
        return sys.stdin.buffer.read(MAX_BYTES + 1), fmt
    if fmt is None:
        try:
            fmt = detect_format(spec)
        except ValueError as exc:
            return f"{spec}: {exc}; or pass --format"
    if os.path.isdir(spec):
        return f"{spec}: is a directory, not a spec file"
    from statusdoc.fsutil import open_regular

    try:
        with open_regular(spec) as handle:  # a FIFO or device is refused, not read
            return handle.read(MAX_BYTES + 1), fmt
    except OSError as exc:
        return f"{spec}: cannot read: {exc.strerror or exc}"


def run(args: argparse.Namespace) -> int:
    from statusdoc.spec.api import validate_text

    code = EXIT_OK
    for spec in args.specs:
        got = _read(spec, args.format)
        if isinstance(got, str):
            print(f"statusdoc validate: {got}", file=sys.stderr)
            code = EXIT_USAGE
            continue
        data, fmt = got
        name = "<stdin>" if spec == "-" else spec
        report = validate_text(data, fmt, filename=name)
        for problem in report.problems:
            print(problem)
        errors, warnings = len(report.errors), len(report.warnings)
        if report.ok(strict=args.strict):
            machine = report.machine
            detail = (f" ({_plural(len(machine.states), 'status', 'statuses')}, "
                      f"{_plural(len(machine.transitions), 'transition')})" if machine else "")
            extra = f", {_plural(warnings, 'warning')}" if warnings else ""
            print(f"{name}: valid{detail}{extra}", file=sys.stderr)
        else:
            strict = " (--strict: warnings count as errors)" if args.strict and warnings else ""
            print(f"{name}: invalid: {_plural(errors, 'error')}, "
                  f"{_plural(warnings, 'warning')}{strict}", file=sys.stderr)
            if code == EXIT_OK:
                code = EXIT_INVALID
    return code
