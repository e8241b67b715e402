"""YAML specs read from PyYAML's events and JSON positions found on demand (issue 13,
budgets): the same data, lines and messages as the composed node tree gave, without
holding it or a line per key of a valid spec."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from statusdoc.spec.api import validate_text
from statusdoc.spec.checker import Checker
from statusdoc.spec.load import Document, ParseFailure, _prepare, parse_document
from statusdoc.spec.positions import KeyPath, Positions
from statusdoc.spec.yamlload import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
LOADERS = [yaml.CSafeLoader, yaml.SafeLoader]


_KEYS = yaml.SafeLoader("")  # constructs a key node's value


def _tree_lines(node: Any, path: KeyPath, lines: dict[KeyPath, int]) -> None:
    """The line of every key path, from PyYAML's composed tree (the old way)."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = (*path, _KEYS.construct_object(key, deep=True))
            lines.setdefault(key_path, key.start_mark.line + 1)
            _tree_lines(value, key_path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _tree_lines(item, (*path, index), lines)


def _yaml_texts() -> list[tuple[str, str]]:
    """Every YAML fixture, and every TOML corpus spec and example written as YAML."""
    texts = []
    for path in sorted([*ROOT.glob("tests/**/*.yaml"), *ROOT.glob("examples/**/*.yaml")]):
        try:
            texts.append((path.name, _prepare(path.read_bytes())))
        except ParseFailure:
            continue
    for path in sorted([*ROOT.glob("tests/corpus/**/*.toml"), *ROOT.glob("examples/*/*.toml")]):
        if "deep" in path.name or "dotted-key" in path.name:
            continue  # nested past what the reference parsers handle
        try:
            data = tomllib.loads(path.read_text("utf-8"))
            texts.append((path.name + ".yaml", yaml.safe_dump(data, sort_keys=False)))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError, RecursionError):
            continue  # not TOML, or nested past what the reference parsers handle
    return texts


@pytest.mark.parametrize("loader", LOADERS)
def test_events_give_the_data_and_lines_of_the_node_tree(loader: type) -> None:
    checked = 0
    for name, text in _yaml_texts():
        if loader is yaml.SafeLoader and len(text) > 4_000:
            continue  # the pure Python parser is slow; the small files cover its paths
        try:
            document, problems = parse_yaml(text, name, loader)
            tree = yaml.compose(text, Loader=yaml.CSafeLoader)
            reference = yaml.load(text, Loader=yaml.CSafeLoader)
        except (ParseFailure, yaml.YAMLError):
            continue
        if problems or document is None or tree is None:
            continue
        assert document.data == reference, name
        expected: dict[KeyPath, int] = {}
        _tree_lines(tree, (), expected)
        for path, line in expected.items():
            assert document.positions.exact(path) == line, (name, path)
        checked += 1
    assert checked >= 60


def test_a_valid_spec_keeps_no_line_per_key() -> None:
    """Only the top two levels are recorded; a deeper line is found when asked."""
    text = ("machine:\n  name: m\n  initial: a\nstates:\n  a: {}\n  b:\n    final: true\n"
            "transitions:\n  - from: a\n    to: b\n    tags: [x, y]\n")
    for fmt, body in (("yaml", text), ("json", json.dumps(yaml.safe_load(text), indent=1))):
        document, problems = parse_document(body, fmt, "m")
        assert document is not None and not problems
        assert document.positions._lines == {}  # nothing recorded per key yet
        lines = body.split("\n")
        b_line = next(n for n, line in enumerate(lines, 1) if line.strip()[:4] in ('b:', '"b":'))
        assert document.positions.quick(("states", "b")) == b_line
        assert document.positions.quick(("transitions", 0)) > 0
        assert document.positions._lines == {}  # answered from the top two levels
        tag_line = document.positions.exact(("transitions", 0, "tags"))
        assert '"tags"' in lines[tag_line - 1] or "tags:" in lines[tag_line - 1]
        assert document.positions._lines  # read once, when asked


def test_json_problem_lines_and_duplicates() -> None:
    text = ('{\n "machine": {"name": "m", "initial": "a"},\n "states": {\n  "a": {},\n'
            '  "b": {"final": true, "label": 5}\n },\n "transitions": [\n'
            '  {"from": "a", "to": "b"},\n  {"from": "a",\n   "to": "zz"}\n ]\n}\n')
    report = validate_text(text, "json", filename="m.json")
    assert [(p.line, p.path) for p in report.errors] == [
        (5, "states.b.label"), (10, "transitions[1].to")]
    duplicated = text.replace('"label": 5', '"final": false')
    report = validate_text(duplicated, "json", filename="m.json")
    assert [(p.line, p.message) for p in report.errors] == [
        (5, "duplicate key 'final'"), (10, "unknown status 'zz'")]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: &x [1]\nb: *x\n", 1, "YAML anchors and aliases are not supported"),
    ("a: &x\n  - 1\nb:\n  c: *x\n", 1, "(the node anchored at line 1 is reused)"),
    ("&k a: 1\n*k : 2\n", 1, "YAML anchors and aliases are not supported"),  # as a key too
    ("a: !!set {b, c}\n", 1, "YAML tag '!!set' is not allowed"),
    ("a:\n  b: !custom 1\n", 2, "YAML tag '!custom' is not allowed"),
    ("!!python/name:os.system : x\n", 1, "YAML tag '!!python/name:os.system' is not allowed"),
    ("a: 1\n<<: {b: 1}\n", 2, "YAML merge keys ('<<') are not supported"),
    ("? [a]\n: 1\n", 1, "mapping keys must be plain strings"),
    ("a: " + "9" * 5000 + "\n", 1, "invalid YAML value: Exceeds the limit (4300 digits)"),
    ("a: 2020-13-45\n", 1, "invalid YAML value: month must be in 1..12"),
    ("a:" + " [" * 65 + " ]" * 65 + "\n", 1, "nesting too deep (at most 64 levels)"),
    # a syntax error later in the text wins over a refused alias before it
    ("a: &x 1\nb: *x\nc: [1, 2\n", 4, "YAML syntax error"),
    ("a: 1\n---\nb: 2\n", 2, "YAML syntax error: expected a single document in the stream"),
    ("a: &x 1\nb: &x 2\n", 2, "YAML syntax error: found duplicate anchor"),
    ("a: *nope\n", 1, "YAML syntax error: found undefined alias"),
    ("a: \x07\n", 1, "YAML error: character U+0007 is not allowed in YAML (line 1, column 4)"),
])
def test_refusals_keep_their_lines_and_messages(loader: type, text: str, line: int,
                                                message: str) -> None:
    with pytest.raises(ParseFailure) as failed:
        parse_yaml(_prepare(text), "s", loader)
    assert failed.value.line == line
    assert message in failed.value.message


def test_an_unused_anchor_and_a_duplicate_key_with_a_nested_value() -> None:
    text = "a: &x 1\nb: 2\nb:\n  c: [1, {d: [2, 3]}]\n  e: *x\nf: 3\n"
    for loader in LOADERS:
        document, problems = parse_yaml(text, "s", loader)
        assert document is not None
        assert document.data == {"a": 1, "b": 2, "f": 3}
        assert [(p.line, p.message) for p in problems] == [(3, "duplicate key 'b'")]
        assert document.positions.line(("f",)) == 6


def test_the_composers_messages_name_the_anchor_as_each_composer_did() -> None:
    """libyaml's composer does not name an undefined alias; PyYAML's does."""
    messages = []
    for loader in LOADERS:
        with pytest.raises(ParseFailure) as failed:
            parse_yaml("a: *nope\n", "s", loader)
        messages.append(failed.value.message)
    assert messages == ["YAML syntax error: found undefined alias (line 1, column 4)",
                        "YAML syntax error: found undefined alias 'nope' (line 1, column 4)"]


def test_a_dropped_warning_is_never_located() -> None:
    """The checker asks ``unwanted`` first: locating a YAML or JSON key can read
    the whole text again, for a warning the caller drops anyway."""
    located: list[KeyPath] = []

    def locate(path: KeyPath) -> int:
        located.append(path)
        return 7

    check = Checker(Document(None, "s", "yaml", locate, Positions()),
                    unwanted=lambda problem: problem.rule == "no-way-out")
    check.report(("states", "a"), "a warning dropped", "no-way-out")
    check.report(("states", "b"), "an error kept", "unknown-status")
    assert located == [("states", "b")]
    assert [(p.line, p.message) for p in check.problems] == [(7, "an error kept")]
