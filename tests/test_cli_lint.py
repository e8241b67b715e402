"""Spec warnings on the command line: --ignore, lint.allow, and generate/check --strict."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import GLANCE, run

#: The warning the Glance spec gets once its "saving" description is a placeholder.
TODO_WARNING = (
    "states.saving.description: warning: description is a TODO placeholder; write the real "
    "text [SD207 todo-placeholder]"
)


def _with_todo(path: Path) -> Path:
    text = GLANCE.read_text("utf-8")
    start = text.index("description", text.index("[states.saving]"))
    end = text.index('"""', text.index('"""', start) + 3) + 3
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text[:start] + 'description = "TODO"' + text[end:], "utf-8")
    return path


def _project(root: Path, lint: str = "") -> Path:
    _with_todo(root / "specs" / "image-statuses.toml")
    (root / "statusdoc.toml").write_text(
        f'{lint}\n[[specs]]\nspec = "specs/image-statuses.toml"\noutput-dir = "docs"\n'
        'outputs = ["rst", "dot"]\n'
    )
    return root


def test_validate_prints_the_warning_and_ignore_hides_it(tmp_path: Path) -> None:
    _with_todo(tmp_path / "spec.toml")
    proc = run(["validate", "--strict", "spec.toml"], cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == f"spec.toml:19: {TODO_WARNING}\n"
    for rule in ("todo-placeholder", "SD207"):
        proc = run(["validate", "--strict", "--ignore", rule, "spec.toml"], cwd=tmp_path)
        assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
        assert proc.stderr == "spec.toml: valid (6 statuses, 12 transitions)\n"


@pytest.mark.parametrize(("rule", "message"), [
    ("todo-placeholdr", "unknown rule 'todo-placeholdr' (did you mean 'todo-placeholder'?)"),
    ("SD123", "rule SD123 unknown-status is an error; only warnings can be allowed"),
])
def test_ignore_refuses_unknown_and_error_rules(tmp_path: Path, rule: str, message: str) -> None:
    shutil.copy(GLANCE, tmp_path / "spec.toml")
    for command in ("validate", "generate", "check"):
        proc = run([command, "--ignore", rule, "spec.toml"], cwd=tmp_path)
        assert proc.returncode == 2, (command, proc.stderr)
        assert f"argument --ignore: {message}" in proc.stderr


def test_validate_applies_the_configured_allow_list(tmp_path: Path) -> None:
    root = _project(tmp_path, "[lint]\nallow = ['todo-placeholder']")
    proc = run(["validate", "--strict", "specs/image-statuses.toml"], cwd=root)
    assert (proc.returncode, proc.stdout) == (0, ""), proc.stderr
    other = _with_todo(root / "other.toml")  # not configured: the project's list applies
    proc = run(["validate", "--strict", str(other)], cwd=root / "specs")
    assert proc.returncode == 0, proc.stdout
    (root / "statusdoc.toml").write_text("[lint]\nallow = ['todo']\n")
    proc = run(["validate", "specs/image-statuses.toml"], cwd=root)
    assert proc.returncode == 2
    assert "unknown rule 'todo'" in proc.stderr and "statusdoc.toml" in proc.stderr


def test_generate_prints_spec_warnings_and_strict_fails_writing_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    strict = run(["generate", "--strict"], cwd=root)
    assert strict.returncode == 1
    assert strict.stdout == ""
    assert strict.stderr.splitlines() == [
        f"{root / 'specs' / 'image-statuses.toml'}:19: {TODO_WARNING}",
        "statusdoc generate: --strict: 1 spec warning",
        "statusdoc generate: nothing was changed",
    ]
    assert not (root / "docs").exists()
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 0
    assert proc.stderr == f"{root / 'specs' / 'image-statuses.toml'}:19: {TODO_WARNING}\n"
    assert (root / "docs" / "image-statuses.rst").is_file()
    quiet = run(["generate", "-q"], cwd=root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    allowed = run(["generate", "--strict", "--ignore", "todo-placeholder"], cwd=root)
    assert (allowed.returncode, allowed.stderr) == (0, "")


def test_generate_respects_the_spec_and_configuration_allow_lists(tmp_path: Path) -> None:
    root = _project(tmp_path, "[lint]\nallow = ['SD207']")
    proc = run(["generate", "--strict"], cwd=root)
    assert (proc.returncode, proc.stderr) == (0, "")
    root = _project(tmp_path / "second")
    spec = root / "specs" / "image-statuses.toml"
    spec.write_text(spec.read_text() + '\n[lint]\nallow = ["todo-placeholder"]\n')
    proc = run(["generate", "--strict"], cwd=root)
    assert (proc.returncode, proc.stderr) == (0, "")


def test_check_prints_spec_warnings_and_strict_fails(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert run(["generate", "-q"], cwd=root).returncode == 0
    proc = run(["check"], cwd=root)
    assert proc.returncode == 0
    assert TODO_WARNING in proc.stderr and proc.stdout == "all 2 artifacts current\n"
    strict = run(["check", "--strict"], cwd=root)
    assert strict.returncode == 1
    assert TODO_WARNING in strict.stderr
    assert "statusdoc check: --strict: 1 spec warning" in strict.stderr
    quiet = run(["check", "-q"], cwd=root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    allowed = run(["check", "--strict", "--ignore", "SD207"], cwd=root)
    assert (allowed.returncode, allowed.stderr) == (0, "")
