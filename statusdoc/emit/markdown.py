"""A Markdown page (GitHub / GitLab / MkDocs) with the Mermaid diagram inside.

Shape: ``<!-- generated ... -->`` header, ``# Title``, intro, a bullet list of
statuses (each with an HTML anchor ``<a id="..."></a>`` using the same ids as
the RST page), the ``mermaid`` fenced diagram, transition notes and a
transition table. Names and labels are escaped (:func:`md_escape`,
:func:`md_code`; ``|`` is ``\\|`` in table cells). Descriptions and the intro
are written in RST; :func:`md_passthrough` keeps them readable as Markdown
(paragraphs, emphasis, code spans) and makes them inert: no raw HTML, link,
image, autolink or attribute list survives in any engine (CommonMark, GFM,
Python-Markdown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from statusdoc.emit.escape import header_text
from statusdoc.emit.layout import group_anchors, status_blocks
from statusdoc.emit.mdescape import md_code, md_escape, md_passthrough
from statusdoc.emit.mermaid import emit_mermaid
from statusdoc.emit.rst import hidden_tags, status_anchors
from statusdoc.emit.views import Neighbours, neighbours
from statusdoc.emit.wording import (
    MARKDOWN,
    Scopes,
    entries_sentence,
    has_note,
    neighbour_sentence,
    rule_summary,
    status_marks,
    transitions_by_rule,
)
from statusdoc.spec.model import Machine, State


def _comment(text: str) -> str:
    # "--" may not appear inside an HTML comment.
    return "<!-- " + text.replace("--", "- -") + " -->"


def _indent(text: str, prefix: str = "  ") -> str:
    # Markdown's line endings only (md_passthrough made them all "\n"): a
    # U+2028 inside a line stays an ordinary character, as CommonMark reads it.
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


def emit_markdown(machine: Machine, *, source_name: str) -> str:
    """The Markdown page of ``machine`` (see the module docstring)."""
    out = [_comment(header_text(source_name)), ""]
    out += [f"# {md_escape(machine.title or machine.name)}", ""]
    if machine.intro:
        out += [md_passthrough(machine.intro), ""]
    entries = entries_sentence(machine, MARKDOWN)
    if entries:
        out += [entries, ""]
    out += _status_list(machine)
    mermaid = emit_mermaid(machine, source_name=source_name)
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall("`+", mermaid)), default=0))
    out += ["## Diagram", "", f"{fence}mermaid", mermaid.rstrip("\n"), fence, ""]
    out += _notes(machine)
    out += _table(machine)
    return "\n".join(out).rstrip("\n") + "\n"


def _status_list(machine: Machine) -> list[str]:
    """The statuses, a group's members nested under its title (see :func:`status_blocks`)."""
    out: list[str] = []
    anchors = status_anchors(machine)
    groups = group_anchors(machine)
    entries = frozenset(machine.entries)
    near = neighbours(machine)
    scopes = Scopes.of(machine)

    def item(state: State, pad: str) -> list[str]:
        lines = _status_item(machine, state, anchors[state.name], pad, entries)
        sentence = _neighbours(machine, near[state.name], anchors, scopes)
        return [*lines, _indent(sentence, pad + "  "), ""] if sentence else lines

    for group, members in status_blocks(machine):
        if group is None:
            out += item(members[0], "")
            continue
        out.append(f'- <a id="{groups[group.name]}"></a>**{md_escape(group.title)}**')
        if group.description:
            out += ["", _indent(md_passthrough(group.description))]
        out.append("")
        for state in members:
            out += item(state, "  ")
    return out


def _neighbours(machine: Machine, near: Neighbours, anchors: Mapping[str, str],
                scopes: Scopes) -> str:
    """"Reached from: ... Leads to: ..." with each status a link to its entry."""

    def link(name: str) -> str:
        return f"[{md_code(name)}](#{anchors[name]})"

    return neighbour_sentence(machine, near.sources, near.targets, near.wildcards, MARKDOWN,
                              link, scopes)


def _status_item(machine: Machine, state: State, anchor: str, pad: str,
                 entries: frozenset[str]) -> list[str]:
    line = f'{pad}- <a id="{anchor}"></a>{md_code(state.name)}'
    if state.label != state.name:
        line += f" ({md_escape(state.label)})"
    # The Markdown list never marked a machine's one initial status.
    marks = status_marks(machine, state, MARKDOWN, mark_single_entry=False, entries=entries)
    if marks:
        line += " — " + ", ".join(marks)
    out = [line]
    if state.description:
        out += ["", _indent(md_passthrough(state.description), pad + "  ")]
    return [*out, ""]


def _notes(machine: Machine) -> list[str]:
    hidden = hidden_tags(machine)
    notes = [r for r in machine.rules if has_note(r, hidden)]
    if not notes:
        return []
    out = ["## Transition notes", ""]
    by_rule = transitions_by_rule(machine)
    scopes = Scopes.of(machine)
    for rule in notes:
        summary = rule_summary(machine, rule, by_rule.get(rule.index, ()), MARKDOWN,
                               event=False, scopes=scopes)
        out.append(f"- {summary}")
        if rule.description:
            out += ["", _indent(md_passthrough(rule.description))]
        if set(rule.tags) - hidden:
            tags = []
            for tag in (t for t in rule.tags if t not in hidden):
                style = machine.diagram.tag(tag)
                text = md_escape(tag)
                if style and style.legend:
                    text += f" ({md_escape(style.legend)})"
                tags.append(text)
            out += ["", "  Tags: " + ", ".join(tags) + "."]
        out.append("")
    return out


def _table(machine: Machine) -> list[str]:
    if not machine.transitions:
        return []
    guards = any(t.guard for t in machine.transitions)
    columns = ["From", "To", "Label", "Event", *(["Guard"] if guards else [])]
    out = ["## Transitions", "", "| " + " | ".join(columns) + " |",
           "| " + " | ".join("---" for _ in columns) + " |"]
    for t in machine.transitions:
        cells = [md_code(t.source, table=True),
                 md_code(t.target, table=True) + (" (return)" if t.returning else ""),
                 md_escape(t.label), md_code(t.event, table=True) if t.event else ""]
        if guards:
            cells.append(md_escape(t.guard))
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    return out
