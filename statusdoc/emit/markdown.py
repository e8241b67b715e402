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

from statusdoc.emit.escape import header_text, md_code, md_escape, md_passthrough
from statusdoc.emit.mermaid import emit_mermaid
from statusdoc.emit.rst import hidden_tags, status_anchors
from statusdoc.spec.model import Machine


def _comment(text: str) -> str:
    # "--" may not appear inside an HTML comment.
    return "<!-- " + text.replace("--", "- -") + " -->"


def _indent(text: str, prefix: str = "  ") -> str:
    # Markdown's line endings only (md_passthrough made them all "\n"): a
    # U+2028 inside a line stays an ordinary character, as CommonMark reads it.
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


def emit_markdown(machine: Machine, *, source_name: str) -> str:
    """The Markdown page of ``machine`` (see the module docstring)."""
    anchors = status_anchors(machine)
    out = [_comment(header_text(source_name)), ""]
    out += [f"# {md_escape(machine.title or machine.name)}", ""]
    if machine.intro:
        out += [md_passthrough(machine.intro), ""]
    for state in machine.states:
        line = f'- <a id="{anchors[state.name]}"></a>{md_code(state.name)}'
        if state.label != state.name:
            line += f" ({md_escape(state.label)})"
        if state.final:
            line += " — final"
        out.append(line)
        if state.description:
            out += ["", _indent(md_passthrough(state.description))]
        out.append("")
    mermaid = emit_mermaid(machine, source_name=source_name)
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall("`+", mermaid)), default=0))
    out += ["## Diagram", "", f"{fence}mermaid", mermaid.rstrip("\n"), fence, ""]
    hidden = hidden_tags(machine)
    notes = [r for r in machine.rules if r.description or set(r.tags) - hidden]
    if notes:
        out += ["## Transition notes", ""]
        for rule in notes:
            source = ("any non-final status" if rule.wildcard
                      else ", ".join(md_code(s) for s in rule.sources))
            # issue 10: a return rule has no single target
            target = "the previous status" if rule.target is None else md_code(rule.target)
            head = f"- From {source} to {target}"
            if rule.label:
                head += f" ({md_escape(rule.label)})"
            out.append(head)
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
    if machine.transitions:
        out += ["## Transitions", "", "| From | To | Label | Event |", "| --- | --- | --- | --- |"]
        for t in machine.transitions:
            event = md_code(t.event, table=True) if t.event else ""
            source, target = md_code(t.source, table=True), md_code(t.target, table=True)
            out.append(f"| {source} | {target} | {md_escape(t.label)} | {event} |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
