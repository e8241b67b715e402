"""``statusdoc import SOURCE``: write a spec from a ``.dot`` file, a Mermaid diagram or a
Python machine."""

from __future__ import annotations

import argparse
import sys

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS, UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
            "2 usage error (e.g. the output file exists, the source cannot be read or "
            "its module:attr cannot be loaded)."
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
        help="name statuses after DOT/Mermaid IDs or their labels (when IDs are hashes); "
             "default: IDs, but labels for Mermaid that statusdoc wrote",
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


def _check_usage(args: argparse.Namespace) -> None:
    """Refuse option combinations that cannot work, before anything is read."""
    import os

    from statusdoc.importers.mermaid import MARKDOWN_SUFFIXES

    if args.output and not args.output.lower().endswith((".toml", ".yaml", ".yml")):
        raise UsageError(f"{args.output}: the spec file must end in .toml, .yaml or .yml")
    if args.output and args.format and args.format != _suffix_format(args.output):
        raise UsageError(f"--format {args.format} does not match {args.output}")
    if args.block is not None and not args.source.lower().endswith(MARKDOWN_SUFFIXES):
        raise UsageError("--block applies to a Markdown (.md) SOURCE only")
    if args.output and os.path.lexists(args.output) and not args.force:
        raise UsageError(f"{args.output} exists; use --force to overwrite it")


def _write(args: argparse.Namespace, text: str) -> None:
    from statusdoc.fsutil import WriteError
    from statusdoc.scaffold import write_new

    try:
        write_new(args.output, text, overwrite=args.force)
    except FileExistsError:  # created meanwhile by someone else
        raise UsageError(f"{args.output} exists; use --force to overwrite it") from None
    except OSError as exc:
        raise WriteError(f"cannot write {args.output}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    from statusdoc.cli.compare import notice
    from statusdoc.importers import import_source, render_spec

    _check_usage(args)
    imported = import_source(args.source, name=args.name, tags=args.tags, block=args.block,
                             names_from=args.names_from, notice=notice)
    text, problems = render_spec(imported, _format_for(args))
    for note in imported.notes:
        print(note, file=sys.stderr)
    for problem in problems:
        print(f"statusdoc import: {problem}", file=sys.stderr)
    if args.output:
        _write(args, text)
        states, edges = len(imported.states), imported.taken
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
    return EXIT_PROBLEMS if errors else EXIT_OK
