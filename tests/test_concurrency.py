"""Two real ``statusdoc generate`` processes on one project at the same time."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from statusdoc.fsutil import TEMP_SUFFIX, lock_path

REPO = Path(__file__).resolve().parent.parent
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"
FAKES = Path(__file__).parent / "fakes"
REAL = str(Path(sys.executable).parent / "graphviz-pure")


def test_two_concurrent_generates_serialise_and_produce_one_clean_set(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copy(GLANCE, root / "image-statuses.toml")
    (root / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "image-statuses.toml"\noutput-dir = "docs"\n'
    )
    started = tmp_path / "started"
    env = {k: v for k, v in os.environ.items() if k != "STATUSDOC_RENDERER_COMMAND"}
    # The renderer pauses 0.5 s per image, so the two runs certainly overlap.
    env.update(FAKE_REAL=REAL, FAKE_SLEEP="0.5", FAKE_STARTED=str(started),
               FAKE_RECORD=str(tmp_path / "calls.log"))
    command = [sys.executable, "-m", "statusdoc", "generate", "--renderer",
               f"command:{FAKES / 'slow.py'}"]
    procs = [
        subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    summaries = sorted(out.splitlines()[-1] for out, _err in results)
    # The lock made one run wait; it then found everything current.
    assert summaries == ["0 written, 7 up to date", "7 written, 0 up to date"]
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert len(calls) == 2  # one SVG and one PNG: one run rendered, the other none
    check = subprocess.run([sys.executable, "-m", "statusdoc", "check"], cwd=root, env=env,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    names = sorted(p.name for p in root.rglob("*") if p.is_file())
    assert not [n for n in names if n.endswith(TEMP_SUFFIX) or n.endswith(".lock")]
    assert len(names) == 1 + 1 + 7  # spec, config, artifacts: the lock lives elsewhere
    assert root.resolve() not in lock_path(root / "docs").parents
