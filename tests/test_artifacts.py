"""The artifacts layer on a real project in tmp_path: plan, check, generate."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from statusdoc.artifacts import (
    REASON_MISSING,
    REASON_OLD_DOT,
    REASON_TEXT,
    REASON_UNSTAMPED,
    check_project,
    check_spec,
    generate_spec,
    plan_spec,
)
from statusdoc.config import load_config
from statusdoc.errors import ConfigError, RenderError, SpecError, StatusdocError
from statusdoc.render import ENV_COMMAND
from statusdoc.stamp import dot_sha256, read_stamp

REPO = Path(__file__).resolve().parent.parent
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"
FAKES = Path(__file__).parent / "fakes"
REAL = str(Path(sys.executable).parent / "graphviz-pure")
KINDS = ["rst", "dot", "png", "svg", "python"]


def make_project(root: Path, outputs: list[str] = KINDS, extra: str = "") -> Path:
    (root / "specs").mkdir(parents=True)
    shutil.copy(GLANCE, root / "specs" / "image-statuses.toml")
    kinds = ", ".join(f'"{k}"' for k in outputs)
    (root / "pyproject.toml").write_text(
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\n"
        f'spec = "specs/image-statuses.toml"\noutput-dir = "docs/gen"\noutputs = [{kinds}]\n'
        + extra
    )
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def spec_config(root: Path):  # type: ignore[no-untyped-def]
    return load_config(root).specs[0]


def edit_spec(root: Path, old: str, new: str) -> None:
    path = root / "specs" / "image-statuses.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def record_renders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    log = tmp_path / "renders.log"
    monkeypatch.setenv(ENV_COMMAND, str(FAKES / "record.py"))
    monkeypatch.setenv("FAKE_RECORD", str(log))
    monkeypatch.setenv("FAKE_REAL", REAL)
    return log


def test_fresh_project_plans_everything_missing(project: Path) -> None:
    plan = plan_spec(spec_config(project))
    assert [p.kind for p in plan] == KINDS
    assert all(p.reason == REASON_MISSING for p in plan)
    assert not (project / "docs").exists()  # planning writes nothing


def test_generate_then_check_is_clean_and_second_run_touches_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = spec_config(project)
    outcomes = generate_spec(config)
    assert [(o.kind, o.changed) for o in outcomes] == [(k, True) for k in KINDS]
    gen = project / "docs" / "gen"
    assert sorted(p.name for p in gen.iterdir()) == sorted(
        ["image-statuses.rst", "image-statuses.dot", "image-statuses.png",
         "image-statuses.svg", "image_statuses.py"]
    )
    assert check_spec(config) == []
    dot = (gen / "image-statuses.dot").read_text()
    for name in ("image-statuses.png", "image-statuses.svg"):
        stamp = read_stamp((gen / name).read_bytes())
        assert stamp is not None and stamp.dot_sha256 == dot_sha256(dot)
    header = "\n".join((gen / "image-statuses.rst").read_text().splitlines()[:3])
    assert "specs/image-statuses.toml" in header and str(project) not in header

    before = snapshot(project)
    log = record_renders(monkeypatch, tmp_path)
    outcomes = generate_spec(spec_config(project))
    assert not any(o.changed for o in outcomes)
    assert snapshot(project) == before  # bytes and mtimes
    assert not log.exists()  # stamps matched: the renderer never ran


def test_description_edit_rewrites_text_but_does_not_rerender(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    generate_spec(spec_config(project))
    gen = project / "docs" / "gen"
    png_before = (gen / "image-statuses.png").stat().st_mtime_ns
    edit_spec(project, "An error occurred", "A failure happened")
    drifts = check_spec(spec_config(project))
    assert [(d.path.name, d.reason) for d in drifts] == [("image-statuses.rst", REASON_TEXT)]
    removed = [line for line in drifts[0].diff.splitlines() if line.startswith("-")]
    added = [line for line in drifts[0].diff.splitlines() if line.startswith("+")]
    assert any("An error occurred" in line for line in removed)
    assert any("A failure happened" in line for line in added)
    log = record_renders(monkeypatch, tmp_path)
    outcomes = generate_spec(spec_config(project))
    assert [o.path.name for o in outcomes if o.changed] == ["image-statuses.rst"]
    assert not log.exists()
    assert (gen / "image-statuses.png").stat().st_mtime_ns == png_before
    assert check_spec(spec_config(project)) == []


def test_transition_change_makes_every_derived_artifact_stale(project: Path) -> None:
    generate_spec(spec_config(project))
    edit_spec(project, 'label = "scrub"', 'label = "scrub data"')
    drifts = {d.path.name: d.reason for d in check_spec(spec_config(project))}
    assert drifts == {
        "image-statuses.rst": REASON_TEXT,
        "image-statuses.dot": REASON_TEXT,
        "image-statuses.png": REASON_OLD_DOT,
        "image-statuses.svg": REASON_OLD_DOT,
    }


def test_check_never_writes_and_never_renders(
    project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    generate_spec(spec_config(project))
    edit_spec(project, 'label = "scrub"', 'label = "purge"')
    (project / "docs" / "gen" / "image-statuses.svg").unlink()
    before = snapshot(project)
    # No renderer anywhere: none beside the interpreter, none on PATH.
    monkeypatch.setattr(sys, "executable", str(tmp_path / "nopython"))
    monkeypatch.setenv("PATH", str(tmp_path))
    drifts = check_project(load_config(project).specs)
    assert {d.path.name: d.reason for d in drifts}["image-statuses.svg"] == REASON_MISSING
    assert snapshot(project) == before
    with pytest.raises(RenderError, match="pip install graphviz-pure"):
        generate_spec(spec_config(project))  # generate does need the renderer
    assert snapshot(project) == before


def test_hand_edited_and_unstamped_files_are_drift(project: Path) -> None:
    generate_spec(spec_config(project))
    gen = project / "docs" / "gen"
    py = gen / "image_statuses.py"
    py.write_text(py.read_text() + "# local tweak\n")
    dot = (gen / "image-statuses.dot").read_text()
    import subprocess

    raw = subprocess.run([REAL, "-Tpng"], input=dot.encode(), capture_output=True, check=True)
    (gen / "image-statuses.png").write_bytes(raw.stdout)  # right picture, but no stamp
    drifts = {d.path.name: d for d in check_spec(spec_config(project))}
    assert drifts["image_statuses.py"].reason == REASON_TEXT
    assert "-# local tweak" in drifts["image_statuses.py"].diff
    assert drifts["image-statuses.png"].reason == REASON_UNSTAMPED
    assert set(drifts) == {"image_statuses.py", "image-statuses.png"}
    generate_spec(spec_config(project))
    assert check_spec(spec_config(project)) == []


def test_stamp_from_another_renderer_version_is_not_drift(project: Path) -> None:
    from statusdoc.stamp import Stamp, stamp_image

    generate_spec(spec_config(project))
    svg = project / "docs" / "gen" / "image-statuses.svg"
    old = read_stamp(svg.read_bytes())
    svg.write_bytes(stamp_image(svg.read_bytes(), "svg", Stamp(old.dot_sha256, "dot 2.43.0")))
    assert check_spec(spec_config(project)) == []


def test_invalid_spec_raises_and_writes_nothing(project: Path) -> None:
    generate_spec(spec_config(project))
    before = snapshot(project)
    edit_spec(project, 'to = "saving"', 'to = "savng"')
    with pytest.raises(SpecError) as info:
        generate_spec(spec_config(project))
    assert "savng" in str(info.value)
    after = snapshot(project)
    after.pop("specs/image-statuses.toml")
    before.pop("specs/image-statuses.toml")
    assert after == before


def test_unsafe_rst_is_refused_unless_opted_in(tmp_path: Path) -> None:
    root = make_project(tmp_path / "a", ["rst"])
    edit_spec(root, "later date.", "later date.\n\n.. include:: /etc/passwd\n")
    with pytest.raises(StatusdocError, match="include"):
        generate_spec(spec_config(root))
    assert not (root / "docs").exists()
    root2 = make_project(tmp_path / "b", ["rst"], extra="allow-unsafe-rst = true\n")
    edit_spec(root2, "later date.", "later date.\n\n.. include:: /etc/passwd\n")
    generate_spec(spec_config(root2))
    assert ".. include:: /etc/passwd" in (root2 / "docs/gen/image-statuses.rst").read_text()


def test_rst_names_the_image_it_sits_next_to(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst", "svg"], extra='names = { svg = "diagram.svg" }\n')
    generate_spec(spec_config(root))
    assert "diagram.svg" in (root / "docs/gen/image-statuses.rst").read_text()


def test_symlink_planted_after_config_load_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst"])
    config = spec_config(root)
    victim = tmp_path / "victim.rst"
    victim.write_text("keep")
    (root / "docs" / "gen").mkdir(parents=True)
    (root / "docs" / "gen" / "image-statuses.rst").symlink_to(victim)
    with pytest.raises(ConfigError, match="outside the project root"):
        generate_spec(config)
    assert victim.read_text() == "keep"


def test_two_specs_writing_the_same_file_are_refused(tmp_path: Path) -> None:
    from statusdoc.artifacts import EmitError, generate_project

    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        shutil.copy(GLANCE, tmp_path / sub / "image-statuses.toml")
    project = load_config(tmp_path)
    out = tmp_path / "out"
    configs = [project.default_spec(tmp_path / s / "image-statuses.toml", output_dir=out)
               for s in ("a", "b")]
    with pytest.raises(EmitError, match="would be written by both"):
        generate_project(configs)
    assert not out.exists()
