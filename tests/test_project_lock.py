"""The project lock cannot be planted, borrowed or held forever (issue 13, item 13).

The lock lives in ``$TMPDIR/statusdoc-locks-<uid>/``, a shared place: a
symlink planted there is not followed, a directory or file owned by another
user (or writable by others) is refused, and a lock held too long ends the
wait with a message naming the holder and the path.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from statusdoc.fsutil import LockError, lock_path, project_lock

OTHER_UID = 54321


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield tmp
    tempfile.tempdir = None


def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir(exist_ok=True)
    return root


def test_lock_is_taken_and_released(tmp_path: Path) -> None:
    root = project(tmp_path)
    with project_lock(root) as held:
        assert held is True
        path = lock_path(root)
        assert path.parent.stat().st_mode & 0o777 == 0o700
        assert path.read_text().split()[0] == str(os.getpid())
    with project_lock(root) as held:  # released: taken again at once
        assert held is True


def test_a_planted_symlink_is_not_followed(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = lock_path(root)
    path.parent.mkdir(mode=0o700, parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    path.symlink_to(victim)
    with pytest.raises(LockError, match="is a symbolic link"), project_lock(root):
        pass
    assert victim.read_text() == "keep"


def test_a_symlinked_lock_directory_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    lock_path(root).parent.symlink_to(elsewhere)
    with pytest.raises(LockError, match=r"lock directory .* is a symbolic link"), \
            project_lock(root):
        pass
    assert list(elsewhere.iterdir()) == []


def test_a_lock_directory_of_another_user_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    directory = lock_path(root).parent
    directory.mkdir(mode=0o700)
    os.chown(directory, OTHER_UID, -1)
    with pytest.raises(LockError) as info, project_lock(root):
        pass
    message = str(info.value)
    assert f"lock directory {directory} is owned by uid {OTHER_UID}" in message
    assert "remove it" in message


def test_a_lock_directory_others_can_write_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    directory = lock_path(root).parent
    directory.mkdir()
    directory.chmod(0o777)
    with pytest.raises(LockError, match="writable by other users"), project_lock(root):
        pass


def test_a_lock_file_of_another_user_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = lock_path(root)
    path.parent.mkdir(mode=0o700)
    path.write_text("")
    os.chown(path, OTHER_UID, -1)
    with pytest.raises(LockError, match=f"lock file {path} is owned by uid {OTHER_UID}"), \
            project_lock(root):
        pass


def test_a_lock_held_too_long_ends_the_wait_naming_the_holder(tmp_path: Path) -> None:
    root = project(tmp_path)
    path = lock_path(root)
    path.parent.mkdir(mode=0o700)
    path.write_text("99999 statusdoc generate\n")
    holder = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # another open file description: a rival run
        with pytest.raises(LockError) as info, project_lock(root, wait=0.5):
            pass
    finally:
        os.close(holder)
    message = str(info.value)
    assert f"{root.resolve()} is locked by another statusdoc run (pid 99999)" in message
    assert f"lock file {path}" in message and "waited 0.5 s" in message
