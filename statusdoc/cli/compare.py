"""``statusdoc compare [SPEC] [--table REF]``: does the enforcing code match the spec?

Exit 0 when the table and the spec agree, 1 on any difference or an invalid
spec, 2 on a usage, configuration or table error (a table that cannot be loaded).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
        "with a 'table' in [tool.statusdoc] is compared. Exit 0 same, 1 different "
        "or invalid spec, 2 usage, configuration or table error.",
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
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing when they match")
    p.set_defaults(func=run)


def _jobs(args: argparse.Namespace) -> list[tuple[Path, str, str, Path]]:
    """(spec path, display name, table ref, import root) per comparison.

    A table given with ``--table`` is resolved from the current directory
    (like ``python -m``); a configured one from the project root.
    """
    from statusdoc.config import load_config
    from statusdoc.errors import ConfigError
    from statusdoc.pathrules import check_path_text

    for option, value in (("SPEC", args.spec), ("--root", args.root)):
        if value:
            check_path_text(value, option)
    spec = Path(args.spec) if args.spec else None
    project = load_config(spec.parent if spec and spec.parent.is_dir() else None)
    forced = Path(args.root).absolute() if args.root else None
    if spec is not None:
        if args.table is not None:
            return [(spec, args.spec, args.table, forced or Path.cwd())]
        configured = project.find_spec(spec)
        if configured is None or configured.table is None:
            raise ConfigError(
                f"no table for {args.spec}: pass --table module:attr (or a .json/.yaml "
                "file), or set 'table' for this spec in [tool.statusdoc]"
            )
        return [(spec, args.spec, configured.table, forced or project.root)]
    if args.table:
        raise ConfigError("--table needs a SPEC argument")
    jobs = [
        (c.spec, c.source_name(), c.table, forced or project.root)
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


def _load(ref: str, root: Path, raw: bool) -> object:
    """The table object; with ``raw`` the machine object itself (events need it)."""
    from statusdoc.compare import load_table, resolve_table

    if raw:
        return resolve_table(ref, root=root, notice=notice)
    return load_table(ref, root=root, notice=notice)


def run(args: argparse.Namespace) -> int:
    from statusdoc.cli.inputs import load_spec_file
    from statusdoc.compare import compare_table

    if args.openapi is not None:
        from statusdoc.openapi_compare import run_cli

        return run_cli(args)

    results = []
    for spec, shown, ref, root in _jobs(args):
        machine = load_spec_file(spec)
        diff = compare_table(machine, _load(ref, root, args.events), events=args.events)
        results.append((shown, ref, diff))
    failed = False
    for shown, ref, diff in results:
        if diff:
            failed = True
        if diff or not args.quiet:
            print(diff.report(shown, ref))
    return EXIT_PROBLEMS if failed else EXIT_OK
