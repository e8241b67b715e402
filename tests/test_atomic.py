"""Failure atomicity of ``statusdoc generate`` (issue 6.3), with real subprocesses.

Each scenario starts from a generated, committed-like set of artifacts, edits
the spec so every artifact would change, makes the run fail in one way, and
then proves: the old set is byte-identical (and untouched), no temporary file
is left, and the exit status is non-zero.
"""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from statusdoc.fsutil import TEMP_SUFFIX, WriteError, signals_deferred, write_all

REPO = Path(__file__).resolve().parent.parent
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"
FAKES = Path(__file__).parent / "fakes"
REAL = str(Path(sys.executable).parent / "graphviz-pure")
ALL = ["rst", "md", "dot", "png", "svg", "mermaid", "python"]


def environ(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "STATUSDOC_RENDERER_COMMAND"}
    env.update(extra)
    return env


def statusdoc(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    kwargs.setdefault("env", environ())
    return subprocess.run([sys.executable, "-m", "statusdoc", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, **kwargs)


_TEMPLATES: dict[tuple[str, ...], Path] = {}


def make_project(root: Path, names: tuple[str, ...] = ("image-statuses",)) -> Path:
    """A generated project with every artifact stale (copied from a per-run template)."""
    if names in _TEMPLATES:
        shutil.copytree(_TEMPLATES[names], root)
        return root
    _build_project(root, names)
    template = root.parent / f"template-{len(_TEMPLATES)}"
    shutil.copytree(root, template)
    _TEMPLATES[names] = template
    return root


def _build_project(root: Path, names: tuple[str, ...]) -> None:
    (root / "specs").mkdir(parents=True)
    lines = []
    for name in names:
        shutil.copy(GLANCE, root / "specs" / f"{name}.toml")
        kinds = ", ".join(f'"{k}"' for k in ALL)
        lines.append(f'[[specs]]\nspec = "specs/{name}.toml"\noutput-dir = "docs/{name}"\n'
                     f"outputs = [{kinds}]\n")
    (root / "statusdoc.toml").write_text("\n".join(lines))
    proc = statusdoc(["generate", "-q"], root)
    assert proc.returncode == 0, proc.stderr
    for name in names:  # every artifact will be stale after this edit
        spec = root / "specs" / f"{name}.toml"
        spec.write_text(spec.read_text().replace('label = "scrub"', 'label = "scrub now"')
                        .replace("is not readable", "cannot be read"))


def artifacts(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted((root / "docs").rglob("*"))
        if p.is_file()
    }


def assert_no_temps(root: Path) -> None:
    leftovers = [p for p in root.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
    assert leftovers == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


@pytest.mark.parametrize(
    ("fake", "extra", "message"),
    [
        ("killself.py", [], "was killed by SIGKILL"),
        ("hang.py", ["--timeout", "1"], "ran out of time (1 s)"),
        ("crash.py", [], "failed (exit 3)"),
        ("garbage.py", [], "not an SVG"),
        ("empty.py", [], "produced an empty SVG"),
    ],
)
def test_renderer_failure_keeps_old_set(project: Path, fake: str, extra: list[str],
                                        message: str) -> None:
    before = artifacts(project)
    proc = statusdoc(["generate", "--renderer", f"command:{FAKES / fake}", *extra], project)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "specs/image-statuses.toml" in proc.stderr and "fix" in proc.stderr
    assert artifacts(project) == before
    assert_no_temps(project)
    assert statusdoc(["check"], project).returncode == 1  # still stale, as before


def _drop_dac_override() -> None:  # runs in the child, before exec
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_capbset_drop = 24
        for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_read_only_output_dir_keeps_every_old_file(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ("first", "second"))
    before = artifacts(root)
    ro = root / "docs" / "second"
    ro.chmod(0o555)  # root ignores this unless it loses CAP_DAC_OVERRIDE: done below
    try:
        proc = statusdoc(["generate"], root, preexec_fn=_drop_dac_override)
    finally:
        ro.chmod(0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cannot write" in proc.stderr and "Permission denied" in proc.stderr
    assert artifacts(root) == before  # docs/first untouched too: all or nothing
    assert_no_temps(root)


def _limit_file_size() -> None:  # runs in the child, before exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


def test_full_disk_keeps_old_set(project: Path) -> None:
    before = artifacts(project)
    proc = statusdoc(["generate"], project, preexec_fn=_limit_file_size)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cannot write" in proc.stderr and "too large" in proc.stderr.lower()
    assert artifacts(project) == before
    assert_no_temps(project)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_during_run_keeps_old_set(project: Path, tmp_path: Path, signum: int,
                                         code: int) -> None:
    before = artifacts(project)
    started = tmp_path / "renderer-started"
    env = environ(FAKE_STARTED=str(started), FAKE_SLEEP="60", FAKE_REAL=REAL,
                  FAKE_RECORD=str(tmp_path / "calls"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "statusdoc", "generate", "--renderer",
         f"command:{FAKES / 'slow.py'}"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 30
    while not started.exists():  # text outputs are emitted; the renderer is running
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.02)
    proc.send_signal(signum)
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert artifacts(project) == before
    assert_no_temps(project)
    # the renderer's whole process group was killed with it
    out = subprocess.run(["pgrep", "-f", str(FAKES / "slow.py")], capture_output=True, text=True)
    assert out.stdout.strip() == ""


def test_write_all_is_all_or_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(b"old")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a directory is needed")
    with pytest.raises(WriteError, match="nothing was changed"):
        write_all({good: b"new", blocker / "x.txt": b"data"})
    assert good.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "good.txt"]
    write_all({good: b"new", tmp_path / "sub" / "x.txt": b"data"})
    assert good.read_bytes() == b"new" and (tmp_path / "sub" / "x.txt").read_bytes() == b"data"


def test_write_all_keeps_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "script.py"
    target.write_text("old")
    target.chmod(0o640)
    write_all({target: b"new"})
    assert target.stat().st_mode & 0o777 == 0o640


def test_signals_are_deferred_until_the_block_ends() -> None:
    reached = []
    # Sent to this thread: the mask is per thread, and a process-wide signal may be
    # taken by another thread of a test runner (pytest-xdist's), which blocks nothing.
    with pytest.raises(KeyboardInterrupt), signals_deferred():
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        time.sleep(0.05)
        reached.append("after the signal, still inside")
    assert reached == ["after the signal, still inside"]


def test_temps_left_by_a_killed_run_are_removed_by_the_next(project: Path) -> None:
    docs = project / "docs" / "image-statuses"
    stale = docs / f".image-statuses.png.deadbeef{TEMP_SUFFIX}"
    stale.write_bytes(b"half a PNG")
    unrelated = docs / f".notes.txt.deadbeef{TEMP_SUFFIX}"
    unrelated.write_bytes(b"not ours to judge")
    proc = statusdoc(["generate", "-q"], project)
    assert proc.returncode == 0, proc.stderr
    assert not stale.exists()
    assert unrelated.exists()  # only temps of this run's own outputs are cleared


def test_interrupt_between_two_temp_writes_leaves_nothing(tmp_path: Path) -> None:
    first, second = tmp_path / "a.rst", tmp_path / "b.png"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")

    class InterruptedAfterFirst(dict):  # Ctrl-C lands after the first temp file is written
        def items(self):  # type: ignore[no-untyped-def, override]
            yield first, b"new a"
            assert any(p.name.endswith(TEMP_SUFFIX) for p in tmp_path.iterdir())
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_all(InterruptedAfterFirst())
    assert (first.read_bytes(), second.read_bytes()) == (b"old a", b"old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.rst", "b.png"]
