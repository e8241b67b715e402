"""Semantic diff of two versions of a status machine.

:func:`diff_machines` compares two :class:`~statusdoc.spec.model.Machine`
objects the way a reviewer reads a change: statuses added, removed and
renamed; transitions added and removed; label, description, event, final and
tag changes. Changes that can break code or stored data are flagged:

* a removed (or renamed) status,
* a removed transition,
* an event that now leads elsewhere from the same status, or a transition
  whose event was renamed (an event that no longer applies at all shows as
  its removed transition),
* a status made final,
* a different initial status, an entry status removed, ``null`` changed
  (see :mod:`statusdoc.diffstatus` for these and the reported-only
  deprecation and group changes).

A *rename* is a removed status and an added status that are each other's
clear best match by transitions and description (see
:mod:`statusdoc.renames`): a renamed status that also gained or lost a
transition is still one rename, plus that transition. A transition is
identified by source, target and event; the same move with a different event
(and no other candidate) is an event change.
Transitions are compared after wildcard, group and return expansion, so
adding a status that a ``from = "*"`` rule covers shows the transition it
gains, and narrowing a wildcard (a new ``except``) the ones it loses. A
changed guard, or a move that becomes (or stops being) a return, is reported,
not breaking.
"""

from __future__ import annotations

import gc

from statusdoc.diffchanges import KINDS, Change, SemanticDiff
from statusdoc.diffstatus import group_changes, machine_changes, state_changes, status_removed
from statusdoc.difftransitions import transition_changes
from statusdoc.renames import match_renames
from statusdoc.spec.model import Machine

__all__ = ["KINDS", "Change", "SemanticDiff", "diff_machines", "format_markdown", "format_text"]


#: Machines with this many transitions (together) are diffed with the cyclic GC paused.
_GC_PAUSE_TRANSITIONS = 2_000


def diff_machines(
    old: Machine, new: Machine, *, old_name: str = "old", new_name: str = "new"
) -> SemanticDiff:
    """Every semantic change from ``old`` to ``new`` (see the module docstring).

    Big machines are diffed with the cyclic garbage collector paused: the
    diff only creates objects without cycles, and collections triggered by
    its allocations would walk the two machines again and again (the same
    reasoning as :func:`statusdoc.spec.api.validate_text`).
    """
    size = len(old.transitions) + len(new.transitions)
    if size < _GC_PAUSE_TRANSITIONS or not gc.isenabled():
        return _diff(old, new, old_name, new_name)
    gc.disable()
    try:
        return _diff(old, new, old_name, new_name)
    finally:
        gc.enable()


def _diff(old: Machine, new: Machine, old_name: str, new_name: str) -> SemanticDiff:
    result = SemanticDiff(old_name, new_name)
    out = result.changes

    old_names, new_names = old.state_names, new.state_names
    removed = [s for s in old_names if s not in new.state_map]
    added = [s for s in new_names if s not in old.state_map]
    renames, result.notes = match_renames(old, new, removed, added)
    result.renamed = renames

    out += machine_changes(old, new, renames)
    out += group_changes(old, new)
    out += _statuses_added(added, renames)
    for name in removed:
        if name in renames:
            out.append(
                Change(
                    "status-renamed",
                    f"status {name!r} renamed to {renames[name]!r}",
                    "code and stored data using the old name break",
                )
            )
        else:
            out.append(status_removed(name, old.state_map[name]))
    for name in old_names:
        new_state = renames.get(name, name)
        if new_state in new.state_map:
            shown = repr(new_state) if new_state == name else f"{name!r} (now {new_state!r})"
            out.extend(state_changes(old.state_map[name], new.state_map[new_state], shown))

    out += transition_changes(old.transitions, new.transitions, renames)
    return result


def _statuses_added(added: list[str], renames: dict[str, str]) -> list[Change]:
    # a dict, not a set: smaller, and let go before the transitions are matched
    targets = dict.fromkeys(renames.values())
    return [Change("status-added", f"status {name!r} added")
            for name in added if name not in targets]


_SECTIONS = (
    ("Machine", ("machine", "entry-added", "entry-removed", "null-changed")),
    ("Groups", ("group-added", "group-removed", "group-changed")),
    ("Statuses", ("status-added", "status-removed", "status-renamed", "status-changed",
                  "status-deprecated")),
    ("Transitions", ("transition-added", "transition-removed", "transition-changed")),
    ("Events", ("event-retargeted",)),
)
_MARK = {
    "entry-added": "+",
    "group-added": "+",
    "status-added": "+",
    "transition-added": "+",
    "entry-removed": "-",
    "group-removed": "-",
    "status-removed": "-",
    "transition-removed": "-",
}


def format_text(diff: SemanticDiff) -> str:
    """A plain-text report (one change per line, breaking ones marked)."""
    lines = [f"statusdoc diff {diff.old_name} -> {diff.new_name}"]
    if not diff:
        lines.append("no semantic changes")
        return "\n".join(lines) + "\n"
    for title, kinds in _SECTIONS:
        changes = [c for c in diff.changes if c.kind in kinds]
        if not changes:
            continue
        lines.append(f"{title}:")
        for c in changes:
            mark = _MARK.get(c.kind, "~")
            tail = f"  [BREAKING: {c.breaking}]" if c.breaking else ""
            lines.append(f"  {mark} {c.text}{tail}")
    n, b = len(diff.changes), len(diff.breaking)
    lines.append(f"{n} change{'s' if n != 1 else ''}, {b} breaking")
    lines += [f"note: {note}" for note in diff.notes]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace(
        "_", "\\_"
    ).replace("<", "&lt;").replace(">", "&gt;")


def format_markdown(diff: SemanticDiff) -> str:
    """A Markdown report for a pull-request comment."""
    lines = [f"### Status machine changes: `{diff.old_name}` → `{diff.new_name}`", ""]
    if not diff:
        lines.append("No semantic changes.")
        return "\n".join(lines) + "\n"
    n, b = len(diff.changes), len(diff.breaking)
    if b:
        lines.append(f"**⚠ {b} breaking change{'s' if b != 1 else ''}** out of {n}.")
    else:
        lines.append(f"{n} change{'s' if n != 1 else ''}, none breaking.")
    for title, kinds in _SECTIONS:
        changes = [c for c in diff.changes if c.kind in kinds]
        if not changes:
            continue
        lines += ["", f"#### {title}", ""]
        for c in changes:
            mark = {"+": "added", "-": "removed"}.get(_MARK.get(c.kind, "~"), "changed")
            tail = f" — **breaking**: {_md(c.breaking)}" if c.breaking else ""
            text = _md(c.text.replace(" -> ", " → "))
            lines.append(f"- ({mark}) {text}{tail}")
    if diff.notes:
        lines += ["", *(f"*Note: {_md(note)}*" for note in diff.notes)]
    return "\n".join(lines) + "\n"
