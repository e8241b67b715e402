"""Make sure Node.js and npm are available for the TypeScript tests (``tsc`` from npm).

Run by ``make typescript`` (which ``make test`` runs) before ``npm ci``:

* ``npm`` already on PATH: prints its path, exits 0.
* Not on PATH, running as root on Debian/Ubuntu: ``apt-get install -y nodejs
  npm`` (Debian's packages), printing each command before running it.
* Cannot install: prints what to do and exits 1, so ``make`` stops with that
  message instead of a bare "npm: command not found".
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PACKAGES = ("nodejs", "npm")


def _run(cmd: list[str]) -> int:
    print("ensure_node: running", " ".join(cmd), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(cmd, env=env, check=False).returncode


def ensure() -> str | None:
    """The path of ``npm`` after trying to install it, or None."""
    found = shutil.which("npm")
    if found:
        print(f"ensure_node: npm found at {found}")
        return found
    debian = Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None
    if not debian or os.geteuid() != 0:
        print("ensure_node: npm is not on PATH; install Node.js and npm (Debian: "
              "`sudo apt-get install -y nodejs npm`), then run make again.")
        return None
    if _run(["apt-get", "update"]) != 0 or _run(
            ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]) != 0:
        print("ensure_node: apt-get could not install nodejs and npm.")
        return None
    found = shutil.which("npm")
    print(f"ensure_node: installed npm at {found}")
    return found


def main() -> int:
    """Entry point: 0 when npm is there (or now installed), else 1."""
    return 0 if ensure() else 1


if __name__ == "__main__":
    sys.exit(main())
