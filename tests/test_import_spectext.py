"""The spec an import writes (issue 13, budgets): written a table at a time, each
imported edge let go once written, and checked part by part, it is the text the
whole writer writes and it has the problems the whole check finds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from cli_support import run
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.errors import Problem
from statusdoc.importers import Imported, render_spec
from statusdoc.importers.dot import import_dot_text
from statusdoc.importers.mermaid import import_mermaid_text
from statusdoc.importers.spectext import HEADER, RUN
from statusdoc.spec.api import validate_text
from statusdoc.spec.dump import dump


def whole_text(imported: Imported, fmt: str = "toml") -> str:
    """The spec as written whole: its data, then the text."""
    return dump(imported.to_data(), fmt, header=HEADER.format(source=imported.source))


def whole_problems(text: str, fmt: str = "toml") -> list[str]:
    """What the whole check of ``text`` finds, as ``render_spec`` lists it."""
    def shown(p: Problem) -> str:
        return f"{p.severity}: {p.path}: {p.message}" if p.path else f"{p.severity}: {p.message}"

    def placeholder(p: Problem) -> bool:
        return p.severity == "warning" and p.path.endswith(".description") and "TODO" in p.message

    report = validate_text(text, fmt, filename=f"<imported {fmt}>", build=False)
    return [shown(p) for p in report.problems if not placeholder(p)]


def assert_written_alike(source: str, make: object,
                         fmt: str = "toml") -> tuple[str, list[str], Imported]:
    """``source`` imported twice (``make``): written in parts and written whole alike,
    with the problems of the whole check; returns the first's text, problems, import."""
    assert callable(make)
    first, second = make(source), make(source)
    text, problems = render_spec(first, fmt)
    second.diagram = first.diagram  # as render_spec left it (attributes it dropped)
    assert text == whole_text(second, fmt)
    dropped = first.notes[len(second.notes):]
    assert first.notes[:len(second.notes)] == second.notes
    assert all(n.startswith("note: diagram attribute ") for n in dropped)
    assert first.taken == len(second.edges) and first.edges == []
    assert problems == whole_problems(text, fmt)
    return text, problems, first


def dot(text: str) -> Imported:
    return import_dot_text(text, source="big.dot")


def mermaid(text: str) -> Imported:
    return import_mermaid_text(text, source="big.mmd")


@st.composite
def big_dots(draw: st.DrawFn) -> str:
    """A DOT file of a few runs of edges: labels, tags, duplicates, styles, clusters."""
    nodes = draw(st.integers(2, 40))
    edges = draw(st.integers(RUN - 5, 2 * RUN + 20))
    lines = ["digraph G {", "  rankdir=LR;", '  node [shape=box];', '  "" -> s0;']
    if draw(st.booleans()):
        lines.append('  subgraph cluster_late { label="Late"; s1; s2; }')
    styles = draw(st.lists(st.sampled_from(["", "color=red", "style=dashed", "penwidth=9999",
                                            "id=x", "fontname=\"a\\\" b\""]),
                           min_size=1, max_size=3))
    for j in range(edges):
        a = draw(st.integers(0, nodes - 1))
        b = draw(st.integers(0, nodes - 1))
        label = draw(st.sampled_from(["", f"t{j}", "[v1] go", "go", "x" * 250]))
        attrs = [f'label="{label}"'] if label else []
        style = styles[j % len(styles)]
        attrs += [style] if style else []
        lines.append(f"  s{a} -> s{b}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    return "\n".join([*lines, "}"]) + "\n"


@settings(max_examples=25, deadline=None)
@given(big_dots(), st.sampled_from(["toml", "yaml"]))
def test_dot_imports_are_written_and_checked_as_whole(text: str, fmt: str) -> None:
    assert_written_alike(text, dot, fmt)


@pytest.mark.parametrize("fmt", ["toml", "yaml"])
def test_a_problem_in_a_late_part_is_found(fmt: str) -> None:
    edges = [f"  s{j % 50} -> s{(j + 1) % 50} [label=\"t{j}\"];" for j in range(3 * RUN)]
    edges[2 * RUN + 7] = f'  s3 -> s4 [label="{"x" * 201}"];'  # too long for a label
    source = "\n".join(['digraph {', '  "" -> s0;', *edges, "}"])
    text, problems, imported = assert_written_alike(source, dot, fmt)
    assert problems == [f"error: transitions[{2 * RUN + 7}].label: label too long "
                        "(201 characters, at most 200)"]
    assert imported.taken == 3 * RUN
    if fmt == "toml":
        tomllib.loads(text)  # written all the same, for the user to fix
    else:
        assert len(yaml.safe_load(text)["transitions"]) == 3 * RUN


@pytest.mark.parametrize("fmt", ["toml", "yaml"])
def test_mermaid_imports_are_written_and_checked_as_whole(fmt: str) -> None:
    lines = ["stateDiagram-v2", "[*] --> a0"]
    lines += [f"a{i % 300} --> a{(i * 7 + 1) % 300} : step {i}" for i in range(2 * RUN + 3)]
    lines += ["a1 --> a2 : step 1", "a5 --> [*]", "state Waiting {", "  w1 --> w2", "}"]
    assert_written_alike("\n".join(lines), mermaid, fmt)


@pytest.mark.parametrize("fmt", ["toml", "yaml"])
def test_diagram_attributes_dropped_on_a_later_attempt_are_dropped_alike(fmt: str) -> None:
    edges = [f"  s{j % 9} -> s{(j + 2) % 9} [label=\"t{j}\"];" for j in range(RUN + 9)]
    source = "\n".join(["digraph {", "  node [width=100000, shape=box];", '  "" -> s0;',
                        *edges, "}"])
    text, _problems, imported = assert_written_alike(source, dot, fmt)
    assert "width" not in text and imported.diagram == {"node": {"shape": "box"}}


def test_the_edges_are_written_once() -> None:
    imported = dot('digraph { "" -> a; a -> b; a -> b }')
    render_spec(imported)
    assert imported.taken == 1 and imported.edges == []
    with pytest.raises(ValueError, match="written already"):
        render_spec(imported)


def test_cli_counts_the_transitions_it_wrote(tmp_path: Path) -> None:
    edges = "\n".join(f"  s{j % 30} -> s{(j + 1) % 30} [label=t{j}];" for j in range(RUN + 40))
    (tmp_path / "big.dot").write_text(
        f'digraph {{\n  "" -> s0;\n{edges}\n  s0 -> s1 [label=t0];\n}}\n')
    out = run(["import", "big.dot", "-o", "big.toml"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"wrote big.toml: 30 statuses, {RUN + 40} transitions" in out.stderr
    assert "duplicate transition 's0' -> 's1' (t0) imported once" in out.stderr
    assert (tmp_path / "big.toml").read_text("utf-8") == whole_text(dot(
        (tmp_path / "big.dot").read_text("utf-8")))


def test_a_yaml_spec_is_checked_in_parts() -> None:
    """The YAML an import writes is checked part by part (not whole), with the
    whole check's problems, and its parts read alone as they do in the whole."""
    from statusdoc.importers.spectext import _is_placeholder_warning, _with_yaml_diagram, _yaml_body
    from statusdoc.spec.parts import check_parts

    edges = [f"  s{j % 40} -> s{(j + 3) % 40} [label=\"t{j}\"];" for j in range(2 * RUN + 5)]
    edges[RUN + 3] = f'  s1 -> s2 [label="{"y" * 201}"];'  # too long for a label
    imported = dot("\n".join(["digraph {", "  rankdir=LR;", '  "" -> s0;', *edges, "}"]))
    body, parts = _yaml_body(imported, imported.take_edges(), "h")
    text, starts = _with_yaml_diagram(body, parts, imported.diagram)
    assert len(starts) == 4  # three runs of transitions, then the diagram
    found = check_parts(text, starts, "x.yaml", _is_placeholder_warning, "yaml")
    assert found is not None
    whole = validate_text(text, "yaml", filename="x.yaml", build=False,
                          unwanted=_is_placeholder_warning)
    assert sorted(map(str, found)) == sorted(map(str, whole.problems))
    line = text[:text.index("label: yyy")].count("\n") + 1
    assert [(p.path, p.line) for p in found] == [(f"transitions[{RUN + 3}].label", line)]

