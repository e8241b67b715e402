"""Shared by the tests that drive the real ``statusdoc`` command on the Glance example."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"
FAKES = Path(__file__).parent / "fakes"
#: The console script installed beside this interpreter.
STATUSDOC_SCRIPT = Path(sys.executable).parent / "statusdoc"
#: Every output kind, in the order the config lists them.
ALL = ["rst", "md", "dot", "png", "svg", "mermaid", "python"]

#: Exactly the transitions the Glance example spec allows, as a hand-written table.
GLANCE_TABLE = {
    "queued": ("saving", "active", "deleted"),
    "saving": ("active", "killed", "deleted"),
    "active": ("pending_delete", "deleted", "queued"),
    "killed": ("deleted",),
    "deleted": (),
    "pending_delete": ("deleted",),
}


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m statusdoc ARGS`` in ``cwd``, with no renderer override inherited."""
    environ = {k: v for k, v in os.environ.items() if k != "STATUSDOC_RENDERER_COMMAND"}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "statusdoc", *args],
        cwd=cwd, env=environ, capture_output=True, text=True, timeout=120,
    )
