"""``statusdoc schema``: print the JSON Schema of a spec (for editors)."""

from __future__ import annotations

import argparse
import sys

from statusdoc.errors import EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of the spec format",
        description="Print the JSON Schema (draft 2020-12) of statusdoc specs to standard "
        "output, for Taplo, VS Code YAML or any JSON Schema tool. Exit 0.",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from statusdoc.spec.schema import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK
