"""Transition coverage in the pytest plugin: real pytest runs of a small project (issue 15).

The project's order machine has 7 transitions; its suite exercises 5 of them,
each a different way (check, fire, a StatusField, the generated module's
check and fire), one per test so that ``-n 2`` spreads them over workers.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from statusdoc.artifacts import generate_spec
from statusdoc.config import load_config

pytest_plugins = ["pytester"]

ORDER_SPEC = """
[machine]
name = "order"
title = "Order"
initial = "new"

[states.new]
[states.paid]
[states.shipped]
[states.delivered]
[states.cancelled]
final = true
[states.refunded]
final = true

[[transitions]]
from = "new"
to = "paid"
event = "pay"
[[transitions]]
from = "new"
to = "cancelled"
event = "cancel"
[[transitions]]
from = "paid"
to = "cancelled"
event = "cancel"
[[transitions]]
from = "paid"
to = "shipped"
event = "ship"
[[transitions]]
from = "paid"
to = "refunded"
event = "refund"
[[transitions]]
from = "shipped"
to = "delivered"
event = "deliver"
[[transitions]]
from = "delivered"
to = "refunded"
event = "refund"
"""

TESTS = '''
import order_statuses
import statusdoc

ORDER = statusdoc.load("specs/order-statuses.toml")


class Order:
    status = ORDER.field()


def test_check():
    ORDER.check("new", "paid")


def test_fire():
    assert ORDER.fire("paid", "ship") == "shipped"


def test_field():
    order = Order()
    order.status = "new"
    order.status = "cancelled"


def test_module_check():
    order_statuses.check("shipped", "delivered")


def test_module_fire():
    assert order_statuses.fire("delivered", "refund") == "refunded"


def test_refused_moves_cover_nothing():
    assert not ORDER.can("paid", "new")  # can() only asks
    assert ORDER.can("paid", "refunded")
    for src, dst in [("new", "shipped"), ("paid", "new")]:
        try:
            ORDER.check(src, dst)
        except statusdoc.InvalidTransition:
            pass
        else:
            raise AssertionError("refused move accepted")
'''

MISSING = ["  not covered: paid -> cancelled", "  not covered: paid -> refunded"]


def make_project(pytester: pytest.Pytester, ini: str = "") -> Path:
    root = pytester.path
    (root / "specs").mkdir()
    (root / "specs" / "order-statuses.toml").write_text(ORDER_SPEC)
    (root / "pyproject.toml").write_text(textwrap.dedent(f"""
        [tool.pytest.ini_options]
        {ini}

        [tool.statusdoc]
        [[tool.statusdoc.specs]]
        spec = "specs/order-statuses.toml"
        output-dir = "generated"
        outputs = ["python"]
        """))
    for spec in load_config(root).specs:
        generate_spec(spec)
    (root / "conftest.py").write_text(textwrap.dedent("""
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).parent / "generated"))

        import order_statuses
        from statusdoc.coverage import track

        track(order_statuses)
        """))
    (root / "test_order.py").write_text(TESTS)
    return root


def _report_lines(result: pytest.RunResult) -> list[str]:
    lines = result.stdout.lines
    start = next(i for i, line in enumerate(lines) if "statusdoc transition coverage" in line)
    return [line for line in lines[start + 1:] if not line.startswith("=")]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_five_of_seven_reports_the_two_missing_and_fails_under_100(pytester, workers):
    make_project(pytester)
    result = pytester.runpytest_subprocess(*workers, "--statusdoc-cov-fail-under=100")
    result.assert_outcomes(passed=6)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert _report_lines(result) == [
        "order: 5/7 transitions (71.4%)", *MISSING, "total: 5/7 transitions (71.4%)",
        "FAIL: transition coverage 71.4% is under the required 100%",
    ]


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_json_report_lists_the_missing(pytester, workers):
    root = make_project(pytester)
    result = pytester.runpytest_subprocess(*workers, "--statusdoc-cov-report=json:cov.json")
    assert result.ret == pytest.ExitCode.OK
    data = json.loads((root / "cov.json").read_text())
    assert data["covered"] == 5 and data["total"] == 7
    [order] = data["machines"]
    assert order["missing"] == [["paid", "cancelled"], ["paid", "refunded"]]
    assert order["covered_transitions"] == [
        ["new", "paid"], ["new", "cancelled"], ["paid", "shipped"], ["shipped", "delivered"],
        ["delivered", "refunded"]]


def test_a_floor_that_is_met_passes(pytester):
    make_project(pytester)
    result = pytester.runpytest_subprocess("--statusdoc-cov-fail-under=70")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["transition coverage 71.4% reaches the required 70%"])


def test_ini_options_configure_it(pytester):
    root = make_project(pytester, ini=textwrap.dedent("""
        statusdoc_cov = true
        statusdoc_cov_report = ["markdown:cov.md", "term"]
        statusdoc_cov_fail_under = "100"
        """))
    result = pytester.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["order: 5/7 transitions (71.4%)", *MISSING])
    markdown = (root / "cov.md").read_text()
    assert "| `order` | 5 | 7 | 71.4% |" in markdown
    assert "- `paid` → `refunded`" in markdown
    # the command line turns it off for a quick local run
    quiet = pytester.runpytest_subprocess("--no-statusdoc-cov")
    assert quiet.ret == pytest.ExitCode.OK
    quiet.stdout.no_fnmatch_line("*transition coverage*")


def test_off_by_default_reports_nothing_and_imports_nothing(pytester):
    make_project(pytester)
    (pytester.path / "test_probe.py").write_text(textwrap.dedent("""
        import sys

        import order_statuses
        from statusdoc.runtime import MachineRuntime
        import statusdoc

        def test_probe():
            assert "statusdoc.pytest_coverage" not in sys.modules
            # the methods that run are the plain ones, the module has no hook
            assert MachineRuntime.check.__module__ == "statusdoc.runtime"
            assert MachineRuntime.fire.__module__ == "statusdoc.runtime"
            # a field runs the plain setter: the one that reads no coverage record
            class Probe:
                status = statusdoc.load("specs/order-statuses.toml").field()
            assert "covered" not in Probe.status.fset.__code__.co_names
            assert "targets" in Probe.status.fset.__code__.co_names
            assert order_statuses._hook is None
        """))
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=7)
    result.stdout.no_fnmatch_line("*transition coverage*")


def test_a_configured_spec_nothing_touches_is_reported_at_zero(pytester):
    make_project(pytester)
    (pytester.path / "test_order.py").write_text("def test_nothing():\n    pass\n")
    (pytester.path / "conftest.py").unlink()
    result = pytester.runpytest_subprocess("--statusdoc-cov")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["order: 0/7 transitions (0%)"])


def test_bad_report_kind_is_a_usage_error(pytester):
    make_project(pytester)
    result = pytester.runpytest_subprocess("--statusdoc-cov-report=html")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown kind 'html'*"])
