"""``statusdoc generate`` as a real subprocess: output, exit codes, options, determinism."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import ALL, FAKES, GLANCE, REPO, run


def make_project(root: Path, outputs: list[str]) -> Path:
    (root / "specs").mkdir(parents=True)
    shutil.copy(GLANCE, root / "specs" / "image-statuses.toml")
    kinds = ", ".join(f'"{k}"' for k in outputs)
    (root / "pyproject.toml").write_text(
        "[project]\nname = 'demo'\n\n[tool.statusdoc]\n[[tool.statusdoc.specs]]\n"
        f'spec = "specs/image-statuses.toml"\noutput-dir = "docs"\noutputs = [{kinds}]\n'
    )
    return root


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_generate_everything_configured_then_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst", "dot", "png", "svg", "python"])
    first = run(["generate"], cwd=root / "specs")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "wrote ../docs/image-statuses.rst",
        "wrote ../docs/image-statuses.dot",
        "wrote ../docs/image-statuses.png",
        "wrote ../docs/image-statuses.svg",
        "wrote ../docs/image_statuses.py",
        "5 written, 0 up to date",
    ]
    before = snapshot(root)
    second = run(["generate"], cwd=root)
    assert second.returncode == 0
    assert "up to date: docs/image-statuses.png" in second.stdout.splitlines()
    assert second.stdout.splitlines()[-1] == "0 written, 5 up to date"
    assert snapshot(root) == before
    quiet = run(["generate", "--quiet"], cwd=root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_unconfigured_spec_defaults_to_every_output_next_to_it(tmp_path: Path) -> None:
    shutil.copy(GLANCE, tmp_path / "image-statuses.toml")
    proc = run(["generate", "image-statuses.toml"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {
        "image-statuses.toml", "image-statuses.rst", "image-statuses.md", "image-statuses.dot",
        "image-statuses.png", "image-statuses.svg", "image-statuses.mmd", "image_statuses.py",
    }


def test_generate_then_check_with_output_dir_is_clean(tmp_path: Path) -> None:
    shutil.copy(GLANCE, tmp_path / "image-statuses.toml")
    out = tmp_path / "out" / "deep"
    gen = run(["generate", "image-statuses.toml", "--output-dir", str(out)], cwd=tmp_path)
    assert gen.returncode == 0, gen.stderr
    assert len(list(out.iterdir())) == len(ALL)
    check = run(["check", "image-statuses.toml", "--output-dir", str(out)], cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    # and from another working directory too
    check2 = run(["check", str(tmp_path / "image-statuses.toml"), "--output-dir", "out/deep"],
                 cwd=tmp_path)
    assert check2.returncode == 0, check2.stdout


def test_same_spec_gives_identical_bytes_in_two_working_dirs(tmp_path: Path) -> None:
    results = []
    for name in ("first", "second"):
        root = make_project(tmp_path / name, ALL)
        proc = run(["generate"], cwd=root)
        assert proc.returncode == 0, proc.stderr
        results.append({p.name: p.read_bytes() for p in (root / "docs").iterdir()})
    assert results[0] == results[1]
    assert len(results[0]) == len(ALL)


def test_format_option_repeatable_and_comma_list(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ALL)
    proc = run(["generate", "--format", "svg,dot", "--format", "python"], cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (root / "docs").iterdir()) == [
        "image-statuses.dot", "image-statuses.svg", "image_statuses.py",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "--format", "pdf"], "unknown output kind 'pdf'"),
        (["generate", "missing.toml"], "missing.toml: no such spec file"),
        (["generate", "--renderer", "graphvis"], "unknown renderer 'graphvis'"),
        (["generate", "--timeout", "-1"], "expected a positive number of seconds"),
        (["generate", "--config", "nope.toml"], "cannot read"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    root = make_project(tmp_path / "p", ["rst"])
    proc = run(args, cwd=root)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (root / "docs").exists()


def test_no_configuration_and_no_spec_is_a_usage_error(tmp_path: Path) -> None:
    proc = run(["generate"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "no specs configured" in proc.stderr


def test_config_error_exits_2_with_suggestion(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst"])
    with (root / "pyproject.toml").open("a") as handle:
        handle.write('ouputs = ["rst"]\n')
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 2
    assert "unknown key 'ouputs' (did you mean 'outputs'?)" in proc.stderr


def test_invalid_spec_exits_1_with_located_message(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst", "python"])
    spec = root / "specs" / "image-statuses.toml"
    spec.write_text(spec.read_text().replace('to = "saving"', 'to = "savng"', 1))
    proc = run(["generate"], cwd=root)
    assert proc.returncode == 1
    assert "image-statuses.toml:" in proc.stderr and "savng" in proc.stderr
    assert "nothing was changed" in proc.stderr
    assert not (root / "docs").exists()


def test_renderer_failure_names_spec_renderer_and_fix(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", ["rst", "png"])
    proc = run(["generate", "--renderer", f"command:{FAKES / 'crash.py'}"], cwd=root)
    assert proc.returncode == 1
    assert "specs/image-statuses.toml: renderer command:crash.py failed (exit 3)" in proc.stderr
    assert "fix:" in proc.stderr
    assert not (root / "docs").exists()  # the RST was ready, but nothing is written


def test_make_diagrams_configuration_is_idempotent_on_a_copy(tmp_path: Path) -> None:
    """The repo's own [tool.statusdoc] on a copy: a second run changes no byte or mtime."""
    from statusdoc.config import load_config

    configured = load_config(REPO).specs
    assert any(c.spec == GLANCE for c in configured)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for config in configured:
        copy = tmp_path / config.spec.relative_to(REPO)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(config.spec, copy)
    from statusdoc.artifacts import plan_spec

    # every configured output, and the focus views and overviews next to RST pages
    total = sum(len(plan_spec(c)) for c in configured)
    assert total > sum(len(c.outputs) for c in configured)
    first = run(["generate"], cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == f"{total} written, 0 up to date"
    before = snapshot(tmp_path)
    second = run(["generate"], cwd=tmp_path)
    assert second.returncode == 0
    assert second.stdout.splitlines()[-1] == f"0 written, {total} up to date"
    assert snapshot(tmp_path) == before
    # what the copy generated is what the repository commits
    for config in configured:
        for kind in config.outputs:
            committed = config.output_path(kind)
            copy = tmp_path / committed.relative_to(REPO)
            assert committed.read_bytes() == copy.read_bytes(), committed.name


def test_glyphs_the_fonts_lack_give_a_warning_not_a_failure(tmp_path: Path) -> None:
    spec = GLANCE.read_text().replace('label = "scrub"', 'label = "scrub ✓ 完了"')
    (tmp_path / "m.toml").write_text(spec)
    proc = run(["generate", "m.toml", "--format", "svg"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "warning: m.toml: graphviz-pure's bundled fonts cannot draw" in proc.stderr
    assert "scrub ✓ 完了" in proc.stderr and 'renderer = "dot"' in proc.stderr
    assert (tmp_path / "m.svg").exists()


def test_a_spec_named_twice_is_processed_once(tmp_path: Path) -> None:
    shutil.copy(GLANCE, tmp_path / "m.toml")
    proc = run(["generate", "m.toml", "./m.toml", "--format", "dot"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["wrote m.dot", "1 written, 0 up to date"]
