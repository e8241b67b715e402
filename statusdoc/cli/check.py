"""``statusdoc check [SPEC...]``: exit 1 when any artifact is stale or missing.

Never writes a file and never starts a renderer: text outputs are emitted in
memory and compared byte for byte, images by the DOT hash in their stamp; a
view image the spec no longer makes is drift too (:mod:`statusdoc.orphans`).
Spec warnings (those not allowed) go to standard error, as ``generate``
prints them; with ``--strict`` they fail the check (exit 1) like drift does,
so CI can gate on one command.

``--db URL`` also reads the enforcement installed in a database (PostgreSQL
or SQLite, read-only) for every selected spec with ``sql`` settings of that
dialect, and reports it missing or stale with the command that fixes it
(:mod:`statusdoc.sql.dbcheck`); psycopg is imported only then.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig
    from statusdoc.spec.model import Machine
    from statusdoc.sql.database import DatabaseUrl


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from statusdoc.cli.inputs import add_selection_options

    p = sub.add_parser(
        "check",
        help="exit 1 when a generated artifact is stale or missing (never writes)",
        description="Compare every artifact with what the spec generates now: text byte "
        "for byte, images by the DOT hash stamped in them. Writes nothing and runs no "
        "renderer. View images the spec no longer makes are reported as left over. Spec "
        "warnings go to standard error. Exit 0 current, 1 stale, missing or left over "
        "(or invalid spec, or spec warnings with --strict), 2 usage or configuration error.",
    )
    add_selection_options(p)
    p.add_argument("--diff", action="store_true", help="print a unified diff of stale text "
                   "(and, with --db, of the SQL the database would change)")
    p.add_argument("--db", metavar="URL", help="also check the enforcement installed in this "
                   "database, read-only: postgresql://USER@HOST/DBNAME or sqlite:///PATH "
                   "(specs with sql settings of that dialect)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from statusdoc.artifacts import drifts_in, plan_spec
    from statusdoc.cli import say
    from statusdoc.cli.inputs import load_machines, report_warnings, select_specs

    configs = select_specs(args)
    machines, warnings = load_machines(configs, frozenset(args.ignore))
    strict_failure = report_warnings(warnings, args)
    if strict_failure:  # reported, and drift is still looked for: one run says all
        say("check", strict_failure)
    db = None
    if args.db:  # a bad URL or no spec for it is a usage error, before any work
        from statusdoc.sql.database import parse_url
        from statusdoc.sql.dbcheck import selected

        db = parse_url(args.db)
        db_configs = selected(db, configs)
    drifts = []
    total = left = 0
    for config in configs:
        plan = plan_spec(config, machines[config.spec])  # view images, left-over ones too
        drifts.extend(drifts_in(plan))
        total += len(plan)
        left += sum(item.remove for item in plan)
    for drift in drifts:
        print(drift)
        if args.diff and drift.diff:
            sys.stdout.write(drift.diff)
    if drifts:
        what = "stale, missing or left over" if left else "stale or missing"
        print(f"{len(drifts)} of {total} artifacts {what}; run `statusdoc generate`",
              file=sys.stderr)
    db_stale = 0
    if db is not None:
        db_stale = _check_db(args, db, [(c, machines[c.spec]) for c in db_configs],
                             [d.path for d in drifts])
    if drifts or db_stale or strict_failure:
        return EXIT_PROBLEMS
    if not args.quiet:
        print(f"all {total} artifacts current")
        if db is not None:
            print(f"enforcement current in {db.shown}: {len(db_configs)} of "
                  f"{len(db_configs)} specs")
    return EXIT_OK


def _check_db(args: argparse.Namespace, db: DatabaseUrl,
              items: list[tuple[SpecConfig, Machine]], stale_files: list[Path]) -> int:
    """Report the specs whose enforcement in ``db`` is missing or stale; return how many."""
    from statusdoc.sql.dbcheck import check_database

    found = check_database(db, items, stale_files=stale_files)
    for drift in found:
        print("\n".join(drift.lines(db.shown)))
        if args.diff and drift.diff:
            sys.stdout.write(drift.diff)
    if found:
        print(f"{len(found)} of {len(items)} specs' enforcement in {db.shown} missing or "
              "stale; apply the generated SQL (the `to fix` commands)", file=sys.stderr)
    return len(found)
