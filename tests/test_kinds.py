"""One registry of output kinds (issue 12, item 10): a kind added in one place is
known to ``generate --help``, configuration validation, ``check`` and ``generate``;
no other module lists the kinds."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from cli_support import GLANCE

import statusdoc
from statusdoc import kinds
from statusdoc.cli import main
from statusdoc.config import load_config
from statusdoc.configvalues import parse_outputs
from statusdoc.errors import ConfigError

PACKAGE = Path(statusdoc.__file__).parent

TOY_EMITTER = '''
def emit_toy(machine, *, source_name):
    """Every status, one a line: a kind that exists only in this test."""
    return "".join(f"{s.name}\\n" for s in machine.states) + f"# from {source_name}\\n"
'''


@pytest.fixture
def toy_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> kinds.OutputKind:
    """A new kind: one module (its emitter) plus one row in the registry."""
    (tmp_path / "toy_emitter.py").write_text(TOY_EMITTER, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    toy = kinds.OutputKind("toy", ".toy", "a toy listing of the statuses",
                           emitter="toy_emitter:emit_toy")
    monkeypatch.setitem(kinds.KINDS, "toy", toy)
    return toy


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_a_kind_added_in_one_place_is_known_everywhere(
    toy_kind: kinds.OutputKind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in ("generate", "check"):
        assert "toy (a toy listing of the statuses)" in _help(capsys, command)
    # configuration: outputs and names accept it, in the registry's order
    assert parse_outputs(["toy,md"]) == ("md", "toy")
    project = tmp_path / "project"
    project.mkdir()
    (project / "spec.toml").write_bytes(GLANCE.read_bytes())
    (project / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "spec.toml"\noutput-dir = "out"\noutputs = ["toy"]\n'
        'names = { toy = "statuses.toy" }\n', encoding="utf-8")
    config = load_config(project).specs[0]
    assert config.outputs == ("toy",)
    assert config.output_path("toy") == project / "out" / "statuses.toy"
    assert load_config(project).default_spec(project / "spec.toml").outputs[-1] == "toy"
    # check finds it missing, generate writes it, check is then clean
    monkeypatch.chdir(project)
    assert main(["check"]) == 1
    assert "statuses.toy: missing" in capsys.readouterr().out
    assert main(["generate"]) == 0
    written = (project / "out" / "statuses.toy").read_text(encoding="utf-8")
    assert written.startswith("queued\nsaving\n") and written.endswith("# from spec.toml\n")
    assert main(["check"]) == 0
    (project / "out" / "statuses.toy").write_text("edited\n", encoding="utf-8")
    assert main(["check"]) == 1
    assert "statuses.toy: stale: text differs" in capsys.readouterr().out


def test_an_unknown_kind_lists_the_registry(toy_kind: kinds.OutputKind) -> None:
    known = ", ".join(kinds.names())  # the registry's order, the toy kind last
    assert known.endswith(", html, sql, sql-teardown, toy")
    with pytest.raises(ConfigError, match=r"unknown output kind 'toi' \(did you mean 'toy'\?\)"
                                          + re.escape(f"; known: {known}")):
        parse_outputs(["toi"])


def test_the_registry_describes_every_kind() -> None:
    assert kinds.names() == ("rst", "md", "dot", "png", "svg", "mermaid", "python", "typescript",
                             "openapi", "html", "sql", "sql-teardown")
    assert kinds.rendered() == ("png", "svg")
    assert kinds.stamped() == ("png", "svg", "html")
    assert kinds.defaults() == ("rst", "md", "dot", "png", "svg", "mermaid", "python")
    for kind in kinds.KINDS.values():
        assert kind.suffix.startswith(".") and kind.help
        # emitted, drawn from the DOT, or composed around the drawing: exactly one
        assert [bool(kind.emitter), kind.rendered, bool(kind.composer)].count(True) == 1, kind
        if kind.emitter:
            assert callable(kind.emit_function())
        if kind.composer:
            assert callable(kind.compose_function())
    assert kinds.get("python").file_name("2fa-codes") == "_2fa_codes.py"
    assert kinds.get("mermaid").file_name("image-statuses") == "image-statuses.mmd"
    assert kinds.get("sql-teardown").file_name("image-statuses") == "image-statuses-teardown.sql"
    assert kinds.one_of(("png", "svg")) == "png or svg"


def _kind_lists(tree: ast.Module) -> list[tuple[int, list[str]]]:
    """Literal collections holding two or more output kind names."""
    names = set(kinds.names())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items: list[ast.expr | None] = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = [*node.keys, *node.values]
        else:
            continue
        hits = [i.value for i in items if isinstance(i, ast.Constant) and i.value in names]
        if len(hits) >= 2:
            found.append((node.lineno, hits))
    return found


def test_no_module_but_the_registry_lists_the_kinds() -> None:
    listed = {
        str(path.relative_to(PACKAGE)): hits
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "kinds.py"
        and (hits := _kind_lists(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert listed == {}


def test_the_docs_list_the_kinds_of_the_registry() -> None:
    outputs = (PACKAGE.parent / "docs" / "outputs.rst").read_text(encoding="utf-8")
    table = re.findall(r"^``([a-z-]+)``\s+``(\.[a-z.]+)``\s", outputs, re.MULTILINE)
    assert table == [(k.name, k.suffix) for k in kinds.KINDS.values()]
