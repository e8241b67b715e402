"""Spec problems in a Sphinx build: an invalid spec always fails it, warnings per rule.

Real ``sphinx-build`` subprocesses where the exit status is the point (with
and without ``-W``, with ``suppress_warnings``, incremental, ``-j 2``);
``sphinx.testing`` builds where the warning text is.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from sphinx.util.console import strip_colors

pytest_plugins = ("sphinx.testing.fixtures",)

SPHINX_BUILD = str(Path(sys.executable).with_name("sphinx-build"))

#: Every entry that could be thought to cover statusdoc's errors.
SUPPRESS_ALL = '["statusdoc", "statusdoc.*", "statusdoc.spec", "statusdoc.spec.*"]'


def _sphinx_build(srcdir: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPHINX_BUILD, "-q", *options, "-b", "html", str(srcdir), str(out)],
        capture_output=True, text=True, timeout=300,
    )


def _break(srcdir: Path) -> None:
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace('to = "closed"', 'to = "clsed"', 1))


def _suppress(srcdir: Path, entries: str) -> None:
    with (srcdir / "conf.py").open("a") as handle:
        handle.write(f"suppress_warnings = {entries}\n")


def test_an_invalid_spec_fails_the_build_without_W_whatever_is_suppressed(project, tmp_path):
    page = ".. statusdoc:: door\n\n.. statusdoc-diagram:: door\n"
    srcdir = project(only=True, **{"index.rst": page})
    _break(srcdir)
    _suppress(srcdir, SUPPRESS_ALL)
    proc = _sphinx_build(srcdir, tmp_path / "out")
    assert proc.returncode == 1, proc.stderr
    assert re.search(r"index\.rst:1: ERROR: statusdoc: invalid spec 'door'.*'clsed'",
                     proc.stderr), proc.stderr
    assert "statusdoc: 1 page(s) could not show their status machine (index: invalid spec " \
        "'door'); the build fails until they are fixed" in proc.stderr
    # incremental: nothing changed, the page is not re-read, the build still fails
    again = _sphinx_build(srcdir, tmp_path / "out")
    assert again.returncode == 1, again.stderr
    assert "index: invalid spec 'door'" in again.stderr
    # fixed: the page is re-read (the spec is a dependency) and the build passes
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace('"clsed"', '"closed"'))
    fixed = _sphinx_build(srcdir, tmp_path / "out", "-W")
    assert fixed.returncode == 0, fixed.stderr


def test_unsafe_rst_and_missing_specs_fail_the_build_too(project, tmp_path):
    srcdir = project(only=True, **{"index.rst": ".. statusdoc:: window.toml\n"})
    _suppress(srcdir, SUPPRESS_ALL)
    proc = _sphinx_build(srcdir, tmp_path / "out")
    assert proc.returncode == 1 and "invalid spec 'window.toml'" in proc.stderr
    srcdir = project()
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace(
        '"The door stands open."', '"""Open.\n\n.. include:: /etc/passwd\n"""'))
    _suppress(srcdir, SUPPRESS_ALL + ' + ["statusdoc.spec.unsafe-rst"]')
    proc = _sphinx_build(srcdir, tmp_path / "out2")
    assert proc.returncode == 1
    assert "unsafe RST in door.toml" in proc.stderr


def test_a_failure_found_by_a_parallel_reader_fails_the_build(project, tmp_path):
    pages = {f"p{i}.rst": f"P{i}\n==\n\n.. statusdoc-diagram:: door\n" for i in range(6)}
    srcdir = project(**pages)
    with (srcdir / "index.rst").open("a") as handle:
        handle.write("".join(f"   {name[:-4]}\n" for name in pages))
    _break(srcdir)
    proc = _sphinx_build(srcdir, tmp_path / "out", "-j", "2")
    assert proc.returncode == 1, proc.stderr
    assert re.search(r"statusdoc: 8 page\(s\) could not show .*; p5: invalid spec 'door'; ",
                     proc.stderr), proc.stderr


def _with_two_warnings(project) -> Path:
    srcdir = project(only=True, **{"index.rst": ".. statusdoc:: door\n"})
    spec = srcdir / "door.toml"
    text = spec.read_text().replace('"The door stands open."', '"TODO"')
    spec.write_text(text + '\n[[transitions]]\nfrom = "closed"\nto = "locked"\nevent = "open"\n')
    return srcdir


def test_each_spec_warning_is_reported_once_with_its_rule_as_subtype(project, build):
    out = build(_with_two_warnings(project))
    text = strip_colors(out.warnings)
    lines = [line for line in text.splitlines() if "spec warning" in line]
    assert len(lines) == 2, text  # not once more for the figure inside the page
    todo, ambiguous = sorted(lines, key=lambda line: "ambiguous" in line)
    assert "/index.rst:1: WARNING: statusdoc: spec warning: " in todo
    assert todo.endswith("[SD207 todo-placeholder] [statusdoc.spec.todo-placeholder]")
    assert ambiguous.endswith("[SD201 ambiguous-event] [statusdoc.spec.ambiguous-event]")


def test_suppress_one_rule_or_every_spec_warning(project, build):
    one = build(_with_two_warnings(project),
                confoverrides={"suppress_warnings": ["statusdoc.spec.todo-placeholder"]})
    assert "todo-placeholder" not in one.warnings
    assert "[statusdoc.spec.ambiguous-event]" in one.warnings
    every = build(_with_two_warnings(project),
                  confoverrides={"suppress_warnings": ["statusdoc.spec"]})
    assert "spec warning" not in every.warnings
    assert every.app.statuscode == 0


def test_a_spec_lint_allow_list_applies_in_sphinx(project, tmp_path):
    srcdir = _with_two_warnings(project)
    with (srcdir / "door.toml").open("a") as handle:
        handle.write('\n[lint]\nallow = ["todo-placeholder", "SD201"]\n')
    proc = _sphinx_build(srcdir, tmp_path / "out", "-W")
    assert proc.returncode == 0, proc.stderr
