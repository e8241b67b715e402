"""View images left over (focus views of statuses no longer in the spec, views turned
off, an overview whose groups are gone): ``statusdoc check`` reports them, ``statusdoc
generate`` removes them with the rest of its run, and nothing else is ever touched.

Real projects on disk, the real renderer, the CLI as a subprocess."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from cli_support import FAKES, REPO, run

from statusdoc.artifacts import check_spec, generate_project, plan_spec
from statusdoc.config import load_config
from statusdoc.errors import ConfigError
from statusdoc.fsutil import WriteError, write_all
from statusdoc.stamp import Stamp, read_stamp, stamp_image

DOOR = REPO / "tests" / "roots" / "test-statusdoc" / "door.toml"
VOLUME = REPO / "examples" / "volume" / "volume-statuses.toml"
VIEWS = [f"door-focus-{s}.png" for s in ("closed", "open", "locked", "broken")]
#: The message of a focus view whose status is gone.
GONE = "left from a status no longer in door.toml: remove it, or run `statusdoc generate`"

_LOCKED = '''[states.locked]
description = "The door is shut and locked."

'''
_LOCK = '''[[transitions]]
from = "closed"
to = "locked"
label = "lock"
event = "lock"
description = "Only with the right key."

[[transitions]]
from = "locked"
to = "closed"
label = "unlock"
event = "unlock"

'''


def _project(root: Path, settings: str = 'focus = "on"', outputs: str = '["rst", "png"]',
             spec: Path = DOOR) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(spec, root / spec.name)
    (root / "pyproject.toml").write_text(
        f'[tool.statusdoc]\n{settings}\n[[tool.statusdoc.specs]]\nspec = "{spec.name}"\n'
        f"outputs = {outputs}\n", encoding="utf-8")
    return root


def _drop_locked(root: Path) -> None:
    """Remove the status ``locked`` (and its transitions) from the project's door spec."""
    spec = root / "door.toml"
    text = spec.read_text(encoding="utf-8")
    assert _LOCKED in text and _LOCK in text
    spec.write_text(text.replace(_LOCKED, "").replace(_LOCK, ""), encoding="utf-8")


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def _unstamped_png(root: Path) -> bytes:
    """A PNG of the user's own: statusdoc's image with its stamp chunk cut out."""
    data = (root / "door.png").read_bytes()
    start = data.index(b"tEXtstatusdoc") - 4
    length = int.from_bytes(data[start:start + 4], "big")
    own = data[:start] + data[start + 12 + length:]
    assert read_stamp(own) is None and own.startswith(b"\x89PNG")
    return own


@pytest.fixture(scope="module")
def door_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The door spec with focus views on, generated once (copied by each test)."""
    root = _project(tmp_path_factory.mktemp("door") / "p")
    proc = run(["generate", "-q"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root


def _copy(door_project: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(door_project, root)
    return root


def test_a_removed_status_s_view_is_drift_until_generate_removes_it(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    (root / "door-focus-mine.png").write_bytes(_unstamped_png(root))  # the user's own
    (root / "door-focus-copy.png").write_bytes((root / "door.png").read_bytes())
    _drop_locked(root)
    before = _files(root)

    proc = run(["check", "--diff"], cwd=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert f"door-focus-locked.png: {GONE}" in lines
    assert "--- door-focus-locked.png (on disk)" in lines
    assert "+++ /dev/null (removed by statusdoc generate)" in lines
    assert "mine" not in proc.stdout and "copy" not in proc.stdout
    assert "artifacts stale, missing or left over; run `statusdoc generate`" in proc.stderr
    assert _files(root) == before  # check writes and removes nothing

    proc = run(["generate"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "removed door-focus-locked.png" in proc.stdout.splitlines()
    assert re.fullmatch(r"\d written, 1 removed, \d up to date", proc.stdout.splitlines()[-1])
    after = _files(root)
    assert set(after) == set(before) - {"door-focus-locked.png"}
    for name in ("door-focus-mine.png", "door-focus-copy.png", "door.toml", "pyproject.toml"):
        assert after[name] == before[name]  # never touched
    proc = run(["check"], cwd=root)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == "all 5 artifacts current\n"


def test_a_renamed_status_leaves_its_old_view(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    spec = root / "door.toml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("locked", "bolted"),
                    encoding="utf-8")
    config = load_config(root).specs[0]
    left = {d.path.name: d.reason for d in check_spec(config) if "left" in d.reason}
    assert left == {"door-focus-locked.png": GONE}
    generate_project([config])
    assert not (root / "door-focus-locked.png").exists()
    assert (root / "door-focus-bolted.png").exists() and check_spec(config) == []


def test_turning_focus_off_leaves_every_view(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    toml = root / "pyproject.toml"
    toml.write_text(toml.read_text().replace('focus = "on"', 'focus = "off"'))
    proc = run(["check"], cwd=root)
    assert proc.returncode == 1
    for name in VIEWS:
        assert (f"{name}: left from a focus view door.toml no longer has: remove it, or run "
                "`statusdoc generate`") in proc.stdout.splitlines()
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert sorted(_files(root)) == ["door.png", "door.rst", "door.toml", "pyproject.toml"]
    assert "-focus-" not in (root / "door.rst").read_text(encoding="utf-8")
    assert run(["check"], cwd=root).returncode == 0


def test_a_failed_generate_removes_nothing(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    _drop_locked(root)
    before = _files(root)
    # the views of the other statuses are stale too: the renderer runs, and fails
    proc = run(["generate", "--renderer", f"command:{FAKES / 'crash.py'}"], cwd=root)
    assert proc.returncode == 1 and "nothing was changed" in proc.stderr
    assert _files(root) == before
    spec = root / "door.toml"  # an invalid spec
    spec.write_text(spec.read_text().replace('to = "open"', 'to = "opn"', 1))
    assert run(["generate"], cwd=root).returncode == 1
    assert _files(root) == {**before, "door.toml": spec.read_bytes()}


def test_another_spec_s_refused_output_removes_nothing(door_project, tmp_path):
    """Two specs in one run: the second's output is refused after the first was planned."""
    root = _copy(door_project, tmp_path)
    shutil.copy(DOOR, root / "hatch.toml")
    with (root / "pyproject.toml").open("a") as toml:
        toml.write('[[tool.statusdoc.specs]]\nspec = "hatch.toml"\noutputs = ["rst"]\n')
    _drop_locked(root)
    configs = load_config(root).specs
    outside = tmp_path / "outside.rst"
    outside.write_text("keep")
    (root / "hatch.rst").symlink_to(outside)
    before = _files(root)
    with pytest.raises(ConfigError, match="outside the project root"):
        generate_project(configs)
    assert _files(root) == before and outside.read_text() == "keep"


def test_a_failed_write_removes_nothing(tmp_path):
    orphan = tmp_path / "gone.png"
    orphan.write_bytes(b"old")
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(WriteError, match="nothing was changed"):
        write_all({tmp_path / "new.txt": b"new", blocker / "x.txt": b"x"}, remove=[orphan])
    assert orphan.read_bytes() == b"old" and not (tmp_path / "new.txt").exists()
    write_all({tmp_path / "new.txt": b"new"}, remove=[orphan, tmp_path / "never-was.png"])
    assert not orphan.exists() and (tmp_path / "new.txt").read_bytes() == b"new"


def test_only_views_made_for_this_spec_s_image_count(door_project, tmp_path):
    """A spec whose names start with another's view names ("door-focus-big") shares the
    directory: neither spec takes the other's images for its own left-over views."""
    root = _copy(door_project, tmp_path)
    shutil.copy(DOOR, root / "door-focus-big.toml")
    with (root / "pyproject.toml").open("a") as toml:
        toml.write('[[tool.statusdoc.specs]]\nspec = "door-focus-big.toml"\n'
                   'outputs = ["rst", "png"]\n')
    proc = run(["generate", "-q"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert (root / "door-focus-big.png").exists()
    assert (root / "door-focus-big-focus-open.png").exists()
    proc = run(["check"], cwd=root)
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout == "all 12 artifacts current\n"


def test_a_symlink_named_like_a_view_is_never_followed_or_removed(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    view = (root / "door-focus-locked.png").read_bytes()
    (outside / "door-focus-gone.png").write_bytes(view)
    (root / "door-focus-gone.png").symlink_to(outside / "door-focus-gone.png")
    (root / "door-focus-inside.png").symlink_to("door-focus-locked.png")
    config = load_config(root).specs[0]
    assert check_spec(config) == []
    generate_project([config])
    assert (root / "door-focus-gone.png").is_symlink()
    assert (root / "door-focus-inside.png").is_symlink()
    assert (outside / "door-focus-gone.png").read_bytes() == view


def test_a_view_s_stamp_names_the_image_it_is_a_view_of(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    assert read_stamp((root / "door.png").read_bytes()).view_of is None
    for name in VIEWS:
        assert read_stamp((root / name).read_bytes()).view_of == "door.png"
    # a view stamped without it (statusdoc before this) is stale, and generate restamps it
    path = root / VIEWS[0]
    stamp = read_stamp(path.read_bytes())
    path.write_bytes(stamp_image(path.read_bytes(), "png",
                                 Stamp(stamp.dot_sha256, stamp.renderer)))
    config = load_config(root).specs[0]
    assert [(d.path.name, d.reason) for d in check_spec(config)] == [
        (VIEWS[0], "stale: stamp does not name the image it is a view of (older statusdoc)")]
    # a view of another image is not this page's view
    path.write_bytes(stamp_image(path.read_bytes(), "png",
                                 Stamp(stamp.dot_sha256, stamp.renderer, view_of="x.png")))
    assert [d.reason for d in check_spec(config)] == ["stale: made as a view of x.png"]
    generate_project([config])
    assert read_stamp(path.read_bytes()).view_of == "door.png" and check_spec(config) == []


@pytest.mark.parametrize("name", ["door.png", "a--b <c>; d=é -->.svg", "-", "x%2D-.png"])
@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_the_view_of_field_round_trips_and_keeps_the_stamp_well_formed(door_project, name,
                                                                       fmt):
    image = (door_project / "door.png").read_bytes() if fmt == "png" else (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    stamped = stamp_image(image, fmt, Stamp("0" * 64, "r 1", view_of=name))
    stamp = read_stamp(stamped)
    assert stamp is not None and stamp.view_of == name and stamp.renderer == "r 1"
    text = stamp.text()
    text.encode("latin-1")  # a PNG tEXt chunk holds Latin-1
    assert "--" not in text and "<" not in text and ">" not in text  # an XML comment's
    assert len(text.split("; ")) == 4  # dot, image, view-of, renderer


def test_an_overview_whose_groups_are_off_is_left_over(tmp_path):
    root = _project(tmp_path / "p", 'focus = "off"\noverview = "on"', '["rst", "svg"]', VOLUME)
    config = load_config(root).specs[0]
    generate_project([config])
    overview = root / "volume-statuses-overview.svg"
    assert overview.exists() and check_spec(config) == []
    toml = root / "pyproject.toml"
    toml.write_text(toml.read_text().replace('overview = "on"', 'overview = "off"'))
    config = load_config(root).specs[0]
    assert [(d.path.name, d.reason) for d in check_spec(config) if "left" in d.reason] == [
        ("volume-statuses-overview.svg", "left from an overview volume-statuses.toml no "
         "longer has: remove it, or run `statusdoc generate`")]
    assert [p.path.name for p in plan_spec(config) if p.remove] == [overview.name]
    generate_project([config])
    assert not overview.exists() and check_spec(config) == []


def test_a_hostile_view_of_is_shown_short_and_printable(door_project, tmp_path):
    root = _copy(door_project, tmp_path)
    path = root / VIEWS[1]
    stamp = read_stamp(path.read_bytes())
    hostile = "\x1b[2J\nERROR: " + "x" * 5000 + ".png"
    path.write_bytes(stamp_image(path.read_bytes(), "png",
                                 Stamp(stamp.dot_sha256, stamp.renderer, view_of=hostile)))
    assert read_stamp(path.read_bytes()).view_of == hostile
    [drift] = check_spec(load_config(root).specs[0])
    assert drift.reason.startswith("stale: made as a view of \\x1b[2J\\nERROR: xxx")
    assert drift.reason.endswith("...") and len(drift.reason) < 100


def test_a_read_only_directory_to_remove_from_changes_nothing(door_project, tmp_path):
    """The left-over view is in a directory that cannot be written: the run stops before
    anything is written or removed, in that directory or any other."""
    from test_atomic import _drop_dac_override, statusdoc

    root = _copy(door_project, tmp_path)
    (root / "sub").mkdir()
    shutil.copy(DOOR, root / "hatch.toml")
    with (root / "pyproject.toml").open("a") as toml:
        toml.write('[[tool.statusdoc.specs]]\nspec = "hatch.toml"\noutput-dir = "sub"\n'
                   'outputs = ["rst", "png"]\n')
    assert run(["generate", "-q"], cwd=root).returncode == 0
    ghost = root / "door-focus-ghost.png"  # a view of door.png no status makes
    ghost.write_bytes((root / VIEWS[0]).read_bytes())
    hatch = root / "hatch.toml"  # and a change to write in sub/
    hatch.write_text(hatch.read_text().replace("shut but", "closed but"))
    before = {**_files(root), **{f"sub/{k}": v for k, v in _files(root / "sub").items()}}
    root.chmod(0o555)
    try:
        proc = statusdoc(["generate"], root, preexec_fn=_drop_dac_override)
    finally:
        root.chmod(0o755)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cannot remove" in proc.stderr and "door-focus-ghost.png" in proc.stderr
    assert "nothing was changed" in proc.stderr
    after = {**_files(root), **{f"sub/{k}": v for k, v in _files(root / "sub").items()}}
    assert after == before
    assert not [p for p in root.rglob("*statusdoc-tmp")]
    proc = run(["generate"], cwd=root)
    assert "removed door-focus-ghost.png" in proc.stdout and not ghost.exists()


def test_a_removal_failing_at_the_last_step_says_what_is_done(tmp_path):
    """Unlinking in a writable directory fails in practice only for what is no file (a
    directory swapped in after planning): the error names what was already replaced."""
    (tmp_path / "was-a-file.png").mkdir()
    with pytest.raises(WriteError) as caught:
        write_all({tmp_path / "new.txt": b"new"}, remove=[tmp_path / "was-a-file.png"])
    assert str(caught.value).startswith(f"cannot remove {tmp_path / 'was-a-file.png'}: ")
    assert str(caught.value).endswith(f"already done: replaced {tmp_path / 'new.txt'}")
