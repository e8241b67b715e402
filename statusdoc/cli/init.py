"""``statusdoc init``: scaffold a spec, the config section and a docs page."""

from __future__ import annotations

import argparse
import sys

from statusdoc.errors import EXIT_OK, UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "init",
        help="scaffold a spec, [tool.statusdoc] and a docs page in a project",
        description=(
            "In the project at --dir (default: the current directory) create "
            "DOCS/statuses/NAME.toml (a valid starter spec), DOCS/statuses/NAME.rst (a page "
            "using the statusdoc directive), and add a [tool.statusdoc] section to "
            "pyproject.toml (or create statusdoc.toml when there is no pyproject.toml). "
            "Never overwrites anything: exit 2 when a file exists or the project already "
            "has a [tool.statusdoc] section, as on usage errors; 1 when a file cannot "
            "be written (what this run created is removed again)."
        ),
    )
    p.add_argument("--name", default="item", help="machine name (default: item)")
    p.add_argument("--dir", default=".", help="project root (default: current directory)")
    p.add_argument("--docs", default="docs", help="docs folder inside the project (default: docs)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from statusdoc.fsutil import WriteError
    from statusdoc.pathrules import check_path_text
    from statusdoc.scaffold import NAME_RE, plan_init, run_init

    if not NAME_RE.match(args.name):
        raise UsageError(
            f"invalid --name {args.name[:80]!r}: use at most 64 lowercase letters, digits, "
            "'-' and '_', starting with a letter or digit"
        )
    check_path_text(args.dir, "--dir")
    check_path_text(args.docs, "--docs")
    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"{root} is not a directory")
    plan = plan_init(root, args.name, args.docs)
    try:
        changed = run_init(plan)
    except FileExistsError as exc:  # created meanwhile by someone else
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise WriteError(f"cannot write: {exc}") from None
    for path in changed:
        verb = "updated" if path == plan.append_to else "created"
        print(f"{verb} {path}")
    print("next: edit the spec, then run `statusdoc generate`", file=sys.stderr)
    return EXIT_OK
