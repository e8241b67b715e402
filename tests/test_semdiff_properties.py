"""Properties of the semantic diff over random pairs of valid machines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.semdiff import diff_machines
from statusdoc.spec.api import loads
from statusdoc.spec.dump import dump_toml

NAMES = ["queued", "saving", "active", "killed", "deleted", "a b", "wait call-back", "x-1"]
EVENTS = [None, "go", "stop", "retry"]
LABELS = ["", "go", "[v1] go", 'say "hi"']


@st.composite
def machines(draw: st.DrawFn):
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    moves = {(names[i - 1], names[i], None, "") for i in range(1, len(names))}  # reachable
    for _ in range(draw(st.integers(0, 8))):
        moves.add((draw(st.sampled_from(names)), draw(st.sampled_from(names)),
                   draw(st.sampled_from(EVENTS)), draw(st.sampled_from(LABELS))))
    transitions = []
    for src, dst, event, label in sorted(moves, key=str):
        entry = {"from": src, "to": dst}
        if label:
            entry["label"] = label
        if event:
            entry["event"] = event
        transitions.append(entry)
    data = {
        "machine": {"name": "m", "initial": names[0]},
        "states": {n: {"description": draw(st.sampled_from(["one", "two"]))} for n in names},
    }
    if transitions:
        data["transitions"] = transitions
    return loads(dump_toml(data), "toml")


@settings(max_examples=50, deadline=None)
@given(machines())
def test_a_machine_has_no_changes_against_itself(machine) -> None:
    diff = diff_machines(machine, machine)
    assert diff.changes == []
    assert not diff


@settings(max_examples=50, deadline=None)
@given(machines(), machines())
def test_the_diff_is_symmetric(old, new) -> None:
    forward, backward = diff_machines(old, new), diff_machines(new, old)
    assert len(forward.of_kind("status-added")) == len(backward.of_kind("status-removed"))
    assert len(forward.of_kind("transition-added")) == len(
        backward.of_kind("transition-removed")
    )
    assert {v: k for k, v in forward.renamed.items()} == backward.renamed
    # Every status the new machine has is either kept, added, or a rename target.
    kept = set(old.state_names) & set(new.state_names)
    added = set(new.state_names) - set(old.state_names)
    assert added == {c.text.split("'")[1] for c in forward.of_kind("status-added")} | set(
        forward.renamed.values()
    )
    assert kept | added == set(new.state_names)
    # Removing anything a caller could rely on is flagged as breaking.
    for change in forward.of_kind("transition-removed") + forward.of_kind("status-removed"):
        assert change.breaking
