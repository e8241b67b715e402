"""tools/ensure_chromium.py: what ``make browser`` runs before the browser test."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "ensure_chromium.py"


def _run(path: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=path)
    return subprocess.run(
        [sys.executable, str(TOOL)], capture_output=True, text=True, env=env, timeout=60
    )


def test_reports_a_chromium_already_on_path(tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    proc = _run(str(tmp_path))
    assert proc.returncode == 0
    assert f"chromium found at {fake}" in proc.stdout


def test_without_chromium_or_apt_it_explains_and_exits_zero(tmp_path):
    """No chromium and no apt-get on PATH: a clear message; the browser test then fails."""
    proc = _run(str(tmp_path))  # an empty PATH: neither chromium nor apt-get
    assert proc.returncode == 0
    assert "chromium is not on PATH" in proc.stdout
    assert "browser test will fail" in proc.stdout
