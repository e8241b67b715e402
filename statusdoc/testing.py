"""Helpers for projects that prefer explicit tests to the pytest plugin.

::

    from statusdoc.testing import assert_artifacts_current, assert_table_matches

    def test_image_status_table_matches_spec():
        assert_table_matches("docs/image-statuses.toml", Image.valid_state_targets)

    def test_generated_docs_are_current():
        assert_artifacts_current()
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from statusdoc.spec.model import Machine

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig

__all__ = ["artifacts_report", "assert_artifacts_current", "assert_table_matches"]


def assert_table_matches(
    machine: Machine | str | os.PathLike[str],
    table: Any,
    *,
    spec_name: str | None = None,
    table_name: str | None = None,
) -> None:
    """Raise :class:`AssertionError` unless ``table`` allows exactly what the spec allows.

    ``machine`` is a loaded :class:`~statusdoc.spec.model.Machine` or a spec
    path; ``table`` is a ``{status: targets}`` mapping, an automaton or
    transitions machine, or a reference string (``module:attr`` or a
    ``.json``/``.yaml`` path, see :func:`statusdoc.compare.load_table`).
    The message is the report ``statusdoc compare`` prints.
    """
    from statusdoc.compare import compare_table, load_table

    if not isinstance(machine, Machine):
        from statusdoc.spec.api import load

        shown = spec_name or os.fspath(machine)
        machine = load(machine)
    else:
        shown = spec_name or machine.source or machine.name
    if isinstance(table, str):
        ref = table
        table = load_table(table)
    else:
        ref = type(table).__name__
    diff = compare_table(machine, table)
    if diff:
        raise AssertionError(diff.report(shown, table_name or ref))


def assert_artifacts_current(start: str | os.PathLike[str] | None = None) -> None:
    """Raise :class:`AssertionError` when a configured artifact is stale or missing.

    Reads the project configuration found upward from ``start`` (default:
    the current directory) and checks every configured spec like
    ``statusdoc check``; the message has the same lines, then the diffs.
    """
    from pathlib import Path

    from statusdoc.config import load_config

    project = load_config(Path(start) if start is not None else None)
    if not project.specs:
        raise AssertionError(f"no spec configured in [tool.statusdoc] (root {project.root})")
    report = artifacts_report(project.specs)
    if report:
        raise AssertionError(report)


def artifacts_report(specs: Iterable[SpecConfig]) -> str:
    """What ``statusdoc check`` says about ``specs``: ``""`` when all are current.

    One line per stale or missing file, the summary line, then the unified
    diffs of stale text. The pytest plugin shows the same text.
    """
    from statusdoc.artifacts import check_spec

    drifts = []
    total = 0
    for spec in specs:
        drifts.extend(check_spec(spec))
        total += len(spec.outputs)
    if not drifts:
        return ""
    lines = [str(d) for d in drifts]
    lines.append(f"{len(drifts)} of {total} artifacts stale or missing; run `statusdoc generate`")
    diffs = "".join(d.diff for d in drifts if d.diff).rstrip("\n")
    return "\n".join(lines) + ("\n\n" + diffs if diffs else "")
