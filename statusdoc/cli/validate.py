"""``statusdoc validate SPEC...``: report every problem, one per line."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "validate",
        help="check spec files and report every problem",
        description="Check spec files. Prints one problem per line as "
        "'file:line: key: message'. Exit 0 valid, 1 invalid, 2 usage error.",
    )
    p.add_argument("specs", nargs="+", metavar="SPEC", help="spec file (.toml, .yaml, .json)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from statusdoc.spec.api import validate_file

    failed = False
    for spec in args.specs:
        report = validate_file(spec)
        for problem in report.problems:
            print(problem, file=sys.stderr)
        if not report.ok(strict=args.strict):
            failed = True
    return 1 if failed else 0
