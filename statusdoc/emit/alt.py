"""The figure's alt text: the diagram in words, built from the same model.

One line per transition, so a changed label is a one-line diff of the RST
page; on a page that also shows the transition table, a big machine gets a
short text pointing to the table instead.
"""

from __future__ import annotations

from statusdoc.emit.escape import one_line
from statusdoc.emit.wording import edge_text
from statusdoc.spec.model import Machine

__all__ = ["ALT_TEXT_MAX_TRANSITIONS", "alt_lines", "alt_text"]

#: Above this many transitions (wildcards expanded) the figure's alt text on a
#: page with the transition table points to the table instead of listing them.
ALT_TEXT_MAX_TRANSITIONS = 30


def alt_lines(machine: Machine, *, table: bool = False) -> list[str]:
    """Plain-text description of the diagram, one line per transition.

    ``["Image status diagram:", "start to queued (create image);", "queued to
    saving (upload);", ..., "final: active, killed."]``: one ``start to``
    line per entry status, then every transition in spec order (wildcards
    and groups expanded; a return as ``extending back to available (done)``;
    a guard as ``(label [guard])``), then the final statuses; built from the
    same model as the diagram so it cannot disagree with it. With
    ``table=True`` (the page also shows the transition table) and more than
    :data:`ALT_TEXT_MAX_TRANSITIONS` transitions, two lines that count the
    statuses and transitions, name the entry and final statuses and point to
    the table instead. Lines are not escaped (callers escape for their
    format).
    """
    label = {s.name: one_line(s.label) for s in machine.states}
    title = one_line(machine.title or machine.name)
    finals = [label[s.name] for s in machine.states if s.final]
    if table and len(machine.transitions) > ALT_TEXT_MAX_TRANSITIONS:
        ending = f", ending at {', '.join(finals)}" if finals else ""
        starts = " or ".join(label[name] for name in machine.entries)
        return [
            f"{title} status diagram: {len(machine.states)} statuses and "
            f"{len(machine.transitions)} transitions, starting at {starts}{ending};",
            "every transition is listed in the transition table.",
        ]
    parts = []
    for name in machine.entries:
        entry_label = machine.entry_labels.get(name, "")
        parts.append(f"start to {label[name]}"
                     + (f" ({one_line(entry_label)})" if entry_label else ""))
    for t in machine.transitions:
        part = f"{label[t.source]} {'back to' if t.returning else 'to'} {label[t.target]}"
        text = edge_text(t.label, t.event, t.guard)
        if text:
            part += f" ({one_line(text)})"
        parts.append(part)
    if finals:
        parts.append("final: " + ", ".join(finals))
    return [f"{title} status diagram:", *(p + ";" for p in parts[:-1]), parts[-1] + "."]


def alt_text(machine: Machine, *, table: bool = False) -> str:
    """:func:`alt_lines` as one line: ``"Image status diagram: start to queued
    (create image); queued to saving (upload); ...; final: active, killed."``."""
    return " ".join(alt_lines(machine, table=table))
