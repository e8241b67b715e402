"""A big diff is worked in slices (statusdoc.diffslices): the same changes as in one piece."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st

import statusdoc.diffslices as diffslices
from statusdoc.renames import MAX_CANDIDATES, MAX_GROUP
from statusdoc.semdiff import SemanticDiff, diff_machines
from statusdoc.spec.api import loads
from statusdoc.spec.model import Machine, State, Transition, TransitionRule

EVENTS = [None, "go", "stop", "retry"]
LABELS = ["", "go", "next", "t1", "t2", "t3"]
DESCRIPTIONS = ["", "one", "two", "the same words", "same words the", "Look."]

Move = tuple[str, str, str | None, str, str]


@contextmanager
def slicing(small: int) -> Iterator[None]:
    """Diffs of more than ``small`` statuses or transitions are worked in slices."""
    was = diffslices.SMALL
    diffslices.SMALL = small
    try:
        yield
    finally:
        diffslices.SMALL = was


def machine(names: list[str], descriptions: dict[str, str], moves: list[Move]) -> Machine:
    """A Machine as the diff reads it (built directly: any shape, duplicates too)."""
    rules = tuple(TransitionRule(i, (a,), b, label=label, event=event, guard=guard)
                  for i, (a, b, event, label, guard) in enumerate(moves))
    transitions = tuple(Transition(a, b, label, event, (), "", i, guard)
                        for i, (a, b, event, label, guard) in enumerate(moves))
    states = tuple(State(n, n, descriptions[n]) for n in names)
    return Machine("m", "m", names[0], states, rules, transitions)


@st.composite
def machine_pairs(draw: st.DrawFn) -> tuple[Machine, Machine]:
    """An old machine (with look-alike statuses now and then) and a new one where
    most statuses were renamed, some removed or added, some moves changed."""
    names = [f"s{i}" for i in range(draw(st.integers(1, 8)))]
    names += [f"c{i}" for i in range(draw(st.sampled_from([0, 0, MAX_GROUP + 1])))]
    text = st.sampled_from(DESCRIPTIONS)
    descriptions = {n: "Look." if n.startswith("c") else draw(text) for n in names}
    move = st.tuples(st.sampled_from(names), st.sampled_from(names),
                     st.sampled_from(EVENTS), st.sampled_from(LABELS),
                     st.sampled_from(["", "ok"]))
    moves: list[Move] = [(names[0], n, None, "in", "") for n in names[1:]]
    moves += draw(st.lists(move, max_size=3 * len(names)))
    fate = st.sampled_from(["renamed", "renamed", "kept", "removed"])
    renamed = {n: {"renamed": "n" + n, "kept": n, "removed": None}[draw(fate)] for n in names}
    renamed[names[0]] = renamed[names[0]] or names[0]
    new_names = [m for m in (renamed[n] for n in names) if m is not None]
    new_names += [f"x{i}" for i in range(draw(st.integers(0, 2)))]
    new_descriptions = {m: descriptions[n] for n, m in renamed.items() if m is not None}
    new_descriptions.update({m: draw(text) for m in new_names if m not in new_descriptions})
    new_moves: list[Move] = []
    for a, b, event, label, guard in moves:
        ra, rb = renamed[a], renamed[b]
        if ra is not None and rb is not None and draw(st.integers(0, 9)):
            changed = draw(st.integers(0, 9)) == 0
            new_moves.append((ra, rb, draw(st.sampled_from(EVENTS)) if changed else event,
                              label, guard))
    move = st.tuples(st.sampled_from(new_names), st.sampled_from(new_names),
                     st.sampled_from(EVENTS), st.sampled_from(LABELS), st.just(""))
    new_moves += draw(st.lists(move, max_size=len(new_names)))
    return (machine(names, descriptions, moves),
            machine(new_names, new_descriptions, new_moves))


def outcome(diff: SemanticDiff) -> tuple[object, ...]:
    return ([(c.kind, c.text, c.breaking) for c in diff.changes], diff.renamed, diff.notes)


@settings(max_examples=150, deadline=None)
@given(machine_pairs())
def test_a_diff_in_slices_is_the_diff_in_one_piece(pair: tuple[Machine, Machine]) -> None:
    old, new = pair
    for a, b in ((old, new), (new, old)):
        with slicing(10**9):
            whole = outcome(diff_machines(a, b))
        with slicing(0):
            sliced = outcome(diff_machines(a, b))
        assert sliced == whole


def renamed_machine(n: int, prefix: str) -> str:
    """A ring of ``n`` statuses with chords, every move labelled, every status described."""
    out = ['[machine]\nname = "m"\ninitial = "hub"\n\n[states.hub]\n\n']
    out += [f'[states.{prefix}{i}]\ndescription = "Status {i}."\n\n' for i in range(n)]
    out.append(f'[[transitions]]\nfrom = "hub"\nto = "{prefix}0"\nlabel = "start"\n\n')
    for j in range(3 * n):
        a, b = j % n, (j % n + 1 + j // n) % n
        out.append(f'[[transitions]]\nfrom = "{prefix}{a}"\nto = "{prefix}{b}"\n'
                   f'label = "t{j}"\n\n')
    return "".join(out)


def test_every_status_of_a_big_machine_renamed_is_matched_in_slices() -> None:
    n = 2 * diffslices.SMALL
    old, new = loads(renamed_machine(n, "old")), loads(renamed_machine(n, "new"))
    assert len(old.transitions) + len(new.transitions) > diffslices.SMALL  # sliced
    diff = diff_machines(old, new)
    assert diff.renamed == {f"old{i}": f"new{i}" for i in range(n)}
    assert [c.kind for c in diff.changes] == ["status-renamed"] * n
    with slicing(10**9):
        assert outcome(diff_machines(old, new)) == outcome(diff)


def test_look_alikes_in_several_tokens_are_counted_once() -> None:
    """Each look-alike shares three crowded tokens (in, out, description): the note
    counts it once, however often it was found crowded."""
    many = 4 * MAX_GROUP

    def spec(prefix: str) -> str:
        states = "".join(f'[states.{prefix}{i}]\ndescription = "Same."\n\n' for i in range(many))
        moves = "".join(f'[[transitions]]\nfrom = "hub"\nto = "{prefix}{i}"\nlabel = "go"\n\n'
                        f'[[transitions]]\nfrom = "{prefix}{i}"\nto = "hub"\nlabel = "back"\n\n'
                        for i in range(many))
        return '[machine]\nname = "m"\ninitial = "hub"\n\n[states.hub]\n\n' + states + moves

    for small in (0, 10**9):
        with slicing(small):
            diff = diff_machines(loads(spec("old")), loads(spec("new")))
        assert diff.renamed == {}
        assert diff.notes == [
            f"{2 * many} status(es) look like more than {MAX_GROUP} others; renames among "
            "them cannot be told apart and show as removed and added"
        ]


def test_a_status_with_more_candidates_than_the_cap_is_noted() -> None:
    """A removed status sharing one move each with 16 added statuses has 16
    candidates; with 17 it has too many, and only it is noted."""
    def spec(names: dict[str, list[int]]) -> str:
        out = ['[machine]\nname = "m"\ninitial = "hub"\n\n[states.hub]\n\n']
        out += [f"[states.{name}]\n\n" for name in names]
        for name, labels in names.items():
            out.append(f'[[transitions]]\nfrom = "hub"\nto = "{name}"\nlabel = "to {name}"\n\n')
            out += [f'[[transitions]]\nfrom = "{name}"\nto = "hub"\nlabel = "l{j}"\n\n'
                    for j in labels]
        return "".join(out)

    for candidates, notes in ((MAX_CANDIDATES, []), (MAX_CANDIDATES + 1, [
            "1 status(es) look like more than 16 others; renames among them cannot be "
            "told apart and show as removed and added"])):
        old = loads(spec({"gone": list(range(candidates))}))
        new = loads(spec({f"new{j}": [j] for j in range(candidates)}))
        for small in (0, 10**9):
            with slicing(small):
                diff = diff_machines(old, new)
            assert diff.renamed == {}
            assert diff.notes == notes
