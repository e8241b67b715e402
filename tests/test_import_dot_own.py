"""The DOT statusdoc writes reads back (issue 10 round trips): for the volume, task
instance and order examples, emit DOT, import it, write the spec, load it, and get the
same statuses, transitions (after wildcard, group and return expansion), entries,
groups, finals, deprecated statuses and null status. What DOT cannot carry (descriptions,
events, guards as such, deprecation reasons) is listed in docs/migration.rst.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from statusdoc.emit.dot import emit_dot
from statusdoc.importers import render_spec
from statusdoc.importers.dot import import_dot_text
from statusdoc.spec.api import load, loads

EXAMPLES = Path(__file__).parent.parent / "examples"
SPECS = [EXAMPLES / "volume" / "volume-statuses.toml",
         EXAMPLES / "taskinstance" / "task-instance-statuses.toml",
         EXAMPLES / "order" / "order-statuses.toml"]


def _round_trip(path: Path):
    machine = load(path)
    imported = import_dot_text(emit_dot(machine, source_name=path.name), source="x.dot")
    text, problems = render_spec(imported, "toml")
    assert problems == []
    return machine, loads(text, "toml"), imported


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.parent.name)
def test_the_examples_dot_imports_to_the_same_machine(path: Path) -> None:
    machine, again, _imported = _round_trip(path)
    assert again.state_names == machine.state_names
    assert [s.label for s in again.states] == [s.label for s in machine.states]
    assert again.entries == machine.entries
    assert dict(again.entry_labels) == dict(machine.entry_labels)
    assert [s.name for s in again.states if s.final] == [s.name for s in machine.states if s.final]
    assert [s.name for s in again.states if s.deprecated] == [
        s.name for s in machine.states if s.deprecated]
    assert again.null == machine.null
    assert [(g.name, g.title) for g in again.groups] == [(g.name, g.title) for g in machine.groups]
    assert {s.name: s.group for s in again.states} == {s.name: s.group for s in machine.states}
    assert Counter((t.source, t.target) for t in again.transitions) == Counter(
        (t.source, t.target) for t in machine.transitions)
    # a wildcard or group rule comes back as one rule with its scope; a return rule
    # as one per source (the arrows into its history marker), expanding the same
    def broad(m):
        return sorted((r.wildcard, r.group or "", r.excluded, r.include_final, r.returns,
                       r.target or "") for r in m.rules if r.wildcard or r.group)
    assert broad(again) == broad(machine)
    def returning(m):
        return Counter(s for r in m.rules if r.returns and not (r.wildcard or r.group)
                       for s in r.sources)
    assert returning(again) == returning(machine)


def test_the_volume_examples_constructs_are_all_there() -> None:
    """The round trip above is not empty: the volume machine has every construct."""
    machine, again, imported = _round_trip(SPECS[0])
    assert len(machine.entries) == 2 and machine.groups
    assert any(s.deprecated for s in again.states)
    assert any(r.group for r in again.rules) and any(r.returns for r in again.rules)
    assert any(r.wildcard and r.excluded for r in again.rules)
    assert "into a helper node not imported" not in "\n".join(imported.notes)


def test_an_unreadable_statusdoc_rule_is_noted_and_read_as_any_status() -> None:
    machine = load(SPECS[1])
    dot = emit_dot(machine, source_name="x")
    assert "statusdoc_rule=" in dot
    broken = dot.replace("statusdoc_rule=", "statusdoc_rule=\"[1]\", x_was=")
    imported = import_dot_text(broken, source="x.dot")
    assert any("no readable statusdoc_rule" in n for n in imported.notes)
    (edge,) = [e for e in imported.edges if e.source == "*"]
    assert edge.excluded == () and not edge.include_final
