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
from statusdoc.importers.mermaid import import_mermaid_text
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
