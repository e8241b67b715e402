"""statusdoc.testing's model-based helpers: covering paths and forbidden pairs (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

import statusdoc
from statusdoc.testing import Step, TransitionPath, covering_paths, forbidden_pairs

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((REPO / "examples").glob("*/*.toml"))


def _pairs(machine: statusdoc.Machine) -> set[tuple[str, str]]:
    return {(s, d) for s, ds in machine.targets_by_state.items() for d in ds}


def _reachable(machine: statusdoc.Machine) -> set[str]:
    seen = set(machine.entries)
    todo = list(seen)
    while todo:
        for dst in machine.targets(todo.pop()):
            if dst not in seen:
                seen.add(dst)
                todo.append(dst)
    return seen


def _name(machine: statusdoc.Machine, status: str | None) -> str:
    return machine.null if status is None else status  # type: ignore[return-value]


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.parent.name)
def test_paths_replayed_through_fire_cover_every_transition(spec):
    """Glance, the docs' 32-status bare-metal example, and issue 10's constructs
    (several entries and returns in volume, the null status in task instance,
    guards in order)."""
    machine = statusdoc.load(spec)
    covered = set()
    reachable = _reachable(machine)
    for path in covering_paths(machine):
        # an entry, or a status no entry reaches (task instance's deprecated "shutdown")
        assert path.start in machine.entries or path.start not in reachable
        status: str | None = path.start
        for step in path.steps:
            assert _name(machine, status) == step.source
            assert step.event is not None  # every example names its events
            after = machine.fire(status, step.event, to=step.target)
            covered.add((step.source, _name(machine, after)))
            status = after
        assert _name(machine, status) == path.steps[-1].target
    assert covered == _pairs(machine)


def test_the_docs_example_has_32_statuses():
    machine = statusdoc.load(REPO / "examples" / "baremetal" / "node-states.toml")
    assert len(machine.states) == 32


@pytest.mark.parametrize("spec", EXAMPLES, ids=lambda p: p.parent.name)
def test_forbidden_pairs_are_every_pair_but_the_transitions(spec):
    machine = statusdoc.load(spec)
    names = machine.state_names
    pairs = forbidden_pairs(machine)
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == {(s, d) for s in names for d in names} - _pairs(machine)
    for src, dst in pairs:
        assert not machine.can(src, dst)


def test_paths_reach_their_first_new_transition_by_a_shortest_route():
    machine = statusdoc.loads("""
[machine]
name = "m"
initial = ["a", "x"]
[states.a]
[states.b]
[states.c]
[states.x]
[states.d]
[states.lost]
deprecated = "older rows only"
[[transitions]]
from = "a"
to = "b"
event = "ab"
[[transitions]]
from = "b"
to = "c"
event = "bc"
[[transitions]]
from = "c"
to = "d"
event = "cd"
[[transitions]]
from = "x"
to = "d"
event = "xd"
[[transitions]]
from = "d"
to = "a"
event = "da"
[[transitions]]
from = "lost"
to = "a"
event = "la"
""", format="toml")
    paths = covering_paths(machine)
    assert [str(p) for p in paths] == [
        "a --ab-> b --bc-> c --cd-> d --da-> a",
        "x --xd-> d",  # the entry x reaches d in one step
        "lost --la-> a",  # no entry reaches lost: its own start
    ]
    assert paths[1] == TransitionPath("x", (Step("x", "xd", "d"),))
    assert paths[1].events == ("xd",)
