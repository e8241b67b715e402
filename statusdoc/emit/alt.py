"""The figure's alt text: the diagram in words, built from the same model.

One line per transition, so a changed label is a one-line diff of the RST
page; on a page that also shows the transition table, a big machine gets a
short text pointing to the table instead.
"""

from __future__ import annotations

from statusdoc.emit.escape import one_line
from statusdoc.spec.model import Machine

__all__ = ["ALT_TEXT_MAX_TRANSITIONS", "alt_lines", "alt_text"]

#: Above this many transitions (wildcards expanded) the figure's alt text on a
#: page with the transition table points to the table instead of listing them.
ALT_TEXT_MAX_TRANSITIONS = 30


def alt_lines(machine: Machine, *, table: bool = False) -> list[str]:
    """Plain-text description of the diagram, one line per transition.

    ``["Image status diagram:", "start to queued (create image);", "queued to
    saving (upload);", ..., "final: active, killed."]``: in spec order,
    wildcards expanded, from the entry arrow to the final statuses, built from
    the same model as the DOT so it cannot disagree with the diagram. With
    ``table=True`` (the page also shows the transition table) and more than
    :data:`ALT_TEXT_MAX_TRANSITIONS` transitions, two lines that count the
    statuses and transitions and point to the table instead. Lines are not
    escaped (callers escape for their format).
    """
    label = {s.name: one_line(s.label) for s in machine.states}
    title = one_line(machine.title or machine.name)
    finals = [label[s.name] for s in machine.states if s.final]
    if table and len(machine.transitions) > ALT_TEXT_MAX_TRANSITIONS:
        ending = f", ending at {', '.join(finals)}" if finals else ""
        return [
            f"{title} status diagram: {len(machine.states)} statuses and "
            f"{len(machine.transitions)} transitions, starting at {label[machine.initial]}"
            f"{ending};",
            "every transition is listed in the transition table.",
        ]
    entry = f"start to {label[machine.initial]}"
    if machine.initial_label:
        entry += f" ({one_line(machine.initial_label)})"
    parts = [entry]
    for t in machine.transitions:
        part = f"{label[t.source]} to {label[t.target]}"
        if t.label:
            part += f" ({one_line(t.label)})"
        parts.append(part)
    if finals:
        parts.append("final: " + ", ".join(finals))
    return [f"{title} status diagram:", *(p + ";" for p in parts[:-1]), parts[-1] + "."]


def alt_text(machine: Machine, *, table: bool = False) -> str:
    """:func:`alt_lines` as one line: ``"Image status diagram: start to queued
    (create image); queued to saving (upload); ...; final: active, killed."``."""
    return " ".join(alt_lines(machine, table=table))
