"""`statusdoc init`: scaffolds a valid spec, the config and a docs page; overwrites nothing."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from statusdoc.config import load_config
from statusdoc.scaffold import InitError, plan_init, run_init, spec_text, write_new
from statusdoc.spec.api import loads, validate_file

STATUSDOC = [sys.executable, "-m", "statusdoc"]
PYPROJECT = '[project]\nname = "demo"\nversion = "1.0"\n\n[tool.ruff]\nline-length = 90\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STATUSDOC, *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
    }


def test_init_in_a_project_with_pyproject_then_generate_check_and_sphinx(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    out = run("init", "--name", "order", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        f"created {Path('docs/statuses/order.toml')}",
        f"created {Path('docs/statuses/order.rst')}",
        "updated pyproject.toml",
    ]
    pyproject = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    assert pyproject.startswith(PYPROJECT)  # appended, nothing else touched
    data = tomllib.loads(pyproject)
    assert data["project"] == {"name": "demo", "version": "1.0"}
    assert data["tool"]["statusdoc"]["specs"] == [
        {"spec": "docs/statuses/order.toml", "output-dir": "docs/statuses",
         "outputs": ["md", "dot", "svg", "mermaid"]}
    ]  # fmt: skip

    spec = tmp_path / "docs" / "statuses" / "order.toml"
    report = validate_file(spec)
    assert report.ok(strict=True), report.problems
    assert report.machine is not None and report.machine.name == "order"

    # the configuration is the one `generate` / `check` read
    config = load_config(tmp_path)
    assert [s.spec for s in config.specs] == [spec.resolve()]
    gen = run("generate", cwd=tmp_path)
    assert gen.returncode == 0, gen.stderr
    assert sorted(p.name for p in spec.parent.iterdir()) == [
        "order.dot", "order.md", "order.mmd", "order.rst", "order.svg", "order.toml",
    ]  # fmt: skip
    assert "statusdoc:: order.toml" in (spec.parent / "order.rst").read_text(encoding="utf-8")
    assert run("check", cwd=tmp_path).returncode == 0

    # the docs page builds with the real extension, without warnings
    docs = tmp_path / "docs"
    (docs / "conf.py").write_text('extensions = ["statusdoc.sphinxext"]\n', encoding="utf-8")
    (docs / "index.rst").write_text(
        "Demo\n====\n\n.. toctree::\n\n   statuses/order\n", encoding="utf-8"
    )
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(docs),
         str(tmp_path / "_build")],
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert build.returncode == 0, build.stderr
    html = (tmp_path / "_build" / "statuses" / "order.html").read_text(encoding="utf-8")
    assert "Order Statuses" in html
    assert "The order has been created and can still be edited." in html


def test_without_pyproject_a_statusdoc_toml_is_created(tmp_path: Path) -> None:
    out = run("init", "--name", "ticket", "--docs", "doc", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "pyproject.toml").exists()
    config = load_config(tmp_path)
    assert config.root == tmp_path.resolve() or config.root == tmp_path
    assert [s.spec.name for s in config.specs] == ["ticket.toml"]
    assert (tmp_path / "doc" / "statuses" / "ticket.rst").is_file()


def test_init_with_dir_option(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    out = run("init", "--dir", str(project), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (project / "docs" / "statuses" / "item.toml").is_file()
    assert (project / "statusdoc.toml").is_file()
    assert run("init", "--dir", str(tmp_path / "missing"), cwd=tmp_path).returncode == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ({"pyproject.toml": PYPROJECT + "\n[tool.statusdoc]\n"},
         "already has a [tool.statusdoc] section"),
        ({"statusdoc.toml": "[[specs]]\n"}, "this project is already set up"),
        ({"pyproject.toml": PYPROJECT, "docs/statuses/item.toml": "mine\n"},
         "item.toml exists: not overwriting it"),
        ({"pyproject.toml": PYPROJECT, "docs/statuses/item.rst": "mine\n"},
         "item.rst exists: not overwriting it"),
        ({"pyproject.toml": "[project\n"}, "pyproject.toml is not valid TOML"),
    ],
)
def test_refuses_and_changes_nothing(tmp_path: Path, setup: dict[str, str], message: str) -> None:
    for rel, text in setup.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    out = run("init", cwd=tmp_path)
    assert out.returncode == 2  # something is in the way: the command cannot start
    assert message in out.stderr
    assert snapshot(tmp_path) == before


def test_bad_name_is_a_usage_error(tmp_path: Path) -> None:
    out = run("init", "--name", "Not A Slug", cwd=tmp_path)
    assert out.returncode == 2
    assert "invalid --name" in out.stderr
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InitError, match="invalid name"):
        plan_init(tmp_path, "-x")


@pytest.mark.parametrize("docs", ["../outside", "/abs/docs"])
def test_docs_folder_must_be_inside_the_project(tmp_path: Path, docs: str) -> None:
    project = tmp_path / "p"
    project.mkdir()
    out = run("init", "--docs", docs, cwd=project)
    assert out.returncode == 2
    assert "must be a folder inside the project" in out.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["p"]


def test_a_file_appearing_after_planning_is_not_clobbered(tmp_path: Path) -> None:
    plan = plan_init(tmp_path, "race")
    page = tmp_path / "docs" / "statuses" / "race.rst"
    page.parent.mkdir(parents=True)
    page.write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        run_init(plan)
    assert page.read_text(encoding="utf-8") == "someone else's\n"
    # the spec created before the failure is removed again; no temp files remain
    assert sorted(p.name for p in page.parent.iterdir()) == ["race.rst"]
    assert not (tmp_path / "statusdoc.toml").exists()


def test_write_new_is_atomic_and_no_clobber(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    write_new(target, "one\n")
    with pytest.raises(FileExistsError):
        write_new(target, "two\n")
    assert target.read_text(encoding="utf-8") == "one\n"
    write_new(target, "three\n", overwrite=True)
    assert target.read_text(encoding="utf-8") == "three\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


@pytest.mark.parametrize("name", ["a", "order", "multi-word_name", "x1"])
def test_starter_spec_is_valid_for_any_allowed_name(name: str) -> None:
    machine = loads(spec_text(name), "toml", strict=True)
    assert machine.name == name
    assert machine.can("draft", "active") and machine.can("active", "archived")
    assert machine.state_map["archived"].final


def test_init_keeps_the_mode_of_pyproject_and_new_files_follow_the_umask(
    tmp_path: Path,
) -> None:
    import os
    import stat

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT, encoding="utf-8")
    pyproject.chmod(0o640)
    assert run("init", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(pyproject.stat().st_mode) == 0o640
    umask = os.umask(0)
    os.umask(umask)
    spec = tmp_path / "docs" / "statuses" / "item.toml"
    assert stat.S_IMODE(spec.stat().st_mode) == 0o666 & ~umask


def test_init_refuses_a_docs_symlink_that_leaves_the_project(tmp_path: Path) -> None:
    import os

    project, outside = tmp_path / "project", tmp_path / "outside"
    project.mkdir()
    outside.mkdir()
    os.symlink(outside, project / "docs")
    out = run("init", cwd=project)
    assert out.returncode == 2, out.stderr
    assert "outside the project" in out.stderr
    assert list(outside.iterdir()) == []
    assert not (project / "statusdoc.toml").exists()
