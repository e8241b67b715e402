"""Make sure Node.js and npm are available for the TypeScript tests (``tsc`` from npm).

Run by ``make typescript`` (which ``make test`` runs) before ``npm ci``:

* ``npm`` already on PATH: prints its path, exits 0.
* Not on PATH, running as root on Debian/Ubuntu: ``apt-get install -y nodejs
  npm`` (Debian's packages), printing each command before running it.
* Cannot install: prints what to do and exits 1, so ``make`` stops with that
  message instead of a bare "npm: command not found".
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling apt_install
from apt_install import apt_install

PACKAGES = ("nodejs", "npm")


def ensure() -> str | None:
    """The path of ``npm`` after trying to install it, or None."""
    found = shutil.which("npm")
    if found:
        print(f"ensure_node: npm found at {found}")
        return found
    if not apt_install("ensure_node", PACKAGES, "npm is not on PATH",
                       "the TypeScript tests cannot run (install Node.js and npm, then run "
                       "make again)"):
        return None
    found = shutil.which("npm")
    print(f"ensure_node: installed npm at {found}")
    return found


def main() -> int:
    """Entry point: 0 when npm is there (or now installed), else 1."""
    return 0 if ensure() else 1


if __name__ == "__main__":
    sys.exit(main())
