"""Fixtures for the Sphinx extension tests: real projects, real builds.

Every test copies a root from ``tests/roots/test-*`` into its own tmp dir,
so builds never share an environment unless a test wants them to (the
incremental tests build the same copy twice).
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
ROOTS = TESTS / "roots"
REPO = TESTS.parent


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """``project("statusdoc", **{"extra.rst": text})`` -> a fresh copy of a test root.

    Files are written as given (names with ``/`` need their folder first).
    """

    counter = iter(range(1000))

    def make(root: str = "statusdoc", *, only: bool = False, **files: str) -> Path:
        """``only=True`` drops the root's pages that are not in ``files``."""
        srcdir = tmp_path / f"src-{root}-{next(counter)}"
        shutil.copytree(ROOTS / f"test-{root}", srcdir)
        if only:
            for page in srcdir.glob("*.rst"):
                if page.name not in files:
                    page.unlink()
        for name, text in files.items():
            (srcdir / name).write_text(text, encoding="utf-8")
        return srcdir

    return make


class Built:
    """A finished build: the app, its warnings and helpers to read the output."""

    def __init__(self, app: Any, warnings: str, status: str) -> None:
        self.app = app
        self.warnings = warnings
        self.status = status
        self.outdir = Path(app.outdir)

    def read(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def images(self) -> list[Path]:
        """The rendered diagrams (not the live diagram's script and stylesheet)."""
        return sorted(p for p in self.outdir.rglob("statusdoc-*.*") if p.parent.name != "_static")

    def live_svgs(self, name: str) -> list[Any]:
        """The inline SVG of each live diagram of page ``name``, parsed (ElementTree)."""
        from xml.etree import ElementTree

        page, found = self.read(name), []
        start = page.find('<svg xmlns="http://www.w3.org/2000/svg"')
        while start != -1:
            end = page.index("</svg>", start) + len("</svg>")
            found.append(ElementTree.fromstring(page[start:end]))
            start = page.find('<svg xmlns="http://www.w3.org/2000/svg"', end)
        return found


@pytest.fixture
def build(make_app: Callable[..., Any]) -> Callable[..., Built]:
    """Run a real Sphinx build of ``srcdir``; returns :class:`Built`."""

    def run(srcdir: Path, builder: str = "html", **kwargs: Any) -> Built:
        status, warning = io.StringIO(), io.StringIO()
        app = make_app(builder, srcdir=srcdir, status=status, warning=warning, **kwargs)
        app.build()
        return Built(app, warning.getvalue(), status.getvalue())

    return run


@pytest.fixture
def recording_renderer(tmp_path: Path) -> tuple[str, Path]:
    """A dot-compatible renderer that logs each call, then runs graphviz-pure.

    Returns ``("command:<script>", log_path)`` for ``statusdoc_renderer``.
    """
    real = shutil.which("graphviz-pure", path=os.path.dirname(sys.executable)) or shutil.which(
        "graphviz-pure"
    )
    assert real, "graphviz-pure must be installed (it is a dependency of statusdoc)"
    log = tmp_path / "renderer-calls.log"
    script = tmp_path / "recording-renderer"
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        "if '-V' not in sys.argv:\n"
        f"    with open({str(log)!r}, 'a') as fh:\n"
        "        fh.write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"command:{script}", log


def calls(log: Path) -> list[str]:
    """The renderer invocations logged so far."""
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.fixture
def renderer_calls() -> Callable[[Path], list[str]]:
    return calls
