"""The three real-size examples of issue 10 through the extension: real Sphinx builds, -W."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

import statusdoc

pytest_plugins = ("sphinx.testing.fixtures",)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SPECS = {
    "volume": EXAMPLES / "volume" / "volume-statuses.toml",
    "task": EXAMPLES / "taskinstance" / "task-instance-statuses.toml",
    "order": EXAMPLES / "order" / "order-statuses.toml",
}
PROSE = """
Prose
=====

A stuck :status:`volume:downloading` volume (deprecated) can still be deleted;
:ref:`Error statuses <volume-group-errors>` reset to :status:`available`.
A task instance starts at :status:`task-instance:none`.
"""


def examples_project(tmp_path: Path, **extra: str) -> Path:
    """A project with a page per example (``.. statusdoc:: <name>``), the prose page
    and the ``extra`` pages, all in the toctree."""
    src = tmp_path / "src"
    src.mkdir()
    specs = {name: str(path) for name, path in SPECS.items()}
    (src / "conf.py").write_text(
        f'extensions = ["statusdoc.sphinxext"]\nstatusdoc_specs = {specs!r}\n', "utf-8")
    pages = {name: f".. statusdoc:: {name}\n" for name in SPECS}
    pages["prose"] = PROSE
    pages.update(extra)
    for name, text in pages.items():
        (src / f"{name}.rst").write_text(text, "utf-8")
    (src / "index.rst").write_text(
        "Examples\n========\n\n.. toctree::\n\n" + "".join(f"   {n}\n" for n in pages), "utf-8")
    return src


@pytest.mark.parametrize("builder", ["html", "text"])
def test_examples_build_with_warnings_as_errors(tmp_path, build, builder):
    out = build(examples_project(tmp_path), builder, warningiserror=True)
    assert out.warnings == ""
    if builder == "html":
        prose = out.read("prose.html")
        assert 'href="volume.html#volume-status-downloading"' in prose
        assert 'href="volume.html#volume-group-errors"' in prose
        assert 'href="task.html#task-instance-status-none"' in prose
        volume = out.read("volume.html")
        assert volume.count('id="volume-group-errors"') == 1
        assert 'id="volume-status-downloading"' in volume


def _words(text: str) -> str:
    return " ".join(text.split())


def test_text_builder_reads_well(tmp_path, build):
    out = build(examples_project(tmp_path), "text", warningiserror=True)
    volume = _words(out.read("volume.txt"))
    assert "New objects start in \"creating\" (create) or \"managing\" (manage existing)." in volume
    assert "* **Error statuses** An operation failed" in volume
    assert ('"downloading" — deprecated: no longer set since 2023.1; rows created before may '
            "still hold it") in volume
    assert "back to the previous status (failed), event \"fail\"; the previous status is" in volume
    assert '| "attaching" | "reserved" (return) | failed' in volume
    order = out.read("order.txt")
    assert re.search(r"\| From +\| To +\| Label +\| Event +\| Guard +\|", order)
    task = _words(out.read("task.txt"))
    assert '"none" — initial, stored as NULL/None' in task
    assert 'From any status except "running" (final statuses included) to "none" (clear)' in task


def test_diagram_alt_text_and_fallback_table_carry_entries_returns_and_guards(
        build, tmp_path):
    volume = statusdoc.load(SPECS["volume"])
    srcdir = examples_project(
        tmp_path, diagram="Diagram\n=======\n\n.. statusdoc-diagram:: order\n",
        vol="Vol\n===\n\n.. statusdoc-diagram:: volume\n")
    html = build(srcdir, "html")
    assert html.warnings == ""
    page = html.read("vol.html")
    # the live diagram is inline SVG: its alt text is the SVG's <desc>
    alt = html_lib.unescape(re.search(r"<desc>([^<]*)</desc>", page).group(1))
    assert "start to creating (create); start to managing (manage existing);" in alt
    assert "attaching back to reserved (failed);" in alt
    assert len(volume.entries) == 2
    text = build(srcdir, "text")
    diagram = _words(text.read("diagram.txt"))
    assert "| From | To | Label | Event | Guard |" in diagram
    assert '| "unfulfilled" | "fulfilled" | | "fulfill" | all lines fulfilled |' in diagram
    vol = _words(text.read("vol.txt"))
    assert "| From | To | Label | Event |" in vol
    assert '| "attaching" | "reserved" (return) | failed | "fail" |' in vol
