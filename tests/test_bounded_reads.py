"""Every file statusdoc reads is a regular file of bounded size (issue 13, item 8).

``/dev/zero``, a 3 GB sparse file, a FIFO nobody writes to, or a renderer
that floods its standard output used to end in MemoryError or hang
``validate``, ``check``, ``generate``, ``render``, ``import`` and
``compare``. Each is now refused at once with a message naming the file.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import FAKES, GLANCE, run

from statusdoc.errors import RenderError
from statusdoc.fsutil import (
    FileTooLargeError,
    NotRegularFileError,
    open_regular,
    read_regular,
)
from statusdoc.render import ENV_COMMAND, MAX_OUTPUT_BYTES, render

SPARSE = 3 * 1024**3


def within(seconds: float, func: Callable[[], object]) -> object:
    """Run ``func`` in a thread; fail (instead of hanging the suite) when it blocks."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # handed to the test thread
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"blocked for more than {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


def sparse(path: Path, size: int = SPARSE) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_regular_file_reads_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    assert read_regular(path, 5) == b"hello"
    with open_regular(path) as handle:
        assert handle.read() == b"hello"


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = fifo(tmp_path / "pipe.toml")
    with pytest.raises(NotRegularFileError) as info:
        within(5, lambda: open_regular(path))
    assert info.value.strerror == "not a regular file (a FIFO)"
    with pytest.raises(NotRegularFileError):
        within(5, lambda: read_regular(path, 10))


@pytest.mark.parametrize(("make", "kind"), [
    (lambda p: Path("/dev/zero"), "a character device"),
    (lambda p: p, "a directory"),
])
def test_devices_and_directories_are_refused(
    tmp_path: Path, make: Callable[[Path], Path], kind: str
) -> None:
    with pytest.raises(NotRegularFileError, match=kind):
        within(5, lambda: read_regular(make(tmp_path), 10))


def test_sparse_file_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = sparse(tmp_path / "big.svg")
    with pytest.raises(FileTooLargeError) as info:
        within(5, lambda: read_regular(path, 1024))
    assert "larger than the limit of 1,024 bytes" in str(info.value.strerror)
    with pytest.raises(FileTooLargeError):
        open_regular(path, limit=1024)


def test_errors_are_oserrors_so_every_caller_reports_them(tmp_path: Path) -> None:
    assert issubclass(NotRegularFileError, OSError)
    assert issubclass(FileTooLargeError, OSError)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing", 10)


# --- the commands -------------------------------------------------------------

def project(root: Path, outputs: str = '["rst", "svg"]') -> Path:
    (root / "specs").mkdir(parents=True)
    shutil.copy(GLANCE, root / "specs" / "image-statuses.toml")
    (root / "pyproject.toml").write_text(
        '[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = "specs/image-statuses.toml"\n'
        f'output-dir = "gen"\noutputs = {outputs}\n'
    )
    return root


def no_traceback(proc: object) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", [["validate", "specs/image-statuses.toml"], ["check"],
                                     ["generate"]])
def test_fifo_spec_is_refused_by_every_command(tmp_path: Path, command: list[str]) -> None:
    root = project(tmp_path / "p")
    spec = root / "specs" / "image-statuses.toml"
    spec.unlink()
    fifo(spec)
    proc = run(command, root)
    no_traceback(proc)
    assert proc.returncode in (1, 2), proc
    assert "not a regular file (a FIFO)" in proc.stdout + proc.stderr


@pytest.mark.parametrize("shape", ["fifo", "sparse"])
@pytest.mark.parametrize("command", ["check", "generate"])
def test_hostile_artifact_on_disk(tmp_path: Path, shape: str, command: str) -> None:
    root = project(tmp_path / "p")
    assert run(["generate"], root).returncode == 0
    svg = root / "gen" / "image-statuses.svg"
    svg.unlink()
    fifo(svg) if shape == "fifo" else sparse(svg)
    proc = run([command], root)
    no_traceback(proc)
    if shape == "fifo":
        assert proc.returncode in (1, 2), proc
        assert "image-statuses.svg" in proc.stderr and "not a regular file (a FIFO)" in proc.stderr
    elif command == "check":
        assert proc.returncode == 1, proc
        assert "image-statuses.svg: stale: larger than" in proc.stdout
    else:  # generate replaces the oversized file with the real image
        assert proc.returncode == 0, proc.stderr
        assert svg.stat().st_size < 1_000_000


@pytest.mark.parametrize("source", ["zero", "fifo", "sparse"])
def test_render_refuses_an_endless_or_huge_dot(tmp_path: Path, source: str) -> None:
    path = {"zero": lambda: Path("/dev/zero"), "fifo": lambda: fifo(tmp_path / "x.dot"),
            "sparse": lambda: sparse(tmp_path / "x.dot")}[source]()
    proc = run(["render", str(path), "-o", str(tmp_path / "out.svg")], tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2, proc
    assert f"cannot read {path}" in proc.stderr
    assert not (tmp_path / "out.svg").exists()


@pytest.mark.parametrize("suffix", [".dot", ".mmd", ".md"])
@pytest.mark.parametrize("source", ["zero", "fifo", "sparse"])
def test_import_refuses_an_endless_or_huge_dot(tmp_path: Path, source: str, suffix: str) -> None:
    path = {"zero": lambda: tmp_path / f"zero{suffix}",
            "fifo": lambda: fifo(tmp_path / f"x{suffix}"),
            "sparse": lambda: sparse(tmp_path / f"x{suffix}")}[source]()
    if source == "zero":
        path.symlink_to("/dev/zero")
    proc = run(["import", str(path)], tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2, proc
    assert "cannot read" in proc.stderr


@pytest.mark.parametrize("source", ["zero", "fifo", "sparse"])
def test_compare_refuses_an_endless_or_huge_table_file(tmp_path: Path, source: str) -> None:
    path = {"zero": lambda: tmp_path / "t.json", "fifo": lambda: fifo(tmp_path / "t.yaml"),
            "sparse": lambda: sparse(tmp_path / "t.json")}[source]()
    if source == "zero":
        path.symlink_to("/dev/zero")
    proc = run(["compare", str(GLANCE), "--table", str(path)], tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2, proc
    assert "cannot read" in proc.stderr


def test_fifo_config_file_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "p"
    root.mkdir()
    fifo(root / "statusdoc.toml")
    proc = run(["check", "--config", "statusdoc.toml"], root)
    no_traceback(proc)
    assert proc.returncode == 2, proc
    assert "not a regular file (a FIFO)" in proc.stderr


def test_flooding_renderer_is_stopped_at_the_output_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)
    with pytest.raises(RenderError) as info:
        within(60, lambda: render("digraph { a }", "svg",
                                  renderer=f"command:{FAKES / 'flood.py'}", spec="m.toml"))
    message = str(info.value)
    assert message.startswith("m.toml: renderer command:flood.py wrote more than")
    assert f"{MAX_OUTPUT_BYTES // 1024**2} MiB" in message
