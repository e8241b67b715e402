"""Validation rules in detail, and the ``statusdoc validate`` / ``schema`` commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from statusdoc.spec import attrs
from statusdoc.spec.api import validate_text

ROOT = Path(__file__).resolve().parent.parent
GLANCE = ROOT / "examples" / "glance" / "image-statuses.toml"

BASE = """\
[machine]
name = "m"
initial = "a"

[states.a]
description = "A."

[states.b]
description = "B."

[states.z]
final = true

[[transitions]]
from = "a"
to = "b"
event = "go"

[[transitions]]
from = "*"
to = "z"
"""


def problems(text: str, fmt: str = "toml") -> list[str]:
    return [str(p) for p in validate_text(text, fmt, filename="s").problems]


def test_base_is_valid():
    report = validate_text(BASE)
    assert report.problems == () and report.machine is not None
    assert report.machine.transitions[1:] == tuple(
        t for t in report.machine.transitions if t.rule == 1)


def test_every_problem_reported_in_one_run():
    text = (BASE.replace('initial = "a"', 'initial = "x"')
            .replace('to = "b"', 'to = "q"')
            .replace('description = "B."', 'descr = "B."'))
    found = problems(text)
    assert any("machine.initial: unknown status 'x'" in p for p in found)
    assert any("transitions[0].to: unknown status 'q'" in p for p in found)
    assert any("states.b.descr: unknown key 'descr'" in p for p in found)


def test_wildcard_excludes_finals_and_the_target():
    text = BASE + '\n[states.c]\n\n[[transitions]]\nfrom = "b"\nto = "c"\n' \
        '\n[[transitions]]\nfrom = "*"\nto = "a"\n'
    report = validate_text(text)
    assert report.machine is not None
    rule = report.machine.rules[-1]
    assert rule.wildcard and rule.sources == ("b", "c")


def test_wildcard_plus_explicit_same_label_is_a_duplicate():
    text = BASE + '\n[[transitions]]\nfrom = "a"\nto = "z"\n'
    assert any("duplicate transition 'a' -> 'z' (same event and label as transitions[1])" in p
               for p in problems(text))


def test_parallel_edges_and_self_loops_are_legal():
    text = BASE + '\n[[transitions]]\nfrom = "a"\nto = "b"\nevent = "jump"\n' \
        '\n[[transitions]]\nfrom = "b"\nto = "b"\nlabel = "retry"\n'
    report = validate_text(text)
    assert report.problems == ()
    assert report.machine.can("b", "b")


def test_ambiguous_event_is_a_warning():
    text = BASE + '\n[[transitions]]\nfrom = "a"\nto = "z"\nevent = "go"\n'
    report = validate_text(text)
    assert report.ok() and not report.ok(strict=True)
    assert "already leads to 'b'" in report.warnings[0].message


def test_unreachable_is_an_error_dead_end_a_warning():
    text = BASE + '\n[states.island]\ndescription = "I."\n'
    found = problems(text)
    assert "s:23: states.island: status 'island' is unreachable from the initial status " \
        "'a' (add a transition into it, or mark it deprecated) [SD124 unreachable-status]" in found
    assert not any("no way out" in p for p in found), "island has a wildcard way out"


@pytest.mark.parametrize("name", ["image", "a", "ironic-node", "x_1", "0day"])
def test_slug_names_accepted(name):
    assert problems(BASE.replace('name = "m"', f'name = "{name}"')) == []


@pytest.mark.parametrize("name", ["Image", "-x", "_x", "a b", "ä", ""])
def test_non_slug_names_rejected(name):
    assert any("must be a slug" in p for p in problems(BASE.replace('name = "m"',
                                                                      f'name = "{name}"')))


@pytest.mark.parametrize("attr", sorted(attrs.FORBIDDEN))
def test_every_forbidden_attribute_is_rejected_with_its_reason(attr):
    text = BASE + f'\n[diagram.node]\n"{attr}" = "x"\n'
    found = problems(text)
    assert any(f"attribute '{attr}' is not allowed: it {attrs.FORBIDDEN[attr]}" in p
               for p in found), found


def test_allow_lists_do_not_overlap_the_forbidden_list():
    allowed = attrs.GRAPH_ATTRS | attrs.NODE_ATTRS | attrs.EDGE_ATTRS | attrs.TAG_ATTRS
    assert not allowed & set(attrs.FORBIDDEN)


def test_allowed_attributes_are_stored_as_strings_in_order():
    text = BASE + '\n[diagram]\nrankdir = "LR"\n[diagram.graph]\nbgcolor = "white"\n' \
        '[diagram.edge]\npenwidth = 1.5\nconstraint = false\n[diagram.final]\n' \
        'shape = "doublecircle"\n[diagram.tags.t]\nstyle = "dashed"\nlegend = "T only"\n'
    text = text.replace('description = "A."', 'description = "A."\ntags = ["t"]')
    machine = validate_text(text).machine
    assert machine.diagram.graph == (("bgcolor", "white"), ("rankdir", "LR"))
    assert machine.diagram.edge == (("penwidth", "1.5"), ("constraint", "false"))
    assert machine.diagram.final == (("shape", "doublecircle"),)
    assert machine.diagram.tag("t").legend == "T only"
    assert machine.diagram.tag("t").attrs == (("style", "dashed"),)


def test_long_values_are_truncated_in_messages():
    text = BASE.replace('name = "m"', f'name = "{"N" * 5000}"')
    found = problems(text)
    assert all(len(p) < 400 for p in found)
    assert any("..." in p for p in found)


def test_problems_are_sorted_by_line():
    text = BASE.replace('to = "z"', 'to = "zz"').replace('initial = "a"', 'initial = "aa"')
    lines = [p.line for p in validate_text(text).problems]
    assert lines == sorted(lines) and len(lines) >= 2


# ------------------------------------------------------------------ CLI


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "statusdoc", *args], input=stdin, cwd=cwd,
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_cli_valid_spec_exit_0_summary_on_stderr():
    proc = cli("validate", "examples/glance/image-statuses.toml")
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert "image-statuses.toml: valid (6 statuses, 12 transitions)" in proc.stderr


def test_cli_misspelled_state_exit_1_located_with_suggestion(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(GLANCE.read_text("utf-8").replace('to = "active"', 'to = "activ"', 1))
    proc = cli("validate", "spec.toml", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == \
        "spec.toml:57: transitions[1].to: unknown status 'activ' (did you mean 'active'?) " \
        "[SD123 unknown-status]"
    assert "spec.toml: invalid: 1 error" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_usage_errors_exit_2(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    for args in (["missing.toml"], ["notes.txt"], ["."], ["-"]):
        proc = cli("validate", *args, cwd=tmp_path)
        assert proc.returncode == 2, args
        assert proc.stderr.startswith("statusdoc validate: "), proc.stderr
        assert "Traceback" not in proc.stderr
    proc = cli("validate", cwd=tmp_path)
    assert proc.returncode == 2 and "usage:" in proc.stderr


def test_cli_usage_error_wins_over_invalid(tmp_path):
    (tmp_path / "bad.toml").write_text("x = ")
    proc = cli("validate", "bad.toml", "missing.toml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "bad.toml:1: TOML syntax error" in proc.stdout


def test_cli_strict_and_format_and_stdin(tmp_path):
    text = BASE.replace('description = "B."', 'description = "TODO"')
    proc = cli("validate", "-", "--format", "toml", stdin=text)
    assert proc.returncode == 0 and "<stdin>:9: states.b.description: warning:" in proc.stdout
    proc = cli("validate", "--strict", "-", "--format", "toml", stdin=text)
    assert proc.returncode == 1 and "--strict" in proc.stderr
    (tmp_path / "spec.txt").write_text(BASE)
    assert cli("validate", "--format", "toml", "spec.txt", cwd=tmp_path).returncode == 0


def test_cli_help_and_version():
    proc = cli("validate", "--help")
    assert proc.returncode == 0 and "--strict" in proc.stdout and "Exit 0" in proc.stdout
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("statusdoc ")


def test_cli_schema_prints_the_shipped_schema():
    proc = cli("schema")
    assert proc.returncode == 0
    shipped = (ROOT / "statusdoc" / "spec" / "schema.json").read_text("utf-8")
    assert proc.stdout == shipped


@pytest.mark.parametrize(("change", "expected"), [
    (('[states.b]\ndescription = "B."', '[states.b]\ndescription = "B."\nlabel = "a"'),
     "warning: label 'a' is also the label of status 'a'"),
    (('description = "A."', 'description = "A."\ntags = ["x", "x"]'),
     "states.a.tags[1]: warning: tag 'x' listed twice"),
    (('description = "A."', 'description = """\nSee\n\n.. csv-table::\n   :file: /etc/passwd\n"""'),
     "uses unsafe RST: directive 'csv-table' with :file:: reads a file or URL"),
    (('description = "A."', 'description = """\n.. figure:: x.png\n   :url: http://x\n"""'),
     "uses unsafe RST: directive 'figure' with :url:"),
    (('initial = "a"', 'initial = "a"\ninitial_label = "new\\nline"'),
     "initial_label contains a control character"),
    (('[machine]', '"$schema" = 5\n[machine]'), '"$schema": expected a string, got integer 5'),
    (('description = "A."', 'description = "A\\u0085"'),
     "description contains a control character ('\\x85')"),
    (('[states.b]', '[states."b\\u0085"]'), "status name contains a control character"),
])
def test_more_rules(change, expected):
    old, new = change
    assert old in BASE
    found = problems(BASE.replace(old, new, 1))
    assert any(expected in p for p in found), found


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("size", "7.5,10", None),
    ("size", "7.5!", None),
    ("size", "big", "size must be one or two numbers"),
    ("size", "1,2,3", "size must be one or two numbers"),
    ("pad", "0.5", None),
    ("margin", "11", "margin values must be between 0 and 10"),
    ("sides", 2, "sides must be between 3 and 100"),
    ("fontnames", "C:\\fonts", "font names must not be file paths"),
    ("shape", " EPSF ", "reads a file"),
    ("shape", "box", None),
    ("fontsize", "large", "fontsize must be a number"),
    ("fontsize", float("inf"), "fontsize must be a finite number"),
    ("color", "x" * 201, "value too long"),
    ("color", "red\x85", "control characters"),
    ("rankdir", "lr", "rankdir must be one of"),
    ("fixedsize", True, None),
])
def test_attribute_values(name, value, problem):
    found = attrs.check_value(name, value)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found, found


def test_bool_attribute_values_are_lowercased():
    assert attrs.format_value(True) == "true" and attrs.format_value(False) == "false"
    assert attrs.format_value(1.5) == "1.5" and attrs.format_value("Red") == "Red"


def _wildcard_spec(states: int, wildcards: int) -> str:
    """A chain s0 -> s1 -> ... (states - 1 rules) then ``wildcards`` from = "*" rules."""
    out = ['[machine]\nname = "m"\ninitial = "s0"\n\n']
    out += [f"[states.s{i}]\n\n" for i in range(states)]
    out += [f'[[transitions]]\nfrom = "s{i}"\nto = "s{i + 1}"\n\n' for i in range(states - 1)]
    out += [f'[[transitions]]\nfrom = "*"\nto = "s{j % states}"\nlabel = "w{j}"\n\n'
            for j in range(wildcards)]
    return "".join(out)


def test_wildcard_expansion_is_sized_before_it_is_built():
    from statusdoc.spec.expansion import MAX_TRANSITIONS

    states = 1_000
    chain = states - 1  # each wildcard also stands for states - 1 transitions
    within = (MAX_TRANSITIONS - chain) // chain
    machine = validate_text(_wildcard_spec(states, within), "toml").machine
    assert machine is not None and len(machine.transitions) == chain * (within + 1)
    report = validate_text(_wildcard_spec(states, within + 1), "toml")
    assert report.machine is None
    (error,) = report.errors
    index = chain + within
    assert error.path == f"transitions[{index}].from"
    assert error.line == 4 + states * 2 + chain * 4 + within * 5 + 2  # the line of its "from"
    assert f"expand to {chain * (within + 2):,} transitions" in error.message
    assert "more than the limit of 200,000" in error.message
