"""No output may replace a source: a spec, the configuration, a template, or
anything in ``.git`` (issue 13, item 6). Each case runs the real CLI and checks
that the file is byte for byte what it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cli_support import GLANCE, run

SPEC = GLANCE.read_text(encoding="utf-8")


def project(tmp_path: Path, specs: str, extra: str = "") -> Path:
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "other.toml").write_text(SPEC, encoding="utf-8")
    git = tmp_path / ".git"
    (git / "hooks").mkdir(parents=True)
    (git / "config").write_text("[core]\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "page.rst.j2").write_text("{{ title }}\n", encoding="utf-8")
    (tmp_path / "statusdoc.toml").write_text(extra + specs, encoding="utf-8")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()
    }


CASES = {
    "the spec itself": ('output-dir = "."\nnames = { rst = "spec.toml" }', "the spec"),
    "another configured spec": (
        'output-dir = "."\nnames = { md = "other.toml" }', "the spec other.toml"),
    "the configuration file": (
        'output-dir = "."\nnames = { md = "statusdoc.toml" }', "the configuration file"),
    "git config": ('output-dir = ".git"\nnames = { rst = "config" }', ".git"),
    "a git hook": ('output-dir = ".git/hooks"\nnames = { python = "pre-commit" }', ".git"),
    "a template": ('output-dir = "tpl"\nnames = { rst = "page.rst.j2" }', "template"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
@pytest.mark.parametrize("command", ["generate", "check"])
def test_an_output_that_would_replace_a_source_is_refused(
    tmp_path: Path, case: str, command: str
) -> None:
    settings, message = CASES[case]
    specs = (f'[[specs]]\nspec = "spec.toml"\noutputs = ["rst", "md", "python"]\n{settings}\n\n'
             '[[specs]]\nspec = "other.toml"\noutput-dir = "out"\noutputs = ["md"]\n')
    root = project(tmp_path, specs, 'templates = "tpl"\n')
    before = snapshot(root)
    proc = run([command], cwd=root)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert "may not replace" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(root) == before


def test_a_symlinked_output_pointing_at_the_spec_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, '[[specs]]\nspec = "spec.toml"\noutput-dir = "out"\n'
                             'outputs = ["md"]\n')
    (root / "out").mkdir()
    os.symlink("../spec.toml", root / "out" / "spec.md")
    before = snapshot(root)
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 2, proc.stderr
    assert "the spec" in proc.stderr and "may not replace" in proc.stderr
    assert snapshot(root) == before


def test_an_output_dir_inside_git_is_refused_for_an_unconfigured_spec(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    before = snapshot(root)
    proc = run(["generate", "spec.toml", "--output-dir", ".git/hooks", "--format", "python"],
               cwd=root)
    assert proc.returncode == 2, proc.stderr
    assert ".git" in proc.stderr
    assert snapshot(root) == before
    assert not (root / ".git" / "hooks" / "spec.py").exists()


def test_git_as_a_symlink_target_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, '[[specs]]\nspec = "spec.toml"\noutput-dir = "docs"\n'
                             'outputs = ["md"]\n')
    os.symlink(".git/hooks", root / "docs")
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 2, proc.stderr
    assert ".git" in proc.stderr
    assert list((root / ".git" / "hooks").iterdir()) == []


def test_ordinary_outputs_next_to_the_spec_still_work(tmp_path: Path) -> None:
    root = project(tmp_path, '[[specs]]\nspec = "spec.toml"\noutput-dir = "."\n'
                             'outputs = ["md", "mermaid"]\n', 'templates = "tpl"\n')
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert (root / "spec.md").is_file()
