"""The diagram's layout (issue 11, item 4): rows from distances, held still when a
transition changes no distance; wrapped to the aspect; badges and shared ends for
fan-in; a stacked legend; labels that touch nothing; the committed example in bounds.

Everything is measured on real renders by graphviz-pure, the SVG parsed as XML.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections import deque
from xml.etree import ElementTree as ET

import pytest
from emit_support import ROOT, by_class, dot_string, machine, parse_dot, render
from svg_geometry import status_rows, texts, touching

from statusdoc.emit.dot import emit_dot
from statusdoc.emit.dotbundle import FANIN, SHARED_END
from statusdoc.emit.dotlayout import status_levels
from statusdoc.emit.rst import status_anchors
from statusdoc.spec.api import load

sys.path.insert(0, str(ROOT / "tools"))
import layout_stability

BAREMETAL = ROOT / "examples" / "baremetal" / "node-states.toml"
EXAMPLES = [BAREMETAL, *(ROOT / "examples" / d / f for d, f in (
    ("volume", "volume-statuses.toml"), ("glance", "image-statuses.toml"),
    ("taskinstance", "task-instance-statuses.toml"), ("order", "order-statuses.toml")))]
#: The documented bound: a 30-status machine's diagram within 1:1.6 either way.
BOUND = 1.6


def _bfs(m) -> dict[str, int]:
    """Distances from the entries over the rules that list their sources (written here
    again, plainly, to check status_levels against)."""
    listed = {r.index for r in m.rules if not (r.wildcard or r.group or r.returns)}
    succ: dict[str, list[str]] = {s: [] for s in m.state_names}
    for t in m.transitions:
        if t.rule in listed:
            succ[t.source].append(t.target)
    dist = dict.fromkeys(m.entries, 0)
    queue = deque(m.entries)
    while queue:
        s = queue.popleft()
        for n in succ[s]:
            if n not in dist:
                dist[n] = dist[s] + 1
                queue.append(n)
    return dist


def _aspect(svg: bytes) -> float:
    """Width : height of the whole figure, as the reader sees it."""
    root = ET.fromstring(svg)
    width, height = (float(root.get(k, "0").removesuffix("pt")) for k in ("width", "height"))
    return width / height


def _rank_sets(dot: str) -> list[list[str]]:
    out = []
    for line in dot.splitlines():
        if line.startswith('  { rank="same"; '):
            body = line[len('  { rank="same"; '):-2]
            out.append([dot_string(p.strip()) for p in body.split(";") if p.strip()])
    return out


def test_levels_are_distances_over_listed_transitions() -> None:
    m = load(BAREMETAL)
    levels = status_levels(m)
    assert {s: levels[s] for s in _bfs(m)} == _bfs(m)
    assert levels["enroll"] == 0 and levels["adopting"] == 1 and levels["active"] == 2


def test_statuses_only_wildcards_reach_go_below_their_deepest_source() -> None:
    data = {
        "machine": {"name": "w", "initial": "a"},
        "states": {"a": {}, "b": {}, "c": {}, "stop": {"final": True}, "gone": {"final": True},
                   "old": {"deprecated": True}},
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"},
                        {"from": "c", "to": "gone"}, {"from": "*", "to": "stop"},
                        {"from": "old", "to": "c"}],
    }
    levels = status_levels(machine(data))
    assert levels == {"a": 0, "b": 1, "c": 2, "gone": 3, "stop": 3, "old": 1}


def test_every_row_is_one_rank_and_no_arrow_up_constrains() -> None:
    m = load(BAREMETAL)
    dot = emit_dot(m, source_name="s")
    sets = _rank_sets(dot)
    row = {name: i for i, names in enumerate(sets) for name in names}
    levels = status_levels(m)
    # rows follow levels: a deeper status is never on an earlier row
    for a in m.state_names:
        for b in m.state_names:
            if levels[a] < levels[b]:
                assert row[a] < row[b], (a, b)
    parsed = parse_dot(dot)
    for src, dst, attrs in parsed["edges"]:
        if src in row and dst in row and dot_string(attrs.get("class", '""')) != "statusdoc-legend":
            span = row[dst] - row[src]
            if span > 0 or (span == 0 and src != dst):  # down, or flat: keeps its order
                assert "constraint" not in attrs
                assert int(dot_string(attrs.get("minlen", '"1"'))) == max(span, 1)
            else:  # up, or a loop
                assert dot_string(attrs["constraint"]) == "false", (src, dst)
    # and the renderer keeps them: statuses of one rank set share one y, sets go down
    drawn = status_rows(render(dot))
    anchors = status_anchors(m)
    for names in sets:
        statuses = [n for n in names if n in anchors]
        assert len({drawn[f"sd-s-{anchors[n]}"] for n in statuses}) <= 1


def test_adding_transitions_that_change_no_distance_moves_no_status_to_another_row(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11's measurement on the docs' 32-status example (tools/layout_stability.py
    prints the same table)."""
    results = layout_stability.measure()
    assert len(results) == 10 and len({r.case for r in results}) == 10
    base = load(BAREMETAL)
    for r in results:
        changed = layout_stability.with_transition(base, *r.case)
        assert _bfs(changed) == _bfs(base), r.case  # the case really keeps distances
        assert (r.case[0], r.case[1]) not in {(t.source, t.target) for t in base.transitions}
        assert r.levels_same and r.rows_changed == (), r
    measured = [(f"{r.case[0]} → {r.case[1]} ({r.case[2]})", r.moved_y, r.moved_x, r.moved,
                 r.reordered) for r in results]
    assert _documented_stability() == measured  # docs/outputs.rst says what was measured
    with capsys.disabled():
        print("\nstatuses moved (y, x, any, reordered) per added transition:",
              [(r.moved_y, r.moved_x, r.moved, r.reordered) for r in results])


def _documented_stability() -> list[tuple[str, int, int, int, int]]:
    """The table under "Layout stability, measured" in docs/outputs.rst: per added
    transition, the statuses moved up or down, sideways, at all, and those that
    changed place in their row."""
    text = (ROOT / "docs" / "outputs.rst").read_text(encoding="utf-8")
    section = text[text.index(".. _outputs-dot-stability:"):]
    section = section[section.index(".. list-table::"):]
    cells: list[str] = []
    for line in section.splitlines()[3:]:
        if not line.startswith("   "):
            break
        cells.append(line.strip().removeprefix("* ").removeprefix("- "))
    rows = [cells[i:i + 5] for i in range(0, len(cells), 5)][1:]  # after the header
    return [(case, int(y), int(x), int(moved), int(order)) for case, y, x, moved, order in rows]


def test_a_wide_level_is_wrapped_to_the_aspect() -> None:
    names = [f"worker status {i}" for i in range(14)]
    data = {
        "machine": {"name": "wide", "initial": "start"},
        "states": {"start": {}, **{n: {} for n in names}, "end": {"final": True}},
        "transitions": [{"from": "start", "to": n, "label": f"go {i}"} for i, n in enumerate(names)]
        + [{"from": n, "to": "end"} for n in names],
    }
    wrapped = _rank_sets(emit_dot(machine(data), source_name="s"))
    assert max(len(r) for r in wrapped) < len(names)
    assert 1 / BOUND <= _aspect(render(emit_dot(machine(data), source_name="s"))) <= BOUND
    # a broader aspect wraps less; the broadest still wraps a level of fourteen
    data["diagram"] = {"aspect": 5}
    broad = _rank_sets(emit_dot(machine(data), source_name="s"))
    assert max(len(r) for r in wrapped) < max(len(r) for r in broad) < len(names)
    assert len(broad) < len(wrapped)


def test_a_machine_within_the_aspect_is_not_wrapped() -> None:
    m = load(ROOT / "examples" / "glance" / "image-statuses.toml")
    levels = status_levels(m)
    rows = _rank_sets(emit_dot(m, source_name="s"))
    status_rows_ = [[n for n in r if n in levels] for r in rows]
    assert [r for r in status_rows_ if r] == [
        [n for n in m.state_names if levels[n] == at] for at in sorted(set(levels.values()))]


def test_arrows_coming_back_up_into_one_status_become_one_badge() -> None:
    data = {
        "machine": {"name": "b", "initial": "hub"},
        "states": {"hub": {}, "a": {}, "b": {}, "c": {}, "d": {}},
        "transitions": [{"from": "hub", "to": "a"}, {"from": "a", "to": "b"},
                        {"from": "b", "to": "c"}, {"from": "c", "to": "d"},
                        {"from": "b", "to": "hub", "label": "reset"},
                        {"from": "c", "to": "hub", "label": "reset"},
                        {"from": "d", "to": "hub", "label": "give up"}],
    }
    m = machine(data)
    parsed = parse_dot(emit_dot(m, source_name="s"))
    (_badge,), (arrow,) = by_class(parsed, "statusdoc-fanin")
    assert arrow[1] == "hub"
    text = dot_string(parsed["nodes"][arrow[0]]["label"]).split("\n")
    assert text == ["reset from b, c", "give up from d"]
    assert json.loads(dot_string(arrow[2]["statusdoc_transitions"])) == [
        ["b", "reset"], ["c", "reset"], ["d", "give up"]]
    assert dot_string(arrow[2]["id"]) == f"sd-b-{status_anchors(m)['hub']}"
    assert not [e for e in by_class(parsed, "statusdoc-transition")[1] if e[1] == "hub"]
    # FANIN of them stay arrows
    data["transitions"] = data["transitions"][:4 + FANIN]
    assert by_class(parse_dot(emit_dot(machine(data), source_name="s")),
                    "statusdoc-fanin") == ({}, [])


def test_a_new_badge_leaves_the_other_badges_names_alone() -> None:
    """A badge's node is named after its status, not counted: adding a badge (here
    into ``cleaning``) leaves every other line of the DOT that names a badge as it was."""
    base = load(BAREMETAL)
    grown = layout_stability.with_transition(base, "clean failed", "cleaning", "retry")

    def badges(m) -> dict[str, str]:
        _nodes, arrows = by_class(parse_dot(emit_dot(m, source_name="s")), "statusdoc-fanin")
        return {head: tail for tail, head, _attrs in arrows}

    before, after = badges(base), badges(grown)
    assert "cleaning" in set(after) - set(before) and before
    assert {head: after[head] for head in before} == before


def test_many_arrows_from_above_share_one_end() -> None:
    sources = [f"s{i}" for i in range(SHARED_END + 1)]
    data = {
        "machine": {"name": "f", "initial": "start"},
        "states": {"start": {}, **{s: {} for s in sources}, "sink": {"final": True}},
        "transitions": [{"from": "start", "to": s} for s in sources]
        + [{"from": s, "to": "sink", "label": f"to sink {s}"} for s in sources],
    }
    parsed = parse_dot(emit_dot(machine(data), source_name="s"))
    into = [a for _s, d, a in by_class(parsed, "statusdoc-transition")[1] if d == "sink"]
    assert [dot_string(a["samehead"]) for a in into] == ["above"] * len(sources)
    data["transitions"].pop()
    parsed = parse_dot(emit_dot(machine(data), source_name="s"))
    assert not [a for _s, _d, a in parsed["edges"] if "samehead" in a]


def test_legend_is_stacked_one_sample_per_row() -> None:
    data = {
        "machine": {"name": "l", "initial": "a"},
        "states": {"a": {"tags": ["hot"]}, "b": {"deprecated": True}, "c": {}},
        "transitions": [{"from": "a", "to": "c", "tags": ["v2"]}, {"from": "b", "to": "c"},
                        {"from": "c", "return": True, "label": "back"}],
        "diagram": {"tags": {"hot": {"fillcolor": "red", "legend": "hot status"},
                             "v2": {"style": "dashed", "legend": "API v2 only"}}},
    }
    dot = emit_dot(machine(data), source_name="s")
    legend = set(by_class(parse_dot(dot), "statusdoc-legend")[0])
    rows = [[n for n in r if n in legend] for r in _rank_sets(dot)]
    rows = [r for r in rows if r]
    assert len(rows) == 4  # arrow sample, hot box, deprecated box, history marker
    data["diagram"]["rankdir"] = "LR"
    dot = emit_dot(machine(data), source_name="s")
    legend = set(by_class(parse_dot(dot), "statusdoc-legend")[0])
    rows = [r for r in ([n for n in r if n in legend] for r in _rank_sets(dot)) if r]
    assert len(rows) == 2  # one column of samples, and the sample arrow's far end


def test_layout_attributes_from_the_spec_do_not_undo_the_rows() -> None:
    data = {
        "machine": {"name": "k", "initial": "a"},
        "states": {"a": {}, "b": {}, "c": {}},
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"},
                        {"from": "c", "to": "a"}],
        "diagram": {"edge": {"constraint": "true", "minlen": 3},
                    "graph": {"newrank": "false"}},
    }
    dot = emit_dot(machine(data), source_name="s")
    edge_defaults = next(line for line in dot.splitlines() if line.startswith("  edge ["))
    assert "minlen" not in edge_defaults and "constraint" not in edge_defaults
    assert 'newrank="true"' in dot and 'newrank="false"' not in dot


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_no_label_touches_another_in_the_examples(path) -> None:
    svg = render(emit_dot(load(path), source_name="s"))
    found = texts(svg)
    assert len(found) > 10
    assert [(a.text, b.text) for a, b in touching(found, gap=1.0)] == []


def test_the_32_status_example_stays_within_the_aspect_bound() -> None:
    m = load(BAREMETAL)
    assert len(m.states) == 32 and m.diagram.aspect == BOUND
    assert 1 / BOUND <= _aspect(render(emit_dot(m, source_name="s"))) <= BOUND


@pytest.mark.parametrize("svg_path", [
    ROOT / "examples" / "baremetal" / "node-states.svg",
    ROOT / "examples" / "volume" / "volume-statuses.svg"], ids=lambda p: p.parent.name)
def test_the_committed_big_figures_are_readable_and_within_the_bound(svg_path) -> None:
    """What a reader opens: the committed SVG (and its PNG, 96 dpi) within the aspect
    bound, no text smaller than 10 pt (13 px at 100 %), no label touching another."""
    svg = svg_path.read_bytes()
    assert 1 / BOUND <= _aspect(svg) <= BOUND
    sizes = {float(t.get("font-size", "14")) for t in ET.fromstring(svg).iter(
        "{http://www.w3.org/2000/svg}text")}
    assert min(sizes) >= 10
    assert [(a.text, b.text) for a, b in touching(texts(svg), gap=1.0)] == []
    png = svg_path.with_suffix(".png").read_bytes()
    width, height = (int.from_bytes(png[at:at + 4], "big") for at in (16, 20))
    assert 1 / BOUND <= width / height <= BOUND
    assert abs(width / height - _aspect(svg)) < 0.01


def test_self_loops_keep_clear_of_a_flat_neighbour() -> None:
    data = {
        "machine": {"name": "s", "initial": "a"},
        "states": {"a": {}, "wait": {}, "failed": {}},
        "transitions": [{"from": "a", "to": "wait"}, {"from": "a", "to": "failed"},
                        {"from": "wait", "to": "wait", "label": "heartbeat"},
                        {"from": "wait", "to": "failed", "label": "timeout"}],
    }
    parsed = parse_dot(emit_dot(machine(data), source_name="s"))
    (loop,) = [a for s, d, a in parsed["edges"] if s == d]
    assert (dot_string(loop["tailport"]), dot_string(loop["headport"])) == ("w", "w")
    svg = render(emit_dot(machine(data), source_name="s"))
    assert touching(texts(svg), gap=1.0) == []
    data["diagram"] = {"rankdir": "LR"}
    parsed = parse_dot(emit_dot(machine(data), source_name="s"))
    (loop,) = [a for s, d, a in parsed["edges"] if s == d]
    assert dot_string(loop["tailport"]) == "n"


def test_hand_built_machine_with_defaults_lays_out() -> None:
    m = load(BAREMETAL)
    plain = dataclasses.replace(m, diagram=dataclasses.replace(m.diagram, tags=()))
    assert emit_dot(plain, source_name="s") == emit_dot(plain, source_name="s")
