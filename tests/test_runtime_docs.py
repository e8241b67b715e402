"""docs/enforcement.rst stays true: its doctests run, its console example is real,
and the page (with its autodoc API reference) builds with Sphinx without a warning."""

from __future__ import annotations

import doctest
import re
import shutil
import subprocess
import sys
from pathlib import Path

pytest_plugins = ["sphinx.testing.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "enforcement.rst"
STATUSDOC = Path(sys.executable).parent / "statusdoc"


def test_doctests_in_the_page_pass(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples load the spec by its repo-relative path
    result = doctest.testfile(
        str(PAGE),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted >= 40
    assert result.failed == 0


def _block_after(text: str, marker: str) -> str:
    """The indented literal block that follows the line ``marker``."""
    start = text.index(marker)
    lines = text[start:].splitlines()[1:]
    body: list[str] = []
    for line in lines:
        if line.strip() == "" and not body:
            continue
        if line.startswith("   ") and not line.lstrip().startswith(":"):
            body.append(line[3:])
        elif line.strip() == "" or line.lstrip().startswith(":"):
            body.append("")
        else:
            break
    return "\n".join(body).strip("\n") + "\n"


def test_the_compare_console_example_is_what_the_cli_prints(tmp_path):
    text = PAGE.read_text("utf-8")
    module = _block_after(text, ":caption: glance_domain.py")
    console = _block_after(text, "$ statusdoc compare image-statuses.toml").splitlines()
    command_line = next(
        line for line in text.splitlines() if line.strip().startswith("$ statusdoc compare")
    )
    (tmp_path / "glance_domain.py").write_text(module, "utf-8")
    shutil.copy(ROOT / "examples" / "glance" / "image-statuses.toml", tmp_path)
    args = command_line.strip().split()[3:]
    proc = subprocess.run(
        [str(STATUSDOC), "compare", *args], cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == console


def test_page_builds_without_warnings(tmp_path, make_app):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['sphinx.ext.autodoc']\n"
        "root_doc = 'enforcement'\n"
        "autodoc_typehints = 'description'\n",
        "utf-8",
    )
    shutil.copy(PAGE, src / "enforcement.rst")
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app._warning.getvalue()
    assert warnings == "", warnings
    html = (Path(app.outdir) / "enforcement.html").read_text("utf-8")
    assert "status_member_names" in html
    assert re.search(r"InvalidInitialStatus", html)
