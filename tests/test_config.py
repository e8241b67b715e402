"""Project configuration: discovery, every key, defaults, and refusal of unsafe paths."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from statusdoc.config import (
    find_config,
    load_config,
    parse_outputs,
)
from statusdoc.errors import ConfigError
from statusdoc.kinds import defaults as kind_defaults
from statusdoc.kinds import names as kind_names


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PYPROJECT = """
[project]
name = "demo"

[tool.statusdoc]
renderer = "auto"
timeout = 12.5
templates = "tmpl"

[[tool.statusdoc.specs]]
spec = "specs/image-statuses.toml"
output-dir = "docs/generated"
outputs = ["svg", "rst", "python"]
names = { rst = "statuses.rst" }
table = "glance.domain:Image.valid_state_targets"

[[tool.statusdoc.specs]]
spec = "specs/task.yaml"
renderer = "dot"
timeout = 3
templates = "other"
allow-unsafe-rst = true
"""


def test_pyproject_is_found_upward_and_paths_resolve_to_its_dir(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.root == tmp_path
    assert config.file == tmp_path / "pyproject.toml"
    first, second = config.specs
    assert first.spec == tmp_path / "specs/image-statuses.toml"
    assert first.output_dir == tmp_path / "docs/generated"
    assert first.outputs == ("rst", "svg", "python")  # canonical order
    assert first.renderer == "auto" and first.timeout == 12.5
    assert first.templates == tmp_path / "tmpl"
    assert first.table == "glance.domain:Image.valid_state_targets"
    assert first.allow_unsafe_rst is False
    assert first.output_path("rst") == tmp_path / "docs/generated/statuses.rst"
    assert first.output_path("svg") == tmp_path / "docs/generated/image-statuses.svg"
    assert first.output_path("python") == tmp_path / "docs/generated/image_statuses.py"
    assert first.source_name() == "specs/image-statuses.toml"
    # second spec: defaults to every output next to the spec, per-spec overrides
    assert second.output_dir == tmp_path / "specs"
    assert second.outputs == kind_defaults()
    assert second.renderer == "dot" and second.timeout == 3.0
    assert second.templates == tmp_path / "other"
    assert second.allow_unsafe_rst is True
    assert second.output_path("mermaid").name == "task.mmd"


def test_cwd_is_the_default_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    monkeypatch.chdir(tmp_path)
    assert load_config().root == tmp_path


def test_pyproject_without_tool_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname='x'\n")
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"


def test_standalone_statusdoc_toml(tmp_path: Path) -> None:
    write(
        tmp_path / "statusdoc.toml",
        'renderer = "graphviz-pure"\n[[specs]]\nspec = "m.json"\noutputs = ["md", "mermaid"]\n',
    )
    write(tmp_path / "pyproject.toml", PYPROJECT)  # statusdoc.toml wins in the same dir
    config = load_config(tmp_path)
    assert config.file == tmp_path / "statusdoc.toml"
    (spec,) = config.specs
    assert spec.outputs == ("md", "mermaid")
    assert spec.output_path("mermaid") == tmp_path / "m.mmd"


def test_no_config_gives_an_empty_project(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.specs == () and config.file is None and config.root == tmp_path


def test_default_spec_for_unconfigured_spec(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", PYPROJECT)
    config = load_config(tmp_path)
    spec = config.default_spec(tmp_path / "x" / "my-machine.yaml")
    assert spec.outputs == kind_defaults()
    # the standalone html page, the code outputs and the SQL scripts are written only
    # when asked for by name
    by_name_only = {"html", "typescript", "openapi", "sql", "sql-teardown"}
    assert tuple(k for k in kind_names() if k not in by_name_only) == kind_defaults()
    assert spec.output_dir == tmp_path / "x"
    assert spec.renderer == "auto" and spec.timeout == 12.5
    assert spec.output_path("python").name == "my_machine.py"
    other = config.default_spec(tmp_path / "x" / "3d.toml", output_dir=tmp_path / "out")
    assert other.output_path("python") == tmp_path / "out" / "_3d.py"
    assert config.find_spec(tmp_path / "specs" / "image-statuses.toml") is config.specs[0]
    assert config.find_spec(tmp_path / "x" / "my-machine.yaml") is None


def test_spec_outside_root_is_named_by_file_name(tmp_path: Path) -> None:
    config = load_config(tmp_path / "proj")
    spec = config.default_spec(tmp_path / "elsewhere" / "a.toml")
    assert spec.source_name() == "a.toml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.statusdoc]\nrenderr = 'dot'\n", "unknown key 'renderr' (did you mean 'renderer'?)"),
        (
            "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutput_dir='x'\n",
            "specs[0]: unknown key 'output_dir' (did you mean 'output-dir'?)",
        ),
        (
            "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutputs=['pgn']\n",
            "unknown output kind 'pgn' (did you mean 'png'?)",
        ),
        ("[tool.statusdoc]\nrenderer='graphviz'\n", "unknown renderer 'graphviz'"),
        ("[tool.statusdoc]\ntimeout=0\n", "expected a positive number of seconds"),
        ("[tool.statusdoc]\ntimeout=true\n", "expected a positive number of seconds"),
        ("[tool.statusdoc]\nallow-unsafe-rst='yes'\n", "expected true or false"),
        (
            "[tool.statusdoc]\n[[tool.statusdoc.specs]]\noutputs=['rst']\n",
            "missing required key 'spec'",
        ),
        ("[tool.statusdoc]\nspecs = 'a.toml'\n", "specs must be an array of tables"),
        (
            "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\nnames={rst='../x.rst'}\n",
            "must be a plain file name",
        ),
        (
            "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutputs='rst'\n",
            "expected a list",
        ),
        (
            "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\n"
            "[[tool.statusdoc.specs]]\nspec='b/../a.toml'\n",
            "is the output of both",
        ),
        ("[tool.statusdoc\n", "invalid TOML"),
    ],
)
def test_config_mistakes_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert message in str(info.value)
    assert str(tmp_path / "pyproject.toml") in str(info.value)


def test_output_dir_escaping_with_dotdot_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / "proj" / "pyproject.toml",
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutput-dir='../out'\n",
    )
    with pytest.raises(ConfigError, match="outside the project root"):
        load_config(tmp_path / "proj")


def test_absolute_output_dir_outside_is_refused(tmp_path: Path) -> None:
    write(
        tmp_path / "proj" / "pyproject.toml",
        f"[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutput-dir='{tmp_path}'\n",
    )
    with pytest.raises(ConfigError, match="outside the project root"):
        load_config(tmp_path / "proj")


def test_symlinked_output_dir_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    proj = tmp_path / "proj"
    write(
        proj / "pyproject.toml",
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutput-dir='gen'\n",
    )
    os.symlink(outside, proj / "gen")
    with pytest.raises(ConfigError, match="through a symlink"):
        load_config(proj)


def test_symlinked_output_file_pointing_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "victim.rst"
    outside.write_text("keep me")
    proj = tmp_path / "proj"
    write(
        proj / "pyproject.toml",
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutputs=['rst']\n",
    )
    os.symlink(outside, proj / "a.rst")
    with pytest.raises(ConfigError, match="outside the project root"):
        load_config(proj)


def test_symlink_inside_root_is_fine(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    (proj / "real").mkdir(parents=True)
    os.symlink(proj / "real", proj / "gen")
    write(
        proj / "pyproject.toml",
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec='a.toml'\noutput-dir='gen'\n",
    )
    assert load_config(proj).specs[0].output_dir == proj / "gen"


def test_root_key_moves_the_root_but_not_outside(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.statusdoc]\nroot='docs'\n[[tool.statusdoc.specs]]\nspec='a.toml'\n",
    )
    config = load_config(tmp_path)
    assert config.root == tmp_path / "docs"
    assert config.specs[0].spec == tmp_path / "docs" / "a.toml"
    write(tmp_path / "pyproject.toml", "[tool.statusdoc]\nroot='..'\n")
    with pytest.raises(ConfigError, match="outside the project root"):
        load_config(tmp_path)


def test_parse_outputs_accepts_comma_lists_and_orders() -> None:
    assert parse_outputs(["svg,rst", "png"]) == ("rst", "png", "svg")
    with pytest.raises(ConfigError, match="no output kinds"):
        parse_outputs([","])
    with pytest.raises(ConfigError, match="did you mean 'mermaid'"):
        parse_outputs(["mermiad"])


def test_the_repos_own_configuration() -> None:
    repo = Path(__file__).resolve().parent.parent
    config = load_config(repo)
    glance, baremetal, *issue10 = config.specs
    assert glance.spec == repo / "examples/glance/image-statuses.toml"
    assert set(glance.outputs) == {"rst", "md", "dot", "png", "svg", "mermaid", "python",
                                   "typescript", "openapi", "sql", "sql-teardown"}
    sql = glance.settings["sql"]  # docs/database.rst: the Glance table in PostgreSQL
    assert (sql.dialect, sql.schema, sql.table, sql.column) == (
        "postgresql", "public", "images", "status")
    assert baremetal.spec == repo / "examples/baremetal/node-states.toml"
    assert set(baremetal.outputs) == {"md", "dot", "svg", "mermaid"}
    assert [c.spec for c in issue10] == [
        repo / "examples/volume/volume-statuses.toml",
        repo / "examples/taskinstance/task-instance-statuses.toml",
        repo / "examples/order/order-statuses.toml"]
    code = {"typescript", "openapi"}  # the volume example shows issue 10's constructs there
    for example in issue10:
        extra = code if example.spec.name == "volume-statuses.toml" else set()
        assert set(example.outputs) == {"rst", "md", "mermaid", "python", *extra}


def test_relative_command_renderer_is_relative_to_the_root(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.statusdoc]\nrenderer = 'command:tools/fake-dot'\n"
        "[[tool.statusdoc.specs]]\nspec='a.toml'\n"
        "[[tool.statusdoc.specs]]\nspec='b.toml'\nrenderer='command:my-dot'\n",
    )
    (tmp_path / "sub").mkdir()
    config = load_config(tmp_path / "sub")
    assert config.renderer == f"command:{tmp_path / 'tools' / 'fake-dot'}"
    assert config.specs[0].renderer == config.renderer
    assert config.specs[1].renderer == "command:my-dot"  # a bare name is looked up on PATH


def test_lint_allow_for_the_project_and_per_spec(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml",
          "[tool.statusdoc]\nlint.allow = ['SD201']\n\n"
          "[[tool.statusdoc.specs]]\nspec = 'a.toml'\nlint = { allow = ['no-way-out'] }\n\n"
          "[[tool.statusdoc.specs]]\nspec = 'b.toml'\n")
    config = load_config(tmp_path)
    assert config.allow == {"ambiguous-event"}
    first, second = config.specs
    assert first.allow == {"ambiguous-event", "no-way-out"}  # added to the project's list
    assert second.allow == {"ambiguous-event"}
    assert config.default_spec(tmp_path / "c.toml").allow == {"ambiguous-event"}


@pytest.mark.parametrize(("lint", "message"), [
    ("lint.allow = ['ambigous-event']",
     "lint.allow: unknown rule 'ambigous-event' (did you mean 'ambiguous-event'?)"),
    ("lint.allow = ['unknown-status']", "lint.allow: rule SD123 unknown-status is an error"),
    ("lint.allow = 'no-way-out'", "lint.allow: expected a list of rule names or codes"),
    ("lint.alow = []", "lint: unknown key 'alow' (did you mean 'allow'?)"),
    ("lint = 'no-way-out'", "lint: expected a table like { allow = "),
])
def test_lint_mistakes_are_config_errors(tmp_path: Path, lint: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.statusdoc]\n{lint}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(tmp_path)
    write(tmp_path / "pyproject.toml",
          f"[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = 'a.toml'\n{lint}\n")
    with pytest.raises(ConfigError, match=r"specs\[0\]\." + re.escape(message)):
        load_config(tmp_path)
