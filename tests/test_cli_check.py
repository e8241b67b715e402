"""``statusdoc check`` as a real subprocess: drift found, reasons, --diff, never writes."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_support import ALL, FAKES, GLANCE, run

_TEMPLATES: dict[tuple[str, ...], Path] = {}


def make_project(root: Path, outputs: list[str]) -> Path:
    """A freshly generated project (copied, with mtimes, from one generated per run)."""
    key = tuple(outputs)
    if key not in _TEMPLATES:
        template = root.parent / f"template-{len(_TEMPLATES)}"
        _generate_project(template, outputs)
        _TEMPLATES[key] = template
    shutil.copytree(_TEMPLATES[key], root)
    return root


def _generate_project(root: Path, outputs: list[str]) -> None:
    (root / "specs").mkdir(parents=True)
    shutil.copy(GLANCE, root / "specs" / "image-statuses.toml")
    kinds = ", ".join(f'"{k}"' for k in outputs)
    (root / "statusdoc.toml").write_text(
        f'[[specs]]\nspec = "specs/image-statuses.toml"\noutput-dir = "docs"\noutputs = [{kinds}]\n'
    )
    assert run(["generate", "-q"], cwd=root).returncode == 0


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def edit(root: Path, old: str, new: str) -> None:
    spec = root / "specs" / "image-statuses.toml"
    text = spec.read_text()
    assert old in text
    spec.write_text(text.replace(old, new, 1))


def test_current_project_exits_0(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ALL)
    proc = run(["check"], cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "all 7 artifacts current\n"
    assert run(["check", "-q"], cwd=root).stdout == ""


def test_description_edit_names_rst_and_md_and_diff_shows_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ALL)
    edit(root, "is not readable.", "cannot be read.")
    before = snapshot(root)
    proc = run(["check"], cwd=root)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "docs/image-statuses.rst: stale: text differs",
        "docs/image-statuses.md: stale: text differs",
    ]
    assert "2 of 7 artifacts stale or missing" in proc.stderr
    diff = run(["check", "--diff"], cwd=root)
    assert diff.returncode == 1
    assert "--- docs/image-statuses.rst (on disk)" in diff.stdout
    assert "+++ docs/image-statuses.rst (from spec)" in diff.stdout
    assert any(line.startswith("+") and "cannot be read." in line
               for line in diff.stdout.splitlines())
    assert snapshot(root) == before  # check touched nothing
    assert run(["generate", "-q"], cwd=root).returncode == 0
    assert run(["check"], cwd=root).returncode == 0


def test_transition_change_names_dot_images_and_mermaid(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ALL)
    edit(root, 'label = "scrub"', 'label = "scrub data"')
    proc = run(["check"], cwd=root)
    assert proc.returncode == 1
    lines = set(proc.stdout.splitlines())
    assert {
        "docs/image-statuses.dot: stale: text differs",
        "docs/image-statuses.png: stale: made from an older DOT",
        "docs/image-statuses.svg: stale: made from an older DOT",
        "docs/image-statuses.mmd: stale: text differs",
    } <= lines


def test_missing_and_hand_edited_files(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst", "png", "python"])
    (root / "docs" / "image-statuses.png").unlink()
    with (root / "docs" / "image_statuses.py").open("a") as handle:
        handle.write("EXTRA = 1\n")
    proc = run(["check"], cwd=root)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "docs/image-statuses.png: missing",
        "docs/image_statuses.py: stale: text differs",
    ]


def test_check_never_starts_the_renderer(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst", "png", "svg"])
    log = tmp_path / "renders.log"
    env = {
        "STATUSDOC_RENDERER_COMMAND": str(FAKES / "record.py"),
        "FAKE_RECORD": str(log),
        "FAKE_REAL": "/nonexistent",
    }
    assert run(["check"], cwd=root, **env).returncode == 0
    edit(root, 'label = "scrub"', 'label = "scrub data"')  # images now stale
    proc = run(["check", "--renderer", "dot"], cwd=root, **env)
    assert proc.returncode == 1
    assert not log.exists()
    assert run(["generate", "-q"], cwd=root, **env).returncode != 0  # generate would use it
    assert log.exists()


def test_invalid_spec_exits_1_and_usage_errors_exit_2(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst"])
    edit(root, 'initial = "queued"', 'initial = "queue"')
    proc = run(["check"], cwd=root)
    assert proc.returncode == 1  # an invalid spec is a problem found, as for generate
    assert "queue" in proc.stderr and "statusdoc check: invalid spec" in proc.stderr
    assert run(["check", "--format", "gif"], cwd=root).returncode == 2
    assert run(["check"], cwd=tmp_path).returncode == 2  # nothing configured there
