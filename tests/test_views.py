"""Focus views and the group overview (issue 11 items 2 and 3): the derived machines,
the "Reached from / Leads to" text of the pages, the settings, and the view
images ``statusdoc generate`` writes next to the RST page (real renderer)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docutils.core
import pytest
from emit_support import by_class, dot_string, parse_dot

import statusdoc
from statusdoc.artifacts import check_spec, generate_spec, plan_spec
from statusdoc.config import load_config
from statusdoc.emit.dot import emit_dot
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.rst import emit_rst, status_anchors
from statusdoc.emit.views import (
    FOCUS_MIN_STATUSES,
    aggregate_label,
    focus_machine,
    neighbours,
    overview_machine,
    wanted,
)
from statusdoc.errors import ConfigError
from statusdoc.spec.model import Transition

REPO = Path(__file__).resolve().parents[1]
VOLUME = REPO / "examples" / "volume" / "volume-statuses.toml"
BAREMETAL = REPO / "examples" / "baremetal" / "node-states.toml"
DOOR = REPO / "tests" / "roots" / "test-statusdoc" / "door.toml"


@pytest.fixture(scope="module")
def volume() -> statusdoc.Machine:
    return statusdoc.load(VOLUME)


def _edges(dot: str) -> list[tuple[str, str]]:
    """The (source, target) of every transition the DOT draws: its transition arrows and
    the transitions a fan-in badge stands for (``statusdoc_transitions``)."""
    parsed = parse_dot(dot)
    pairs = [(src, dst) for src, dst, _attrs in by_class(parsed, "statusdoc-transition")[1]]
    for _src, dst, attrs in by_class(parsed, "statusdoc-fanin")[1]:
        absorbed = json.loads(dot_string(attrs["statusdoc_transitions"]))
        pairs += [(source, dst) for source, _label in absorbed]
    return pairs


@pytest.mark.parametrize("spec", [VOLUME, BAREMETAL, DOOR])
def test_focus_view_draws_exactly_the_transitions_of_its_status(spec):
    machine = statusdoc.load(spec)
    for state in machine.states:
        view = focus_machine(machine, state.name)
        dot = emit_dot(view, source_name="x")
        grouped = {r.index for r in machine.rules if r.wildcard and r.target is not None
                   and machine.diagram.wildcards == "group"}
        expected = [(t.source, t.target) for t in machine.transitions
                    if state.name in (t.source, t.target)
                    and not (t.target == state.name and t.rule in grouped)]
        assert sorted(_edges(dot)) == sorted(expected), state.name
        notes = [r for r in machine.rules if r.index in grouped and r.target == state.name
                 and r.sources]
        assert dot.count("id=\"sd-w-") == len(notes), state.name
        drawn = {s.name for s in view.states}
        assert drawn == {state.name, *(e for pair in expected for e in pair)}
        # the entry arrow only for an entry status
        entry_arrows = by_class(parse_dot(dot), "statusdoc-initial")[1]
        assert [dst for _src, dst, _a in entry_arrows] == (
            [state.name] if state.name in machine.entries else []), state.name


def test_focus_view_of_a_wildcard_target_is_one_note(volume):
    dot = emit_dot(focus_machine(volume, "deleting"), source_name="x")
    assert '"__statusdoc_any_' in dot and "any non-final status" in dot
    assert sorted(s.name for s in focus_machine(volume, "deleting").states) == [
        "deleted", "deleting", "error_deleting"]
    assert 'rankdir="LR"' in dot and 'penwidth="2.5"' in dot


def test_overview_collapses_groups_and_counts_edges(volume):
    view = overview_machine(volume)
    assert view is not None
    names = [s.name for s in view.states]
    assert "in-progress" in names and "errors" in names
    assert not set(names) & {s.name for s in volume.states if s.group}
    labels = {s.name: s.label for s in view.states}
    assert labels["errors"] == f"Error statuses ({len(volume.group_members['errors'])} statuses)"
    node = {s.name: s.group or s.name for s in volume.states}
    grouped = {r.index for r in volume.rules if r.wildcard and r.target is not None}
    crossing = [t for t in volume.transitions if t.rule not in grouped
                and not (node[t.source] == node[t.target] and t.source in volume.group_members.get(
                    node[t.source], ()))]
    counted = 0
    for t in view.transitions:
        match = re.match(r"(\d+) transitions$|.*\((\d+)\)$", t.label)
        counted += int(next(g for g in match.groups() if g)) if match else 1
    assert counted == len(crossing)
    assert len({(t.source, t.target) for t in view.transitions}) == len(view.transitions)
    assert overview_machine(statusdoc.load(DOOR)) is None  # no groups, no overview


def test_aggregate_label():
    one = Transition("a", "b", "go")
    assert aggregate_label([one]) == "go"
    assert aggregate_label([one, Transition("c", "b", "go")]) == "go (2)"
    assert aggregate_label([one, Transition("c", "b", "stop")]) == "2 transitions"
    assert aggregate_label([Transition("a", "b", "", event="e", guard="g")]) == "e [g]"


def test_auto_setting_follows_the_size(volume):
    door = statusdoc.load(DOOR)
    assert len(door.states) <= FOCUS_MIN_STATUSES < len(volume.states)
    assert not wanted("auto", door) and wanted("auto", volume)
    assert wanted("on", door) and not wanted("off", volume)


def test_rst_entries_link_where_a_status_is_reached_from_and_leads_to(volume):
    html = docutils.core.publish_string(
        emit_rst(volume, source_name="v.toml"), writer="html5",
        settings_overrides={"report_level": 2, "halt_level": 2}).decode()
    anchors = status_anchors(volume)
    near = neighbours(volume)["reserved"]
    assert near.sources == ("available", "attaching")
    for name in (*near.sources, *near.targets):
        assert f'href="#{anchors[name]}">{name}</a>' in html
    assert "Reached from:" in html and "Leads to:" in html


HOSTILE = '''
[machine]
name = "m"
initial = "a"
[states.a]
[states."x `<y_>`__ :raw:`<b>`"]
[states."javascript:alert(1)"]
[states."[t](http://e.x)"]
final = true
[[transitions]]
from = "a"
to = "x `<y_>`__ :raw:`<b>`"
[[transitions]]
from = "x `<y_>`__ :raw:`<b>`"
to = "javascript:alert(1)"
[[transitions]]
from = "javascript:alert(1)"
to = "[t](http://e.x)"
'''


def test_hostile_names_stay_text_in_the_links(tmp_path):
    spec = tmp_path / "m.toml"
    spec.write_text(HOSTILE, encoding="utf-8")
    machine = statusdoc.load(spec)
    html = docutils.core.publish_string(
        emit_rst(machine, source_name="m.toml"), writer="html5",
        settings_overrides={"report_level": 2, "halt_level": 2}).decode()
    hrefs = re.findall(r'<a class="reference internal" href="([^"]*)">', html)
    assert hrefs and all(re.fullmatch(r"#m-status-[a-z0-9-]+", h) for h in hrefs)
    assert "<b>" not in html and "javascript:alert" not in "".join(hrefs)
    assert "x `&lt;y_&gt;`__ :raw:`&lt;b&gt;`</a>" in html
    md = emit_markdown(machine, source_name="m.toml")
    assert "[`javascript:alert(1)`](#m-status-javascript-alert-1)" in md
    assert "[`[t](http://e.x)`](#m-status-t-http-e-x)" in md


# -- settings -------------------------------------------------------------------


def _project(tmp_path: Path, spec: Path, settings: str, outputs: str = '["rst", "png"]') -> Path:
    (tmp_path / spec.name).write_bytes(spec.read_bytes())
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.statusdoc]\n{settings}\n[[tool.statusdoc.specs]]\nspec = "{spec.name}"\n'
        f"outputs = {outputs}\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("value", ['"sometimes"', "1", '"ON"'])
def test_bad_setting_is_refused(tmp_path, value):
    _project(tmp_path, DOOR, f"focus = {value}")
    with pytest.raises(ConfigError, match="focus: expected"):
        load_config(tmp_path)


def test_setting_is_per_project_and_per_spec(tmp_path):
    _project(tmp_path, DOOR, "focus = true\noverview = false")
    spec = load_config(tmp_path).specs[0]
    assert (spec.focus, spec.overview) == ("on", "off")


# -- view images next to the page ------------------------------------------------


def test_generate_writes_checks_and_keeps_focus_images(tmp_path):
    root = _project(tmp_path, DOOR, 'focus = "on"')
    config = load_config(root).specs[0]
    names = [f"door-focus-{s}.png" for s in ("closed", "open", "locked", "broken")]
    assert [p.path.name for p in plan_spec(config)] == ["door.rst", "door.png", *names]
    generate_spec(config)
    page = (root / "door.rst").read_text(encoding="utf-8")
    for name in names:
        assert f".. figure:: {name}" in page
        assert (root / name).read_bytes().startswith(b"\x89PNG")
    assert check_spec(config) == []
    first = {n: (root / n).read_bytes() for n in names}
    assert not any(o.changed for o in generate_spec(config))  # nothing rewritten
    (root / names[1]).write_bytes(first[names[0]])  # another status's view
    (root / names[2]).unlink()
    drift = {d.path.name: d.reason for d in check_spec(config)}
    assert drift == {names[1]: drift[names[1]], names[2]: "missing"}
    assert "stale" in drift[names[1]]
    generate_spec(config)
    assert {n: (root / n).read_bytes() for n in names} == first  # same spec, same bytes


def test_no_view_images_when_off_or_without_an_image(tmp_path):
    (tmp_path / "a").mkdir()
    root = _project(tmp_path / "a", DOOR, 'focus = "off"')
    assert [p.path.name for p in plan_spec(load_config(root).specs[0])] == [
        "door.rst", "door.png"]
    (tmp_path / "b").mkdir()
    root = _project(tmp_path / "b", DOOR, 'focus = "on"', outputs='["rst", "md"]')
    config = load_config(root).specs[0]
    assert [p.path.name for p in plan_spec(config)] == ["door.rst", "door.md"]
    assert "-focus-" not in plan_spec(config)[0].data.decode()


def test_overview_image_with_groups(tmp_path):
    root = _project(tmp_path, VOLUME, 'focus = "off"\noverview = "on"', '["rst", "svg"]')
    config = load_config(root).specs[0]
    assert [p.path.name for p in plan_spec(config)] == [
        "volume-statuses.rst", "volume-statuses.svg", "volume-statuses-overview.svg"]
    generate_spec(config)
    page = (root / "volume-statuses.rst").read_text(encoding="utf-8")
    assert page.index(".. figure:: volume-statuses-overview.svg") < page.index(
        ".. figure:: volume-statuses.svg")
    svg = (root / "volume-statuses-overview.svg").read_text(encoding="utf-8")
    assert "Error statuses (8 statuses)" in svg and check_spec(config) == []


def test_a_view_image_through_a_symlink_out_of_the_project_is_refused(tmp_path):
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"keep")
    root = tmp_path / "p"
    root.mkdir()
    _project(root, DOOR, 'focus = "on"')
    (root / "door-focus-open.png").symlink_to(outside)
    config = load_config(root).specs[0]
    with pytest.raises(ConfigError, match="outside the project root"):
        generate_spec(config)
    assert outside.read_bytes() == b"keep" and not (root / "door.rst").exists()


def test_a_focus_view_lays_predecessors_then_the_status_then_successors(volume):
    """The view fixes its levels (``DiagramStyle.levels``): whatever only leads to the
    status comes before it, whatever it leads to after it, whatever the entries."""
    checked = 0
    for status in volume.state_names:
        view = focus_machine(volume, status)
        dot = emit_dot(view, source_name="x")
        rows = [re.findall(r'"([^"]+)";', line) for line in dot.splitlines()
                if line.startswith('  { rank="same";')]
        row_of = {name: i for i, names in enumerate(rows) for name in names}
        after = {t.target for t in view.transitions if t.source == status}
        before = {t.source for t in view.transitions if t.target == status} - after
        assert all(row_of[s] < row_of[status] for s in before), (status, rows)
        assert all(row_of[s] > row_of[status] for s in after - {status}), (status, rows)
        checked += bool(before and after)
    assert checked >= 8  # statuses with both sides drawn (of 27)
