"""Round trips: DOT -> import -> spec -> emit_dot -> import gives the same statuses and edges."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.emit.dot import emit_dot
from statusdoc.importers import render_spec
from statusdoc.importers.dot import import_dot_text
from statusdoc.spec.api import load, loads

EXAMPLES = Path(__file__).parent.parent / "examples"

# One-line text without control characters or surrounding blanks: what a spec accepts.
WORD = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda s: s == s.strip() and s == " ".join(s.split()))


def quote(text: str) -> str:
    """How a person writes any text as a quoted DOT string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def legacy_graphs(draw: st.DrawFn) -> tuple[list[str], list[tuple[str, str, str]]]:
    # "*" is reserved for wildcard sources (SD122 reserved-name): no status has it
    states = draw(st.lists(WORD.filter(lambda s: s != "*"), min_size=1, max_size=6, unique=True))
    edges = [(states[i - 1], states[i], draw(st.one_of(st.just(""), WORD)))
             for i in range(1, len(states))]  # every status reachable
    extra = draw(st.lists(st.tuples(st.sampled_from(states), st.sampled_from(states),
                                    st.one_of(st.just(""), WORD)), max_size=6))
    return states, edges + extra


def legacy_dot(states: list[str], edges: list[tuple[str, str, str]]) -> str:
    lines = ["// a hand-kept diagram", "digraph {", '  "" -> ' + quote(states[0]) + ";"]
    lines += [f"  {quote(s)};" for s in states]
    for src, dst, label in edges:
        attr = f" [label={quote(label)}]" if label else ""
        lines.append(f"  {quote(src)} -> {quote(dst)}{attr};")
    return "\n".join([*lines, "}"]) + "\n"


def shape(machine_dot: str) -> tuple[list[str], Counter[tuple[str, str, str]]]:
    parsed = import_dot_text(machine_dot, tags=False)
    return parsed.states, Counter((e.source, e.target, e.label) for e in parsed.edges)


@settings(max_examples=40, deadline=None)
@given(legacy_graphs())
def test_hostile_names_and_labels_survive_import_and_regeneration(graph) -> None:
    states, edges = graph
    imported = import_dot_text(legacy_dot(states, edges), source="legacy.dot")
    text, problems = render_spec(imported, "toml")
    assert problems == []
    machine = loads(text, "toml")
    assert list(machine.state_names) == states
    expected = Counter(dict.fromkeys(edges, 1))  # exact duplicates are imported once
    assert Counter((t.source, t.target, t.label) for t in machine.transitions) == expected
    again_states, again_edges = shape(emit_dot(machine, source_name="spec.toml"))
    assert again_states == states
    assert again_edges == expected


def test_the_example_spec_survives_emit_and_import_with_its_wildcard() -> None:
    machine = load(EXAMPLES / "glance" / "image-statuses.toml")
    imported = import_dot_text(emit_dot(machine, source_name="x"), source="image.dot")
    text, problems = render_spec(imported, "yaml")
    assert problems == []
    again = loads(text, "yaml")
    assert again.state_names == machine.state_names
    assert again.initial == machine.initial and again.initial_label == machine.initial_label
    assert [s.name for s in again.states if s.final] == [s.name for s in machine.states if s.final]
    assert sorted((t.source, t.target, t.label) for t in again.transitions) == sorted(
        (t.source, t.target, t.label) for t in machine.transitions
    )
    assert [r.wildcard for r in again.rules].count(True) == 1
    notes = "\n".join(imported.notes)
    assert "statusdoc legend not imported" in notes
    assert "point-shaped node '__statusdoc_legend" not in notes


DOT_PIECES = st.sampled_from([
    "digraph", "graph", "strict", "{", "}", "[", "]", ";", ",", "=", "->", "--", '""', '"a b"',
    "a", "b", "node", "edge", "subgraph", "cluster_x", "label", "shape", "point", "<", ">",
    "<<b>x</b>>", "//c\n", "/*", "*/", "#x\n", "\n", '"\\"', "\\", ":", "p", "é", "\x00",
])


FUZZ_DOT = st.one_of(
    st.lists(DOT_PIECES, max_size=25).map(" ".join),
    st.lists(DOT_PIECES, max_size=20).map(lambda parts: "digraph { " + " ".join(parts) + " }"),
)


@settings(max_examples=80, deadline=None)
@given(FUZZ_DOT)
def test_any_dot_text_imports_or_fails_with_import_failure(text: str) -> None:
    from statusdoc.importers import ImportFailure

    try:
        imported = import_dot_text(text, source="fuzz.dot")
    except ImportFailure as exc:
        assert str(exc).startswith("fuzz.dot: ")
        return
    spec, _problems = render_spec(imported, "toml")  # never raises either
    assert spec.startswith("# Imported from fuzz.dot")
