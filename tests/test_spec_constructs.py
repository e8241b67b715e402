"""Issue 10's constructs in the spec: entries, deprecated statuses, groups, scoped
wildcards, guards, returns and the null status — validation and the model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statusdoc
from statusdoc.spec.api import validate_text
from statusdoc.spec.model import Group, Machine, State, Transition, TransitionRule

BASE = """\
[machine]
name = "m"
initial = "a"

[states.a]
description = "A."

[states.b]
description = "B."

[states.z]
final = true

[[transitions]]
from = "a"
to = "b"
event = "go"

[[transitions]]
from = "*"
to = "z"
"""


def swap(old: str, new: str, base: str = BASE) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def found(text: str) -> list[str]:
    return [str(p) for p in validate_text(text, filename="s").problems]


def rules(text: str) -> list[str]:
    return [p.rule for p in validate_text(text, filename="s").problems]


def load(text: str) -> Machine:
    report = validate_text(text, filename="s")
    assert report.problems == (), [str(p) for p in report.problems]
    assert report.machine is not None
    return report.machine


def pairs(machine: Machine) -> set[tuple[str, str]]:
    return {(t.source, t.target) for t in machine.transitions}


# ------------------------------------------------------------------- entries

TWO_ENTRIES = swap('initial = "a"', 'initial = ["a", "b"]\n'
                   'initial_label = { a = "create", b = "take over" }')


def test_several_entries_are_kept_in_spec_order_with_their_labels():
    machine = load(TWO_ENTRIES)
    assert machine.entries == ("a", "b")
    assert machine.initial == "a"  # the first entry, for compatibility
    assert dict(machine.entry_labels) == {"a": "create", "b": "take over"}
    assert machine.initial_label == "create"


def test_one_label_labels_every_entry_and_a_table_may_leave_some_out():
    machine = load(swap('initial = "a"', 'initial = ["b", "a"]\ninitial_label = "new"'))
    assert (machine.entries, machine.initial) == (("b", "a"), "b")
    assert dict(machine.entry_labels) == {"b": "new", "a": "new"}
    machine = load(swap('initial = "a"', 'initial = ["a", "b"]\ninitial_label = { b = "x" }'))
    assert dict(machine.entry_labels) == {"b": "x"}
    assert machine.initial_label == ""


def test_a_single_entry_is_still_one_string():
    machine = load(swap('initial = "a"', 'initial = "a"\ninitial_label = "new"'))
    assert (machine.entries, machine.initial_label) == (("a",), "new")
    assert dict(machine.entry_labels) == {"a": "new"}


def test_reachability_counts_every_entry():
    text = swap('initial = "a"', 'initial = ["a", "c"]') + (
        '\n[states.c]\n\n[states.d]\n\n[[transitions]]\nfrom = "c"\nto = "d"\n')
    machine = load(text)
    assert machine.can("c", "d")
    island = text + '\n[states.e]\n'
    assert ("s:31: states.e: status 'e' is unreachable from the entry statuses 'a', 'c' (add "
            "a transition into it, or mark it deprecated) [SD124 unreachable-status]"
            in found(island))


@pytest.mark.parametrize(("initial", "message"), [
    ('initial = ["a", "bb"]', "s:3: machine.initial[1]: unknown status 'bb' (did you mean "
     "'b'?) [SD123 unknown-status]"),
    ('initial = ["a", "b", "a"]', "s:3: machine.initial[2]: entry status 'a' is listed twice "
     "[SD126 duplicate-entry]"),
    ("initial = []", "s:3: machine.initial: expected a status or a non-empty list of "
     "statuses, got array [] [SD104 wrong-type]"),
    ("initial = 1", "s:3: machine.initial: expected a status or a non-empty list of "
     "statuses, got integer 1 [SD104 wrong-type]"),
    ('initial = ["a", 2]', "s:3: machine.initial[1]: expected a status name (string), got "
     "integer 2 [SD104 wrong-type]"),
    ('initial = ["a", "b"]\ninitial_label = { a = "x", bb = "y" }',
     "s:4: machine.initial_label.bb: initial_label names 'bb', which is not an entry status "
     "(did you mean 'b'?) [SD127 unknown-entry]"),
    ('initial = "a"\ninitial_label = { z = "y" }',
     "s:4: machine.initial_label.z: initial_label names 'z', which is not an entry status "
     "(entry statuses: 'a') [SD127 unknown-entry]"),
    ('initial = "a"\ninitial_label = { a = 1 }',
     "s:4: machine.initial_label.a: expected a string, got integer 1 [SD104 wrong-type]"),
    ('initial = "a"\ninitial_label = ["x"]',
     "s:4: machine.initial_label: expected a string or a table of labels by entry status, "
     "got array [...] [SD104 wrong-type]"),
    ('initial = "a"\ninitial_label = { a = "two\\nlines" }',
     "s:4: machine.initial_label.a: initial_label contains a control character ('\\n'); "
     "initial_labels must be one line of text [SD113 control-character]"),
])
def test_entry_mistakes_are_located_errors(initial, message):
    problems = found(swap('initial = "a"', initial))
    assert message in problems, problems


def test_a_deprecated_entry_is_an_error():
    text = swap('initial = "a"', 'initial = ["a", "b"]').replace(
        '"B."', '"B."\ndeprecated = true')
    assert ("s:3: machine.initial[1]: entry status 'b' is deprecated: new objects cannot "
            "start in a status the code no longer sets [SD125 deprecated-entry]"
            in found(text))


# ---------------------------------------------------------------- deprecated


def test_deprecated_with_a_reason_or_true():
    text = BASE + '\n[states.old]\ndeprecated = "no longer set since 2023.1"\n' \
        '\n[states.older]\ndeprecated = true\n'
    machine = load(text)
    old, older = machine.state_map["old"], machine.state_map["older"]
    assert (old.deprecated, old.deprecation) == (True, "no longer set since 2023.1")
    assert (older.deprecated, older.deprecation) == (True, "")
    assert machine.state_map["a"].deprecated is False
    # no unreachable error; wildcards still let stored rows leave
    assert machine.can("old", "z") and machine.can("older", "z")


def test_a_deprecated_status_needs_no_way_out():
    text = swap('from = "*"', 'from = ["a", "b"]') + '\n[states.old]\ndeprecated = true\n'
    assert found(text) == []
    assert "no-way-out" in rules(text.replace("deprecated = true", 'description = "x"'))


def test_a_transition_into_a_deprecated_status_is_a_warning():
    text = BASE + '\n[states.old]\ndeprecated = "gone"\n\n[[transitions]]\nfrom = "b"\n' \
        'to = "old"\n'
    report = validate_text(text, filename="s")
    assert [str(p) for p in report.problems] == [
        "s:28: transitions[2].to: warning: status 'old' is deprecated (gone): the code no "
        "longer moves anything into it [SD210 transition-to-deprecated]"]
    assert report.machine is not None and report.machine.can("b", "old")


@pytest.mark.parametrize(("value", "message"), [
    ('"x "', "deprecated reason 'x ' has leading or trailing whitespace"),
    ('""', "deprecated reason must not be empty"),
    (f'"{"x" * 201}"', "deprecated reason too long (201 characters, at most 200)"),
    ('"a\\nb"', "deprecated reason contains a control character ('\\n'); deprecated "
     "reasons must be one line of text"),
    ("1", "expected true, false or a one-line reason, got integer 1"),
])
def test_a_deprecation_reason_is_one_line_of_text(value, message):
    problems = found(BASE + f"\n[states.old]\ndeprecated = {value}\n")
    assert any(message in p for p in problems), problems


# -------------------------------------------------------------------- groups

GROUPS = BASE + """
[groups.errors]
title = "Error statuses"
description = "Something *failed*."

[groups.busy]

[states.e1]
group = "errors"

[states.e2]
group = "errors"

[states.e3]
group = "errors"
final = true

[states.w]
group = "busy"

[[transitions]]
from = "a"
to = ["e1"]
"""


def test_groups_and_their_members():
    text = swap('to = ["e1"]', 'to = "e1"', GROUPS) + (
        '\n[[transitions]]\nfrom = "e1"\nto = "e2"\n\n[[transitions]]\nfrom = "b"\nto = "w"\n'
        '\n[[transitions]]\nfrom = "e2"\nto = "e3"\n')
    machine = load(text)
    assert machine.groups == (Group("errors", "Error statuses", "Something *failed*."),
                              Group("busy", "busy"))
    assert machine.groups[0].line == 23
    assert dict(machine.group_members) == {"errors": ("e1", "e2", "e3"), "busy": ("w",)}
    assert machine.state_map["e1"].group == "errors" and machine.state_map["a"].group is None


GROUPED = swap('to = ["e1"]', 'to = "e1"', GROUPS) + """
[[transitions]]
from = "e1"
to = "e2"

[[transitions]]
from = "b"
to = "w"

[[transitions]]
from = "e2"
to = "e3"
"""


def test_a_group_source_covers_its_non_final_members_but_the_target():
    machine = load(GROUPED + '\n[[transitions]]\nfrom = { group = "errors" }\nto = "e2"\n'
                   'label = "reset"\n')
    rule = machine.rules[-1]
    assert (rule.group, rule.wildcard, rule.sources) == ("errors", False, ("e1",))
    machine = load(GROUPED + '\n[[transitions]]\nfrom = { group = "errors" }\nto = "a"\n'
                   'include_final = true\nlabel = "reset"\n')
    assert machine.rules[-1].sources == ("e1", "e2", "e3")
    assert machine.can("e3", "a")


def test_group_mistakes_are_located_errors_with_suggestions():
    problems = found(GROUPED.replace('group = "busy"', 'group = "bussy"')
                     + '\n[[transitions]]\nfrom = { group = "error" }\nto = "a"\n'
                     '\n[[transitions]]\nfrom = { grop = "errors" }\nto = "a"\n')
    for message in [
        "s:40: states.w.group: unknown group 'bussy' (did you mean 'busy'?) (declare it in a "
        "[groups.<name>] table) [SD129 unknown-group]",
        "s:59: transitions[6].from.group: unknown group 'error' (did you mean 'errors'?) "
        "[SD129 unknown-group]",
        "s:63: transitions[7].from.grop: unknown key 'grop' in a group source (did you mean "
        "'group'?) [SD102 unknown-key]",
        "s:63: transitions[7].from.group: missing 'group' (the name of a [groups.<name>] "
        "table) [SD103 missing-key]",
        "s:27: groups.busy: warning: group 'busy' has no status (set group = 'busy' on its "
        "statuses, or remove it) [SD211 empty-group]",
    ]:
        assert message in problems, problems


@pytest.mark.parametrize(("extra", "message"), [
    ('[groups."a b\\tc"]\n', "group name contains a control character"),
    ("[groups.g]\ntitel = 'x'\n", "unknown key 'titel' in a group (did you mean 'title'?)"),
    ("[groups.g]\ntitle = ''\n", "title must not be empty"),
    ("groups = 1\n", "groups: expected a table, got integer 1"),
    ('[states.q]\ngroup = ""\n', "group must not be empty"),
    (f'[states.q]\ngroup = "{"g" * 101}"\n', "group too long (101 characters, at most 100)"),
])
def test_group_names_and_tables_follow_the_text_rules(extra, message):
    text = BASE.replace("[machine]", extra + "\n[machine]") if extra.startswith(
        "groups =") else BASE + "\n" + extra
    problems = found(text)
    assert any(message in p for p in problems), problems


def test_an_empty_group_source_warns_and_a_group_of_finals_is_empty():
    text = BASE + '\n[groups.g]\n\n[states.y]\ngroup = "g"\nfinal = true\n' \
        '\n[[transitions]]\nfrom = { group = "g" }\nto = "a"\n' \
        '\n[[transitions]]\nfrom = "b"\nto = "y"\n'
    assert ("s:30: transitions[2].from: warning: group 'g' matches no status (every status it "
            "would cover is final, excepted or the target) [SD203 empty-wildcard]"
            in found(text))


# --------------------------------------------------------- scoped wildcards

SCOPED = BASE + '\n[states.c]\n\n[[transitions]]\nfrom = "b"\nto = "c"\n'


def test_except_narrows_a_wildcard():
    machine = load(SCOPED + '\n[[transitions]]\nfrom = "*"\nexcept = ["b"]\nto = "a"\n')
    rule = machine.rules[-1]
    assert (rule.wildcard, rule.excluded, rule.sources) == (True, ("b",), ("c",))
    assert machine.can("c", "a") and not machine.can("b", "a")


def test_include_final_covers_final_statuses_and_allows_explicit_ones():
    machine = load(SCOPED + '\n[[transitions]]\nfrom = "*"\ninclude_final = true\nto = "a"\n'
                   'label = "reset"\n')
    assert machine.rules[-1].sources == ("b", "z", "c")
    assert machine.rules[-1].include_final and machine.can("z", "a")
    machine = load(SCOPED + '\n[[transitions]]\nfrom = "z"\ninclude_final = true\nto = "c"\n')
    assert machine.can("z", "c")
    assert ("s:30: transitions[3].from: status 'z' is final: a final status cannot have "
            "outgoing transitions (remove 'final = true' or this transition, or add "
            "include_final = true to this transition for a reset) [SD131 transition-from-final]"
            in found(SCOPED + '\n[[transitions]]\nfrom = "z"\nto = "c"\n'))


def test_except_mistakes():
    text = SCOPED + '\n[[transitions]]\nfrom = "*"\nexcept = ["bb", "z", "a", "c", "c"]\n' \
        'to = "a"\n'
    problems = found(text)
    for message in [
        "s:31: transitions[3].except[0]: unknown status 'bb' (did you mean 'b'?) "
        "[SD123 unknown-status]",
        "s:31: transitions[3].except[1]: warning: wildcard '*' does not cover 'z' anyway (it is "
        "final; add include_final = true to cover final statuses) [SD212 except-not-covered]",
        "s:31: transitions[3].except[2]: warning: wildcard '*' does not cover 'a' anyway (it is "
        "the target) [SD212 except-not-covered]",
        "s:31: transitions[3].except[4]: status 'c' is listed twice in 'except' "
        "[SD136 duplicate-source]",
    ]:
        assert message in problems, problems
    assert ("s:25: transitions[2].except: 'except' only narrows from = \"*\" or from = { group "
            "= ... }; list the sources you mean in 'from' instead [SD138 except-without-wildcard]"
            in found(BASE + '\n[[transitions]]\nfrom = ["a"]\nexcept = ["b"]\nto = "z"\n'
                     'label = "x"\n'))
    assert any("expected a list of statuses, got string 'b'" in p for p in found(
        BASE + '\n[[transitions]]\nfrom = "*"\nexcept = "b"\nto = "a"\n'))


def test_a_wildcard_whose_exceptions_leave_nothing_warns():
    text = SCOPED + '\n[[transitions]]\nfrom = "*"\nexcept = ["b", "c"]\nto = "a"\n'
    assert ("s:30: transitions[3].from: warning: wildcard '*' matches no status (every status "
            "it would cover is final, excepted or the target) [SD203 empty-wildcard]"
            in found(text))


def test_except_on_a_group_names_what_the_group_lacks():
    text = GROUPED + '\n[[transitions]]\nfrom = { group = "errors" }\nexcept = ["a"]\n' \
        'to = "b"\nlabel = "x"\n'
    assert any("group 'errors' does not cover 'a' anyway (it is not in group 'errors')" in p
               for p in found(text))


# -------------------------------------------------------------------- guards

GUARDED = BASE + '\n[[transitions]]\nfrom = "a"\nto = "z"\nevent = "go"\nguard = "{g2}"\n'


def test_distinct_guards_make_a_choice_not_a_warning():
    text = swap('event = "go"', 'event = "go"\nguard = "all"', GUARDED.format(g2="some"))
    machine = load(text)
    assert [t.guard for t in machine.transitions if t.event == "go"] == ["all", "some"]
    assert machine.rules[0].guard == "all"


@pytest.mark.parametrize("first", ["", 'guard = "same"'])
def test_a_missing_or_repeated_guard_is_still_ambiguous(first):
    text = swap('event = "go"', f'event = "go"\n{first}', GUARDED.format(g2="same"))
    assert ("s:27: transitions[2].event: warning: event 'go' from 'a' already leads to 'b' "
            "(transitions[0]); fire() cannot choose (give each a distinct guard to make it a "
            "choice) [SD201 ambiguous-event]" in found(text))


def test_a_guard_on_a_pair_that_is_no_choice_is_fine():
    machine = load(swap('event = "go"', 'event = "go"\nguard = "when ready"'))
    assert machine.transitions[0].guard == "when ready"


def test_a_guard_follows_the_label_rules():
    assert any("guard must not be empty" in p for p in found(
        swap('event = "go"', 'event = "go"\nguard = ""')))


# ------------------------------------------------------------------- returns

RETURNS = BASE + """
[states.busy]

[[transitions]]
from = "b"
to = "busy"

[[transitions]]
from = "a"
to = "busy"
event = "work"

[[transitions]]
from = "busy"
return = true
label = "failed"
event = "fail"
"""


def test_a_return_expands_to_each_predecessor_in_spec_order():
    machine = load(RETURNS)
    rule = machine.rules[-1]
    assert (rule.returns, rule.target, rule.sources) == (True, None, ("busy",))
    back = [t for t in machine.transitions if t.rule == rule.index]
    assert [(t.source, t.target, t.label, t.event, t.returning) for t in back] == [
        ("busy", "a", "failed", "fail", True), ("busy", "b", "failed", "fail", True)]
    assert not machine.transitions[0].returning


def test_a_return_with_an_event_is_a_choice_by_design():
    machine = load(RETURNS)
    with pytest.raises(statusdoc.InvalidEvent, match="is a choice: 'a', 'b'; pass to="):
        machine.fire("busy", "fail")
    assert machine.fire("busy", "fail", to="b") == "b"


@pytest.mark.parametrize(("change", "message"), [
    ('return = true\nlabel = "failed"', "s:37: transitions[4].return: a transition with return "
     "= true goes back to the previous status: remove 'to' (or 'return') [SD139 return-with-to]"),
    ('return = false\nlabel = "failed"', "s:34: transitions[4].to: missing 'to' (the target "
     "status, or return = true) [SD103 missing-key]"),
    ('return = "yes"\nlabel = "failed"', "s:36: transitions[4].return: expected a boolean (true "
     "or false), got string 'yes' [SD104 wrong-type]"),
])
def test_return_mistakes(change, message):
    text = swap('return = true\nlabel = "failed"', change, RETURNS)
    if "true" in change:
        text = text.replace('from = "busy"\nreturn', 'from = "busy"\nto = "a"\nreturn')
    assert message in found(text), found(text)


def test_a_return_from_a_status_nothing_enters_warns():
    text = RETURNS + '\n[[transitions]]\nfrom = ["busy", "a"]\nreturn = true\nlabel = "undo"\n'
    assert found(text) == [
        "s:41: transitions[5].from[1]: warning: return from 'a' has nowhere to go back to: no "
        "other transition leads into it [SD213 return-without-predecessor]"]


def test_returns_do_not_count_as_predecessors_and_never_loop():
    text = RETURNS + '\n[[transitions]]\nfrom = "busy"\nto = "busy"\nlabel = "again"\n' \
        '\n[[transitions]]\nfrom = "b"\nreturn = true\nlabel = "undo"\n'
    machine = load(text)
    undo = [(t.source, t.target) for t in machine.transitions if t.label == "undo"]
    assert undo == [("b", "a")]  # not busy -> b via the return edge busy -> b
    assert ("busy", "busy") not in {(t.source, t.target) for t in machine.transitions
                                    if t.returning}


def test_a_return_over_a_wildcard_covers_every_status():
    machine = load(RETURNS + '\n[[transitions]]\nfrom = "*"\nexcept = ["a"]\nreturn = true\n'
                   'label = "undo"\n')
    undo = sorted((t.source, t.target) for t in machine.transitions if t.label == "undo")
    assert undo == [("b", "a"), ("busy", "a"), ("busy", "b")]


@st.composite
def graphs(draw):
    n = draw(st.integers(2, 7))
    names = [f"s{i}" for i in range(n)]
    edges = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)),
                          min_size=n - 1, max_size=14, unique=True))
    returning = draw(st.lists(st.sampled_from(names), min_size=1, max_size=n, unique=True))
    return names, edges, returning


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_return_expansion_equals_the_hand_listed_edges(graph):
    names, edges, returning = graph
    head = '[machine]\nname = "g"\ninitial = "s0"\n' + "".join(
        f"[states.{n}]\n" for n in names)
    plain = "".join(f'[[transitions]]\nfrom = "{a}"\nto = "{b}"\n' for a, b in edges)
    sources = ", ".join(f'"{s}"' for s in returning)
    spec = head + plain + f'[[transitions]]\nfrom = [{sources}]\nreturn = true\nlabel = "back"\n'
    # by hand: each returning status goes back to every other status that enters it
    by_hand = [(s, p) for s in returning for p in names if (p, s) in edges and p != s]
    listed = head + plain + "".join(
        f'[[transitions]]\nfrom = "{s}"\nto = "{p}"\nlabel = "back"\n' for s, p in by_hand)
    generated = validate_text(spec, filename="s")
    written = validate_text(listed, filename="s")
    if written.machine is None:  # an unreachable status: both specs fail alike
        assert [p.rule for p in generated.errors] == [p.rule for p in written.errors]
        return
    assert generated.machine is not None
    expanded = [(t.source, t.target) for t in generated.machine.transitions if t.returning]
    assert expanded == by_hand
    assert generated.machine.targets_by_state == written.machine.targets_by_state
    lonely = {s for s in returning if not any(p for p in names if (p, s) in edges and p != s)}
    assert {p.message.split("'")[1] for p in generated.warnings
            if p.rule == "return-without-predecessor"} == lonely


# ---------------------------------------------------------------------- null

NULLABLE = swap('initial = "a"', 'initial = "a"\nnull = "a"')


def test_null_names_a_status():
    assert load(NULLABLE).null == "a"
    assert load(BASE).null is None
    assert ("s:4: machine.null: unknown status 'aa' (did you mean 'a'?) [SD123 unknown-status]"
            in found(swap('null = "a"', 'null = "aa"', NULLABLE)))


@pytest.mark.parametrize("name", ["None", "null", "NULL", "nOnE"])
def test_no_other_status_may_read_as_null(name):
    extra = f'\n[states.{name}]\n\n[[transitions]]\nfrom = "b"\nto = "{name}"\n'
    problems = found(NULLABLE + extra)
    assert (f"s:24: states.{name}: status {name!r} collides with the null status 'a' "
            "(machine.null): Python None and YAML/JSON null would stand for both; rename it "
            "[SD128 null-collision]") in problems
    assert found(BASE + extra) == []  # without null, it is only a name


def test_the_null_status_itself_may_be_called_none():
    text = BASE.replace('"a"', '"None"').replace("states.a]", 'states."None"]').replace(
        'initial = "None"', 'initial = "None"\nnull = "None"')
    assert load(text).null == "None"


# --------------------------------------------------------------------- model


def test_a_machine_built_in_code_defaults_its_entries():
    states = (State("a", "a"), State("b", "b", final=True))
    rules = (TransitionRule(0, ("a",), "b"),)
    machine = Machine(name="m", title="m", initial="a", states=states, rules=rules,
                      transitions=(Transition("a", "b"),), initial_label="go")
    assert (machine.entries, dict(machine.entry_labels)) == (("a",), {"a": "go"})
    assert machine.null is None and machine.groups == ()
    with pytest.raises(ValueError, match="must be the first entry"):
        Machine(name="m", title="m", initial="a", states=states, rules=rules,
                transitions=(), entries=("b", "a"))
    with pytest.raises(ValueError, match="null status 'x' is not a status"):
        Machine(name="m", title="m", initial="a", states=states, rules=rules,
                transitions=(), null="x")
    assert hash(machine) == hash(Machine(name="m", title="m", initial="a", states=states,
                                         rules=rules, transitions=(Transition("a", "b"),),
                                         initial_label="go"))


# ------------------------------------------------------------ expansion size


def _limit_error(text: str) -> tuple[str, str]:
    report = validate_text(text, filename="s")
    assert report.machine is None
    (error,) = [p for p in report.errors if p.rule == "too-many-transitions"]
    assert len(report.errors) == 1, [str(p) for p in report.errors]  # no cascade
    return error.path, error.message


def test_include_final_counts_final_statuses_in_the_size():
    head = '[machine]\nname = "m"\ninitial = "s0"\n[states.s0]\n' + "".join(
        f"[states.f{i}]\nfinal = true\n" for i in range(500)) + "".join(
        f'[[transitions]]\nfrom = "s0"\nto = "f{i}"\n' for i in range(500))
    resets = "".join(f'[[transitions]]\nfrom = "*"\ninclude_final = true\nto = "s0"\n'
                     f'label = "r{k}"\n' for k in range(400))
    assert _limit_error(head + resets) == (
        "transitions[899].from", "the transitions up to this one expand to 200,500 "
        "transitions (wildcards included), more than the limit of 200,000; split the machine "
        "into several specs or replace some from = \"*\" rules")
    plain = validate_text(head + resets.replace("include_final = true\n", ""), filename="s")
    assert plain.machine is not None  # without it, every rule covers nothing


def test_group_sources_count_in_the_size():
    head = ('[machine]\nname = "m"\ninitial = "s0"\n[groups.g]\n[states.s0]\n'
            + "".join(f'[states.g{i}]\ngroup = "g"\n' for i in range(999))
            + "".join(f'[[transitions]]\nfrom = "s0"\nto = "g{i}"\n' for i in range(999)))

    def rules(count: int) -> str:
        return "".join(f'[[transitions]]\nfrom = {{ group = "g" }}\nto = "s0"\n'
                       f'label = "r{k}"\n' for k in range(count))

    path, message = _limit_error(head + rules(200))
    assert path == "transitions[1198].from" and "expand to 200,799 transitions" in message
    assert validate_text(head + rules(199), filename="s").ok()


def _dense(statuses: int, back: bool) -> str:
    """Every status leads to every other (one wildcard per target), then maybe a return."""
    return ('[machine]\nname = "m"\ninitial = "s0"\n'
            + "".join(f"[states.s{i}]\n" for i in range(statuses))
            + "".join(f'[[transitions]]\nfrom = "*"\nto = "s{k}"\n' for k in range(statuses))
            + ('[[transitions]]\nfrom = "*"\nreturn = true\nlabel = "back"\n' if back else ""))


def test_returns_count_in_the_size_before_they_are_built():
    assert validate_text(_dense(320, back=False), filename="s").ok()  # 102,080 transitions
    path, message = _limit_error(_dense(320, back=True))
    assert path == "transitions[320].from" and "expand to 204,160 transitions" in message
    small = validate_text(_dense(160, back=True), filename="s")
    assert small.ok() and small.machine is not None
    assert len(small.machine.transitions) == 2 * 160 * 159
