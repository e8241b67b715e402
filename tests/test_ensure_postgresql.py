"""tools/ensure_postgresql.py: where ``make postgresql`` and the test server find
PostgreSQL's programs, and what it says when it runs."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pgserver
import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "ensure_postgresql.py"


def _program(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_the_newest_debian_version_wins_then_path(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    tool = pgserver._TOOL  # the module the test server uses: one place looks
    debian = tmp_path / "debian"
    for major in ("9", "13", "15", "notaversion"):
        _program(debian / major / "bin" / "pg_ctl")
    monkeypatch.setattr(tool, "DEBIAN_DIR", debian)
    assert tool.find_bindir() == debian / "15" / "bin"
    monkeypatch.setattr(tool, "DEBIAN_DIR", tmp_path / "none")
    on_path = tmp_path / "path"
    _program(on_path / "pg_ctl")
    monkeypatch.setenv("PATH", str(on_path))
    assert tool.find_bindir() is None  # pg_ctl without initdb beside it is no server
    _program(on_path / "initdb")
    assert tool.find_bindir() == on_path


def test_it_reports_the_installed_server_and_exits_zero() -> None:
    proc = subprocess.run([sys.executable, str(TOOL)], capture_output=True, text=True,
                          env=dict(os.environ), timeout=120, check=False)
    assert proc.returncode == 0
    assert f"initdb and pg_ctl found in {pgserver.find_bindir()}" in proc.stdout
