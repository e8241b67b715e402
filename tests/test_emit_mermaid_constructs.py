"""Issue 10's constructs in the Mermaid diagram, on the real-size examples and small specs."""

from __future__ import annotations

import re
from pathlib import Path

from emit_support import machine

import statusdoc
from statusdoc.emit.escape import mermaid_unescape
from statusdoc.emit.mermaid import emit_mermaid, state_ids

ROOT = Path(__file__).resolve().parent.parent
VOLUME = ROOT / "examples" / "volume" / "volume-statuses.toml"
TASK = ROOT / "examples" / "taskinstance" / "task-instance-statuses.toml"
ORDER = ROOT / "examples" / "order" / "order-statuses.toml"


def mermaid_of(path: Path, **options: object) -> tuple[statusdoc.Machine, list[str]]:
    m = statusdoc.load(path)
    return m, emit_mermaid(m, source_name=path.name, **options).splitlines()


def pseudo_states(lines: list[str]) -> dict[str, str]:
    """Pseudo-state id -> decoded label, for the ``w``/``h`` ids statusdoc declares."""
    found = {}
    for line in lines:
        if match := re.fullmatch(r'    state "(.*)" as ([wh]\d+)', line):
            found[match.group(2)] = mermaid_unescape(match.group(1))
    return found


def edges(lines: list[str]) -> list[tuple[str, str, str]]:
    out = []
    for line in lines:
        if match := re.fullmatch(r"\s*(\[\*\]|\w+) --> (\[\*\]|\w+)(?: : (.*))?", line):
            out.append((match.group(1), match.group(2), mermaid_unescape(match.group(3) or "")))
    return out


def test_one_start_arrow_per_entry_with_its_label() -> None:
    m, lines = mermaid_of(VOLUME)
    ids = state_ids(m)
    starts = [e for e in edges(lines) if e[0] == "[*]"]
    assert starts == [("[*]", ids["creating"], "create"),
                      ("[*]", ids["managing"], "manage existing")]


def test_deprecated_statuses_get_the_deprecated_class() -> None:
    m, lines = mermaid_of(VOLUME)
    classdef = [line for line in lines if line.startswith("    classDef deprecated ")]
    assert len(classdef) == 1
    assert "stroke-dasharray" in classdef[0] and "fill: #" in classdef[0]
    assert f"    class {state_ids(m)['downloading']} deprecated" in lines
    _task, task_lines = mermaid_of(TASK)
    assert "    class s8 deprecated" in task_lines  # shutdown
    _order, order_lines = mermaid_of(ORDER)
    assert not any("deprecated" in line for line in order_lines)


def test_one_composite_state_per_group_holding_its_members() -> None:
    m, lines = mermaid_of(VOLUME)
    ids = state_ids(m)
    opened = [i for i, line in enumerate(lines) if line.endswith(" {")]
    assert [lines[i] for i in opened] == ['    state "Operations in progress" as g0 {',
                                          '    state "Error statuses" as g1 {']
    for index, group in zip(opened, ("in-progress", "errors"), strict=True):
        end = lines.index("    }", index)
        body = lines[index + 1:end]
        members = m.group_members[group]
        assert body == [f'        state "{name}" as {ids[name]}' for name in members]
    # every status declared exactly once, and no arrow inside a composite
    declared = [line for line in lines if re.fullmatch(r'\s*state ".*" as s\d+', line)]
    assert len(declared) == len(m.states)
    first_arrow = next(i for i, line in enumerate(lines) if "-->" in line)
    assert first_arrow > max(lines.index("    }", i) for i in opened)


def test_wildcard_and_group_pseudo_states_say_what_they_cover() -> None:
    m, lines = mermaid_of(VOLUME)
    labels = pseudo_states(lines)
    assert labels["w34"] == ("any status in Error statuses except error_managing and "
                             "error_managing_deleting")
    assert labels["w35"] == ("any non-final status except reserved, attaching, in-use, "
                             "detaching, error_managing and error_managing_deleting")
    ids = state_ids(m)
    assert ("w34", ids["available"], "reset-state") in edges(lines)
    assert "    class w34 statusdoc_wildcard" in lines
    _task, task_lines = mermaid_of(TASK)
    assert pseudo_states(task_lines)["w18"] == (
        "any status except running (final statuses included)")


def test_a_return_rule_is_one_history_pseudo_state() -> None:
    m, lines = mermaid_of(VOLUME)
    ids = state_ids(m)
    labels = pseudo_states(lines)
    assert labels["h11"] == labels["h17"] == "H (previous status)"
    found = edges(lines)
    assert [e for e in found if e[1] == "h11"] == [
        (ids["attaching"], "h11", "failed"), (ids["detaching"], "h11", "failed")]
    assert len([e for e in found if e[1] == "h17"]) == 5
    # the expanded return edges are not drawn one by one
    assert (ids["attaching"], ids["reserved"], "failed") not in found
    assert "    class h11,h17 statusdoc_history" in lines or (
        "    class h11 statusdoc_history" in lines and "    class h17 statusdoc_history" in lines)


def test_expand_draws_every_return_and_wildcard_edge() -> None:
    m = statusdoc.load(VOLUME)
    lines = emit_mermaid(m.__class__(**{**_fields(m), "diagram": _expand(m)}),
                         source_name="v").splitlines()
    ids = state_ids(m)
    found = edges(lines)
    assert (ids["attaching"], ids["reserved"], "failed") in found
    assert not pseudo_states(lines)
    assert len([e for e in found if e[0] != "[*]" and e[1] != "[*]"]) == len(m.transitions)


def _fields(m: statusdoc.Machine) -> dict:
    import dataclasses

    return {f.name: getattr(m, f.name) for f in dataclasses.fields(m) if f.init}


def _expand(m: statusdoc.Machine):
    import dataclasses

    return dataclasses.replace(m.diagram, wildcards="expand")


def test_guards_on_edges() -> None:
    m, lines = mermaid_of(ORDER)
    ids = state_ids(m)
    found = edges(lines)
    assert (ids["unfulfilled"], ids["fulfilled"], "fulfill [all lines fulfilled]") in found
    assert (ids["unconfirmed"], ids["unfulfilled"], "") in found  # no guard, no label
    labelled = machine({
        "machine": {"name": "m", "initial": "a"},
        "states": {"a": {}, "b": {"final": True}},
        "transitions": [{"from": "a", "to": "b", "label": "go", "event": "e", "guard": "ok"}],
    })
    assert "    s0 --> s1 : go #91;ok#93;" in emit_mermaid(labelled, source_name="m")
