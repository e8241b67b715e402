"""tools/ensure_node.py: what ``make typescript`` says and does about npm."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "ensure_node.py"


def _run(path: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PATH": path}, check=False)


def test_npm_on_path_is_found_and_nothing_is_installed(tmp_path: Path) -> None:
    npm = tmp_path / "npm"
    npm.write_text("#!/bin/sh\nexit 0\n")
    npm.chmod(npm.stat().st_mode | stat.S_IXUSR)
    done = _run(str(tmp_path))
    assert done.returncode == 0
    assert done.stdout == f"ensure_node: npm found at {npm}\n"


def test_without_npm_and_apt_it_says_what_to_do_and_fails(tmp_path: Path) -> None:
    # a PATH with neither npm nor apt-get: nothing can be installed here
    done = _run(str(tmp_path))
    assert done.returncode == 1
    assert "npm is not on PATH" in done.stdout and "install Node.js and npm" in done.stdout
    assert shutil.which("npm", path=str(tmp_path)) is None
