"""Install Debian packages for a ``make`` target, or say why not (for ``tools/ensure_*.py``).

One place decides when statusdoc's setup may install a system package: only
on Debian/Ubuntu (``apt-get`` on PATH and ``/etc/debian_version``), only as
root, never silently (each command is printed before it runs).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

__all__ = ["apt_install", "is_debian"]


def is_debian() -> bool:
    """True on a system whose packages ``apt-get`` installs."""
    return Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None


def _run(tool: str, cmd: list[str]) -> int:
    print(f"{tool}: running", " ".join(cmd), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(cmd, env=env, check=False).returncode


def apt_install(tool: str, packages: Sequence[str], missing: str, consequence: str) -> bool:
    """Install ``packages`` with apt-get; True when it succeeded.

    ``tool`` prefixes every line printed, ``missing`` says what was not found
    ("chromium is not on PATH"), ``consequence`` what happens without it
    ("the browser test will fail"); on any failure the message says why and
    what to run instead.
    """
    names = " ".join(packages)
    if not is_debian():
        print(f"{tool}: {missing} and this is not a Debian system; install {names} "
              f"yourself, or {consequence}.")
        return False
    if os.geteuid() != 0:
        print(f"{tool}: {missing} and this is not root; run `sudo apt-get install -y "
              f"{names}`, or {consequence}.")
        return False
    if _run(tool, ["apt-get", "update"]) != 0 or _run(
            tool, ["apt-get", "install", "-y", "--no-install-recommends", *packages]) != 0:
        print(f"{tool}: apt-get could not install {names}; {consequence}.")
        return False
    return True
