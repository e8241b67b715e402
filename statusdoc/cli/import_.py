"""``statusdoc import SOURCE``: write a spec from a ``.dot`` file, a Mermaid diagram or a
Python machine."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="write a spec from an existing .dot file, Mermaid diagram, table or machine",
        description=(
            "Write a spec from SOURCE: a Graphviz .dot/.gv file, a Mermaid stateDiagram "
            "(.mmd/.mermaid file, or a ```mermaid block of a .md file), or module:attr naming "
            "a {status: targets} mapping, an automaton FiniteMachine, a transitions "
            "Machine or a python-statemachine StateMachine. Everything that cannot be "
            "carried over is reported on stderr. "
            "Exit 0 written, 1 the source cannot be imported or the spec has errors, "
            "2 usage error (e.g. the output file exists)."
        ),
    )
    p.add_argument("source", metavar="SOURCE",
                   help="file.dot / file.gv, file.mmd / file.mermaid, file.md, or module:attr")
    p.add_argument("-o", "--output", metavar="SPEC", help="spec file to write (default: stdout)")
    p.add_argument(
        "--format",
        choices=("toml", "yaml"),
        help="spec format (default: from the -o suffix, else toml)",
    )
    p.add_argument("--name", help="machine name (default: from the source's name)")
    p.add_argument(
        "--names-from",
        choices=("id", "label"),
        default="id",
        help="name statuses after DOT node IDs (default) or node labels (when IDs are hashes)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument("--block", type=int, metavar="N",
                   help="in a .md file, import the N-th Mermaid stateDiagram block "
                        "(default: the first)")
    p.add_argument(
        "--no-tags",
        dest="tags",
        action="store_false",
        help="do not infer tags from [v1]-style label prefixes",
    )
    p.set_defaults(func=run)


def _suffix_format(path: str) -> str:
    return "yaml" if path.lower().endswith((".yaml", ".yml")) else "toml"


def _format_for(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return _suffix_format(args.output) if args.output else "toml"


def run(args: argparse.Namespace) -> int:
    import os

    from statusdoc.cli.compare import notice
    from statusdoc.importers import ImportFailure, import_source, render_spec

    if args.output and not args.output.lower().endswith((".toml", ".yaml", ".yml")):
        print(
            f"statusdoc import: {args.output}: the spec file must end in .toml, .yaml or .yml",
            file=sys.stderr,
        )
        return 2
    if args.output and args.format and args.format != _suffix_format(args.output):
        print(
            f"statusdoc import: --format {args.format} does not match {args.output}",
            file=sys.stderr,
        )
        return 2
    from statusdoc.importers.mermaid import MARKDOWN_SUFFIXES

    if args.block is not None and not args.source.lower().endswith(MARKDOWN_SUFFIXES):
        print("statusdoc import: --block applies to a Markdown (.md) SOURCE only",
              file=sys.stderr)
        return 2
    if args.output and os.path.lexists(args.output) and not args.force:
        print(
            f"statusdoc import: {args.output} exists; use --force to overwrite it",
            file=sys.stderr,
        )
        return 2
    try:
        imported = import_source(args.source, name=args.name, tags=args.tags, block=args.block,
                                 names_from=args.names_from, notice=notice)
        text, problems = render_spec(imported, _format_for(args))
    except ImportFailure as exc:
        print(f"statusdoc import: {exc}", file=sys.stderr)
        return 1
    for note in imported.notes:
        print(note, file=sys.stderr)
    for problem in problems:
        print(f"statusdoc import: {problem}", file=sys.stderr)
    if args.output:
        from statusdoc.scaffold import write_new

        try:
            write_new(args.output, text, overwrite=args.force)
        except FileExistsError:
            print(f"statusdoc import: {args.output} exists; use --force to overwrite it",
                  file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"statusdoc import: cannot write {args.output}: {exc.strerror or exc}",
                  file=sys.stderr)
            return 1
        states, edges = len(imported.states), len(imported.edges)
        todo = "descriptions are" if not imported.descriptions else (
            f"{states - len(imported.descriptions)} descriptions are")
        print(
            f"wrote {args.output}: {states} statuses, {edges} transitions; "
            f"{todo} TODO placeholders",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    errors = [p for p in problems if p.startswith("error")]
    return 1 if errors else 0
