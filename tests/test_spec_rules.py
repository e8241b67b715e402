"""Rule codes: the table, a spec breaking each rule, allowing warnings, the generated docs.

Also the one-place promise of ``statusdoc/spec/keys.py``: the validator's
fast path agrees with its full path on every transition it takes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.errors import SpecError
from statusdoc.spec import keys as K
from statusdoc.spec.api import loads, validate_text
from statusdoc.spec.rules import RULES, allowed_rules, rule, rules_rst
from statusdoc.spec.schema import build_schema

ROOT = Path(__file__).resolve().parent.parent

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


def _swap(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


#: One spec per rule that breaks it (and, where possible, nothing else): (text, format).
BREAKS: dict[str, tuple[str | bytes, str]] = {
    "unreadable-spec": (b"\xff\xfe[\x00m\x00]\x00", "toml"),
    "syntax-error": ("x = ", "toml"),
    "unsupported-syntax": ("a: &x 1\nb: *x\n", "yaml"),
    "too-many-transitions": (
        '[machine]\nname = "m"\ninitial = "s0"\n'
        + "".join(f'[states.s{i}]\n' for i in range(460))
        + '[[transitions]]\nfrom = "*"\nto = "s0"\n' * 460, "toml"),
    "invalid-language": (_swap('name = "m"', 'name = "m"\nlanguage = "1x"'), "toml"),
    "unknown-language": (_swap('name = "m"', 'name = "m"\nlanguage = "xx"'), "toml"),
    "lone-surrogate": ('{"machine": {"name": "m", "title": "\\ud800", "initial": "a"}, '
                       '"states": {"a": {}}}', "json"),
    "duplicate-key": ('{"machine": {"name": "m", "name": "n"}}', "json"),
    "empty-spec": ("", "toml"),
    "unknown-key": (_swap('name = "m"', 'name = "m"\ncolour = "red"'), "toml"),
    "missing-key": (_swap('initial = "a"\n', ""), "toml"),
    "wrong-type": (_swap("final = true", 'final = "yes"'), "toml"),
    "invalid-choice": (BASE + '\n[diagram]\nwildcards = "all"\n', "toml"),
    "empty-text": (_swap('event = "go"', 'label = ""'), "toml"),
    "text-too-long": (_swap('event = "go"', f'label = "{"x" * 201}"'), "toml"),
    "control-character": (_swap('"A."', '"A\\u0085"'), "toml"),
    "surrounding-whitespace": (_swap('event = "go"', 'label = " go"'), "toml"),
    "invalid-slug": (_swap('name = "m"', 'name = "M"'), "toml"),
    "no-states": ('[machine]\nname = "m"\ninitial = "a"\n\n[states]\n', "toml"),
    "reserved-name": (BASE + '\n[states."*"]\n', "toml"),
    "unknown-status": (_swap('to = "b"', 'to = "q"'), "toml"),
    "unreachable-status": (BASE + '\n[states.island]\n', "toml"),
    "transition-from-final": (BASE + '\n[[transitions]]\nfrom = "z"\nto = "a"\n', "toml"),
    "duplicate-transition": (BASE + '\n[[transitions]]\nfrom = "a"\nto = "z"\n', "toml"),
    "wildcard-target": (BASE + '\n[[transitions]]\nfrom = "a"\nto = "*"\n', "toml"),
    "wildcard-in-list": (BASE + '\n[[transitions]]\nfrom = ["*"]\nto = "b"\n', "toml"),
    "empty-sources": (BASE + '\n[[transitions]]\nfrom = []\nto = "b"\n', "toml"),
    "duplicate-source": (BASE + '\n[[transitions]]\nfrom = ["a", "a"]\nto = "b"\n', "toml"),
    "forbidden-attribute": (BASE + '\n[diagram.node]\nimage = "/etc/passwd"\n', "toml"),
    "unknown-attribute": (BASE + '\n[diagram.node]\nfillcolour = "red"\n', "toml"),
    "invalid-attribute-value": (BASE + "\n[diagram.graph]\ndpi = 9999\n", "toml"),
    "conflicting-rankdir": (BASE + '\n[diagram]\nrankdir = "LR"\n[diagram.graph]\n'
                            'rankdir = "TB"\n', "toml"),
    "unknown-rule": (BASE + '\n[lint]\nallow = ["ambigous-event"]\n', "toml"),
    "not-allowable": (BASE + '\n[lint]\nallow = ["unknown-status"]\n', "toml"),
    "ambiguous-event": (BASE + '\n[[transitions]]\nfrom = "a"\nto = "z"\nevent = "go"\n',
                        "toml"),
    "no-way-out": (_swap('[[transitions]]\nfrom = "*"\nto = "z"\n',
                         '[[transitions]]\nfrom = "a"\nto = "z"\n'), "toml"),
    "empty-wildcard": ('[machine]\nname = "m"\ninitial = "a"\n[states.a]\nfinal = true\n'
                       '[[transitions]]\nfrom = "*"\nto = "a"\n', "toml"),
    "duplicate-label": (_swap('description = "B."', 'description = "B."\nlabel = "a"'),
                        "toml"),
    "duplicate-tag": (_swap('description = "A."', 'description = "A."\ntags = ["t", "t"]'),
                      "toml"),
    "unused-tag-style": (BASE + '\n[diagram.tags.v9]\nstyle = "dashed"\n', "toml"),
    "todo-placeholder": (_swap('"B."', '"TODO"'), "toml"),
    "unsafe-rst": (_swap('"A."', '"""\n.. include:: /etc/passwd\n"""'), "toml"),
    "deprecated-entry": (_swap('"A."', '"A."\ndeprecated = true'), "toml"),
    "duplicate-entry": (_swap('initial = "a"', 'initial = ["a", "a"]'), "toml"),
    "unknown-entry": (_swap('initial = "a"', 'initial = "a"\ninitial_label = { b = "go" }'),
                      "toml"),
    "null-collision": (_swap('initial = "a"', 'initial = "a"\nnull = "a"')
                       + '\n[states.None]\n\n[[transitions]]\nfrom = "a"\nto = "None"\n',
                       "toml"),
    "unknown-group": (_swap('"A."', '"A."\ngroup = "erors"') + "\n[groups.errors]\n", "toml"),
    "except-without-wildcard": (BASE + '\n[[transitions]]\nfrom = "a"\nexcept = ["b"]\n'
                                'to = "z"\nlabel = "x"\n', "toml"),
    "return-with-to": (BASE + '\n[[transitions]]\nfrom = "b"\nto = "a"\nreturn = true\n',
                       "toml"),
    "transition-to-deprecated": (BASE + '\n[states.old]\ndeprecated = "gone"\n\n'
                                 '[[transitions]]\nfrom = "b"\nto = "old"\n', "toml"),
    "empty-group": (BASE + "\n[groups.g]\n", "toml"),
    "except-not-covered": (BASE + '\n[[transitions]]\nfrom = "*"\nexcept = ["z"]\nto = "a"\n',
                           "toml"),
    "return-without-predecessor": (BASE + '\n[[transitions]]\nfrom = "a"\nreturn = true\n'
                                   'label = "back"\n', "toml"),
}


def test_the_rule_table_is_consistent():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert codes == sorted(codes), "the table is in code order"
    for item in RULES:
        assert re.fullmatch(r"SD[0-2]\d\d", item.code), item
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", item.name), item
        assert (item.severity == "warning") == item.code.startswith("SD2"), item
        assert item.summary.endswith(".") and "\n" not in item.summary


def test_every_rule_has_a_spec_that_breaks_it():
    assert set(BREAKS) == {r.name for r in RULES}, "add an example for each new rule"


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_rule_is_reported_with_its_code_and_name(name):
    text, fmt = BREAKS[name]
    report = validate_text(text, fmt, filename="s")
    found = [p for p in report.problems if p.rule == name]
    assert found, [str(p) for p in report.problems]
    expected = rule(name)
    for problem in found:
        assert (problem.code, problem.severity) == (expected.code, expected.severity)
        assert str(problem).endswith(f" [{expected.code} {name}]")
        assert problem.line >= 1
    if expected.severity == "warning":
        assert report.machine is not None and not report.ok(strict=True)


def test_every_problem_of_the_corpus_names_a_known_rule():
    known = {(r.code, r.name, r.severity) for r in RULES}
    corpus = ROOT / "tests" / "corpus"
    from statusdoc.spec.api import validate_file

    seen = set()
    for path in sorted((corpus / "invalid").iterdir()):
        for problem in validate_file(path).problems:
            assert (problem.code, problem.rule, problem.severity) in known, str(problem)
            seen.add(problem.rule)
    assert len(seen) >= 25


# ---------------------------------------------------------------- allowing


AMBIGUOUS, _ = BREAKS["ambiguous-event"]


@pytest.mark.parametrize("entry", ["ambiguous-event", "SD201"])
def test_a_spec_allows_a_warning_by_name_or_code(entry):
    text = AMBIGUOUS + f'\n[lint]\nallow = ["{entry}"]\n'
    report = validate_text(text, filename="s")
    assert report.problems == ()
    assert loads(text, strict=True).can("a", "z")


def test_allowing_one_rule_keeps_the_others():
    text, _ = BREAKS["todo-placeholder"]
    text += '\n[lint]\nallow = ["ambiguous-event"]\n'
    report = validate_text(text, filename="s")
    assert [p.rule for p in report.problems] == ["todo-placeholder"]


def test_an_unknown_rule_in_the_spec_is_a_located_error_with_a_suggestion():
    text, _ = BREAKS["unknown-rule"]
    report = validate_text(text, filename="s")
    assert report.machine is None
    (problem,) = report.errors
    assert str(problem) == (
        "s:24: lint.allow[0]: unknown rule 'ambigous-event' (did you mean "
        "'ambiguous-event'?) [SD191 unknown-rule]"
    )
    long = validate_text(BASE + f'\n[lint]\nallow = ["{"x" * 5000}"]\n', filename="s")
    assert all(len(str(p)) < 200 for p in long.problems)


def test_allowing_an_error_rule_is_itself_an_error():
    text, _ = BREAKS["not-allowable"]
    report = validate_text(text, filename="s")
    assert [str(p) for p in report.errors] == [
        "s:24: lint.allow[0]: rule SD123 unknown-status is an error; only warnings can be "
        "allowed (fix the spec instead) [SD192 not-allowable]"
    ]
    with pytest.raises(SpecError):
        loads(_swap('to = "b"', 'to = "q"') + '\n[lint]\nallow = ["SD123"]\n')


@pytest.mark.parametrize(("lint", "message"), [
    ('allow = "ambiguous-event"', "lint.allow: expected a list of rule names or codes"),
    ("allow = [1]", "lint.allow[0]: expected a rule name or code (string), got integer 1"),
    ('alow = ["x"]', "lint.alow: unknown key 'alow' in [lint] (did you mean 'allow'?)"),
])
def test_a_malformed_lint_table_is_an_error(lint, message):
    found = [str(p) for p in validate_text(BASE + f"\n[lint]\n{lint}\n", filename="s").errors]
    assert any(message in p for p in found), found


def test_report_allowing_drops_only_the_named_warnings():
    text, _ = BREAKS["ambiguous-event"]
    report = validate_text(text.replace('"A."', '"TODO"'), filename="s")
    assert {p.rule for p in report.warnings} == {"ambiguous-event", "todo-placeholder"}
    assert [p.rule for p in report.allowing({"ambiguous-event"}).problems] == [
        "todo-placeholder"]
    broken = validate_text(BREAKS["unknown-status"][0], filename="s")
    assert broken.allowing({"unknown-status"}).errors == broken.errors


def test_allowed_rules_accepts_names_and_codes_and_refuses_the_rest():
    assert allowed_rules(["SD202", "duplicate-tag"], "w") == {"no-way-out", "duplicate-tag"}
    with pytest.raises(ValueError, match=r"w: unknown rule 'no-way' \(did you mean"):
        allowed_rules(["no-way"], "w")
    with pytest.raises(ValueError, match="w: rule SD102 unknown-key is an error"):
        allowed_rules(["unknown-key"], "w")


def test_the_schema_lists_exactly_the_warning_rules_for_lint_allow():
    items = build_schema()["properties"]["lint"]["properties"]["allow"]["items"]["enum"]
    warnings = [r for r in RULES if r.severity == "warning"]
    assert set(items) == {r.name for r in warnings} | {r.code for r in warnings}
    validator = jsonschema.Draft202012Validator(build_schema())
    data = {"machine": {"name": "m", "initial": "a"}, "states": {"a": {}}}
    validator.validate({**data, "lint": {"allow": ["ambiguous-event", "SD204"]}})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**data, "lint": {"allow": ["unknown-status"]}})


# ------------------------------------------------------------- generated docs


def _blocks() -> dict[str, str]:
    text = (ROOT / "docs" / "spec.rst").read_text("utf-8")
    found = re.findall(r"(?ms)^\.\. generated: ([\w -]+)\n\n(.*?)\n^\.\. end generated\n", text)
    return dict(found)


def test_the_docs_show_the_current_rule_and_key_tables():
    blocks = _blocks()
    hint = "run: python tools/sync_spec_docs.py"
    assert blocks.get("rules") == rules_rst(), hint
    for name, section in K.DOCUMENTED.items():
        assert blocks.get(f"keys {name}") == K.keys_rst(section), hint
    assert set(blocks) == {"rules", *(f"keys {name}" for name in K.DOCUMENTED)}
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_spec_docs.py"), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout


def test_every_key_of_the_tables_is_in_the_schema_and_the_docs():
    schema = json.dumps(build_schema())
    blocks = "".join(_blocks().values())
    for section in K.DOCUMENTED.values():
        for key in section.keys:
            assert f'"{key.name}"' in schema and f"``{key.name}``" in blocks, key.name


# ------------------------------------------------------------------ fast path

_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["go", " go", "go ", "\xa0TODO later", "TODO", "todo: x", "a:b", "x" * 199,
                     "x" * 200, "x" * 201, "line\nbreak", "tab\there", "\x85", "..", ""]),
)


def _entry_problems(key: str, value: str, slow: bool) -> tuple[list[str], object]:
    entry = {"from": "a", "to": "b", key: value}
    if slow:
        entry["tags"] = []  # a key outside the fast path's set: the full path reads it
    data = {"machine": {"name": "m", "initial": "a"},
            "states": {"a": {}, "b": {"final": True}}, "transitions": [entry]}
    report = validate_text(json.dumps(data), "json", filename="s")
    machine = report.machine
    return [str(p) for p in report.problems], machine and machine.rules


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(["label", "event", "description"]), value=_TEXT)
def test_fast_and_full_path_agree_on_every_transition(key, value):
    assert _entry_problems(key, value, slow=False) == _entry_problems(key, value, slow=True)
