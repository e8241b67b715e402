"""The renderer process: limits, lingering children, a killed parent (issue 13, items 11, 13).

- a hard ``ulimit -v`` below the 2 GiB default used to fail every render
  with "Exception occurred in preexec_fn": the limit is clamped to the hard
  limit and named in the messages;
- ``--timeout nan``/``inf``/negative are usage errors (exit 2);
- a renderer whose child keeps standard output open is a success, not a
  false time-out, and the child is killed;
- when ``statusdoc`` itself is SIGKILLed, the renderer and its children die
  too (the watchdog kills the process group).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import FAKES, REPO, run

from statusdoc.errors import RenderError
from statusdoc.render import ENV_COMMAND, read_stamp, render

DOT_FILE = REPO / "examples" / "glance" / "image-statuses.dot"
LOW = 1536 * 1024**2  # 1.5 GiB: below the 2 GiB the renderer asks for


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[1].startswith("Z"))


def gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def under_hard_limit(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LOW, LOW))

    environ = {k: v for k, v in os.environ.items() if k != ENV_COMMAND}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "statusdoc", *args], cwd=cwd, env=environ,
        capture_output=True, text=True, timeout=120, preexec_fn=limit,
    )


def test_render_under_a_hard_address_space_limit_below_the_default(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    proc = under_hard_limit(["render", str(DOT_FILE), "-o", str(out)], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "preexec_fn" not in proc.stderr
    assert read_stamp(out.read_bytes()) is not None


def test_memory_failure_under_a_clamped_limit_names_the_limit(tmp_path: Path) -> None:
    proc = under_hard_limit(
        ["render", str(DOT_FILE), "-o", str(tmp_path / "x.svg")], tmp_path,
        STATUSDOC_RENDERER_COMMAND=str(FAKES / "hog.py"),
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("statusdoc render: ")  # the fake's own traceback is quoted
    assert "address-space limit 1.5 GiB (the hard limit of this process" in proc.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "-inf"])
@pytest.mark.parametrize("command", ["render", "generate"])
def test_timeout_must_be_a_positive_finite_number(
    tmp_path: Path, value: str, command: str
) -> None:
    args = ([command, str(DOT_FILE), "-o", str(tmp_path / "x.svg")] if command == "render"
            else [command])
    proc = run([*args, f"--timeout={value}"], tmp_path if command == "render" else REPO)
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stderr
    assert "--timeout: expected a positive number of seconds" in proc.stderr


def test_timeout_nan_in_the_configuration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "statusdoc.toml").write_text("timeout = nan\n")
    proc = run(["render", str(DOT_FILE), "-o", str(tmp_path / "x.svg")], tmp_path)
    assert proc.returncode == 2, proc
    assert "expected a positive number of seconds, got nan" in proc.stderr


def test_a_child_keeping_stdout_open_is_no_time_out_and_is_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pidfile = tmp_path / "child.pid"
    monkeypatch.setenv("FAKE_PIDFILE", str(pidfile))
    start = time.monotonic()
    data = render("digraph { a }", "svg", renderer=f"command:{FAKES / 'linger.py'}", timeout=30)
    assert time.monotonic() - start < 10
    assert read_stamp(data) is not None
    child = int(pidfile.read_text())
    assert gone_within([child], 5), "the lingering child was left running"


@pytest.mark.parametrize("command", ["render", "generate"])
def test_a_sigkilled_statusdoc_takes_its_renderer_group_along(
    tmp_path: Path, command: str
) -> None:
    pidfile = tmp_path / "family.pid"
    root = tmp_path / "p"
    root.mkdir()
    (root / "m.toml").write_text(
        '[machine]\nname = "m"\ntitle = "M"\ninitial = "a"\n[states.a]\n[states.b]\n'
        '[[transitions]]\nfrom = "a"\nto = "b"\n'
    )
    (root / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "m.toml"\noutput-dir = "gen"\noutputs = ["svg"]\n'
    )
    args = (["render", str(DOT_FILE), "-o", str(tmp_path / "x.svg")] if command == "render"
            else ["generate"])
    environ = {**os.environ, ENV_COMMAND: str(FAKES / "family.py"),
               "FAKE_PIDFILE": str(pidfile)}
    proc = subprocess.Popen([sys.executable, "-m", "statusdoc", *args], cwd=root, env=environ,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not pidfile.exists():
            assert time.monotonic() < deadline, "the fake renderer never started"
            assert proc.poll() is None
            time.sleep(0.05)
        pids = [int(p) for p in pidfile.read_text().split()]
        assert all(alive(p) for p in pids)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert gone_within(pids, 5), "the renderer outlived the statusdoc that started it"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in (int(p) for p in pidfile.read_text().split()) if pidfile.exists() else ():
            if alive(pid):  # the fix failed: do not leave the fake running
                os.kill(pid, signal.SIGKILL)


def test_time_out_kills_the_whole_family(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pidfile = tmp_path / "family.pid"
    monkeypatch.setenv("FAKE_PIDFILE", str(pidfile))
    with pytest.raises(RenderError, match="ran out of time"):
        render("digraph { a }", "svg", renderer=f"command:{FAKES / 'family.py'}", timeout=2)
    assert gone_within([int(p) for p in pidfile.read_text().split()], 5)


def test_the_limits_bind_the_work_the_input_starts() -> None:
    """The address-space and core limits are in force before the program reads a byte
    of its input (on Linux they are set from outside, right after it starts)."""
    from statusdoc.renderproc import run_limited

    memory = 256 * 2**20
    done = run_limited(["/bin/sh", "-c", "read line; echo $line; ulimit -v; ulimit -c"],
                       b"the input\n", timeout=30, memory=memory, max_output=1000,
                       env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().split() == ["the", "input", str(memory // 1024), "0"]
