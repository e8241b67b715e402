"""The DOT emitter: structure, escaping, styles, legend, wildcards; parsed by pydot, drawn
by the real graphviz-pure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from emit_support import (
    GLANCE_NAME,
    ROOT,
    by_class,
    glance,
    machine,
    parse_dot,
    render,
    svg_nodes,
)

from statusdoc.emit.dot import UnsafeAttributeError, emit_dot, font_family, unrenderable_labels
from statusdoc.emit.escape import dot_id, dot_label
from statusdoc.spec.model import DiagramStyle, Machine, State, Transition, TransitionRule


def test_glance_dot_structure() -> None:
    m = glance()
    text = emit_dot(m, source_name=GLANCE_NAME)
    assert text.startswith(f"// generated from {GLANCE_NAME} — edit the spec, not this file\n")
    parsed = parse_dot(text)
    states = by_class(parsed, "statusdoc-state")[0]
    edges = by_class(parsed, "statusdoc-transition")[1]
    assert list(states) == list(m.state_names)
    assert states["deleted"]["peripheries"] == '"2"'
    assert "peripheries" not in states["queued"]
    start, entry = by_class(parsed, "statusdoc-initial")
    assert [a["shape"] for a in start.values()] == ['"point"']
    assert [(e[1], e[2]["label"]) for e in entry] == [("queued", '"create image"')]
    v2 = [e for e in edges if e[:2] == ("active", "queued")]
    assert v2 and v2[0][2]["style"] == '"dashed"'
    # wildcard "group": one note and one arrow, not one arrow per status
    notes, wild = by_class(parsed, "statusdoc-wildcard")
    assert len(notes) == 1 and [(e[1], e[2]["label"]) for e in wild] == [("deleted", '"delete"')]
    assert not [e for e in edges if e[2].get("label") == '"delete"']
    legend, legend_edges = by_class(parsed, "statusdoc-legend")
    assert [a["label"] for a in legend.values() if a.get("label", '""') != '""'] == [
        '"API v2 only"']  # the text beside the sample arrow
    assert [e[2]["style"] for e in legend_edges] == ['"dashed"']
    named = [s.get_name() for s in parsed["graph"].get_subgraphs() if s.get_name()]
    assert named == ['"cluster_statusdoc_legend"']  # the others are the rows' rank=same sets


def test_glance_renders_to_png_and_svg_with_graphviz_pure() -> None:
    text = emit_dot(glance(), source_name=GLANCE_NAME)
    png = render(text, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    drawn = svg_nodes(render(text, "svg"))
    texts = {t for _c, t in drawn.values()}
    assert {"queued", "pending_delete", "create image", "any non-final status",
            "API v2 only", "remove last location"} <= texts


def test_expand_mode_draws_every_wildcard_edge() -> None:
    data = {
        "machine": {"name": "job", "initial": "a"},
        "states": {"a": {}, "b": {}, "c": {}, "x": {"final": True}},
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"},
                        {"from": "*", "to": "x", "label": "abort"}],
        "diagram": {"wildcards": "expand"},
    }
    parsed = parse_dot(emit_dot(machine(data), source_name="s"))
    edges = by_class(parsed, "statusdoc-transition")[1]
    assert sorted(e[0] for e in edges if e[2].get("label") == '"abort"') == ["a", "b", "c"]
    assert by_class(parsed, "statusdoc-wildcard") == ({}, [])
    data["diagram"]["wildcards"] = "group"
    grouped = parse_dot(emit_dot(machine(data), source_name="s"))
    assert len(by_class(grouped, "statusdoc-wildcard")[1]) == 1


def test_status_and_transition_ids_are_stable_hooks_in_the_svg() -> None:
    """Every status node is ``sd-s-<anchor>``, the edge of transitions[n] is ``sd-t-<n>``,
    a grouped wildcard's edge ``sd-w-<rule>``; Graphviz carries them onto the SVG."""
    from xml.etree import ElementTree as ET

    from statusdoc.emit.rst import status_anchors

    m = glance()
    text = emit_dot(m, source_name=GLANCE_NAME)
    parsed = parse_dot(text)
    states, _ = by_class(parsed, "statusdoc-state")
    anchors = status_anchors(m)
    assert {name: attrs["id"] for name, attrs in states.items()} == {
        name: f'"sd-s-{anchors[name]}"' for name in m.state_names
    }
    edges = by_class(parsed, "statusdoc-transition")[1]
    drawn = [i for i, t in enumerate(m.transitions) if not m.rules[t.rule].wildcard]
    assert [(e[0], e[1], e[2]["id"]) for e in edges] == [
        (m.transitions[i].source, m.transitions[i].target, f'"sd-t-{i}"') for i in drawn
    ]
    wild = [r.index for r in m.rules if r.wildcard]
    assert [e[2]["id"] for e in by_class(parsed, "statusdoc-wildcard")[1]] == [
        f'"sd-w-{r}"' for r in wild
    ]
    groups = {
        g.get("id"): g.get("class")
        for g in ET.fromstring(render(text, "svg")).iter("{http://www.w3.org/2000/svg}g")
    }
    for name in m.state_names:
        assert groups[f"sd-s-{anchors[name]}"] == "node statusdoc-state"
    for i in drawn:
        assert groups[f"sd-t-{i}"] == "edge statusdoc-transition"
    assert groups[f"sd-w-{wild[0]}"] == "edge statusdoc-wildcard"


KEYWORDS = ["node", "edge", "graph", "digraph", "subgraph", "strict", "Node", "NODE"]


def test_dot_keywords_and_hostile_names_are_safe_ids() -> None:
    names = [*KEYWORDS, 'q"uote', "back\\slash", "trail\\", "{rec|ord}", "<html>", "a;b",
             "a -> b", "// c", "/* c */", "#x", "é漢", "__statusdoc_start__"]
    data = {
        "machine": {"name": "k", "initial": names[0], "initial_label": "\\N \\G \\E"},
        "states": {n: {"label": f"L {n}"} for n in names},
        "transitions": [{"from": names[0], "to": n, "label": f"to {n} \\l"} for n in names[1:]],
    }
    m = machine(data)
    text = emit_dot(m, source_name="s")
    parsed = parse_dot(text)
    assert list(by_class(parsed, "statusdoc-state")[0]) == names
    start = list(by_class(parsed, "statusdoc-initial")[0])
    assert start == ["__statusdoc_start___"]  # moved aside for the status of that name
    drawn = {t for _c, t in svg_nodes(render(text)).values()}
    assert {f"L {n}" for n in names} <= drawn
    assert {f"to {n} \\l" for n in names[1:]} <= drawn
    assert "\\N \\G \\E" in drawn


def test_record_shape_cannot_take_fields_from_labels() -> None:
    data = {
        "machine": {"name": "r", "initial": "a"},
        "states": {"a": {"label": "{x|<p> y}"}, "b": {"final": True}},
        "transitions": [{"from": "a", "to": "b"}],
        "diagram": {"node": {"shape": "record"}},
    }
    drawn = svg_nodes(render(emit_dot(machine(data), source_name="s")))
    assert "{x|<p> y}" in {t for _c, t in drawn.values()}


@pytest.mark.parametrize(("text", "lines"), [
    ("a\nb", "a\nb"), ("tab\there", "tab\there"), ("amp &amp; lt &lt;", "amp &amp; lt &lt;"),
    ('"', '"'), ("\\", "\\"), ("x\\ny", "x\\ny"),
])
def test_dot_label_draws_exactly_the_text(text: str, lines: str) -> None:
    dot = f"digraph {{ n [label={dot_label(text)}, shape=box]; }}"
    drawn = [t for _c, t in svg_nodes(render(dot)).values()]
    assert drawn == [lines]


def test_dot_id_escapes_quotes_and_backslashes() -> None:
    assert dot_id('a"b') == '"a\\"b"'
    assert dot_id("a\\") == '"a\\\\"'
    assert dot_id("node") == '"node"'


def test_diagram_overrides_defaults_and_tags_style_states() -> None:
    data = {
        "machine": {"name": "s", "initial": "a"},
        "states": {"a": {"tags": ["hot"]}, "b": {"final": True}},
        "transitions": [{"from": "a", "to": "b"}],
        "diagram": {"rankdir": "LR", "node": {"fillcolor": "#FFFFFF"},
                    "final": {"color": "red"},
                    "tags": {"hot": {"fillcolor": "#FF0000", "legend": "Hot status"}}},
    }
    text = emit_dot(machine(data), source_name="s")
    assert 'rankdir="LR"' in text and 'rankdir="TB"' not in text
    assert 'node [shape="box", style="rounded,filled", fillcolor="#FFFFFF"' in text
    parsed = parse_dot(text)
    states = by_class(parsed, "statusdoc-state")[0]
    assert states["a"]["fillcolor"] == '"#FF0000"'
    assert states["b"]["color"] == '"red"' and states["b"]["peripheries"] == '"2"'
    legend = by_class(parsed, "statusdoc-legend")[0]
    assert [a["label"] for a in legend.values()] == ['"Hot status"']


def _hand_built(**diagram) -> Machine:
    states = (State("a", "a"), State("b", "b", final=True))
    rule = TransitionRule(0, ("a",), "b")
    return Machine(name="h", title="h", initial="a", states=states, rules=(rule,),
                   transitions=(Transition("a", "b"),), diagram=DiagramStyle(**diagram))


@pytest.mark.parametrize("diagram", [
    {"node": (("image", "/etc/passwd"),)},
    {"graph": (("imagepath", "/"),)},
    {"node": (("shape", "epsf"),)},
    {"edge": (("URL", "javascript:alert(1)"),)},
    {"node": (("bad name", "x"),)},
])
def test_emitter_refuses_file_reading_attributes_even_on_hand_built_machines(diagram) -> None:
    with pytest.raises(UnsafeAttributeError):
        emit_dot(_hand_built(**diagram), source_name="s")


def test_unrenderable_labels_names_cjk_and_symbols() -> None:
    data = {
        "machine": {"name": "u", "initial": "a", "initial_label": "start ✓"},
        "states": {"a": {"label": "Ünïcödé ok"}, "b": {"label": "状態", "final": True}},
        "transitions": [{"from": "a", "to": "b", "label": "⚠ fail"}],
    }
    assert unrenderable_labels(machine(data)) == ["状態", "start ✓", "⚠ fail"]
    assert unrenderable_labels(glance()) == []
    # Arimo (our default Helvetica) has U+0370; Cousine (Courier) has not
    data["states"]["a"]["label"] = "a\u0370"
    assert "a\u0370" not in unrenderable_labels(machine(data))
    data["diagram"] = {"node": {"fontname": "Courier"}}
    assert "a\u0370" in unrenderable_labels(machine(data))


def test_glyph_table_matches_the_fonts_inside_graphviz_pure() -> None:
    from emit_support import embedded_font_coverage

    from statusdoc.emit.glyphs import COVERAGE

    fonts = embedded_font_coverage()
    assert set(fonts) == set(COVERAGE) == {"Arimo", "Tinos", "Cousine"}
    for family, ranges in COVERAGE.items():
        table = {c for first, last in ranges for c in range(first, last + 1)}
        assert table == {c for c in fonts[family] if c >= 0x20}, family


@pytest.mark.parametrize(("name", "family"), [
    ("Helvetica", "Arimo"), ("Arial Bold", "Arimo"), ("DejaVu Sans", "Arimo"),
    ("Times-Roman", "Tinos"), ("Foo", "Tinos"), ("Courier New", "Cousine"),
    ("Liberation Mono", "Cousine"),
])
def test_font_family_follows_graphviz_pure_fallbacks(name: str, family: str) -> None:
    assert font_family(name) == family


def test_thirty_states_render() -> None:
    names = [f"wait call-back {i}" for i in range(30)]
    data = {
        "machine": {"name": "big", "initial": names[0]},
        "states": {n: {"final": i == 29} for i, n in enumerate(names)},
        "transitions": [{"from": names[i], "to": names[i + 1], "label": f"step {i}"}
                        for i in range(29)]
        + [{"from": names[i], "to": names[i], "label": "retry"} for i in range(0, 29, 5)]
        + [{"from": "*", "to": names[29], "label": "abort"}],
    }
    text = emit_dot(machine(data), source_name="s")
    assert len(by_class(parse_dot(text), "statusdoc-transition")[1]) == 29 + 6
    assert render(text, "png").startswith(b"\x89PNG")


def test_same_bytes_from_other_processes_and_working_directories(tmp_path: Path) -> None:
    code = (
        "from statusdoc.spec.api import load\n"
        "from statusdoc.emit import get_emitter\n"
        f"m = load({str(ROOT / 'examples/glance/image-statuses.toml')!r})\n"
        "import sys\n"
        "for kind in ('rst', 'dot', 'mermaid', 'md'):\n"
        f"    sys.stdout.write(get_emitter(kind)(m, source_name={GLANCE_NAME!r}))\n"
    )
    outputs = []
    for cwd in (tmp_path, ROOT):
        env = {**os.environ, "PYTHONHASHSEED": str(len(outputs) + 1)}
        proc = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                              check=True, env=env)
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000
