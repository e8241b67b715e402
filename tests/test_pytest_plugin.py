"""The pytest plugin: configured specs become drift-check items (real pytest runs)."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_support import GLANCE, GLANCE_TABLE
from cli_support import STATUSDOC_SCRIPT as STATUSDOC

from statusdoc.artifacts import generate_spec
from statusdoc.config import load_config

pytest_plugins = ["pytester"]


def make_project(pytester: pytest.Pytester, *, table: bool = True, ini: str = "") -> Path:
    """A project with the Glance spec, its python artifact generated, and a table module."""
    root = pytester.path
    (root / "specs").mkdir()
    (root / "specs" / "image-statuses.toml").write_bytes(GLANCE.read_bytes())
    (root / "domain.py").write_text(f"class Image:\n    valid_state_targets = {GLANCE_TABLE!r}\n")
    table_line = 'table = "domain:Image.valid_state_targets"' if table else ""
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [tool.pytest.ini_options]
            {ini}

            [tool.statusdoc]
            [[tool.statusdoc.specs]]
            spec = "specs/image-statuses.toml"
            output-dir = "generated"
            outputs = ["python"]
            {table_line}
            """
        )
    )
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    project = load_config(root)
    for spec in project.specs:
        generate_spec(spec)
    assert (root / "generated" / "image_statuses.py").is_file()
    return root


def cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(STATUSDOC), *args], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_not_enabled_adds_nothing_and_imports_nothing_heavy(pytester):
    make_project(pytester)
    pytester.makepyfile(
        test_probe="""
        import sys

        def test_probe():
            assert "statusdoc.pytest_plugin" in sys.modules  # loaded via the entry point
            heavy = [
                m for m in ("statusdoc.config", "statusdoc.artifacts", "statusdoc.compare",
                            "statusdoc.adapters", "jinja2", "pydot", "yaml")
                if m in sys.modules
            ]
            assert heavy == []
        """
    )
    result = pytester.runpytest_subprocess("-v")
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("*artifacts-current*")


def test_flag_adds_passing_items_for_a_current_project(pytester):
    make_project(pytester)
    result = pytester.runpytest("--statusdoc", "-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*specs/image-statuses.toml::artifacts-current PASSED*",
            "*specs/image-statuses.toml::table-matches PASSED*",
        ]
    )


def test_ini_option_enables_the_plugin(pytester):
    make_project(pytester, ini="statusdoc = true")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)


def test_no_table_no_table_item(pytester):
    make_project(pytester, table=False)
    result = pytester.runpytest("--statusdoc", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.no_fnmatch_line("*table-matches*")


def test_stale_artifact_fails_with_the_cli_message(pytester):
    root = make_project(pytester)
    artifact = root / "generated" / "image_statuses.py"
    artifact.write_text(artifact.read_text().replace("'killed'", "'kiled'"))
    check = cli(root, "check")
    assert check.returncode == 1
    drift_line = check.stdout.splitlines()[0]
    assert "image_statuses.py" in drift_line
    result = pytester.runpytest("--statusdoc")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*statusdoc: artifacts-current*",
            drift_line,
            "1 of 1 artifacts stale or missing; run `statusdoc generate`",
            "-    KILLED = 'kiled'",  # the unified diff of the hand edit
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_missing_artifact_fails(pytester):
    root = make_project(pytester)
    (root / "generated" / "image_statuses.py").unlink()
    result = pytester.runpytest("--statusdoc")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*image_statuses.py*missing*"])


def test_table_drift_fails_with_the_compare_report(pytester):
    root = make_project(pytester)
    drifted = dict(GLANCE_TABLE)
    drifted["active"] = ("pending_delete", "deleted")
    drifted["pending_delete"] = ("deleted", "active")
    (root / "domain.py").write_text(f"class Image:\n    valid_state_targets = {drifted!r}\n")
    compare = cli(root, "compare")
    assert compare.returncode == 1
    result = pytester.runpytest("--statusdoc")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(compare.stdout.splitlines())
    result.stdout.fnmatch_lines(
        [
            "  missing from code: active -> queued",
            "  only in code: pending_delete -> active",
        ]
    )


def test_items_are_marked_and_selectable(pytester):
    make_project(pytester)
    result = pytester.runpytest("--statusdoc", "-m", "not statusdoc")
    result.assert_outcomes(passed=1, deselected=2)
    result = pytester.runpytest("--statusdoc", "-k", "table")
    result.assert_outcomes(passed=1, deselected=2)


def test_invalid_spec_fails_with_located_problems(pytester):
    root = make_project(pytester)
    spec = root / "specs" / "image-statuses.toml"
    spec.write_text(spec.read_text().replace('to = "saving"', 'to = "savin"', 1))
    result = pytester.runpytest("--statusdoc")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*image-statuses.toml:*savin*"])


def test_configuration_errors_become_a_failing_item(pytester):
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    (pytester.path / "pyproject.toml").write_text(
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = 'x.toml'\noutptus = ['rst']\n"
    )
    result = pytester.runpytest("--statusdoc", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*statusdoc::config FAILED*", "*outptus*"])


def test_enabled_without_configuration_fails_visibly(pytester):
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    (pytester.path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    result = pytester.runpytest("--statusdoc")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*no spec configured*"])


def test_assert_artifacts_current_helper(tmp_path, tmp_path_factory):
    from statusdoc.testing import assert_artifacts_current

    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "image-statuses.toml").write_bytes(GLANCE.read_bytes())
    (tmp_path / "pyproject.toml").write_text(
        "[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = 'specs/image-statuses.toml'\n"
        "output-dir = 'generated'\noutputs = ['python']\n"
    )
    for spec in load_config(tmp_path).specs:
        generate_spec(spec)
    assert_artifacts_current(tmp_path)
    artifact = tmp_path / "generated" / "image_statuses.py"
    artifact.write_text(artifact.read_text().replace("'killed'", "'kiled'"))
    with pytest.raises(AssertionError) as info:
        assert_artifacts_current(tmp_path / "specs")  # found upward from a sub-directory
    message = str(info.value)
    assert "image_statuses.py: stale: text differs" in message
    assert "1 of 1 artifacts stale or missing; run `statusdoc generate`" in message
    assert "-    KILLED = 'kiled'" in message
    empty = tmp_path_factory.mktemp("unconfigured")
    (empty / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    with pytest.raises(AssertionError, match="no spec configured"):
        assert_artifacts_current(empty)


def test_items_run_in_a_project_without_any_test_file(pytester):
    root = make_project(pytester)
    (root / "test_plain.py").unlink()
    result = pytester.runpytest("--statusdoc")
    result.assert_outcomes(passed=2)
    assert result.ret == 0
