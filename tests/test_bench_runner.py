"""The benchmark runner's report: a readable table and an RST page that builds."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docutils.core

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from common import Row, interleaved
from run import format_rst, format_table

ROWS = [
    Row("runtime", "can() vs dict | floor", "1.10x", "<= 1.5x", True, "python bench/x.py"),
    Row("runtime", "check() vs ValueError", "1.90x", "<= 1.5x", False),
    Row("emit", "RST at 100 states", "0.01 s"),
]


def test_table_lists_every_row_with_its_status() -> None:
    table = format_table(ROWS)
    lines = table.splitlines()
    assert len(lines) == 2 + len(ROWS)
    assert "met" in lines[2] and "MISSED" in lines[3]
    assert lines[4].rstrip().endswith("0.01 s")


def test_rst_page_builds_without_warnings_and_names_the_command() -> None:
    page = format_rst(ROWS, ["sphinx: ImportError: no module"], ["--quick"])
    assert "python bench/run.py --quick" in page
    warnings = io.StringIO()
    docutils.core.publish_doctree(
        page, settings_overrides={"warning_stream": warnings, "report_level": 2}
    )
    assert warnings.getvalue() == ""
    assert "MISSED" in page and "did not run" in page


def test_interleaved_returns_a_time_per_candidate() -> None:
    times = interleaved({"a": lambda: sum(range(100)), "b": lambda: None}, rounds=2)
    assert set(times) == {"a", "b"} and all(t > 0 for t in times.values())
