"""``statusdoc diff OLD NEW`` / ``statusdoc diff --git REV SPEC``: semantic diff of two specs."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS, UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diff",
        help="semantic diff of two versions of a spec (breaking changes flagged)",
        description=(
            "Compare two spec files, or (with --git REV) a spec with its version at a git "
            "revision: statuses added/removed/renamed, transitions added/removed, label, "
            "description, event, final, tag, guard, deprecation and group changes, entry "
            "statuses and the null status; breaking changes are flagged. "
            "Exit 0 (also when there are changes), 1 with --exit-code when a change is "
            "breaking, or when a spec is invalid, 2 on usage errors or a spec file that "
            "cannot be read."
        ),
    )
    p.add_argument("specs", nargs="+", metavar="SPEC", help="OLD NEW, or SPEC with --git")
    p.add_argument("--git", metavar="REV", help="compare SPEC with its version at git revision REV")
    p.add_argument("--format", choices=("text", "markdown"), default="text", help="report format")
    p.add_argument(
        "--exit-code", action="store_true", help="exit 1 when there are breaking changes"
    )
    p.set_defaults(func=run)


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[bytes]:
    """Run ``git`` with ``args`` in ``cwd``; ValueError when git is not installed."""
    if shutil.which("git") is None:
        raise ValueError("git is not installed (or not on PATH)")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def _err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode("utf-8", "replace").strip()


def git_show(rev: str, spec: str) -> tuple[bytes, str]:
    """The bytes of ``spec`` at git revision ``rev`` and a display name ``REV:path``.

    Runs ``git`` in the spec's own directory, so it works from anywhere.
    ``rev`` must name a commit and never reaches git as an option: one
    starting with ``-`` is refused, and it is resolved with ``git rev-parse
    --verify --end-of-options REV^{commit}`` before the file is read at the
    resolved commit id. Raises ``ValueError`` with a message otherwise.
    """
    if not rev or rev.startswith("-"):
        raise ValueError(f"--git {rev!r}: a revision cannot start with '-' (or be empty)")
    if not os.path.isfile(spec):
        raise ValueError(f"{spec}: no such file")
    folder = os.path.dirname(os.path.abspath(spec))
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise ValueError(f"{spec} is not in a git work tree: {_err(top)}")
    root = top.stdout.decode("utf-8", "surrogateescape").strip()
    commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                  root)
    if commit.returncode != 0:
        raise ValueError(f"--git {rev!r} does not name a commit in {root}")
    sha = commit.stdout.decode("ascii", "replace").strip()
    rel = os.path.relpath(os.path.realpath(spec), os.path.realpath(root)).replace(os.sep, "/")
    shown = _git(["show", f"{sha}:{rel}"], root)  # starts with the commit id: never an option
    if shown.returncode != 0:
        raise ValueError(_err(shown))
    return shown.stdout, f"{rev}:{rel}"  # the spec loader decodes (and reports bad bytes)


def run(args: argparse.Namespace) -> int:
    from statusdoc.cli.inputs import load_spec_file
    from statusdoc.semdiff import diff_machines, format_markdown, format_text
    from statusdoc.spec.api import loads
    from statusdoc.spec.load import detect_format

    if args.git:
        if len(args.specs) != 1:
            raise UsageError("with --git give exactly one SPEC")
        spec = args.specs[0]
        try:
            text, old_name = git_show(args.git, spec)
            fmt = detect_format(spec)
        except (ValueError, OSError) as exc:  # git missing or failing, a bad REV or name
            raise UsageError(str(exc)) from None
        old = loads(text, fmt, filename=old_name)
        new, new_name = load_spec_file(spec), spec
    else:
        if len(args.specs) != 2:
            raise UsageError("give OLD and NEW spec files (or --git REV SPEC)")
        old_name, new_name = args.specs
        old, new = load_spec_file(old_name), load_spec_file(new_name)
    diff = diff_machines(old, new, old_name=old_name, new_name=new_name)
    report = format_markdown(diff) if args.format == "markdown" else format_text(diff)
    sys.stdout.write(report)
    return EXIT_PROBLEMS if args.exit_code and diff.breaking else EXIT_OK
