"""Issue 10's constructs in the DOT diagram: entries, deprecated statuses, groups as
clusters, scoped wildcards, guards, returns to a history marker, the null status.

Specs go through the real loader; the DOT is parsed back by pydot and drawn by the
real graphviz-pure, and the live diagram's marks are checked on the rendered SVG.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from emit_support import ROOT, by_class, dot_string, graphviz_label, machine, parse_dot, render
from emit_support import svg_nodes as drawn_texts

from statusdoc.emit.dot import emit_dot
from statusdoc.emit.dotplan import group_exceptions, scope_words
from statusdoc.emit.rst import status_anchors
from statusdoc.htmldiagram import live_svg
from statusdoc.spec.api import load

VOLUME = ROOT / "examples" / "volume" / "volume-statuses.toml"
TASKS = ROOT / "examples" / "taskinstance" / "task-instance-statuses.toml"


def _dot(data: dict) -> dict:
    return parse_dot(emit_dot(machine(data), source_name="s"))


def _label(attrs: dict[str, str]) -> str:
    return graphviz_label(attrs["label"]) if "label" in attrs else ""


def _members(subgraph) -> list[str]:
    return [dot_string(n.get_name()) for n in subgraph.get_nodes()
            if n.get_name() not in ("graph", "node", "edge")]


def _title(subgraph) -> str:
    (graph,) = [n for n in subgraph.get_nodes() if n.get_name() == "graph"]
    return _label(graph.get_attributes())


BASE = {
    "machine": {"name": "v", "initial": ["new", "adopted"],
                "initial_label": {"new": "create"}},
    "groups": {"busy": {"title": "Busy <work> & more"}, "bad": {"title": "Errors"}},
    "states": {
        "new": {}, "adopted": {}, "ready": {},
        "a": {"group": "busy"}, "b": {"group": "busy"},
        "old": {"group": "busy", "deprecated": "no longer set"},
        "e1": {"group": "bad"}, "e2": {"group": "bad"},
        "gone": {"final": True},
    },
    "transitions": [
        {"from": ["new", "adopted"], "to": "ready"},
        {"from": "ready", "to": "a", "label": "go"},
        {"from": "ready", "to": "b", "event": "run", "guard": "space left"},
        {"from": "a", "to": "e1", "label": "fail"},
        {"from": "b", "to": "e2", "guard": "disk full"},
        {"from": "old", "to": "ready"},
        {"from": ["a", "b"], "return": True, "label": "done"},
        {"from": {"group": "bad"}, "except": ["e2"], "to": "ready", "label": "reset"},
        {"from": "*", "except": ["a"], "include_final": True, "to": "new", "label": "clear"},
        {"from": "e2", "to": "gone"},
    ],
}


def test_each_entry_has_its_own_start_dot_and_label() -> None:
    parsed = _dot(BASE)
    starts, arrows = by_class(parsed, "statusdoc-initial")
    assert len(starts) == 2 and all(a["shape"] == '"point"' for a in starts.values())
    assert [(dst, _label(a)) for _s, dst, a in arrows] == [("new", "create"), ("adopted", "")]
    assert len({src for src, _d, _a in arrows}) == 2


def test_deprecated_status_is_grey_and_dashed_with_a_legend_entry() -> None:
    parsed = _dot(BASE)
    old = by_class(parsed, "statusdoc-state")[0]["old"]
    assert dot_string(old["style"]) == "dashed,rounded,filled"
    assert {dot_string(old[k]) for k in ("fillcolor", "color", "fontcolor")} <= {
        "#F2F2F2", "#8C8C8C", "#6E6E6E"}
    legend = by_class(parsed, "statusdoc-legend")[0]
    samples = [a for a in legend.values() if _label(a) == "deprecated (no longer set)"]
    assert len(samples) == 1 and dot_string(samples[0]["style"]) == "dashed,rounded,filled"
    plain = {**BASE, "states": {**BASE["states"], "old": {"group": "busy"}},
             "transitions": [*BASE["transitions"], {"from": "ready", "to": "old"}]}
    legend = by_class(_dot(plain), "statusdoc-legend")[0]
    assert not [a for a in legend.values() if "deprecated" in _label(a)]


def test_groups_are_clusters_in_spec_order_with_their_titles() -> None:
    parsed = _dot(BASE)
    clusters = [s for s in parsed["graph"].get_subgraphs() if s.get_name().startswith('"cluster_')]
    names = [dot_string(s.get_name()) for s in clusters]
    assert names == ["cluster_busy", "cluster_bad", "cluster_statusdoc_legend"]
    assert [_title(s) for s in clusters] == ["Busy <work> & more", "Errors", "Legend"]
    members = [_members(s) for s in clusters[:2]]
    assert members[0][:3] == ["a", "b", "old"] and members[1] == ["e1", "e2"]
    # compound=true only where an arrow leaves a box (see the group-rule tests)
    assert 'compound="true"' not in emit_dot(machine(BASE), source_name="s")


def test_a_group_rule_is_one_arrow_from_the_box_naming_what_it_leaves_out() -> None:
    data = {**BASE, "states": {**BASE["states"], "archived": {"final": True}},
            "transitions": [*BASE["transitions"],
                            {"from": {"group": "busy"}, "except": ["b"], "to": "archived",
                             "label": "archive"}]}
    parsed = _dot(data)
    _notes, wild = by_class(parsed, "statusdoc-wildcard")
    (box,) = [e for e in wild if "ltail" in e[2]]
    src, dst, attrs = box
    assert (dst, dot_string(attrs["ltail"])) == ("archived", "cluster_busy")
    assert src in ("a", "old")  # a source of the rule, inside the box
    assert _label(attrs) == "archive\n(except b)"
    assert dot_string(attrs["id"]) == "sd-w-10"
    assert 'compound="true"' in emit_dot(machine(data), source_name="s")


def test_a_group_rule_back_up_the_rows_starts_from_a_note_instead() -> None:
    parsed = _dot(BASE)
    notes, wild = by_class(parsed, "statusdoc-wildcard")
    (reset,) = [e for e in wild if _label(e[2]) == "reset"]
    assert "ltail" not in reset[2] and reset[1] == "ready"
    assert _label(notes[reset[0]]).replace("\n", " ") == "any status in Errors except e2"
    assert dot_string(reset[2]["id"]) == "sd-w-7"


def test_a_group_rule_into_its_own_group_says_its_scope_in_a_note() -> None:
    data = {**BASE, "transitions": [*BASE["transitions"],
                                    {"from": {"group": "bad"}, "to": "e1", "label": "retry"}]}
    parsed = _dot(data)
    notes, wild = by_class(parsed, "statusdoc-wildcard")
    (arrow,) = [e for e in wild if _label(e[2]) == "retry"]
    assert "ltail" not in arrow[2]
    assert _label(notes[arrow[0]]) == "any status in Errors"


def test_wildcard_notes_state_the_exact_scope() -> None:
    parsed = _dot(BASE)
    notes, wild = by_class(parsed, "statusdoc-wildcard")
    (clear,) = [e for e in wild if _label(e[2]) == "clear"]
    assert _label(notes[clear[0]]).replace("\n", " ") == (
        "any status except a (final statuses included)")


@pytest.mark.parametrize(("rule", "scope"), [
    ({"from": "*", "to": "x"}, "any non-final status"),
    ({"from": "*", "to": "x", "include_final": True}, "any status (final statuses included)"),
    ({"from": "*", "to": "x", "except": ["b"]}, "any non-final status except B"),
    ({"from": "*", "to": "x", "except": ["b", "a"], "include_final": True},
     "any status except B and A (final statuses included)"),
    ({"from": {"group": "g"}, "to": "x"}, "any status in The G"),
    ({"from": {"group": "g"}, "to": "x", "except": ["b"]}, "any status in The G except B"),
    ({"from": "*", "to": "end"}, "any non-final status"),  # the page's words, too
])
def test_scope_words_name_statuses_by_label(rule: dict, scope: str) -> None:
    data = {
        "machine": {"name": "w", "initial": "a"},
        "groups": {"g": {"title": "The G"}},
        "states": {"a": {"label": "A", "group": "g"}, "b": {"label": "B", "group": "g"},
                   "x": {}, "end": {"final": True}},
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "x"},
                        {"from": "x", "to": "end"}, {**rule, "label": "w"}],
    }
    if rule["to"] == "end":
        data["states"]["x"] = {"final": False}
    m = machine(data)
    assert scope_words(m, m.rules[-1]) == scope


def test_group_exceptions_name_members_left_out_for_any_reason() -> None:
    data = {
        "machine": {"name": "w", "initial": "a"},
        "groups": {"g": {}},
        "states": {"a": {"group": "g"}, "b": {"group": "g"}, "z": {"group": "g", "final": True},
                   "x": {}},
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "z"},
                        {"from": "b", "to": "x"}, {"from": {"group": "g"}, "to": "x", "label": "k"},
                        {"from": {"group": "g"}, "except": ["a"], "to": "x", "label": "l"}],
    }
    m = machine(data)
    assert group_exceptions(m, m.rules[3]) == "except z"
    assert group_exceptions(m, m.rules[4]) == "except a, z"


def test_guards_follow_the_label_or_the_event() -> None:
    parsed = _dot(BASE)
    labels = {(s, d): _label(a) for s, d, a in by_class(parsed, "statusdoc-transition")[1]}
    assert labels["ready", "b"] == "run [space left]"
    assert labels["b", "e2"] == "[disk full]"
    assert labels["ready", "a"] == "go"


def test_a_return_rule_is_one_history_marker_with_an_arrow_per_source() -> None:
    m = machine(BASE)
    parsed = parse_dot(emit_dot(m, source_name="s"))
    (marker,) = by_class(parsed, "statusdoc-history")[0].items()
    name, attrs = marker
    assert (_label(attrs), dot_string(attrs["shape"]), dot_string(attrs["id"])) == (
        "H", "circle", "sd-h-6")
    arrows = by_class(parsed, "statusdoc-return")[1]
    assert [(s, d, _label(a), dot_string(a["id"])) for s, d, a in arrows] == [
        ("a", name, "done", "sd-r-6-0"), ("b", name, "done", "sd-r-6-1")]
    # both sources are in "busy": the marker is drawn inside its box
    (busy,) = [s for s in parsed["graph"].get_subgraphs() if s.get_name() == '"cluster_busy"']
    assert name in _members(busy)
    # no arrow stands for the expanded returns themselves
    returning = [i for i, t in enumerate(m.transitions) if t.returning]
    ids = {dot_string(a["id"]) for _s, _d, a in by_class(parsed, "statusdoc-transition")[1]}
    assert returning and not ids & {f"sd-t-{i}" for i in returning}


def test_expand_mode_draws_every_expanded_transition() -> None:
    data = {**BASE, "diagram": {"wildcards": "expand"}}
    m = machine(data)
    parsed = parse_dot(emit_dot(m, source_name="s"))
    assert by_class(parsed, "statusdoc-history") == ({}, [])
    assert by_class(parsed, "statusdoc-wildcard") == ({}, [])
    edges = by_class(parsed, "statusdoc-transition")[1]
    badged = sum(len(json.loads(dot_string(a["statusdoc_transitions"])))
                 for _s, _d, a in by_class(parsed, "statusdoc-fanin")[1])
    assert len(edges) + badged == len(m.transitions)


def test_the_null_status_says_it_is_stored_as_null() -> None:
    m = load(TASKS)
    states = by_class(parse_dot(emit_dot(m, source_name="s")), "statusdoc-state")[0]
    assert _label(states["none"]) == "none\n(NULL / None)"
    assert _label(states["scheduled"]) == "scheduled"


def test_hostile_titles_guards_and_scopes_are_drawn_literally() -> None:
    evil = 'x" ] ; <b>&amp; \\N {a|b}'
    data = {
        "machine": {"name": "h", "initial": "a"},
        "groups": {"g": {"title": evil}},
        "states": {"a": {"group": "g"}, "b": {"group": "g", "label": evil}, "c": {}},
        "transitions": [{"from": "a", "to": "b", "guard": evil},
                        {"from": "b", "to": "c"},
                        {"from": {"group": "g"}, "to": "c", "label": evil},
                        {"from": "*", "except": ["b"], "to": "a", "label": "w"}],
    }
    svg = render(emit_dot(machine(data), source_name="s"))
    texts = [(t.text or "").replace("\xa0", " ")
             for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    assert evil in texts  # the group's title
    assert f"[{evil}]" in texts  # the guard
    assert evil in [t for cls, t in drawn_texts(svg).values() if "statusdoc-wildcard" in cls]
    notes = [t for cls, t in drawn_texts(svg).values() if cls == "node statusdoc-wildcard"]
    # long notes are wrapped at spaces: one line per chunk
    assert [n.replace("\n", " ") for n in notes] == [f"any status except {evil}"]


def test_volume_example_draws_every_construct_and_the_live_marks_follow() -> None:
    m = load(VOLUME)
    dot = emit_dot(m, source_name="examples/volume/volume-statuses.toml")
    parsed = parse_dot(dot)
    assert len(by_class(parsed, "statusdoc-initial")[0]) == 2
    assert len(by_class(parsed, "statusdoc-history")[0]) == 2
    assert [dot_string(s.get_name()) for s in parsed["graph"].get_subgraphs()
            if s.get_name().startswith('"cluster_')][:2] == ["cluster_in-progress",
                                                              "cluster_errors"]
    svg = render(dot)
    anchors = status_anchors(m)
    root = ET.fromstring(live_svg(svg, m, {n: f"#{a}" for n, a in anchors.items()}))
    edges = {g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g")
             if g.get("data-from")}
    # one return rule from attaching and detaching: each arrow names all previous statuses
    rule = next(r for r in m.rules if r.returns and r.sources == ("attaching", "detaching"))
    back = {t.target for t in m.transitions if t.rule == rule.index and t.source == "attaching"}
    assert set(edges[f"sd-r-{rule.index}-0"].get("data-to").split()) == {
        f"sd-s-{anchors[s]}" for s in back}
    # every transition is behind exactly one titled edge
    covered = []
    for edge in edges.values():
        for src in edge.get("data-from").split():
            for dst in edge.get("data-to").split():
                covered.append((src, dst))
    for t in m.transitions:
        assert (f"sd-s-{anchors[t.source]}", f"sd-s-{anchors[t.target]}") in covered
