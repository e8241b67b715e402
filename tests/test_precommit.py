"""The pre-commit hooks, run by the real `pre-commit` on temporary git repositories.

pre-commit installs statusdoc (from a git snapshot of this working tree) into its
own virtualenv with pip, so this proves the hooks work as users get them.
``pre-commit try-repo`` always builds a fresh environment (it uses a private
store), so it runs once; the other tests use ``pre-commit run`` with a
``.pre-commit-config.yaml`` naming the same repository, whose environment is
built once per session in ``PRE_COMMIT_HOME`` (a temp dir) and reused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "glance" / "image-statuses.toml"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
HOOK_IDS = ["statusdoc-validate", "statusdoc-generate", "statusdoc-check"]

pytestmark = pytest.mark.slow

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
}  # fmt: skip


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def doc_block(name: str) -> str:
    """The ``.. code-block::`` named ``name`` in docs/recipes.rst (what users copy)."""
    lines = (ROOT / "docs" / "recipes.rst").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"   :name: {name}") + 2
    block = []
    for line in lines[start:]:
        if line and not line.startswith("   "):
            break
        block.append(line[3:])
    return "\n".join(block).strip() + "\n"


def head(repo: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this working tree's statusdoc, as a user's hook source."""
    repo = tmp_path_factory.mktemp("statusdoc-hooks")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "statusdoc", repo / "statusdoc", ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, repo / name)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "statusdoc snapshot", cwd=repo)
    return repo


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path: Path, hook_repo: Path) -> Iterator[Path]:
    """A user's project: a spec, its [tool.statusdoc] config, the documented
    .pre-commit-config.yaml (pointing at ``hook_repo``) and committed artifacts."""
    (tmp_path / "specs").mkdir()
    config = doc_block("precommit-remote")
    config = config.replace("https://example.com/statusdoc.git", str(hook_repo))
    config = config.replace("v0.1.0", head(hook_repo))
    (tmp_path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    shutil.copy(EXAMPLE, tmp_path / "specs" / "image-statuses.toml")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "consumer"\nversion = "0"\n\n'
        "[tool.statusdoc]\n\n[[tool.statusdoc.specs]]\n"
        'spec = "specs/image-statuses.toml"\noutput-dir = "docs/statuses"\n'
        'outputs = ["rst", "md", "dot", "mermaid", "svg"]\n',
        encoding="utf-8",
    )
    generated = subprocess.run(
        [sys.executable, "-m", "statusdoc", "generate"], cwd=tmp_path,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert generated.returncode == 0, generated.stderr
    git("init", "-q", cwd=tmp_path)
    git("add", ".", cwd=tmp_path)
    git("commit", "-qm", "project", cwd=tmp_path)
    yield tmp_path


def pre_commit(home: Path, project: Path, *args: str, path: str | None = None
               ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [str(PRE_COMMIT), *args, "--all-files", "--color", "never"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False,
    )


def passed(out: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln.split(".")[0] for ln in out.stdout.splitlines() if ln.endswith("Passed")]


def test_hook_definitions(tmp_path: Path) -> None:
    manifest = subprocess.run(
        [str(PRE_COMMIT), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    for name in ("precommit-remote", "precommit-local"):
        config = tmp_path / f"{name}.yaml"
        config.write_text(doc_block(name), encoding="utf-8")
        checked = subprocess.run(
            [str(PRE_COMMIT), "validate-config", str(config)],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == HOOK_IDS
    assert all(h["language"] == "python" for h in hooks)
    by_id = {h["id"]: h for h in hooks}
    assert by_id["statusdoc-generate"]["pass_filenames"] is False
    assert by_id["statusdoc-check"]["pass_filenames"] is False
    import re

    files = re.compile(by_id["statusdoc-validate"]["files"])
    assert files.search("examples/glance/image-statuses.toml")
    assert files.search("docs/statuses/order.yaml")
    assert not files.search("pyproject.toml")
    assert not files.search(".pre-commit-config.yaml")


def test_try_repo_passes_on_a_clean_repo(
    hook_repo: Path, pre_commit_home: Path, project: Path
) -> None:
    out = pre_commit(pre_commit_home, project, "try-repo", str(hook_repo))
    assert out.returncode == 0, out.stdout + out.stderr
    assert sorted(passed(out)) == ["statusdoc check", "statusdoc generate", "statusdoc validate"]


def test_hooks_fail_when_the_spec_is_edited_without_regenerating(
    pre_commit_home: Path, project: Path
) -> None:
    clean = pre_commit(pre_commit_home, project, "run")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert passed(clean) == ["statusdoc validate", "statusdoc generate", "statusdoc check"]

    spec = project / "specs" / "image-statuses.toml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "The raw data of the image is being uploaded", "The image data is being uploaded"
        ),
        encoding="utf-8",
    )
    git("add", "specs/image-statuses.toml", cwd=project)

    check = pre_commit(pre_commit_home, project, "run", "statusdoc-check")
    assert check.returncode == 1, check.stdout
    assert "image-statuses.rst" in check.stdout and "image-statuses.md" in check.stdout
    assert "The image data is being uploaded" in check.stdout  # the --diff
    assert "Failed" in check.stdout

    generate = pre_commit(pre_commit_home, project, "run", "statusdoc-generate")
    assert generate.returncode == 1, generate.stdout
    assert "files were modified by this hook" in generate.stdout
    rst = (project / "docs" / "statuses" / "image-statuses.rst").read_text(encoding="utf-8")
    assert "The image data is being uploaded" in rst

    # After the regeneration, everything passes again.
    again = pre_commit(pre_commit_home, project, "run")
    assert again.returncode == 0, again.stdout + again.stderr


def test_validate_hook_checks_a_spec_named_like_an_option(
    pre_commit_home: Path, project: Path
) -> None:
    # Without "--" before the file names, argparse read -h-statuses.toml as the
    # -h option: the hook failed with a usage error, never looking at the file.
    (project / "-h-statuses.toml").write_text("[machine\n", encoding="utf-8")
    git("add", "--", "-h-statuses.toml", cwd=project)
    out = pre_commit(pre_commit_home, project, "run", "statusdoc-validate")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "-h-statuses.toml:1: TOML syntax error" in out.stdout


def test_generate_hook_fails_when_an_image_is_missing(
    pre_commit_home: Path, project: Path
) -> None:
    (project / "docs" / "statuses" / "image-statuses.svg").unlink()
    out = pre_commit(pre_commit_home, project, "run", "statusdoc-generate")
    assert out.returncode == 1
    assert (project / "docs" / "statuses" / "image-statuses.svg").is_file()


def test_documented_local_hooks_use_the_installed_statusdoc(
    pre_commit_home: Path, project: Path
) -> None:
    (project / ".pre-commit-config.yaml").write_text(doc_block("precommit-local"),
                                                     encoding="utf-8")
    git("add", ".pre-commit-config.yaml", cwd=project)
    # `language: system` runs the statusdoc of this environment
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    clean = pre_commit(pre_commit_home, project, "run", path=path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert passed(clean) == ["statusdoc validate", "statusdoc generate"]
    (project / "docs" / "statuses" / "image-statuses.md").write_text("hand edit\n")
    edited = pre_commit(pre_commit_home, project, "run", "statusdoc-generate", path=path)
    assert edited.returncode == 1
    assert "files were modified by this hook" in edited.stdout


def test_validate_hook_reports_the_broken_spec(pre_commit_home: Path, project: Path) -> None:
    spec = project / "specs" / "image-statuses.toml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace('to = "saving"', 'to = "savng"'),
        encoding="utf-8",
    )
    git("add", ".", cwd=project)
    out = pre_commit(pre_commit_home, project, "run", "statusdoc-validate")
    assert out.returncode == 1
    assert "specs/image-statuses.toml:" in out.stdout
    assert "savng" in out.stdout and "did you mean 'saving'" in out.stdout
