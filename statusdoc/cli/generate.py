"""``statusdoc generate [SPEC...]``: write every configured artifact, all or nothing.

Also home of :func:`add_selection_options`, :func:`select_specs` and
:func:`load_machines`, the spec-selection and validation rules shared with
``statusdoc check`` (so ``generate X --output-dir D`` and ``check X
--output-dir D`` always agree, and both report the spec warnings
``validate`` reports, minus the allowed ones).
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from statusdoc.cli.validate import add_lint_options

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig
    from statusdoc.errors import Problem
    from statusdoc.spec.model import Machine

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_TERMINATED = 128 + signal.SIGTERM


def add_selection_options(p: argparse.ArgumentParser) -> None:
    """Options shared by ``generate`` and ``check``."""
    p.add_argument(
        "specs", nargs="*", metavar="SPEC",
        help="spec files (default: every spec configured in [tool.statusdoc])",
    )
    p.add_argument(
        "--output-dir", metavar="DIR",
        help="write/check outputs in DIR instead of the configured output-dir",
    )
    p.add_argument(
        "--format", action="append", metavar="KIND",
        help="output kinds (repeatable or comma list): rst, md, dot, png, svg, mermaid, "
        "python, html (default: the configured outputs, or all but html for an "
        "unconfigured spec)",
    )
    p.add_argument(
        "--renderer", metavar="NAME",
        help="graphviz-pure, dot, auto or command:/path (default: configured, else "
        "graphviz-pure)",
    )
    p.add_argument(
        "--config", metavar="FILE",
        help="configuration file (default: nearest statusdoc.toml or pyproject.toml with "
        "[tool.statusdoc], searching upward from the working directory)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    add_lint_options(p, "fail (exit 1) on spec warnings too")


def select_specs(args: argparse.Namespace) -> list[SpecConfig]:
    """The spec configurations the command line selects (raises ConfigError)."""
    from dataclasses import replace
    from pathlib import Path

    from statusdoc.config import (
        load_config,
        load_config_file,
        parse_outputs,
        parse_renderer,
        parse_timeout,
    )
    from statusdoc.errors import ConfigError
    from statusdoc.pathrules import check_path_text

    for option, value in (("--config", args.config), ("--output-dir", args.output_dir)):
        if value:
            check_path_text(value, option)
    for name in args.specs:
        check_path_text(name, name)
    project = load_config_file(Path(args.config)) if args.config else load_config()
    output_dir = Path(args.output_dir).absolute() if args.output_dir else None
    if output_dir is not None and output_dir.exists() and not output_dir.is_dir():
        raise ConfigError(f"--output-dir: {args.output_dir} is not a directory")
    selected: list[SpecConfig] = []
    if args.specs:
        for name in args.specs:
            path = Path(name)
            if not path.is_file():
                raise ConfigError(f"{name}: no such spec file")
            config = project.find_spec(path) or project.default_spec(path, output_dir=output_dir)
            selected.append(config)
    else:
        if not project.specs:
            where = project.file or "pyproject.toml"
            raise ConfigError(
                f"no specs configured in {where}: pass SPEC paths, or add "
                '[[tool.statusdoc.specs]] with spec = "..." to pyproject.toml'
            )
        selected.extend(project.specs)
    changes: dict[str, object] = {}
    if output_dir is not None:
        changes.update(output_dir=output_dir, configured=False)
    if args.format:
        changes["outputs"] = parse_outputs(args.format)
    if args.renderer:
        changes["renderer"] = parse_renderer(args.renderer, "--renderer")
    if getattr(args, "timeout", None) is not None:
        changes["timeout"] = parse_timeout(args.timeout, "--timeout")
    unique: dict[tuple[Path, Path], SpecConfig] = {}
    for config in (replace(c, **changes) for c in selected):  # type: ignore[arg-type]
        unique.setdefault((config.spec.resolve(), config.output_dir.resolve()), config)
    return list(unique.values())


def load_machines(
    configs: list[SpecConfig], ignore: frozenset[str] = frozenset()
) -> tuple[dict[Path, Machine], list[Problem]]:
    """Validate each selected spec once: its machine, and the warnings neither its
    configuration (``lint.allow``) nor ``ignore`` allows. Raises SpecError on errors."""
    from statusdoc.errors import SpecError
    from statusdoc.spec.api import Report, validate_file

    reports: dict[Path, Report] = {}
    warnings: dict[Problem, None] = {}  # ordered, and a spec configured twice warns once
    for config in configs:
        report = reports.get(config.spec) or validate_file(config.spec)
        reports[config.spec] = report
        if report.machine is None:
            raise SpecError(report.errors)
        warnings.update(dict.fromkeys(report.allowing(config.allow | ignore).warnings))
    machines = {spec: report.machine for spec, report in reports.items() if report.machine}
    return machines, list(warnings)


def report_warnings(command: str, warnings: list[Problem], args: argparse.Namespace) -> bool:
    """Print spec warnings to stderr (unless ``--quiet``); True when ``--strict`` fails."""
    if args.strict and warnings:
        for problem in warnings:
            print(problem, file=sys.stderr)
        count = f"{len(warnings)} spec warning{'s' if len(warnings) != 1 else ''}"
        print(f"statusdoc {command}: --strict: {count}", file=sys.stderr)
        return True
    if not args.quiet:
        for problem in warnings:
            print(problem, file=sys.stderr)
    return False


class Terminated(BaseException):
    """SIGTERM arrived; unwinds like KeyboardInterrupt so temporary files are removed."""


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Turn SIGTERM into :class:`Terminated` while the block runs."""

    def handler(signum: int, frame: object) -> None:
        raise Terminated

    try:
        old = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "generate",
        help="write every artifact of the configured specs (atomic, unchanged files untouched)",
        description="Generate the artifacts of each spec (default: every spec configured "
        "in [tool.statusdoc]). All outputs of a run are computed first and written only "
        "when all succeeded; unchanged files are not rewritten. Spec warnings go to "
        "standard error. Exit 0 ok, 1 invalid spec (or warnings with --strict), render or "
        "write failure, 2 usage or configuration error.",
    )
    add_selection_options(p)
    p.add_argument(
        "--timeout", type=float, metavar="SECONDS",
        help="time limit for rendering the images of one spec (default: configured, else 60)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from statusdoc.artifacts import generate_project
    from statusdoc.errors import ConfigError, SpecError, StatusdocError

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    try:
        with sigterm_unwinds():
            configs = select_specs(args)
            machines, warnings = load_machines(configs, frozenset(args.ignore))
            if report_warnings("generate", warnings, args):
                print("statusdoc generate: nothing was changed", file=sys.stderr)
                return EXIT_FAIL
            outcomes = generate_project(configs, warn=warn, machines=machines)
    except Terminated:
        print("statusdoc: terminated; no artifact was left half-written", file=sys.stderr)
        return EXIT_TERMINATED
    except ConfigError as exc:
        print(f"statusdoc generate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SpecError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("statusdoc generate: invalid spec; nothing was changed", file=sys.stderr)
        return EXIT_FAIL
    except StatusdocError as exc:
        print(f"statusdoc generate: {exc}", file=sys.stderr)
        print("statusdoc generate: nothing was changed", file=sys.stderr)
        return EXIT_FAIL
    if not args.quiet:
        for outcome in outcomes:
            print(outcome)
        changed = sum(o.changed for o in outcomes)
        print(f"{changed} written, {len(outcomes) - changed} up to date")
    return EXIT_OK
