"""``statusdoc render FILE.dot -o OUT`` as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from statusdoc.stamp import dot_sha256, read_stamp

FAKES = Path(__file__).parent / "fakes"
DOT = 'digraph { "a" -> "b" [label="go"] }\n'


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STATUSDOC_RENDERER_COMMAND"}
    return subprocess.run([sys.executable, "-m", "statusdoc", "render", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=60)


def test_render_png_and_svg_by_suffix_and_format(tmp_path: Path) -> None:
    (tmp_path / "m.dot").write_text(DOT)
    assert run(["m.dot", "-o", "m.png"], tmp_path).returncode == 0
    assert run(["m.dot", "-o", "m.image", "--format", "svg"], tmp_path).returncode == 0
    png = (tmp_path / "m.png").read_bytes()
    svg = (tmp_path / "m.image").read_bytes()
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
    assert read_stamp(png).dot_sha256 == read_stamp(svg).dot_sha256 == dot_sha256(DOT)


def test_render_errors(tmp_path: Path) -> None:
    (tmp_path / "m.dot").write_text(DOT)
    (tmp_path / "old.png").write_bytes(b"old")
    unknown = run(["m.dot", "-o", "m.gif"], tmp_path)
    assert unknown.returncode == 2 and "pass --format" in unknown.stderr
    missing = run(["nope.dot", "-o", "m.png"], tmp_path)
    assert missing.returncode == 2 and "cannot read nope.dot" in missing.stderr
    crash = run(["m.dot", "-o", "old.png", "--renderer", f"command:{FAKES / 'crash.py'}"],
                tmp_path)
    assert crash.returncode == 1
    assert "m.dot: renderer command:crash.py failed" in crash.stderr
    hang = run(["m.dot", "-o", "old.png", "--timeout", "1", "--renderer",
                f"command:{FAKES / 'hang.py'}"], tmp_path)
    assert hang.returncode == 1 and "ran out of time" in hang.stderr
    assert (tmp_path / "old.png").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.dot", "old.png"]


def test_render_reads_stdin(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STATUSDOC_RENDERER_COMMAND"}
    proc = subprocess.run([sys.executable, "-m", "statusdoc", "render", "-", "-o", "x.svg"],
                          cwd=tmp_path, env=env, input=DOT, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert read_stamp((tmp_path / "x.svg").read_bytes()).dot_sha256 == dot_sha256(DOT)


def test_render_refuses_a_missing_output_directory(tmp_path: Path) -> None:
    (tmp_path / "m.dot").write_text(DOT)
    proc = run(["m.dot", "-o", "a/b/x.svg"], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "cannot write a/b/x.svg: directory a/b does not exist (create it first)" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.dot"]
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert run(["m.dot", "-o", "a/b/x.svg"], tmp_path).returncode == 0


def test_render_refuses_endless_stdin(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "STATUSDOC_RENDERER_COMMAND"}
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run([sys.executable, "-m", "statusdoc", "render", "-", "-o", "x.svg"],
                              cwd=tmp_path, env=env, stdin=zero, capture_output=True, text=True,
                              timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "cannot read standard input: larger than the limit of 5,242,880 bytes" in proc.stderr
