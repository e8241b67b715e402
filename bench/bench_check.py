"""``statusdoc check`` on an up-to-date project vs bare ``python -c "import statusdoc"``,
and proof that check starts no renderer.

Run alone: ``python bench/bench_check.py [--quick]``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from common import Row, interleaved  # noqa: E402

GLANCE = HERE.parent / "examples" / "glance" / "image-statuses.toml"
RECORDER = HERE.parent / "tests" / "fakes" / "record.py"
COMMAND = "python bench/bench_check.py"
#: check may spend at most this much more wall time than a bare import.
EXTRA_GOAL = 0.6


def _project(root: Path) -> None:
    shutil.copy(GLANCE, root / "image-statuses.toml")
    (root / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "image-statuses.toml"\noutput-dir = "docs"\n'
    )
    subprocess.run([sys.executable, "-m", "statusdoc", "generate", "-q"], cwd=root,
                   check=True)


def rows(quick: bool = False) -> list[Row]:
    out: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _project(root)
        log = root / "renderer-calls.log"
        env = dict(os.environ, STATUSDOC_RENDERER_COMMAND=str(RECORDER),
                   FAKE_RECORD=str(log), FAKE_REAL="/nonexistent")

        def check() -> None:
            subprocess.run([sys.executable, "-m", "statusdoc", "check", "-q"], cwd=root,
                           env=env, check=True)

        def bare_import() -> None:
            subprocess.run([sys.executable, "-c", "import statusdoc"], cwd=root, env=env,
                           check=True)

        times = interleaved({"check": check, "import": bare_import},
                            rounds=3 if quick else 7)
        calls = len(log.read_text().splitlines()) if log.exists() else 0
    extra = times["check"] - times["import"]
    out.append(Row(
        "check",
        "statusdoc check (Glance, 7 artifacts, up to date) vs python -c 'import statusdoc'",
        f"{times['check']:.3f} s vs {times['import']:.3f} s "
        f"({times['check'] / times['import']:.1f}x, +{extra:.3f} s)",
        goal=f"+<= {EXTRA_GOAL:g} s over a bare import",
        met=extra <= EXTRA_GOAL,
        command=COMMAND,
    ))
    out.append(Row(
        "check",
        "renderer processes started by check (renderer replaced by a recording fake)",
        str(calls),
        goal="0",
        met=calls == 0,
        command=COMMAND,
    ))
    return out


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        print(f"{row.section:8} {row.what:80} {row.result:40} {row.goal}")
