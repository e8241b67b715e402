"""Dependencies, the image cache and incremental rebuilds."""

from __future__ import annotations

import os
import time
from pathlib import Path

pytest_plugins = ("sphinx.testing.fixtures",)


def _doctree_mtimes(out) -> dict[str, int]:
    doctrees = Path(out.app.doctreedir)
    return {p.stem: p.stat().st_mtime_ns for p in doctrees.glob("*.doctree")}


def _touch_later(path: Path) -> None:
    """Make sure an edit is seen as newer than the last build's files."""
    later = time.time() + 2
    os.utime(path, (later, later))


def test_the_spec_is_a_dependency_of_the_pages_that_use_it(project, build):
    out = build(project())
    deps = out.app.env.dependencies
    spec = str(Path(out.app.srcdir) / "door.toml")
    users = {doc for doc, files in deps.items() if any(str(f) == spec for f in files)}
    assert users == {"index", "parts"}


def test_no_change_rebuild_reads_and_renders_nothing(project, build, recording_renderer,
                                                     renderer_calls):
    renderer, log = recording_renderer
    srcdir = project()
    first = build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    assert first.warnings == ""
    made = renderer_calls(log)
    # one SVG (index) and one PNG (parts, which lays out the SVG first as a size guard)
    assert len(made) == 3, made
    before = _doctree_mtimes(first)
    images = {p: p.stat().st_mtime_ns for p in first.images()}
    second = build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    assert "no targets are out of date" in second.status
    assert renderer_calls(log) == made  # nothing rendered
    assert _doctree_mtimes(second) == before  # nothing re-read
    assert {p: p.stat().st_mtime_ns for p in second.images()} == images


def test_editing_a_description_rebuilds_exactly_the_pages_using_the_spec(
    project, build, recording_renderer, renderer_calls
):
    renderer, log = recording_renderer
    srcdir = project()
    first = build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    made = renderer_calls(log)
    before = _doctree_mtimes(first)
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace("The door stands open.", "The door is WIDE open."))
    _touch_later(spec)
    second = build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    after = _doctree_mtimes(second)
    changed = {doc for doc in after if after[doc] != before.get(doc)}
    assert changed == {"index", "parts"}
    assert "The door is WIDE open." in second.read("index.html")
    assert "The door stands open." not in second.read("index.html")
    # descriptions are not in the DOT: the cached images are reused as they are
    assert renderer_calls(log) == made


def test_editing_a_label_renders_a_new_image(project, build, recording_renderer, renderer_calls):
    renderer, log = recording_renderer
    srcdir = project()
    build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    made = len(renderer_calls(log))
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace('label = "kick"', 'label = "kick hard"'))
    _touch_later(spec)
    second = build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    assert len(renderer_calls(log)) == made + 3
    assert "kick hard" in second.read("index.html")


def test_pages_showing_the_same_diagram_share_one_image(project, build, recording_renderer,
                                                        renderer_calls):
    renderer, log = recording_renderer
    srcdir = project(
        only=True,
        **{
            "index.rst": ".. statusdoc:: door\n\n.. toctree::\n\n   a\n   b\n",
            "a.rst": "A\n=\n\n.. statusdoc-diagram:: door\n",
            "b.rst": "B\n=\n\n.. statusdoc-diagram:: door.toml\n   :caption: again\n",
        }
    )
    out = build(srcdir, confoverrides={"statusdoc_renderer": renderer})
    assert out.warnings == ""
    assert len(out.images()) == 1
    assert len(renderer_calls(log)) == 1


def test_removing_a_status_warns_in_unchanged_prose(project, build):
    """refs.rst did not change, but the status it mentions is gone: it is re-checked."""
    srcdir = project()
    first = build(srcdir)
    assert first.warnings == ""
    spec = srcdir / "door.toml"
    text = spec.read_text()
    text = text.replace('[states.locked]\ndescription = "The door is shut and locked."\n', "")
    text = text.replace(
        '[[transitions]]\nfrom = "closed"\nto = "locked"\nlabel = "lock"\nevent = "lock"\n'
        'description = "Only with the right key."\n', ""
    )
    text = text.replace(
        '[[transitions]]\nfrom = "locked"\nto = "closed"\nlabel = "unlock"\nevent = "unlock"\n', ""
    )
    spec.write_text(text)
    _touch_later(spec)
    second = build(srcdir)
    assert "refs.rst:4: WARNING: statusdoc: unknown status 'locked' of machine 'door'" in (
        second.warnings
    ), second.warnings


def test_removing_the_page_with_the_entries_warns_in_unchanged_prose(project, build):
    srcdir = project(
        only=True,
        **{
            "index.rst": "Home\n====\n\n.. toctree::\n\n   doors\n   refs\n",
            "doors.rst": ".. statusdoc:: door\n",
            "refs.rst": "Refs\n====\n\nSee :status:`open`.\n",
        },
    )
    first = build(srcdir)
    assert first.warnings == ""
    assert 'href="doors.html#door-status-open"' in first.read("refs.html")
    (srcdir / "doors.rst").unlink()
    (srcdir / "index.rst").write_text("Home\n====\n\n.. toctree::\n\n   refs\n")
    second = build(srcdir)
    assert "refs.rst:4: WARNING: statusdoc: unknown status 'open'" in second.warnings
    assert "doors.html" not in second.read("refs.html")


def test_editing_a_user_template_rebuilds_the_page(project, build):
    srcdir = project()
    (srcdir / "_tpl").mkdir()
    template = srcdir / "_tpl" / "table.rst.j2"
    template.write_text("Table goes here: {{ rows | length }} rows.\n")
    conf = {"statusdoc_templates": "_tpl"}
    first = build(srcdir, confoverrides=conf)
    assert "Table goes here: 7 rows." in first.read("index.html")
    before = _doctree_mtimes(first)
    template.write_text("Now {{ rows | length }} transitions.\n")
    _touch_later(template)
    second = build(srcdir, confoverrides=conf)
    assert "Now 7 transitions." in second.read("index.html")
    after = _doctree_mtimes(second)
    assert after["index"] != before["index"] and after["unrelated"] == before["unrelated"]


def test_acceptance_with_the_sphinx_build_command(project, recording_renderer, renderer_calls,
                                                  tmp_path):
    """The issue's acceptance, with real ``sphinx-build`` processes (no in-process caches)."""
    import subprocess
    import sys

    renderer, log = recording_renderer
    srcdir = project()
    out = tmp_path / "html"
    command = [
        str(Path(sys.executable).with_name("sphinx-build")), "-b", "html",
        "-D", f"statusdoc_renderer={renderer}", str(srcdir), str(out),
    ]

    def sphinx_build() -> str:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0 and "WARNING" not in proc.stderr, proc.stderr
        return proc.stdout

    sphinx_build()
    made = renderer_calls(log)
    assert made
    spec = srcdir / "door.toml"
    # a plain edit (no mtime games: the third build must see it as old news)
    spec.write_text(spec.read_text().replace("The door stands open.", "Wide open, really."))
    second = sphinx_build()
    assert "2 changed" in second and "reading sources" in second
    assert "Wide open, really." in (out / "index.html").read_text()
    third = sphinx_build()
    assert "0 added, 0 changed, 0 removed" in third
    assert "no targets are out of date" in third
    assert renderer_calls(log) == made  # neither rebuild started the renderer
