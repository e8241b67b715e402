"""pytest plugin: every configured spec becomes drift-check test items.

Enabled by ``pytest --statusdoc`` or the ini option ``statusdoc = true``
(``[tool.pytest.ini_options]``). Then, for each spec in ``[tool.statusdoc]``:

* ``<spec>::artifacts-current`` fails when a generated artifact is stale or
  missing (what ``statusdoc check`` reports, with the same messages and a
  unified diff of stale text);
* ``<spec>::table-matches`` (only when the spec has a ``table``) fails when
  the enforcing code's table differs from the spec, or a listed known
  difference is stale (the report of ``statusdoc compare``, which honours the
  spec's ``known-differences``).

Items carry the ``statusdoc`` marker, so ``-m "not statusdoc"`` deselects
them. The plugin is loaded in every pytest run of every project that installs
statusdoc, so this module imports nothing of statusdoc's own machinery until
the plugin is enabled.

Transition coverage (``--statusdoc-cov``, ``--statusdoc-cov-report``,
``--statusdoc-cov-fail-under`` and their ini options) is defined here too and
carried out by :mod:`statusdoc.pytest_coverage`, imported only when asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from statusdoc.errors import StatusdocError

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig

INI_NAME = "statusdoc"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("statusdoc", "statusdoc drift checks")
    group.addoption(
        "--statusdoc",
        action="store_true",
        default=False,
        help="add a test per configured spec: artifacts current, and table matches spec",
    )
    parser.addini(
        INI_NAME,
        type="bool",
        default=False,
        help="run statusdoc drift checks as tests (like --statusdoc)",
    )
    _add_coverage_options(parser, group)


def _add_coverage_options(parser: pytest.Parser, group: Any) -> None:
    """Transition coverage (statusdoc.pytest_coverage): off unless asked for."""
    group.addoption(
        "--statusdoc-cov", action="store_true", default=None,
        help="record which transitions of the spec's machines the tests exercise",
    )
    group.addoption(
        "--no-statusdoc-cov", action="store_false", dest="statusdoc_cov",
        help="do not record transition coverage, whatever the ini options say",
    )
    group.addoption(
        "--statusdoc-cov-report", action="append", default=None, metavar="KIND[:PATH]",
        help="transition coverage report: term, json[:PATH] or markdown[:PATH] "
        "(repeatable; default term); implies --statusdoc-cov",
    )
    group.addoption(
        "--statusdoc-cov-fail-under", default=None, metavar="PCT",
        help="fail the run when transition coverage is under PCT percent; "
        "implies --statusdoc-cov",
    )
    parser.addini("statusdoc_cov", type="bool", default=False,
                  help="record transition coverage (like --statusdoc-cov)")
    parser.addini("statusdoc_cov_report", type="args", default=[],
                  help="transition coverage reports (like --statusdoc-cov-report)")
    parser.addini("statusdoc_cov_fail_under", default="",
                  help="least transition coverage in percent (like --statusdoc-cov-fail-under)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "statusdoc: a statusdoc drift check (artifacts current / table matches)"
    )
    wanted = config.getoption("statusdoc_cov")
    if wanted is None:  # not said on the command line: a report or a floor asks for it
        wanted = bool(config.getoption("statusdoc_cov_report")
                      or config.getoption("statusdoc_cov_fail_under") is not None
                      or config.getini("statusdoc_cov"))
    if wanted:
        from statusdoc.pytest_coverage import CoveragePlugin

        config.pluginmanager.register(CoveragePlugin(config), "statusdoc-coverage")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("statusdoc") or config.getini(INI_NAME))


class StatusdocFailure(StatusdocError):
    """A drift check failed; the message is what the CLI prints."""


class StatusdocItem(pytest.Item):
    """Base of the plugin's items: failures show their message, no traceback."""

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        error = excinfo.value
        if isinstance(error, StatusdocFailure):
            return str(error)
        if isinstance(error, StatusdocError):  # printed as the command line prints it
            return "\n".join([*error.details(), f"statusdoc: {error.summary}"])
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"statusdoc: {self.name}"


class ConfigItem(StatusdocItem):
    """Stands for a configuration that could not be read, so the run fails visibly."""

    def __init__(self, *, message: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.message = message

    def runtest(self) -> None:
        raise StatusdocFailure(self.message)


class ArtifactsItem(StatusdocItem):
    """``<spec>::artifacts-current``: :func:`statusdoc.artifacts.check_spec` finds nothing."""

    def __init__(self, *, spec_config: SpecConfig, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec_config = spec_config

    def runtest(self) -> None:
        from statusdoc.testing import artifacts_report

        report = artifacts_report([self.spec_config])
        if report:
            raise StatusdocFailure(report)


class TableItem(StatusdocItem):
    """``<spec>::table-matches``: the configured table allows what the spec allows."""

    def __init__(self, *, spec_config: SpecConfig, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec_config = spec_config

    def runtest(self) -> None:
        from statusdoc.compare import compare_table, resolve_table
        from statusdoc.spec.api import load

        config = self.spec_config
        assert config.table is not None
        machine = load(config.spec)
        table = resolve_table(config.table, root=config.root)
        diff = compare_table(machine, table, known=config.known, where=f"table {config.table!r}")
        if diff:
            raise StatusdocFailure(diff.report(config.source_name(), config.table))


def _items(session: pytest.Session) -> list[pytest.Item]:
    from statusdoc.config import load_config
    from statusdoc.errors import StatusdocError

    root = session.config.rootpath
    try:
        project = load_config(root)
    except StatusdocError as exc:
        return [
            ConfigItem.from_parent(
                session, name="statusdoc-config", nodeid="statusdoc::config",
                path=root, message=f"statusdoc: {exc}",
            )
        ]
    if not project.specs:
        return [
            ConfigItem.from_parent(
                session, name="statusdoc-config", nodeid="statusdoc::config", path=root,
                message=f"statusdoc: no spec configured in [tool.statusdoc] (searched from {root})",
            )
        ]
    items: list[pytest.Item] = []
    for spec in project.specs:
        shown = spec.source_name()
        items.append(
            ArtifactsItem.from_parent(
                session, name="artifacts-current", nodeid=f"{shown}::artifacts-current",
                path=spec.spec, spec_config=spec,
            )
        )
        if spec.table:
            items.append(
                TableItem.from_parent(
                    session, name="table-matches", nodeid=f"{shown}::table-matches",
                    path=spec.spec, spec_config=spec,
                )
            )
    for item in items:
        item.add_marker("statusdoc")
    return items


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Append the drift items (before ``-k``/``-m`` deselection runs)."""
    if _enabled(config):
        items.extend(_items(session))
