"""What ``generate``, ``check``, ``compare`` and ``diff`` read, read one way.

:func:`add_selection_options`, :func:`select_specs` and :func:`load_machines`
are the spec-selection and validation rules shared by ``generate`` and
``check`` (so ``generate X --output-dir D`` and ``check X --output-dir D``
always agree, and both report the spec warnings ``validate`` reports, minus
the allowed ones); :func:`load_spec_file` loads one spec named on the command
line (``compare``, ``diff``): a file that cannot be read is a usage error
(exit 2), an invalid spec a problem found (exit 1).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from statusdoc.cli.validate import add_lint_options

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig
    from statusdoc.errors import Problem
    from statusdoc.spec.model import Machine


def load_spec_file(path: str | os.PathLike[str]) -> Machine:
    """The machine of the spec file at ``path``; raises UnreadableInput when the file
    cannot be read, SpecError when the spec is invalid."""
    from statusdoc.spec.api import loads, read_spec

    data, fmt = read_spec(path)
    return loads(data, fmt, filename=os.fspath(path))


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
    from statusdoc import kinds

    p.add_argument(
        "--format", action="append", metavar="KIND",
        help="output kinds, repeatable or a comma list (default: the configured outputs, "
        "or every default kind for an unconfigured spec): "
        + kinds.described().replace("%", "%%"),
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

    from statusdoc.config import load_config, load_config_file
    from statusdoc.configvalues import parse_outputs, parse_renderer, parse_timeout
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
    configuration (``lint.allow``) nor ``ignore`` allows. Raises SpecError on errors,
    UnreadableInput for a spec file that cannot be read."""
    from statusdoc.errors import SpecError
    from statusdoc.spec.api import Report, read_spec, validate_text

    reports: dict[Path, Report] = {}
    warnings: dict[Problem, None] = {}  # ordered, and a spec configured twice warns once
    for config in configs:
        report = reports.get(config.spec)
        if report is None:
            data, fmt = read_spec(config.spec)
            report = validate_text(data, fmt, filename=str(config.spec))
        reports[config.spec] = report
        if report.machine is None:
            raise SpecError(report.errors)
        warnings.update(dict.fromkeys(report.allowing(config.allow | ignore).warnings))
    machines = {spec: report.machine for spec, report in reports.items() if report.machine}
    return machines, list(warnings)


def report_warnings(warnings: list[Problem], args: argparse.Namespace) -> str | None:
    """Print spec warnings to stderr (unless ``--quiet``); with ``--strict`` and
    warnings, the failure to report (``"--strict: 1 spec warning"``)."""
    if args.strict and warnings:
        for problem in warnings:
            print(problem, file=sys.stderr)
        return f"--strict: {len(warnings)} spec warning{'s' if len(warnings) != 1 else ''}"
    if not args.quiet:
        for problem in warnings:
            print(problem, file=sys.stderr)
    return None
