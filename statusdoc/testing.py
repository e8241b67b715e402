"""Helpers for projects that prefer explicit tests to the pytest plugin.

::

    from statusdoc.testing import assert_table_matches

    def test_image_status_table_matches_spec():
        assert_table_matches("docs/image-statuses.toml", Image.valid_state_targets)
"""

from __future__ import annotations

import os
from typing import Any

from statusdoc.spec.model import Machine

__all__ = ["assert_table_matches"]


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
