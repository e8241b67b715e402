"""``statusdoc compare [SPEC] [--table REF]``: does the enforcing code match the spec?

Exit 0 when the table and the spec agree (listed known differences aside), 1 on
any other difference, a stale known difference or an invalid spec, 2 on a usage,
configuration, known-differences or table error (a table that cannot be loaded).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statusdoc.known import KnownDifference

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "compare",
        help="compare a hand-written transition table with a spec",
        description="Compare the transitions a spec allows with a table in code: a "
        "{status: targets} mapping named 'module:attr' (attr may be dotted, e.g. "
        "glance.domain:Image.valid_state_targets), an automaton FiniteMachine, "
        "transitions Machine or python-statemachine StateMachine named the same way, "
        "or a .json/.yaml file. Lists every "
        "status and transition on one side only. Without SPEC, every spec configured "
        "with a 'table' in [tool.statusdoc] is compared. Differences listed in the spec's "
        "known-differences (or --known FILE) are reported as known; a listed one that no "
        "longer occurs is stale. Exit 0 same, 1 different, stale or invalid spec, "
        "2 usage, configuration, known-differences or table error.",
    )
    p.add_argument("spec", nargs="?", metavar="SPEC", help="spec file (.toml, .yaml, .json)")
    p.add_argument(
        "--table",
        metavar="REF",
        help="module:attr, path/to/file.py:attr, or a .json/.yaml file "
        "(default: the spec's configured 'table')",
    )
    p.add_argument(
        "--root",
        metavar="DIR",
        help="directory put first on sys.path to import REF, and base of a relative "
        "table file (default: the current directory for --table, the project root "
        "for a configured table)",
    )
    p.add_argument(
        "--events",
        action="store_true",
        help="also compare events (triggers) with a machine object's; a plain mapping "
        "has none",
    )
    p.add_argument(
        "--openapi",
        metavar="FILE#POINTER",
        help="instead of a table: the status enum of an API document (JSON or YAML) at "
        "the JSON pointer after '#', e.g. api.yaml#/components/schemas/VolumeStatus; "
        "lists statuses missing from it and values only it has",
    )
    p.add_argument(
        "--known",
        metavar="FILE",
        help="TOML file of expected differences ([[known-differences]] tables: transition "
        "or status, side, reason), instead of the spec's configured known-differences; "
        "a listed difference that no longer occurs fails",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing when they match")
    p.set_defaults(func=run)


Job = tuple[Path, str, str, Path, "tuple[KnownDifference, ...]"]


def _jobs(args: argparse.Namespace) -> list[Job]:
    """(spec path, display name, table ref, import root, known differences) per comparison.

    A table given with ``--table`` is resolved from the current directory
    (like ``python -m``); a configured one from the project root. ``--known``
    replaces the configured known differences.
    """
    from statusdoc.config import load_config
    from statusdoc.errors import ConfigError
    from statusdoc.known import load_known
    from statusdoc.pathrules import check_path_text

    for option, value in (("SPEC", args.spec), ("--root", args.root), ("--known", args.known)):
        if value:
            check_path_text(value, option)
    spec = Path(args.spec) if args.spec else None
    for option, value in (("--table", args.table), ("--known", args.known)):
        if value and spec is None:
            raise ConfigError(f"{option} needs a SPEC argument")
    project = load_config(spec.parent if spec and spec.parent.is_dir() else None)
    forced = Path(args.root).absolute() if args.root else None
    given = load_known(args.known) if args.known else None
    if spec is not None:
        configured = project.find_spec(spec)
        known = given if given is not None else configured.known if configured else ()
        if args.table is not None:
            return [(spec, args.spec, args.table, forced or Path.cwd(), known)]
        if configured is None or configured.table is None:
            raise ConfigError(
                f"no table for {args.spec}: pass --table module:attr (or a .json/.yaml "
                "file), or set 'table' for this spec in [tool.statusdoc]"
            )
        return [(spec, args.spec, configured.table, forced or project.root, known)]
    jobs = [
        (c.spec, c.source_name(), c.table, forced or project.root, c.known)
        for c in project.specs
        if c.table
    ]
    if not jobs:
        where = project.file or "no [tool.statusdoc] configuration found"
        raise ConfigError(
            f"nothing to compare: no spec has a 'table' configured ({where}); "
            "run `statusdoc compare SPEC --table REF`"
        )
    return jobs


def notice(message: str) -> None:
    """Print a notice (e.g. that a module's code runs) to standard error."""
    print(message, file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from statusdoc.cli.inputs import load_spec_file
    from statusdoc.compare import compare_table, resolve_table

    if args.openapi is not None:
        from statusdoc.openapi_compare import run_cli

        return run_cli(args)

    results = []
    for spec, shown, ref, root, known in _jobs(args):
        machine = load_spec_file(spec)
        table = resolve_table(ref, root=root, notice=notice)
        diff = compare_table(machine, table, events=args.events, known=known,
                             where=f"table {ref!r}")
        results.append((shown, ref, diff))
    failed = False
    for shown, ref, diff in results:
        if diff:
            failed = True
        if diff or not args.quiet:
            print(diff.report(shown, ref))
    return EXIT_PROBLEMS if failed else EXIT_OK
