"""``statusdoc generate [SPEC...]``: write every configured artifact, all or nothing.

Selecting and loading the specs is shared with ``check``
(:mod:`statusdoc.cli.inputs`).
"""

from __future__ import annotations

import argparse
import sys

from statusdoc.cli.inputs import (
    add_selection_options,
    load_machines,
    report_warnings,
    select_specs,
)
from statusdoc.errors import EXIT_OK, StatusdocError


class StrictWarnings(StatusdocError):
    """``--strict`` and the selected specs have warnings (printed already)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "generate",
        help="write every artifact of the configured specs (atomic, unchanged files untouched)",
        description="Generate the artifacts of each spec (default: every spec configured "
        "in [tool.statusdoc]). All outputs of a run are computed first and written only "
        "when all succeeded; unchanged files are not rewritten. View images the spec no "
        "longer makes (focus views of removed statuses) are removed with them. Spec warnings go to "
        "standard error. Exit 0 ok, 1 invalid spec (or warnings with --strict), render or "
        "write failure, 2 usage or configuration error.",
    )
    # Any error ends a run that wrote nothing: main() says so after the error.
    p.set_defaults(failure_note="nothing was changed")
    add_selection_options(p)
    p.add_argument(
        "--timeout", type=float, metavar="SECONDS",
        help="time limit for rendering the images of one spec (default: configured, else 60)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from statusdoc.artifacts import generate_project

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    configs = select_specs(args)
    machines, warnings = load_machines(configs, frozenset(args.ignore))
    strict_failure = report_warnings(warnings, args)
    if strict_failure:
        raise StrictWarnings(strict_failure)
    outcomes = generate_project(configs, warn=warn, machines=machines)
    if not args.quiet:
        for outcome in outcomes:
            print(outcome)
        changed = sum(o.changed and not o.removed for o in outcomes)
        removed = sum(o.removed for o in outcomes)
        gone = f", {removed} removed" if removed else ""
        print(f"{changed} written{gone}, {len(outcomes) - changed - removed} up to date")
    return EXIT_OK
