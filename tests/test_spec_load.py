"""Loading specs: formats, source positions, the public API, property tests."""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import statusdoc
from statusdoc.errors import SpecError
from statusdoc.spec.api import load, loads, validate_file, validate_text
from statusdoc.spec.jsonpositions import json_positions
from statusdoc.spec.load import detect_format, parse_document
from statusdoc.spec.positions import (
    toml_full_positions,
    toml_header_lines,
    toml_positions,
)

ROOT = Path(__file__).resolve().parent.parent
GLANCE = ROOT / "examples" / "glance" / "image-statuses.toml"


def _model(machine):
    return (machine.name, machine.title, machine.initial, machine.states, machine.rules,
            machine.transitions, machine.intro, machine.initial_label, machine.diagram)


def test_glance_example_loads_with_lines():
    machine = load(GLANCE)
    text = GLANCE.read_text("utf-8").split("\n")
    for state in machine.states:
        assert text[state.line - 1].strip() == f"[states.{state.name}]"
    for rule in machine.rules:
        assert text[rule.line - 1].strip() == "[[transitions]]"
    assert machine.source == str(GLANCE)
    assert statusdoc.load is load


def test_same_model_from_toml_yaml_and_json(tmp_path):
    data = tomllib.loads(GLANCE.read_text("utf-8"))
    (tmp_path / "g.yaml").write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    (tmp_path / "g.json").write_text(json.dumps(data, indent=1), "utf-8")
    base = _model(load(GLANCE))
    for name in ("g.yaml", "g.json"):
        machine = load(tmp_path / name)
        assert _model(machine) == base, name
        assert all(s.line > 0 for s in machine.states)
        assert all(r.line > 0 for r in machine.rules)


def test_model_contract_kept():
    machine = loads(textwrap.dedent('''\
        [machine]
        name = "m"
        initial = "a"

        [states.a]
        description = """
            Indented
              text.  """
        [states.b]
        label = "Bee"
        final = true

        [[transitions]]
        from = "*"
        to = "b"

        [diagram.node]
        fixedsize = true
        fontsize = 12
        '''))
    assert machine.title == "m", "title defaults to the machine name"
    assert machine.state_map["a"].description == "Indented\n  text."
    assert machine.state_map["a"].label == "a"
    assert machine.state_map["b"].label == "Bee"
    assert machine.rules[0].wildcard and machine.rules[0].sources == ("a",)
    assert machine.rules[0].label == "" and machine.rules[0].event is None
    assert machine.diagram.node == (("fixedsize", "true"), ("fontsize", "12"))
    assert machine.intro == "" and machine.initial_label == ""


def test_detect_format():
    assert detect_format("a/B.TOML") == "toml"
    assert detect_format("x.yml") == "yaml"
    assert detect_format("x.json") == "json"
    with pytest.raises(ValueError, match="unknown spec format"):
        detect_format("x.txt")


def test_validate_file_reports_unreadable_and_unknown(tmp_path):
    report = validate_file(tmp_path / "missing.toml")
    assert report.machine is None and "cannot read spec" in report.problems[0].message
    report = validate_file(tmp_path / "spec.ini")
    assert "unknown spec format" in report.problems[0].message


def test_unknown_format_name():
    document, problems = parse_document("", "ini", "x")
    assert document is None and "unknown spec format 'ini'" in problems[0].message


def test_spec_error_carries_every_problem():
    text = GLANCE.read_text("utf-8").replace('to = "saving"', 'to = "savng"').replace(
        'from = "pending_delete"', 'from = "pending_delet"')
    with pytest.raises(SpecError) as info:
        loads(text, filename="g.toml")
    problems = info.value.problems
    assert "g.toml:50: transitions[0].to: unknown status 'savng' (did you mean 'saving'?)" \
        in str(info.value)
    assert {"transitions[0].to", "transitions[5].from"} <= {p.path for p in problems}
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_strict_turns_warnings_into_errors():
    text = GLANCE.read_text("utf-8").replace(
        'description = "The scrubber removes the image data."', 'description = "TODO"')
    machine = loads(text)  # a warning only
    assert machine.name == "image"
    report = validate_text(text)
    assert report.ok() and not report.ok(strict=True)
    with pytest.raises(SpecError, match="TODO placeholder"):
        loads(text, strict=True)


def test_bytes_and_str_inputs_agree():
    raw = GLANCE.read_bytes()
    assert _model(loads(raw)) == _model(loads(raw.decode("utf-8")))
    assert _model(loads(b"\xef\xbb\xbf" + raw)) == _model(loads(raw))
    assert _model(loads("\ufeff" + raw.decode())) == _model(loads(raw))


# ------------------------------------------------------------------ positions

TOML_SAMPLE = '''\
# comment
[machine]
name = "m"   # trailing comment
intro = """
[states.fake]
not a header"""
initial = 'a'

[states."wait call-back"]
tags = [
  "x",
  "y",
]
[states.b]
label = "B"

transitions = [
  { from = "a", to = "b" },
  { from = ["a",
            "b"], to = "c" },
]
[diagram]
node = { shape = "box", "font size" = 3 }
[[transitions]]
from = "z"
'''


def test_toml_positions_cover_tables_keys_arrays_and_inline_tables():
    pos = toml_full_positions(TOML_SAMPLE)
    assert pos.exact(("machine",)) == 2
    assert pos.exact(("machine", "name")) == 3
    assert pos.exact(("machine", "intro")) == 4
    assert pos.exact(("states", "fake")) == 0, "text inside a multi-line string"
    assert pos.exact(("machine", "initial")) == 7
    assert pos.exact(("states", "wait call-back")) == 9
    assert pos.exact(("states", "wait call-back", "tags", 1)) == 12
    assert pos.exact(("states", "b", "transitions", 1)) == 19
    assert pos.exact(("states", "b", "transitions", 1, "from", 1)) == 20
    assert pos.exact(("states", "b", "transitions", 1, "to")) == 20
    assert pos.exact(("diagram", "node", "font size")) == 23
    assert pos.exact(("transitions", 0, "from")) == 25
    assert pos.line(("diagram", "node", "missing")) == 23, "falls back to the parent"
    assert pos.line(("nothing", "here")) == 1


def test_quick_header_lines_agree_with_full_scan():
    for text in (GLANCE.read_text("utf-8"), TOML_SAMPLE):
        full = toml_full_positions(text)
        quick = toml_header_lines(text)
        assert quick
        for path, line in quick.items():
            assert full.exact(path) == line, path
    lazy = toml_positions(GLANCE.read_text("utf-8"))
    assert lazy.quick(("transitions", 7)) == 97
    assert lazy.line(("transitions", 7, "tags", 0)) == 102


def test_json_positions_and_duplicates():
    text = '{\n "a": [1,\n  {"b": 2}],\n "c": {"d": [\n   "x", "y"]},\n "a": 0\n}'
    pos, dups = json_positions(text)
    assert pos.exact(("a",)) == 2
    assert pos.exact(("a", 1)) == 3 and pos.exact(("a", 1, "b")) == 3
    assert pos.exact(("c", "d", 1)) == 5
    assert dups == [((), "a", 6)]


def test_yaml_positions():
    text = "machine:\n  name: m\n  initial: a\nstates:\n  a: {}\n  b:\n    final: true\n" \
           "transitions:\n  - from: a\n    to: b\n  - from: [a]\n    to: zz\n"
    report = validate_text(text, "yaml", filename="m.yaml")
    assert [str(p) for p in report.errors] == [
        "m.yaml:12: transitions[1].to: unknown status 'zz' [SD123 unknown-status]"]


# ----------------------------------------------------------- property tests

NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


def _toml_string(value: str) -> str:
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAME, min_size=1, max_size=6, unique=True), st.data())
def test_random_specs_never_crash_and_lines_are_right(names, data):
    labels = [data.draw(NAME) for _ in names]
    lines = ['[machine]', 'name = "r"', f"initial = {_toml_string(names[0])}", ""]
    header_line = {}
    for name, label in zip(names, labels, strict=True):
        header_line[name] = len(lines) + 1
        lines += [f"[states.{_toml_string(name)}]", f"label = {_toml_string(label)}", ""]
    for a, b in zip(names, names[1:] + names[:1], strict=True):
        lines += ["[[transitions]]", f"from = {_toml_string(a)}", f"to = {_toml_string(b)}",
                  f"label = {_toml_string(a + b)}", ""]
    text = "\n".join(lines)
    data = tomllib.loads(text)
    as_yaml = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    as_json = json.dumps(data)
    references = {"toml": data, "json": json.loads(as_json), "yaml": yaml.safe_load(as_yaml)}
    for fmt, body in (("toml", text), ("json", as_json), ("yaml", as_yaml)):
        report = validate_text(body, fmt, filename="r")
        assert all(p.line > 0 for p in report.problems)
        if report.machine is not None:
            # the reference parser's reading (PyYAML may fold a U+0085 it wrote itself)
            assert report.machine.state_names == tuple(references[fmt]["states"])
            if fmt != "yaml":
                assert report.machine.state_names == tuple(names)
            if fmt == "toml":
                assert [s.line for s in report.machine.states] == \
                    [header_line[n] for n in names]
        else:
            assert report.errors


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["toml", "yaml", "json"]))
def test_random_bytes_never_crash(data, fmt):
    report = validate_text(data, fmt, filename="junk")
    assert all(p.line > 0 for p in report.problems)
    assert report.machine is None or not report.errors


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="[]{}=\"'.,#\n abc:-*&!|>", max_size=200),
       st.sampled_from(["toml", "yaml", "json"]))
def test_random_structural_text_never_crashes(text, fmt):
    report = validate_text(text, fmt, filename="junk")
    assert all(p.line > 0 for p in report.problems)


def test_yaml_without_libyaml_gives_the_same_results():
    """CI machines may lack libyaml: the pure-Python composer must agree."""
    from statusdoc.errors import Problem
    from statusdoc.spec.load import ParseFailure, _prepare
    from statusdoc.spec.yamlload import parse_yaml

    def parse(text, loader):
        try:
            return parse_yaml(text, "s", loader)
        except ParseFailure as fail:
            return None, [Problem("s", fail.line, fail.path, fail.message)]

    corpus = ROOT / "tests" / "corpus"
    checked = 0
    for path in sorted(corpus.glob("*/*.yaml")):
        try:
            text = _prepare(path.read_bytes())
        except ParseFailure:  # refused before parsing: no parser involved
            continue
        fast_doc, fast_problems = parse(text, yaml.CSafeLoader)
        pure_doc, pure_problems = parse(text, yaml.SafeLoader)
        assert (fast_doc is None) == (pure_doc is None), path.name
        if fast_doc is not None:
            assert fast_doc.data == pure_doc.data, path.name
            assert len(fast_doc.positions) == len(pure_doc.positions), path.name  # all read
            assert fast_doc.positions._lines == pure_doc.positions._lines, path.name
        assert [p.line for p in fast_problems] == [p.line for p in pure_problems], path.name
        for a, b in zip(fast_problems, pure_problems, strict=True):
            assert a.message.split(":")[0] == b.message.split(":")[0], path.name
        checked += 1
    assert checked >= 20


LEAF = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                 st.text(max_size=8), st.sampled_from(["*", "a", "b", "TODO", ""]))
ANY = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)


def _spec_keys(keys: list[str]):
    return st.dictionaries(st.sampled_from(keys), ANY, max_size=len(keys))


STRUCTURED = st.fixed_dictionaries({}, optional={
    "machine": st.one_of(ANY, _spec_keys(["name", "title", "intro", "initial",
                                          "initial_label", "x"])),
    "states": st.one_of(ANY, st.dictionaries(
        st.sampled_from(["a", "b", "c", "", "*"]),
        st.one_of(ANY, _spec_keys(["description", "final", "tags", "label", "y"])),
        max_size=4)),
    "transitions": st.one_of(ANY, st.lists(
        st.one_of(ANY, _spec_keys(["from", "to", "label", "event", "tags", "description"])),
        max_size=4)),
    "diagram": st.one_of(ANY, _spec_keys(["rankdir", "graph", "node", "edge", "final",
                                          "tags", "wildcards"])),
})


@settings(max_examples=150, deadline=None)
@given(STRUCTURED)
def test_wrong_types_at_every_key_never_crash(data):
    """Any value at any key: located problems or a machine, never an exception."""
    text = json.dumps(data, indent=1)
    report = validate_text(text, "json", filename="s.json")
    assert all(p.line > 0 for p in report.problems)
    assert (report.machine is None) == bool(report.errors)
    as_yaml = yaml.safe_dump(data, sort_keys=False)
    report = validate_text(as_yaml, "yaml", filename="s.yaml")
    assert all(p.line > 0 for p in report.problems)


def test_validate_text_without_build_reports_the_same_problems_and_no_machine():
    """``build=False`` (what ``import`` uses): the same located problems, no Machine built."""
    from statusdoc.spec.api import validate_text

    text = GLANCE.read_text("utf-8").replace('description = """\n', 'description = """TODO: ', 1)
    full = validate_text(text, "toml", filename="g.toml")
    checked = validate_text(text, "toml", filename="g.toml", build=False)
    assert full.machine is not None and not full.errors and full.warnings
    assert checked.machine is None
    assert checked.problems == full.problems
