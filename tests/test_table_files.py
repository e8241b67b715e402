"""Tables read by ``compare`` and ``import`` go through the spec loader's YAML rules,
and a Python table announces that it runs code (issue 13, items 9 and 13)."""

from __future__ import annotations

import ast
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import GLANCE, REPO, run

from statusdoc.compare import TableError, load_table

BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
) + "\n"


def test_the_bomb_is_small() -> None:
    assert len(BOMB.encode()) < 500  # 9**9 = 387 million leaves once expanded


@pytest.mark.parametrize(("text", "message"), [
    ("queued: &t [active]\nsaving: *t\n", "anchors and aliases are not supported"),
    ("queued: [active]\nqueued: [saving]\n", "duplicate key 'queued'"),
    ("queued: !!python/object/apply:os.system [echo]\n", "YAML tag"),
    ("queued: [active\n", "YAML syntax error"),
])
def test_yaml_tables_follow_the_spec_loader_rules(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "table.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TableError, match=message):
        load_table(str(path))


def _limited(gib: float) -> None:
    limit = int(gib * 1024**3)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.parametrize("command", ["compare", "import"])
def test_an_alias_bomb_is_refused_quickly_by_the_cli(tmp_path: Path, command: str) -> None:
    (tmp_path / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    args = (["compare", str(GLANCE), "--table", "bomb.yaml"] if command == "compare"
            else ["import", "bomb.yaml"])
    proc = subprocess.run(
        [sys.executable, "-m", "statusdoc", *args], cwd=tmp_path, capture_output=True,
        text=True, timeout=60, preexec_fn=lambda: _limited(1.5),
    )
    assert proc.returncode == 2, proc.stderr  # a table that cannot be used, for both
    assert "anchors and aliases are not supported" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_no_other_yaml_loader_in_the_package() -> None:
    # One safe loader: nothing in statusdoc calls PyYAML's loaders but the spec loader.
    loaders = {"load", "safe_load", "full_load", "unsafe_load", "load_all", "safe_load_all",
               "full_load_all", "unsafe_load_all", "compose", "compose_all", "parse"}
    found = []
    for path in (REPO / "statusdoc").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr in loaders
                    and isinstance(node.value, ast.Name) and node.value.id == "yaml"):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert found == []


EXITING = "raise SystemExit(0)\nT = {'queued': ['active']}\n"


@pytest.mark.parametrize("ref", ["exiting:T", "exiting.py:T"])
@pytest.mark.parametrize("command", ["compare", "import"])
def test_a_module_that_exits_is_a_failure_not_success(
    tmp_path: Path, ref: str, command: str
) -> None:
    (tmp_path / "exiting.py").write_text(EXITING, encoding="utf-8")
    args = (["compare", str(GLANCE), "--table", ref] if command == "compare"
            else ["import", ref, "-o", "out.toml"])
    proc = run(args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr  # the same reference, the same code
    assert "SystemExit" in proc.stderr
    assert not (tmp_path / "out.toml").exists()


@pytest.mark.parametrize("command", ["compare", "import"])
def test_running_a_modules_code_is_announced(tmp_path: Path, command: str) -> None:
    (tmp_path / "table_mod.py").write_text("T = {'queued': ['active'], 'active': []}\n",
                                           encoding="utf-8")
    args = (["compare", str(GLANCE), "--table", "table_mod:T"] if command == "compare"
            else ["import", "table_mod:T"])
    proc = run(args, cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    assert "runs its code" in proc.stderr
    # a data file runs nothing, so nothing is announced
    (tmp_path / "t.json").write_text('{"queued": ["active"]}', encoding="utf-8")
    args = (["compare", str(GLANCE), "--table", "t.json"] if command == "compare"
            else ["import", "t.json"])
    assert "runs its code" not in run(args, cwd=tmp_path).stderr
