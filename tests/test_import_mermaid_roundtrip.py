"""Round trips: spec -> emit_mermaid -> import -> spec keeps statuses, transitions,
initial and finals; and no Mermaid text makes the importer raise anything but
ImportFailure."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_import_roundtrip import WORD

from statusdoc.emit.mermaid import emit_mermaid
from statusdoc.importers import ImportFailure, render_spec
from statusdoc.importers.mermaid import Scope, import_mermaid_text, wildcard_scope
from statusdoc.spec.api import load, loads
from statusdoc.spec.dump import dump
from statusdoc.spec.model import Machine

EXAMPLES = Path(__file__).parent.parent / "examples"


def edge_counts(machine: Machine) -> Counter[tuple[str, str, str]]:
    return Counter((t.source, t.target, t.label) for t in machine.transitions)


def reimport(machine: Machine, *, notes: bool) -> tuple[Machine, list[str], list[str]]:
    """The machine read back from the Mermaid statusdoc writes for ``machine``."""
    text = emit_mermaid(machine, source_name="spec.toml", notes=notes)
    imported = import_mermaid_text(text, source="spec.mmd", name=machine.name)
    spec, problems = render_spec(imported, "toml")
    return loads(spec, "toml"), problems, imported.notes


def assert_same_shape(again: Machine, machine: Machine) -> None:
    assert again.state_names == machine.state_names
    assert again.initial == machine.initial
    assert again.initial_label == machine.initial_label
    assert [s.final for s in again.states] == [s.final for s in machine.states]
    assert edge_counts(again) == edge_counts(machine)


@pytest.mark.parametrize("spec", ["glance/image-statuses.toml", "baremetal/node-states.toml"])
@pytest.mark.parametrize("notes", [False, True])
def test_the_examples_survive_emit_mermaid_and_import(spec: str, notes: bool) -> None:
    machine = load(EXAMPLES / spec)
    again, problems, import_notes = reimport(machine, notes=notes)
    assert problems == []
    assert_same_shape(again, machine)
    # The "any non-final status" pseudo-state is read back as the wildcard rule.
    assert [r.wildcard for r in again.rules].count(True) == 1
    assert "note: Mermaid written by statusdoc: status names are the labels of its s0, s1, " \
           "... states" in import_notes
    if notes:
        for before, after in zip(machine.states, again.states, strict=True):
            assert after.description == " ".join(before.description.split())


@st.composite
def machines(draw: st.DrawFn) -> tuple[dict, bool]:
    """Spec data with hostile names and labels, and whether to emit notes."""
    # '*' is reserved for wildcard sources (SD122 reserved-name): no status has it
    names = draw(st.lists(WORD.filter(lambda s: s != "*"), min_size=2, max_size=6, unique=True))
    label = st.one_of(st.just(""), WORD)
    moves = {(names[i - 1], names[i], draw(label)) for i in range(1, len(names))}
    moves |= set(draw(st.lists(st.tuples(st.sampled_from(names[:-1]), st.sampled_from(names),
                                         label), max_size=6)))
    leaving = {src for src, _dst, _label in moves}
    states = {}
    for name in names:
        body = {"description": draw(WORD)}
        if name not in leaving:
            body["final"] = True
        states[name] = body
    transitions = []
    for src, dst, text in sorted(moves):
        entry = {"from": src, "to": dst}
        if text:
            entry["label"] = text
        transitions.append(entry)
    machine = {"name": "m", "title": "M", "initial": names[0]}
    if draw(st.booleans()):
        machine["initial_label"] = draw(WORD)
    data = {"machine": machine, "states": states, "transitions": transitions,
            "diagram": {"wildcards": draw(st.sampled_from(["group", "expand"]))}}
    if draw(st.booleans()):  # a wildcard whose label no explicit move into its target has
        taken = {text for _src, dst, text in moves if dst == names[-1]}
        wild = draw(WORD.filter(lambda text: text not in taken))
        transitions.append({"from": "*", "to": names[-1], "label": wild})
    return data, draw(st.booleans())


@settings(max_examples=60, deadline=None)
@given(machines())
def test_generated_machines_survive_emit_mermaid_and_import(case: tuple[dict, bool]) -> None:
    data, notes = case
    machine = loads(dump(data, "toml"), "toml")
    again, problems, _notes = reimport(machine, notes=notes)
    assert not [p for p in problems if p.startswith("error")], problems
    assert_same_shape(again, machine)
    if notes:
        assert [s.description for s in again.states] == [
            " ".join(s.description.split()) for s in machine.states
        ]


MERMAID_PIECES = st.sampled_from([
    "stateDiagram-v2", "stateDiagram", "state", '"x y"', "as", "{", "}", "[*]", "-->", ":",
    ":::", "c", "note", "left of", "right of", "end note", "classDef", "class", "style",
    "%%", "%%{", "}%%", "--", "direction", "LR", "<<choice>>", "[[fork]]", "#34;",
    "#99999999999999999999;", "#quot;", "<br>", "a", "b", "é", "\x00", "---", "title:",
    "accTitle:", "accDescr {", "hide empty description", "scale", ",", "\n", "\n", "\n",
    "s0", "s1", "statusdoc_wildcard", "default", "fill:#f00", "stroke-width:2px",
])


FUZZ_MERMAID = st.one_of(
    st.lists(MERMAID_PIECES, max_size=30).map(" ".join),
    st.lists(MERMAID_PIECES, max_size=30).map(lambda parts: "stateDiagram-v2\n" + " ".join(parts)),
)


@settings(max_examples=150, deadline=None)
@given(FUZZ_MERMAID)
def test_any_mermaid_text_imports_or_fails_with_a_located_import_failure(text: str) -> None:
    try:
        imported = import_mermaid_text(text, source="fuzz.mmd")
    except ImportFailure as exc:
        assert str(exc).startswith("fuzz.mmd:"), exc
        return
    spec, _problems = render_spec(imported, "toml")  # never raises either
    assert spec.startswith("# Imported from fuzz.mmd")


def test_big_and_deeply_nested_diagrams_import() -> None:
    depth, width = 3_000, 20_000
    lines = ["stateDiagram-v2", "[*] --> a0"]
    lines += [f"state g{i} {{" for i in range(depth)]
    lines += [f"a{i} --> a{i + 1} : step #34;{i}#34;" for i in range(width)]
    lines += ["}"] * depth
    lines.append(f"a{width} --> [*]")
    imported = import_mermaid_text("\n".join(lines), source="big.mmd")
    assert len(imported.states) == width + 1 and len(imported.edges) == width
    assert imported.edges[-1].label == f'step "{width - 1}"'
    assert imported.state_group["a5"] == f"g{depth - 1}"
    assert imported.groups[f"g{depth - 1}"].parent == f"g{depth - 2}"
    assert imported.finals == {f"a{width}"} and imported.initial == "a0"


# -- statusdoc's own issue-10 constructs read back ----------------------------------


def _groups_by_title(machine: Machine) -> dict[str, str]:
    """Status -> the title of its group (group names do not travel: Mermaid has titles)."""
    titles = {g.name: g.title for g in machine.groups}
    return {s.name: titles[s.group] for s in machine.states if s.group is not None}


@pytest.mark.parametrize("spec", ["volume/volume-statuses.toml",
                                  "taskinstance/task-instance-statuses.toml",
                                  "order/order-statuses.toml"])
def test_entries_deprecated_groups_wildcards_and_returns_survive_mermaid(spec: str) -> None:
    machine = load(EXAMPLES / spec)
    again, problems, notes = reimport(machine, notes=False)
    assert not [p for p in problems if p.startswith("error")], problems
    assert again.state_names == machine.state_names
    assert again.entries == machine.entries
    assert [s.final for s in again.states] == [s.final for s in machine.states]
    assert [bool(s.deprecated) for s in again.states] == [bool(s.deprecated)
                                                         for s in machine.states]
    assert _groups_by_title(again) == _groups_by_title(machine)
    pairs = Counter((t.source, t.target) for t in machine.transitions)
    assert Counter((t.source, t.target) for t in again.transitions) == pairs
    # the rules themselves, not only their expansion: wildcards stay scoped, returns stay
    # returns (one rule each, as statusdoc draws one pseudo-state per rule)
    def shape(m: Machine) -> list[tuple[object, ...]]:
        return sorted((r.wildcard, r.group is not None, tuple(r.excluded), r.include_final,
                       r.returns) for r in m.rules if r.wildcard or r.group or r.returns)
    assert shape(again) == shape(machine)
    assert not [n for n in notes if "not read" in n or ("not imported" in n
                and "comment" not in n)], notes


def test_a_wildcard_label_statusdoc_did_not_write_is_noted_and_read_as_any_status() -> None:
    text = """stateDiagram-v2
    [*] --> a
    a --> b
    state "every status but the last" as w1
    w1 --> b : reset
    class w1 statusdoc_wildcard
"""
    imported = import_mermaid_text(text, source="x.mmd")
    assert [(e.source, e.target, e.excluded) for e in imported.edges] == [
        ("a", "b", ()), ("*", "b", ())]
    assert any("scope 'every status but the last'" in n and "not read" in n
               for n in imported.notes), imported.notes


@pytest.mark.parametrize(("label", "expected"), [
    ("any status", Scope()),
    ("any non-final status", Scope()),
    ("any status (final statuses included)", Scope(include_final=True)),
    ("any status in Errors except a, b c and d", Scope("errors", ("a", "b c", "d"))),
    ("any non-final status in Errors except and", Scope("errors", ("and",))),
    ("any status in Errors except x", Scope("errors", ("x",))),
    ("any status in Errors except x (final statuses included)",
     Scope("errors", ("x",), include_final=True)),
    ("any non-final status (final statuses included)", None),
    ("any status in Other", None),
    ("any status except nobody", None),
    ("any statuses", None),
])
def test_wildcard_scopes_are_read_as_statusdoc_words_them(label: str,
                                                          expected: Scope | None) -> None:
    statuses = {n: n for n in ("a", "b c", "d", "and", "x")}
    assert wildcard_scope(label, {"Errors": "errors"}, statuses) == expected


def test_the_deprecated_class_marks_a_status_deprecated_not_tagged() -> None:
    text = """stateDiagram-v2
    [*] --> a
    a --> b
    classDef deprecated fill: #EEEEEE
    class c deprecated
    state c
"""
    imported = import_mermaid_text(text, source="x.mmd")
    assert imported.deprecated == {"c"} and "c" not in imported.state_tags
    assert any("classDef deprecated not imported" in n for n in imported.notes)
    spec, problems = render_spec(imported, "toml")
    assert "deprecated = true" in spec
    assert not [p for p in problems if "unreachable" in p], problems
