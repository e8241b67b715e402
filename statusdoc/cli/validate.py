"""``statusdoc validate SPEC...``: report every problem, one per line.

Problems go to standard output as ``file:line: key.path: message [code rule]``
(warnings say ``warning:``), so editors and CI annotate them; a one-line
summary per spec goes to standard error. Exit 0 when every spec is valid, 1
when any spec has errors (or warnings, with ``--strict``), 2 on a usage
error: a missing or unreadable file, a file whose format cannot be told from
its name, an ``--ignore`` that names no warning rule, a broken configuration.

Warnings allowed by ``--ignore``, by the project configuration
(``lint.allow``) or by the spec itself (``[lint] allow``) are not printed
and do not count. :func:`add_lint_options` gives ``generate`` and ``check``
the same ``--strict`` and ``--ignore``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS, UnreadableInput, UsageError, shown_name


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_lint_options(p, "treat warnings as errors")
    p.add_argument("--format", choices=("toml", "yaml", "json"),
                   help="spec format (default: from the file name's suffix)")
    p.add_argument("--config", metavar="FILE",
                   help="configuration file whose lint.allow applies (default: nearest "
                   "statusdoc.toml or pyproject.toml with [tool.statusdoc])")
    p.set_defaults(func=run)


def _allowable(text: str) -> str:
    """``--ignore`` value -> rule name; argparse turns the refusal into a usage error."""
    from statusdoc.spec.rules import check_allow

    name, problem = check_allow(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return name


def add_lint_options(p: argparse.ArgumentParser, strict_help: str) -> None:
    """``--strict`` and ``--ignore RULE`` (validate, generate, check)."""
    p.add_argument("--strict", action="store_true", help=strict_help)
    p.add_argument(
        "--ignore", action="append", type=_allowable, default=[], metavar="RULE",
        help="do not report this warning rule, by name or code (repeatable), e.g. "
        "--ignore ambiguous-event; errors cannot be ignored",
    )


def _plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _read(spec: str, fmt: str | None) -> tuple[bytes, str]:
    """The spec's bytes and format; UsageError when they cannot be had."""
    from statusdoc.spec.api import read_spec
    from statusdoc.spec.load import MAX_BYTES, detect_format

    if spec == "-":
        if fmt is None:
            raise UsageError("reading standard input needs --format toml|yaml|json")
        return sys.stdin.buffer.read(MAX_BYTES + 1), fmt
    if fmt is None:
        try:
            fmt = detect_format(spec)
        except ValueError as exc:
            raise UsageError(f"{spec}: {exc}; or pass --format") from None
    if os.path.isdir(spec):
        raise UnreadableInput(f"{spec}: is a directory, not a spec file")
    return read_spec(spec, fmt)


def _allowed(args: argparse.Namespace) -> dict[str, frozenset[str]]:
    """Per spec argument, the rules allowed by the configuration and ``--ignore``
    (ConfigError when the configuration is unusable)."""
    from statusdoc.config import load_config, load_config_file

    project = load_config_file(Path(args.config)) if args.config else load_config()
    ignore = frozenset(args.ignore)
    allowed = {}
    for spec in args.specs:
        config = project.find_spec(Path(spec)) if spec != "-" else None
        allowed[spec] = (config.allow if config else project.allow) | ignore
    return allowed


def run(args: argparse.Namespace) -> int:
    from statusdoc.cli import say
    from statusdoc.spec.api import validate_text

    allowed = _allowed(args)
    code = EXIT_OK
    for spec in args.specs:  # every spec is reported, also after one that cannot be read
        try:
            data, fmt = _read(spec, args.format)
        except UsageError as exc:
            say("validate", str(exc))
            code = max(code, exc.exit_code)
            continue
        name = "<stdin>" if spec == "-" else spec
        shown = shown_name(name)
        report = validate_text(data, fmt, filename=name).allowing(allowed[spec])
        for problem in report.problems:
            print(problem)
        errors, warnings = len(report.errors), len(report.warnings)
        if report.ok(strict=args.strict):
            machine = report.machine
            detail = (f" ({_plural(len(machine.states), 'status', 'statuses')}, "
                      f"{_plural(len(machine.transitions), 'transition')})" if machine else "")
            extra = f", {_plural(warnings, 'warning')}" if warnings else ""
            print(f"{shown}: valid{detail}{extra}", file=sys.stderr)
        else:
            strict = " (--strict: warnings count as errors)" if args.strict and warnings else ""
            print(f"{shown}: invalid: {_plural(errors, 'error')}, "
                  f"{_plural(warnings, 'warning')}{strict}", file=sys.stderr)
            code = max(code, EXIT_PROBLEMS)
    return code
