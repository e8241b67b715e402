"""Mermaid ``stateDiagram-v2`` of a status machine (renders on GitHub and GitLab).

Statuses get generated ids ``s0..sN`` (spec order) declared as
``state "<label>" as s3``, so no status name can clash with Mermaid syntax
(``end``, ``state``, ``[*]``, spaces, dashes...). Every label goes through
:func:`statusdoc.emit.escape.mermaid_text`: anything but letters, digits,
space and ``_-.,/!?+=@$~^*'`` becomes a ``#<decimal>;`` entity code, which
Mermaid decodes when it draws the label (``:`` is ``#58;``, ``;`` is ``#59;``,
``"`` is ``#34;``).

Groups are composite states (``state "<title>" as g0 { ... }``) that only
declare their members; every arrow is written after all declarations, at the
top level, so each status stays in the composite that declared it (Mermaid
places a state where it is first named). Helper pseudo-states have ids no
status has: ``w<rule>`` for a wildcard or group source, ``h<rule>`` for the
previous status of a return rule.
"""

from __future__ import annotations

from statusdoc.emit.escape import header_text, mermaid_text
from statusdoc.emit.layout import status_blocks
from statusdoc.emit.wording import (
    PLAIN,
    Scopes,
    edge_text,
    source_phrase,
    transitions_by_rule,
)
from statusdoc.spec.model import Machine, Transition, TransitionRule

#: Graphviz tag attribute -> the Mermaid ``classDef`` property it becomes (and, read
#: backwards, what ``statusdoc import`` takes from a ``classDef``).
CLASSDEF_PROPERTIES = {"fillcolor": "fill", "color": "stroke", "fontcolor": "color",
                       "penwidth": "stroke-width"}
#: Graphviz ``style`` -> the Mermaid dash pattern drawing it.
DASH_PATTERNS = {"dashed": "stroke-dasharray: 5 5", "dotted": "stroke-dasharray: 2 3"}
#: Deprecated statuses: grey, with a dashed border (as in the DOT diagram).
DEPRECATED_STYLE = "fill: #EEEEEE, color: #757575, stroke: #9E9E9E, stroke-dasharray: 5 5"
#: The label and look of a return rule's "previous status" pseudo-state.
HISTORY_LABEL = "H (previous status)"
HISTORY_STYLE = "fill: #E3F2FD, stroke-dasharray: 2 2"


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

    Statuses in spec order, each group's members inside a composite state at
    the place of its first member; one ``[*] --> <entry>`` per entry status
    (with its label) and ``<final> --> [*]`` for each final status;
    transitions in spec order, labelled ``label`` or, when guarded,
    ``label [guard]`` (``event [guard]`` without a label). Rules that stand
    for many arrows follow ``diagram.wildcards``: ``group`` draws a wildcard
    or group source as one arrow from a pseudo-state saying what it covers
    (id ``w<rule index>``, e.g. "any status except running (final statuses
    included)") and a return rule as one arrow from each source to a
    pseudo-state "H (previous status)" (id ``h<rule index>``; Mermaid has no
    history state); ``expand`` draws every expanded arrow. Deprecated
    statuses get the ``deprecated`` class (grey, dashed border). Tags with
    Graphviz ``fillcolor``/``color``/``fontcolor``/``penwidth``/dashed or
    dotted ``style`` become ``classDef`` styles on tagged statuses.
    ``notes=True`` adds each status description as a ``note right of``.
    """
    ids = state_ids(machine)
    rankdir = dict(machine.diagram.graph).get("rankdir", "TB").upper()
    direction = rankdir if rankdir in ("TB", "BT", "LR", "RL") else "TB"
    # Mermaid reads a %%{init: ...}%% directive anywhere, comments included:
    # the file name in the header is entity-coded like any label.
    header = header_text(mermaid_text(source_name))
    out = [f"%% {header}", "stateDiagram-v2", f"    direction {direction}"]
    out += _declarations(machine, ids)
    for name in machine.entries:
        label = machine.entry_labels.get(name, "")
        out.append(f"    [*] --> {ids[name]}" + (f" : {_label(label)}" if label else ""))
    grouped = machine.diagram.wildcards == "group"
    by_rule = transitions_by_rule(machine)
    scopes = Scopes.of(machine)
    for rule in machine.rules:
        out += _rule_lines(machine, rule, by_rule.get(rule.index, []), ids,
                           scopes if grouped else None)
    out.extend(f"    {ids[s.name]} --> [*]" for s in machine.states if s.final)
    out += _styles(machine, ids, grouped)
    if notes:
        for state in machine.states:
            if state.description:
                text = _label(" ".join(state.description.split()))
                out.append(f"    note right of {ids[state.name]} : {text}")
    return "\n".join(out) + "\n"


def _declarations(machine: Machine, ids: dict[str, str]) -> list[str]:
    """Every status, a group's members inside its composite (id ``g<group index>``)."""
    group_ids = {g.name: f"g{i}" for i, g in enumerate(machine.groups)}
    out = []
    for group, members in status_blocks(machine):
        if group is None:
            state = members[0]
            out.append(f'    state "{_label(state.label)}" as {ids[state.name]}')
            continue
        out.append(f'    state "{_label(group.title)}" as {group_ids[group.name]} {{')
        out.extend(f'        state "{_label(s.label)}" as {ids[s.name]}' for s in members)
        out.append("    }")
    return out


def _arrow(source: str, target: str, text: str) -> str:
    return f"    {source} --> {target}" + (f" : {_label(text)}" if text else "")


def _rule_lines(machine: Machine, rule: TransitionRule, transitions: list[Transition],
                ids: dict[str, str], scopes: Scopes | None) -> list[str]:
    """The arrows of one rule: expanded, or (``scopes`` given: ``wildcards = "group"``)
    through its pseudo-states."""
    many = rule.wildcard or rule.group is not None
    if scopes is None or not (many or rule.returns):
        return [_arrow(ids[t.source], ids[t.target], edge_text(t.label, t.event, t.guard))
                for t in transitions]
    text = edge_text(rule.label, rule.event, rule.guard)
    out: list[str] = []
    if rule.returns:
        sources = list(dict.fromkeys(t.source for t in transitions))
        if not sources:
            return []
        hid = f"h{rule.index}"
        out.append(f'    state "{_label(HISTORY_LABEL)}" as {hid}')
        if many:
            out += _wildcard(machine, rule, hid, text, scopes)
        else:
            out += [_arrow(ids[s], hid, text) for s in sources]
        out.append(f"    class {hid} statusdoc_history")
    elif rule.sources and rule.target is not None:
        out += _wildcard(machine, rule, ids[rule.target], text, scopes)
    return out


def _wildcard(machine: Machine, rule: TransitionRule, target: str, text: str,
              scopes: Scopes) -> list[str]:
    wid = f"w{rule.index}"
    scope = source_phrase(machine, rule, PLAIN, scopes)
    return [f'    state "{_label(scope)}" as {wid}',
            _arrow(wid, target, text), f"    class {wid} statusdoc_wildcard"]


def _styles(machine: Machine, ids: dict[str, str], grouped: bool) -> list[str]:
    """The ``classDef`` lines: pseudo-states, tags, then deprecated statuses (drawn last,
    so their grey wins over a tag's colour)."""
    out = []
    if grouped and any((r.wildcard or r.group is not None) and r.sources
                       for r in machine.rules):
        out.append("    classDef statusdoc_wildcard fill: #FFFDE7, stroke-dasharray: 4 3")
    if grouped and any(r.returns for r in machine.rules):
        out.append(f"    classDef statusdoc_history {HISTORY_STYLE}")
    for i, tag in enumerate(machine.tags_in_use):
        members = [ids[s.name] for s in machine.states if tag in s.tags]
        style = machine.diagram.tag(tag)
        css = _class_def(style.attrs) if style else ""
        if members and css:
            out.append(f"    classDef tag{i} {css}")
            out.append(f"    class {','.join(members)} tag{i}")
    deprecated = [ids[s.name] for s in machine.states if s.deprecated]
    if deprecated:
        out.append(f"    classDef deprecated {DEPRECATED_STYLE}")
        out.append(f"    class {','.join(deprecated)} deprecated")
    return out
