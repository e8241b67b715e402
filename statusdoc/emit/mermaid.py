"""Mermaid ``stateDiagram-v2`` of a status machine (renders on GitHub and GitLab).

Statuses get generated ids ``s0..sN`` (spec order) declared as
``state "<label>" as s3``, so no status name can clash with Mermaid syntax
(``end``, ``state``, ``[*]``, spaces, dashes...). Every label goes through
:func:`statusdoc.emit.escape.mermaid_text`: anything but letters, digits,
space and ``_-.,/!?+=@$~^*'`` becomes a ``#<decimal>;`` entity code, which
Mermaid decodes when it draws the label (``:`` is ``#58;``, ``;`` is ``#59;``,
``"`` is ``#34;``).
"""

from __future__ import annotations

from typing import Any

from statusdoc.emit.escape import header_text, mermaid_text
from statusdoc.spec.model import Machine

#: Graphviz tag attribute -> the Mermaid ``classDef`` property it becomes (and, read
#: backwards, what ``statusdoc import`` takes from a ``classDef``).
CLASSDEF_PROPERTIES = {"fillcolor": "fill", "color": "stroke", "fontcolor": "color",
                       "penwidth": "stroke-width"}
#: Graphviz ``style`` -> the Mermaid dash pattern drawing it.
DASH_PATTERNS = {"dashed": "stroke-dasharray: 5 5", "dotted": "stroke-dasharray: 2 3"}


def state_ids(machine: Machine) -> dict[str, str]:
    """Status name -> Mermaid id (``s0``, ``s1``, ... in spec order)."""
    return {s.name: f"s{i}" for i, s in enumerate(machine.states)}


def _label(text: str) -> str:
    return mermaid_text(text) or "#32;"


def _class_def(attrs: tuple[tuple[str, str], ...]) -> str:
    props: list[str] = []
    for name, value in attrs:
        if name in CLASSDEF_PROPERTIES and all(c.isalnum() or c in "#.-" for c in value):
            unit = "px" if name == "penwidth" else ""
            props.append(f"{CLASSDEF_PROPERTIES[name]}: {value}{unit}")
        elif name == "style":
            props.extend(DASH_PATTERNS[part.strip()] for part in value.split(",")
                         if part.strip() in DASH_PATTERNS)
    return ", ".join(props)


def emit_mermaid(machine: Machine, *, source_name: str, notes: bool = False) -> str:
    """The Mermaid ``stateDiagram-v2`` text of ``machine``.

    ``[*] --> <initial>`` (labelled ``initial_label``) and ``<final> --> [*]``
    for each final status; transitions in spec order. Wildcard rules follow
    ``diagram.wildcards``: ``group`` draws one arrow from a pseudo status
    "any non-final status" (id ``w<rule index>``), ``expand`` every arrow.
    Tags with Graphviz ``fillcolor``/``color``/``fontcolor``/``penwidth``/
    dashed or dotted ``style`` become ``classDef`` styles on tagged statuses.
    ``notes=True`` adds each status description as a ``note right of``.
    """
    ids = state_ids(machine)
    rankdir = dict(machine.diagram.graph).get("rankdir", "TB").upper()
    direction = rankdir if rankdir in ("TB", "BT", "LR", "RL") else "TB"
    # Mermaid reads a %%{init: ...}%% directive anywhere, comments included:
    # the file name in the header is entity-coded like any label.
    header = header_text(mermaid_text(source_name))
    out = [f"%% {header}", "stateDiagram-v2", f"    direction {direction}"]
    for state in machine.states:
        out.append(f'    state "{_label(state.label)}" as {ids[state.name]}')
    entry = f"    [*] --> {ids[machine.initial]}"
    if machine.initial_label:
        entry += f" : {_label(machine.initial_label)}"
    out.append(entry)
    group = machine.diagram.wildcards == "group"
    by_rule: dict[int, list[Any]] = {}
    for t in machine.transitions:
        by_rule.setdefault(t.rule, []).append(t)
    for rule in machine.rules:
        if group and rule.wildcard and rule.target is not None:
            if rule.sources:
                wid = f"w{rule.index}"
                out.append(f'    state "{_label("any non-final status")}" as {wid}')
                line = f"    {wid} --> {ids[rule.target]}"
                out.append(line + (f" : {_label(rule.label)}" if rule.label else ""))
                out.append(f"    class {wid} statusdoc_wildcard")
            continue
        for t in by_rule.get(rule.index, ()):
            line = f"    {ids[t.source]} --> {ids[t.target]}"
            out.append(line + (f" : {_label(t.label)}" if t.label else ""))
    out.extend(f"    {ids[s.name]} --> [*]" for s in machine.states if s.final)
    if group and any(r.wildcard and r.sources and r.target is not None
                     for r in machine.rules):
        out.append("    classDef statusdoc_wildcard fill: #FFFDE7, stroke-dasharray: 4 3")
    for i, tag in enumerate(machine.tags_in_use):
        members = [ids[s.name] for s in machine.states if tag in s.tags]
        style = machine.diagram.tag(tag)
        css = _class_def(style.attrs) if style else ""
        if members and css:
            out.append(f"    classDef tag{i} {css}")
            out.append(f"    class {','.join(members)} tag{i}")
    if notes:
        for state in machine.states:
            if state.description:
                text = _label(" ".join(state.description.split()))
                out.append(f"    note right of {ids[state.name]} : {text}")
    return "\n".join(out) + "\n"
