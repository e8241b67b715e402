"""Spec errors, unsafe prose, missing specs and broken renderers."""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

pytest_plugins = ("sphinx.testing.fixtures",)

SPHINX_BUILD = str(Path(sys.executable).with_name("sphinx-build"))

BROKEN_SPEC = """\
[machine]
name = "door"
title = "Doors"
initial = "closed"

[states.closed]
description = "Shut."

[states.open]
description = "Open."

[[transitions]]
from = "closed"
to = "opne"
label = "open"
"""


def _broken(project):
    srcdir = project()
    (srcdir / "door.toml").write_text(BROKEN_SPEC, encoding="utf-8")
    return srcdir


def test_spec_error_is_reported_at_the_directive_with_the_spec_line(project, build):
    srcdir = _broken(project)
    out = build(srcdir)
    # index.rst line 1 holds the directive; the spec problem is at door.toml:14
    match = re.search(r"index\.rst:1: ERROR: statusdoc: invalid spec 'door'.*", out.warnings)
    assert match, out.warnings
    assert re.search(r"door\.toml:1[34]\b", match.group(0)), match.group(0)
    assert "opne" in match.group(0)
    assert (out.outdir / "index.html").is_file()  # the rest of the site still builds
    assert (out.outdir / "unrelated.html").is_file()


def test_spec_error_fails_a_build_with_W(project, tmp_path):
    srcdir = _broken(project)
    proc = subprocess.run(
        [SPHINX_BUILD, "-W", "-q", "-b", "html", str(srcdir), str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode != 0
    assert "door.toml:1" in proc.stderr and "index.rst:1" in proc.stderr


def test_missing_spec_names_the_known_specs(project, build):
    srcdir = project(only=True, **{"index.rst": ".. statusdoc:: window\n"})
    out = build(srcdir)
    assert "index.rst:1: ERROR: statusdoc: invalid spec 'window'" in out.warnings
    assert "nor a name in statusdoc_specs: door" in out.warnings
    assert "cannot read spec" in out.warnings


def test_unsafe_rst_in_a_description_is_refused(project, build):
    srcdir = project()
    spec = srcdir / "door.toml"
    spec.write_text(
        spec.read_text().replace(
            'description = "The door stands open."',
            'description = """The door stands open.\n\n.. include:: /etc/passwd\n"""',
        )
    )
    out = build(srcdir)
    assert "index.rst:1: ERROR: statusdoc:" in out.warnings
    assert "unsafe RST" in out.warnings and "include" in out.warnings
    assert "root:" not in out.read("index.html")
    allowed = build(project(), confoverrides={"statusdoc_allow_unsafe_rst": True})
    assert "unsafe" not in allowed.warnings


def _fake(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-renderer"
    script.write_text(f"#!{sys.executable}\nimport sys\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"command:{script}"


def test_failing_renderer_warns_and_shows_the_dot(project, build, tmp_path):
    renderer = _fake(
        tmp_path,
        "if '-V' in sys.argv: sys.exit(0)\n"
        "sys.stderr.write('boom: layout exploded\\n')\n"
        "sys.exit(3)",
    )
    out = build(project(), confoverrides={"statusdoc_renderer": renderer})
    assert re.search(
        r"index\.rst:1: WARNING: statusdoc: cannot render the diagram of door\.toml: .*boom",
        out.warnings,
    ), out.warnings
    page = out.read("index.html")
    assert "<img" not in page
    assert re.search(r'<div class="[^"]*statusdoc-dot[^"]*"', page)  # a literal block
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert 'digraph "door" {' in shown and '"closed"' in shown
    assert "Door Statuses" in page  # the page is complete otherwise
    assert out.images() == []


def test_missing_renderer_warns(project, build, tmp_path):
    out = build(project(), confoverrides={"statusdoc_renderer": f"command:{tmp_path}/nope"})
    assert re.search(r"index\.rst:1: WARNING: statusdoc: cannot render", out.warnings)
    assert "nope" in out.warnings


def test_new_project_with_no_system_graphviz_builds_under_W(tmp_path):
    """Acceptance: pip install statusdoc, one directive, ``sphinx-build -W``."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(Path(__file__).parents[1] / "roots" / "test-statusdoc" / "door.toml", src)
    (src / "conf.py").write_text('extensions = ["statusdoc.sphinxext"]\n')
    (src / "index.rst").write_text(".. statusdoc:: door.toml\n")
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))  # no system `dot` here
    assert shutil.which("dot", path=env["PATH"]) is None
    proc = subprocess.run(
        [SPHINX_BUILD, "-W", "-q", "-b", "html", str(src), str(tmp_path / "out")],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    page = (tmp_path / "out" / "index.html").read_text()
    assert '<div class="statusdoc-live' in page and "</svg>" in page
    src_attr = re.search(r'class="statusdoc-fullsize"><a href="([^"]+\.svg)"', page)
    assert src_attr and (tmp_path / "out" / src_attr.group(1)).stat().st_size > 1000


def test_spec_warnings_become_sphinx_warnings(project, build):
    srcdir = project()
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace('"The door stands open."', '"TODO"'))
    out = build(srcdir)
    match = re.search(r"index\.rst:1: WARNING: statusdoc: spec warning: (.*)", out.warnings)
    assert match, out.warnings
    assert "door.toml:" in match.group(1) and "TODO placeholder" in match.group(1)
    assert "statusdoc-live" in out.read("index.html")  # a warning does not stop the page


def test_broken_user_template_is_an_error_at_the_directive(project, build):
    srcdir = project()
    (srcdir / "_tpl").mkdir()
    (srcdir / "_tpl" / "statuses.rst.j2").write_text("{% for s in statuses %}\n{{ s.name\n")
    out = build(srcdir, confoverrides={"statusdoc_templates": "_tpl"})
    assert re.search(
        r"index\.rst:1: ERROR: statusdoc: cannot build the reference of door\.toml: "
        r"TemplateSyntaxError: .* \(template statuses\.rst\.j2, line \d\)",
        out.warnings,
    ), out.warnings
    assert (out.outdir / "parts.html").is_file()  # the build went on
