"""``statusdoc diff OLD NEW`` / ``statusdoc diff --git REV SPEC``: semantic diff of two specs."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="semantic diff of two versions of a spec (breaking changes flagged)",
        description=(
            "Compare two spec files, or (with --git REV) a spec with its version at a git "
            "revision: statuses added/removed/renamed, transitions added/removed, label, "
            "description, event, final and tag changes; breaking changes are flagged. "
            "Exit 0 (also when there are changes), 1 with --exit-code when a change is "
            "breaking, 2 on usage errors or specs that do not load."
        ),
    )
    p.add_argument("specs", nargs="+", metavar="SPEC", help="OLD NEW, or SPEC with --git")
    p.add_argument("--git", metavar="REV", help="compare SPEC with its version at git revision REV")
    p.add_argument("--format", choices=("text", "markdown"), default="text", help="report format")
    p.add_argument(
        "--exit-code", action="store_true", help="exit 1 when there are breaking changes"
    )
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"statusdoc diff: {message}", file=sys.stderr)
    return 2


def git_show(rev: str, spec: str) -> tuple[str, str]:
    """The text of ``spec`` at git revision ``rev`` and a display name ``REV:path``.

    Runs ``git`` in the spec's own directory, so it works from anywhere.
    Raises ``ValueError`` with git's message when the file is not there.
    """
    import os
    import subprocess

    folder = os.path.dirname(os.path.abspath(spec))
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder, capture_output=True, text=True, check=True,
        ).stdout.strip()
    except FileNotFoundError as exc:
        raise ValueError("git is not installed") from exc
    except subprocess.CalledProcessError as exc:
        raise ValueError(f"{spec} is not in a git work tree: {exc.stderr.strip()}") from exc
    rel = os.path.relpath(os.path.realpath(spec), os.path.realpath(top)).replace(os.sep, "/")
    shown = subprocess.run(
        ["git", "show", f"{rev}:{rel}"],
        cwd=top, capture_output=True, check=False,
    )
    if shown.returncode != 0:
        raise ValueError(shown.stderr.decode("utf-8", "replace").strip())
    return shown.stdout.decode("utf-8"), f"{rev}:{rel}"


def run(args: argparse.Namespace) -> int:
    from statusdoc.errors import SpecError
    from statusdoc.semdiff import diff_machines, format_markdown, format_text
    from statusdoc.spec.api import load, loads
    from statusdoc.spec.load import detect_format

    try:
        if args.git:
            if len(args.specs) != 1:
                return _fail("with --git give exactly one SPEC")
            spec = args.specs[0]
            try:
                text, old_name = git_show(args.git, spec)
                fmt = detect_format(spec)
            except ValueError as exc:
                return _fail(str(exc))
            old = loads(text, fmt, filename=old_name)
            new, new_name = load(spec), spec
        else:
            if len(args.specs) != 2:
                return _fail("give OLD and NEW spec files (or --git REV SPEC)")
            old_name, new_name = args.specs
            old, new = load(old_name), load(new_name)
    except SpecError as exc:
        return _fail(f"cannot load spec:\n{exc}")
    except OSError as exc:
        return _fail(str(exc))
    diff = diff_machines(old, new, old_name=old_name, new_name=new_name)
    report = format_markdown(diff) if args.format == "markdown" else format_text(diff)
    sys.stdout.write(report)
    return 1 if args.exit_code and diff.breaking else 0
