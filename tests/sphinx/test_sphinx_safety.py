"""Issue 13 through real Sphinx builds: the shapes that reached published pages.

Each hostile description is first built with ``statusdoc_allow_unsafe_rst =
True`` to show that it really reaches the page (a script, a copied file, a
LaTeX input); then without, where the directive refuses the spec and the
page carries none of it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from html_audit import audit

pytest_plugins = ("sphinx.testing.fixtures",)

SCRIPT = "<script>alert(document.domain)</script>"


def _with_description(project, text: str, *, language: str = "") -> Path:
    srcdir = project()
    spec = srcdir / "door.toml"
    body = spec.read_text().replace('"The door stands open."', "'''\n" + text + "\n'''")
    spec.write_text(body)
    if language:
        conf = srcdir / "conf.py"
        conf.write_text(conf.read_text() + f"language = {language!r}\n")
    return srcdir


@pytest.mark.parametrize(("text", "language", "finding"), [
    (f".. |x|\n   raw:: html\n\n   {SCRIPT}\n\nOpen |x|.", "", "directive 'raw'"),
    (f"Open |y\nz|.\n\n.. |y\n   z| raw:: html\n\n   {SCRIPT}", "", "directive 'raw'"),
    (f".. rolle:: x(roh)\n   :format: html\n\n:x:`{SCRIPT}`", "de", "based on role ':roh:'"),
    (f".. role:: y(roh)\n   :format: html\n\n:y:`{SCRIPT}`", "de", "based on role ':roh:'"),
])
def test_script_in_a_description_never_reaches_the_page(project, build, text, language, finding):
    opted_in = build(_with_description(project, text, language=language),
                     confoverrides={"statusdoc_allow_unsafe_rst": True})
    assert "<script>alert(document.domain)</script>" in opted_in.read("index.html")
    out = build(_with_description(project, text, language=language))
    assert "index.rst:1: ERROR: statusdoc:" in out.warnings and finding in out.warnings
    html = out.read("index.html")
    assert "alert(document.domain)" not in html
    assert not [p for p in audit(html, theme_scripts=True).problems if "alert" in p]


def test_an_image_outside_the_project_is_not_copied(project, build, tmp_path):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "id_rsa.png").write_bytes(b"\x89PNG\r\n\x1a\nSECRET-KEY-BYTES")
    srcdir = project()
    relative = Path("..") / "secret" / "id_rsa.png"
    assert (srcdir / relative).resolve() == (secret / "id_rsa.png").resolve()
    text = f".. |x| image:: {relative.as_posix()}\n\nOpen |x|."
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace('"The door stands open."', "'''\n" + text + "\n'''"))
    opted_in = build(srcdir, confoverrides={"statusdoc_allow_unsafe_rst": True})
    copied = [p for p in opted_in.outdir.rglob("*.png") if b"SECRET" in p.read_bytes()]
    assert copied, "the shape must really copy the file when allowed"
    srcdir = project()
    spec = srcdir / "door.toml"
    spec.write_text(spec.read_text().replace('"The door stands open."', "'''\n" + text + "\n'''"))
    out = build(srcdir)
    assert "image '../secret/id_rsa.png'" in out.warnings
    assert not [p for p in out.outdir.rglob("*.png") if b"SECRET" in p.read_bytes()]


def test_math_never_reaches_latex(project, build):
    text = "Area :math:`\\input{/etc/hostname}` here."
    opted_in = build(_with_description(project, text), "latex",
                     confoverrides={"statusdoc_allow_unsafe_rst": True})
    assert "\\input{/etc/hostname}" in next(opted_in.outdir.glob("*.tex")).read_text()
    out = build(_with_description(project, text), "latex")
    assert "role ':math:': passes LaTeX through verbatim" in out.warnings
    assert "\\input{/etc/hostname}" not in next(out.outdir.glob("*.tex")).read_text()


def test_project_default_role_math_is_checked(project, build):
    srcdir = _with_description(project, "Area `\\input{/etc/hostname}` here.")
    out = build(srcdir, "latex", confoverrides={"default_role": "math"})
    assert "default role" not in out.warnings  # the role is the project's, the text the spec's
    assert "role ':math:': passes LaTeX through verbatim" in out.warnings
    assert "\\input{/etc/hostname}" not in next(out.outdir.glob("*.tex")).read_text()


def test_sphinx_checks_with_the_project_language(project, build):
    note = ".. hinweis::\n\n   Ein Hinweis."
    german = _with_description(project, note, language="de")
    spec = german / "door.toml"
    spec.write_text(spec.read_text().replace('initial = "closed"',
                                             'initial = "closed"\nlanguage = "de"'))
    out = build(german)
    assert "statusdoc" not in out.warnings and "Ein Hinweis." in out.read("index.html")
    # the spec says German, the project builds English: Sphinx's parse is what counts
    english = _with_description(project, note)
    spec = english / "door.toml"
    spec.write_text(spec.read_text().replace('initial = "closed"',
                                             'initial = "closed"\nlanguage = "de"'))
    out = build(english)
    assert "ERROR: statusdoc:" in out.warnings
    assert "directive 'hinweis': not on the list of safe directives" in out.warnings
    assert "Ein Hinweis." not in out.read("index.html")


def test_meta_refresh_is_refused(project, build):
    text = ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example"
    opted_in = build(_with_description(project, text),
                     confoverrides={"statusdoc_allow_unsafe_rst": True})
    assert re.search(r'http-equiv="refresh"', opted_in.read("index.html"))
    out = build(_with_description(project, text))
    assert "directive 'meta'" in out.warnings
    assert 'http-equiv="refresh"' not in out.read("index.html")


# -- issue 12 item 6 in Sphinx: the figure's alt text ------------------------------


def test_alt_text_in_sphinx_matches_the_emitter(project, build):
    import html as html_lib

    srcdir = project()
    spec = srcdir / "door.toml"
    rules = "".join(f'\n[[transitions]]\nfrom = "closed"\nto = "open"\nevent = "e{i}"\n'
                    for i in range(30))
    spec.write_text(spec.read_text() + rules)
    # the <img> (the live diagram puts the same text in the inline SVG's <desc>)
    out = build(srcdir, confoverrides={"statusdoc_live_diagram": False})
    page = out.read("index.html")
    alt = html_lib.unescape(re.search(r'<img src="[^"]*statusdoc-[^"]*" alt="([^"]*)"',
                                      page).group(1))
    assert alt == ("Door Statuses status diagram: 4 statuses and 37 transitions, starting at "
                   "closed, ending at broken; every transition is listed in the transition "
                   "table.")
    # the diagram-only directive has no table beside it: its alt text is given there
    assert 'alt="A door diagram"' in out.read("parts.html")
