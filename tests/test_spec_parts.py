"""A spec written in parts is checked part by part, with the whole check's problems.

``statusdoc import`` writes big specs in parts (head, runs of
``[[transitions]]``, the rest) and :func:`statusdoc.spec.parts.check_parts`
checks them part by part, holding only what the checks across transitions
need (issue 13, budgets; the memory itself is measured by
``bench/bench_budgets.py``). Here: the problems are exactly those of the
whole check, located alike, and whatever the parts cannot stand for alone
falls back to the whole check.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.errors import Problem
from statusdoc.spec.api import validate_text
from statusdoc.spec.dump import TomlParts
from statusdoc.spec.parts import check_parts


def write(data: dict[str, Any], run: int, *, chunk: int = 3) -> tuple[str, list[int]]:
    """``data`` written as an import writes its spec: the tables before
    ``transitions``, runs of ``run`` entries, then the rest as one part."""
    parts = TomlParts("written in parts", chunk=chunk)
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict | list)}
    if scalars:
        parts.table((), scalars)
    after = False
    for key, value in data.items():
        if key == "transitions":
            for number, entry in enumerate(value):
                if number % run == 0:
                    parts.part()
                parts.table(("transitions",), entry, array_item=True)
            after = True
        elif key not in scalars:
            if after:
                parts.part()
                after = False
            parts.table((key,), value)
    return parts.finish()


def by_line(problems: list[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: p.line))


def assert_checked_alike(text: str, starts: list[int], *, in_parts: bool = True) -> None:
    whole = validate_text(text, "toml", build=False)
    found = check_parts(text, starts, "<string>")
    if in_parts:
        assert found is not None, "the parts were not read alone"
        assert by_line(found) == whole.problems
    else:
        assert found is None
    # and what callers get, either way
    assert validate_text(text, "toml", build=False, parts=starts).problems == whole.problems


# ------------------------------------------------------------------ generated specs

STATUSES = ["a", "b", "c", "d", "e"]
NAME = st.sampled_from([*STATUSES, "zz"])  # zz: no such status


@st.composite
def transitions(draw: st.DrawFn) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    entry["from"] = draw(st.one_of(
        NAME, st.just("*"), st.lists(NAME, min_size=1, max_size=3),
        st.sampled_from([{"group": "g1"}, {"group": "g9"}])))
    if draw(st.integers(0, 9)) == 0:
        entry["return"] = True
    else:
        entry["to"] = draw(NAME)
    if isinstance(entry["from"], str | dict) and not isinstance(entry["from"], list) \
            and draw(st.booleans()) and entry["from"] not in [*STATUSES, "zz"]:
        entry["except"] = draw(st.lists(NAME, max_size=2))
    for key, values in (("label", ["go", "back", "x\x01y", " pad"]), ("event", ["ev", "ev2"]),
                        ("guard", ["ok"])):
        if draw(st.booleans()):
            entry[key] = draw(st.sampled_from(values))
    if draw(st.integers(0, 3)) == 0:
        entry["include_final"] = True
    if draw(st.integers(0, 3)) == 0:
        entry["tags"] = draw(st.sampled_from([["t1"], ["t2"], ["t1", "t1"]]))
    if draw(st.integers(0, 5)) == 0:
        entry["descripton"] = "typo"  # an unknown key
    return entry


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(STATUSES), min_size=1, max_size=5, unique=True))
    states: dict[str, Any] = {}
    for name in names:
        body: dict[str, Any] = {}
        if draw(st.booleans()):
            body["description"] = draw(st.sampled_from(["d", "TODO: write", "see `x`_"]))
        for key in ("final", "deprecated"):
            if draw(st.integers(0, 3)) == 0:
                body[key] = True
        if draw(st.booleans()):
            body["group"] = draw(st.sampled_from(["g1", "g2"]))
        if draw(st.integers(0, 3)) == 0:
            body["tags"] = ["t1"]
        states[name] = body
    data: dict[str, Any] = {"machine": {"name": "m", "initial": draw(st.one_of(
        NAME, st.lists(NAME, min_size=1, max_size=2)))}}
    if draw(st.booleans()):
        data["groups"] = {g: {} for g in draw(st.lists(st.sampled_from(["g1", "g2", "g3"]),
                                                       unique=True))}
    data["states"] = states
    data["transitions"] = draw(st.lists(transitions(), max_size=12))
    if not data["transitions"]:
        del data["transitions"]
    if draw(st.booleans()):
        data["diagram"] = {"rankdir": draw(st.sampled_from(["LR", "XX"])),
                           "tags": {t: {"color": "red"} for t in draw(
                               st.lists(st.sampled_from(["t1", "t9"]), unique=True))}}
    if draw(st.booleans()):
        data["lint"] = {"allow": draw(st.sampled_from([["unreachable-status"], ["nope"]]))}
    return data


@settings(max_examples=300, deadline=None)
@given(specs(), st.integers(1, 4), st.integers(1, 4))
def test_generated_specs_are_checked_alike_part_by_part(data: dict[str, Any], run: int,
                                                        chunk: int) -> None:
    text, starts = write(data, run, chunk=chunk)
    returns = any(t.get("return") for t in data.get("transitions", ()))
    # a return rule needs every rule first: such a spec is checked whole
    assert_checked_alike(text, starts, in_parts=not returns)


def test_duplicates_across_runs_are_found_with_the_earlier_rule() -> None:
    moves = [{"from": "a", "to": "b", "label": f"l{i}"} for i in range(30)]
    moves += [{"from": "b", "to": "a"}, {"from": "a", "to": "b", "label": "l3"},
              {"from": "a", "to": "b", "label": "l29", "event": "e"}]
    data = {"machine": {"name": "m", "initial": "a"}, "states": {"a": {}, "b": {}},
            "transitions": moves}
    text, starts = write(data, 4)
    found = check_parts(text, starts, "<string>")
    assert found is not None
    assert [p.message for p in found if p.rule == "duplicate-transition"] == [
        "duplicate transition 'a' -> 'b' (same event and label as transitions[3])"]
    assert_checked_alike(text, starts)


def test_many_duplicates_across_runs_are_checked_whole() -> None:
    moves = [{"from": "a", "to": "b", "label": f"l{i}"} for i in range(200)] * 2
    data = {"machine": {"name": "m", "initial": "a"}, "states": {"a": {}, "b": {"final": True}},
            "transitions": moves}
    text, starts = write(data, 1)
    assert_checked_alike(text, starts, in_parts=False)
    assert len(validate_text(text, build=False, parts=starts).errors) == 200


def test_the_limit_is_passed_at_the_same_rule_across_runs() -> None:
    states = {f"s{i}": {} for i in range(2_000)}
    moves = [{"from": "*", "to": f"s{i % 2_000}", "label": f"l{i}"} for i in range(120)]
    data = {"machine": {"name": "m", "initial": "s0"}, "states": states,
            "transitions": [{"from": "s0", "to": "zz"}, *moves]}
    text, starts = write(data, 16, chunk=256)
    found = check_parts(text, starts, "<string>")
    assert found is not None
    assert [(p.rule, p.path) for p in found if p.severity == "error"] == [
        ("too-many-transitions", "transitions[101].from")]
    assert_checked_alike(text, starts)


HEAD = '[machine]\nname = "m"\ninitial = "a"\n\n[states.a]\n'


def split(text: str, *markers: str) -> tuple[str, list[int]]:
    """``text`` and where each of ``markers`` begins in it (the parts after the first)."""
    return text, [text.index(marker) for marker in markers]


@pytest.mark.parametrize(("text", "starts"), [
    # a part that does not begin with a header: its keys would belong to the table before
    split(HEAD + 'description = "d"\n\n[[transitions]]\nfrom = "a"\nto = "a"\n',
          'description'),
    # a run that holds more than [[transitions]]
    split(HEAD + '\n[[transitions]]\nfrom = "a"\nto = "a"\n\n[lint]\nallow = []\n',
          "[[transitions]]"),
    # the rest defines a status too (the head and it make one [states] table)
    split(HEAD + '\n[[transitions]]\nfrom = "a"\nto = "b"\n\n[states.b]\nfinal = true\n',
          "[[transitions]]", "[states.b]"),
    # the head holds transitions
    split('[machine]\nname = "m"\ninitial = "a"\n\n[[transitions]]\nfrom = "a"\nto = "a"\n'
          '\n[states.a]\n', "[states.a]"),
    # a part does not parse alone
    split(HEAD + 'description = """\n[[transitions]]\nfrom = "a"\n"""\n', "[[transitions]]"),
    # not the parts' bounds
    (HEAD, [10, 5]),
    (HEAD, [len(HEAD)]),
])
def test_parts_that_do_not_stand_alone_are_checked_whole(text: str, starts: list[int]) -> None:
    assert_checked_alike(text, starts, in_parts=False)


def test_problems_of_every_part_are_located_in_the_whole_text() -> None:
    data = {
        "machine": {"name": "m", "initial": "a", "colour": "red"},
        "states": {"a": {}, "b": {"desc": "typo"}, "c": {}},
        "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"},
                        {"from": "a", "to": "cc"}, {"from": "b", "to": "a"}],
        "diagram": {"rankdir": "XX", "tags": {"t9": {"color": "red"}}},
    }
    text, starts = write(data, 1)
    found = check_parts(text, starts, "spec.toml")
    assert found is not None
    lines = text.splitlines()
    assert sorted((p.rule, lines[p.line - 1]) for p in found) == [
        ("duplicate-transition", "[[transitions]]"),
        ("invalid-attribute-value", 'rankdir = "XX"'),
        ("no-way-out", "[states.c]"),
        ("unknown-key", 'colour = "red"'),
        ("unknown-key", 'desc = "typo"'),
        ("unknown-status", 'to = "cc"'),
        ("unreachable-status", "[states.c]"),
        ("unused-tag-style", "[diagram.tags.t9]"),
    ]
    assert [p.line for p in found if p.rule == "duplicate-transition"] == [
        i for i, line in enumerate(lines, 1) if line == "[[transitions]]"][3:]
    assert_checked_alike(text, starts)
