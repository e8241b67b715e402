"""``statusdoc audit SPEC HISTORY``: what a status history did, against the spec.

Exit 0 when no forbidden transition happened, 1 when one did (or the spec is
invalid), 2 on a usage error: a bad option, a history that cannot be read, a
column or table the query cannot find.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from statusdoc.audit.query import Columns
    from statusdoc.spec.model import Machine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from statusdoc.audit.engine import FILE_FORMATS
    from statusdoc.audit.report import FORMATS

    p = sub.add_parser(
        "audit",
        help="check a status history against a spec: forbidden, unused, dwell times",
        description="Read a status history (rows of entity id, status, time; or id, from, "
        "to, time) and report the transitions that happened though the spec forbids them "
        "(with counts and example ids), the allowed transitions never used, the statuses "
        "never entered, and the time spent in each status (median, p95, max). One SQL "
        "query does the work where the history lies: DuckDB over CSV, JSON lines or "
        "Parquet files, or the database given with --db. Exit 0 nothing forbidden "
        "happened, 1 a forbidden transition happened (or the spec is invalid), 2 usage "
        "error or unreadable history.",
    )
    p.add_argument("spec", metavar="SPEC", help="spec file (.toml, .yaml, .json)")
    p.add_argument("history", nargs="?", metavar="HISTORY",
                   help="history file: .csv, .jsonl or .parquet (a glob reads several)")
    p.add_argument("--input-format", choices=tuple(FILE_FORMATS),
                   help="format of HISTORY (default: from its suffix)")
    p.add_argument("--db", metavar="URL",
                   help="audit inside this database instead: postgresql://... or "
                   "duckdb:///PATH; with --table or --query")
    p.add_argument("--table", metavar="NAME", help="history table in --db (schema.table)")
    p.add_argument("--query", metavar="SQL", help="query giving the history rows in --db")
    p.add_argument("--id-column", default="id", metavar="NAME",
                   help="column of the entity id (default: id)")
    p.add_argument("--status-column", default="status", metavar="NAME",
                   help="column of the status entered (default: status)")
    p.add_argument("--time-column", default="at", metavar="NAME",
                   help="column of the time of the row (default: at)")
    p.add_argument("--from-column", metavar="NAME",
                   help="rows are transitions: column of the status left (with --to-column)")
    p.add_argument("--to-column", metavar="NAME",
                   help="rows are transitions: column of the status entered")
    p.add_argument("--ignore-unchanged", action="store_true",
                   help="a row that repeats the status it follows is no transition (a "
                   "history of snapshots); by default it is a self-transition")
    p.add_argument("--format", choices=tuple(FORMATS), default="text",
                   help="report format (default: text)")
    p.add_argument("--output", "-o", metavar="PATH",
                   help="write the report to PATH (atomically) instead of standard output")
    p.add_argument("--diagram", metavar="PATH",
                   help="also write the annotated diagram to PATH: rendered when PATH ends "
                   "in .svg or .png (with the configured renderer), else Graphviz DOT")
    p.add_argument("--print-sql", action="store_true",
                   help="print the audit query and exit, running nothing")
    p.set_defaults(func=run)


def _columns(args: argparse.Namespace) -> Columns:
    from statusdoc.audit.query import Columns

    if (args.from_column is None) != (args.to_column is None):
        raise UsageError("--from-column and --to-column go together")
    return Columns(args.id_column, args.status_column, args.time_column,
                   args.from_column, args.to_column)


def _sql(args: argparse.Namespace, machine: Machine) -> str:
    from statusdoc.audit import database_sql, file_sql

    columns = _columns(args)
    if args.db is not None:
        if args.history is not None:
            raise UsageError("give HISTORY or --db, not both")
        return database_sql(machine, table=args.table, query=args.query, columns=columns,
                            ignore_unchanged=args.ignore_unchanged)
    if args.table is not None or args.query is not None:
        raise UsageError("--table and --query need --db")
    if args.history is None:
        raise UsageError("give a HISTORY file, or --db URL with --table or --query")
    return file_sql(machine, args.history, fmt=args.input_format, columns=columns,
                    ignore_unchanged=args.ignore_unchanged)


def run(args: argparse.Namespace) -> int:
    from statusdoc.audit.diagram import emit_audit_dot
    from statusdoc.audit.engine import read_database, run_duckdb
    from statusdoc.audit.report import FORMATS
    from statusdoc.audit.result import from_rows
    from statusdoc.cli.inputs import load_spec_file
    from statusdoc.fsutil import write_all
    from statusdoc.pathrules import check_path_text

    for option, value in (("SPEC", args.spec), ("--output", args.output),
                          ("--diagram", args.diagram)):
        if value:
            check_path_text(value, option)
    machine = load_spec_file(args.spec)
    sql = _sql(args, machine)
    if args.print_sql:
        sys.stdout.write(sql)
        return EXIT_OK
    rows = read_database(args.db, sql) if args.db is not None else run_duckdb(sql)
    audit = from_rows(machine, rows)
    report = FORMATS[args.format](audit)
    files: dict[Path, bytes] = {}
    if args.output:
        files[Path(args.output)] = report.encode("utf-8")
    if args.diagram:
        files[Path(args.diagram)] = _diagram(args.diagram, emit_audit_dot(machine, audit))
    if files:
        write_all(files)
    if not args.output:
        sys.stdout.write(report)
    return EXIT_PROBLEMS if audit.forbidden else EXIT_OK


def _diagram(path: str, dot: str) -> bytes:
    """The annotated diagram as ``path`` wants it: an image for ``.svg``/``.png``, else DOT."""
    from statusdoc import kinds
    from statusdoc.cli.render import renderer_settings
    from statusdoc.render import render

    by_suffix = {kinds.get(k).suffix: k for k in kinds.rendered()}
    fmt = by_suffix.get(Path(path).suffix.lower())
    if fmt is None:
        return dot.encode("utf-8")
    renderer, timeout = renderer_settings(None, None)
    return render(dot, fmt, renderer=renderer, timeout=timeout, spec=path)
