"""Helpers for projects that prefer explicit tests to the pytest plugin.

::

    from statusdoc.testing import assert_artifacts_current, assert_table_matches

    def test_image_status_table_matches_spec():
        assert_table_matches("docs/image-statuses.toml", Image.valid_state_targets)

    def test_generated_docs_are_current():
        assert_artifacts_current()

For model-based tests, :func:`covering_paths` gives event sequences that
together exercise every transition and :func:`forbidden_pairs` the pairs the
spec refuses (see :mod:`statusdoc.testpaths`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from statusdoc.spec.model import Machine
from statusdoc.testpaths import Step, TransitionPath, covering_paths, forbidden_pairs

if TYPE_CHECKING:
    from statusdoc.config import SpecConfig
    from statusdoc.known import KnownDifference

__all__ = [
    "Step",
    "TransitionPath",
    "artifacts_report",
    "assert_artifacts_current",
    "assert_table_matches",
    "covering_paths",
    "forbidden_pairs",
]


def assert_table_matches(
    machine: Machine | str | os.PathLike[str],
    table: Any,
    *,
    spec_name: str | None = None,
    table_name: str | None = None,
    known: Iterable[KnownDifference] | str | os.PathLike[str] | None = None,
) -> None:
    """Raise :class:`AssertionError` unless ``table`` allows exactly what the spec allows.

    ``machine`` is a loaded :class:`~statusdoc.spec.model.Machine` or a spec
    path; ``table`` is a ``{status: targets}`` mapping, an automaton or
    transitions machine, or a reference string (``module:attr`` or a
    ``.json``/``.yaml`` path, see :func:`statusdoc.compare.load_table`).
    ``known`` lists the expected differences (:mod:`statusdoc.known`): by
    default those configured for the spec file (``known-differences`` in the
    project configuration found upward from it; none when the spec is not
    configured), or the path of a TOML file as ``statusdoc compare --known``
    reads it, or :class:`~statusdoc.known.KnownDifference` objects (``()`` for
    none). A stale one fails too. The message is the report ``statusdoc
    compare`` prints.
    """
    from statusdoc.compare import compare_table, resolve_table

    if not isinstance(machine, Machine):
        from statusdoc.spec.api import load

        shown = spec_name or os.fspath(machine)
        machine = load(machine)
    else:
        shown = spec_name or machine.source or machine.name
    ref = table if isinstance(table, str) else type(table).__name__
    if isinstance(table, str):
        table = resolve_table(table)
    diff = compare_table(machine, table, known=_known(known, machine.source),
                         where=f"table {ref!r}")
    if diff:
        raise AssertionError(diff.report(shown, table_name or ref))


def _known(known: Iterable[KnownDifference] | str | os.PathLike[str] | None,
           spec: str) -> tuple[KnownDifference, ...]:
    """The known differences ``assert_table_matches`` applies (see its ``known``)."""
    from statusdoc.known import load_known

    if isinstance(known, str | os.PathLike):
        return load_known(known)
    if known is not None:
        return tuple(known)
    if not spec:
        return ()
    from pathlib import Path

    from statusdoc.config import load_config

    path = Path(spec)
    configured = load_config(path.parent).find_spec(path)
    return configured.known if configured is not None else ()


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
