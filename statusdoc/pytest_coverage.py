"""Transition coverage in pytest: the plugin object that ``--statusdoc-cov`` registers.

:mod:`statusdoc.pytest_plugin` defines the options and registers
:class:`CoveragePlugin` only when coverage is asked for, so a run without it
never imports this module. The plugin records from configuration time (so
module-level code counts) to the end of the session, then:

* adds every spec configured in ``[tool.statusdoc]`` (a machine the tests
  never touch is reported at 0%, not left out);
* under pytest-xdist, each worker sends its records to the controller, which
  merges them (:func:`statusdoc.covreport.merge`);
* writes the reports asked for and prints the terminal one;
* with a floor (``--statusdoc-cov-fail-under``), turns a passing run into a
  failing one when the coverage is under it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from statusdoc import coverage
from statusdoc.covreport import (
    MachineCoverage,
    below,
    format_json,
    format_markdown,
    format_term,
    merge,
    percent,
    totals,
)

#: Report kinds and the file each writes when no path is given (term prints).
REPORT_FILES = {"term": "", "json": "statusdoc-coverage.json",
                "markdown": "statusdoc-coverage.md"}
#: Key of the records in an xdist worker's ``workeroutput``.
WORKER_KEY = "statusdoc_cov"


def parse_reports(values: list[str]) -> list[tuple[str, Path | None]]:
    """``["term", "json:out/cov.json"]`` -> ``[("term", None), ("json", Path(...))]``."""
    reports: list[tuple[str, Path | None]] = []
    for value in values or ["term"]:
        kind, sep, path = value.partition(":")
        if kind not in REPORT_FILES:
            raise pytest.UsageError(
                f"--statusdoc-cov-report: unknown kind {kind!r} (term, json or markdown)")
        if kind == "term":
            if sep:
                raise pytest.UsageError("--statusdoc-cov-report: term takes no path")
            reports.append((kind, None))
        else:
            reports.append((kind, Path(path or REPORT_FILES[kind])))
    return reports


def parse_fail_under(value: str | None) -> float | None:
    """The floor in percent (0-100), or None when none is set."""
    if value is None or value == "":
        return None
    try:
        floor = float(value)
    except ValueError:
        floor = -1.0
    if not 0 <= floor <= 100:
        raise pytest.UsageError(
            f"--statusdoc-cov-fail-under: {value!r} is not a percentage from 0 to 100")
    return floor


class CoveragePlugin:
    """Records while the session runs; reports at its end (see the module docstring)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        reports = config.getoption("statusdoc_cov_report")
        self.reports = parse_reports(reports or config.getini("statusdoc_cov_report"))
        floor = config.getoption("statusdoc_cov_fail_under")
        self.fail_under = parse_fail_under(
            floor if floor is not None else config.getini("statusdoc_cov_fail_under"))
        self.worker = hasattr(config, "workerinput")
        self.worker_records: list[dict[str, Any]] = []
        self.machines: list[MachineCoverage] | None = None
        self.notes: list[str] = []
        coverage.start()

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        coverage.stop()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker finished; keep its records."""
        output = getattr(node, "workeroutput", None) or {}
        self.worker_records.extend(output.get(WORKER_KEY, ()))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        coverage.stop()
        if self.worker:
            self.config.workeroutput[WORKER_KEY] = coverage.collect()  # type: ignore[attr-defined]
            return
        self._include_configured(session.config.rootpath)
        self.machines = merge([*coverage.collect(), *self.worker_records])
        failed = self._write_reports(self.machines)
        if self.fail_under is not None and below(self.machines, self.fail_under):
            failed = True
        if failed and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _include_configured(self, root: Path) -> None:
        from statusdoc.config import load_config
        from statusdoc.errors import StatusdocError
        from statusdoc.spec.api import load

        try:
            for spec in load_config(root).specs:
                coverage.include(load(spec.spec))
        except StatusdocError as exc:
            self.notes.append(f"configured specs not included: {exc}")

    def _write_reports(self, machines: list[MachineCoverage]) -> bool:
        """Write the file reports; True when one could not be written (noted)."""
        from statusdoc.errors import StatusdocError
        from statusdoc.fsutil import write_atomic

        writers = {"json": format_json, "markdown": format_markdown}
        failed = False
        for kind, path in self.reports:
            if path is not None:
                path = self.config.invocation_params.dir / path
                try:
                    write_atomic(path, writers[kind](machines).encode("utf-8"))
                except StatusdocError as exc:
                    self.notes.append(f"FAIL: {kind} report not written: {exc}")
                    failed = True
                else:
                    self.notes.append(f"{kind} report written to {path}")
        return failed

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.machines is None:
            return
        write = terminalreporter.write_line
        terminalreporter.write_sep("-", "statusdoc transition coverage")
        if any(kind == "term" for kind, _ in self.reports):
            for line in format_term(self.machines):
                write(line)
        for note in self.notes:
            write(note)
        if self.fail_under is not None:
            shown = percent(*totals(self.machines))
            if below(self.machines, self.fail_under):
                write(f"FAIL: transition coverage {shown} is under the required "
                      f"{self.fail_under:g}%", red=True)
            else:
                write(f"transition coverage {shown} reaches the required "
                      f"{self.fail_under:g}%", green=True)
