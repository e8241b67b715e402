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
from collections import Counter, defaultdict

from statusdoc.diffchanges import KINDS, Change, SemanticDiff, short
from statusdoc.diffstatus import group_changes, machine_changes, state_changes, status_removed
from statusdoc.renames import match_renames
from statusdoc.spec.model import Machine, Transition

__all__ = ["KINDS", "Change", "SemanticDiff", "diff_machines", "format_markdown", "format_text"]


def _edge(t: Transition) -> str:
    text = f"{t.source} -> {t.target}"
    detail = t.label or t.event
    if t.label and t.event and t.event != t.label:
        detail = f"{t.label}; event {t.event}"
    text = f"{text} ({detail})" if detail else text
    return f"{text} [{t.guard}]" if t.guard else text


def _event(name: str | None) -> str:
    return repr(name) if name else "(none)"


def _key(t: Transition) -> tuple[str, str, str | None]:
    return (t.source, t.target, t.event)


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
    result.renamed = dict(renames)

    out += machine_changes(old, new, renames)
    out += group_changes(old, new)
    targets = set(renames.values())
    for name in added:
        if name not in targets:
            out.append(Change("status-added", f"status {name!r} added"))
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

    _transition_changes(old, new, renames, out)
    return result


def _transition_changes(
    old: Machine, new: Machine, renames: dict[str, str], out: list[Change]
) -> None:
    def sub(t: Transition) -> Transition:
        return Transition(
            renames.get(t.source, t.source),
            renames.get(t.target, t.target),
            t.label, t.event, t.tags, t.description, t.rule, t.guard, t.returning,
        )

    before = [sub(t) for t in old.transitions]
    after = list(new.transitions)
    position = {id(t): i for i, t in enumerate(after)}
    # Pass 1: identical (source, target, event, label) pairs.
    remaining_after: dict[tuple[str, str, str | None, str], list[Transition]] = defaultdict(list)
    for t in after:
        remaining_after[(*_key(t), t.label)].append(t)
    unmatched_before = []
    pairs: list[tuple[Transition, Transition]] = []
    for t in before:
        bucket = remaining_after.get((*_key(t), t.label))
        if bucket:
            pairs.append((t, bucket.pop(0)))
        else:
            unmatched_before.append(t)
    leftover_after = [t for bucket in remaining_after.values() for t in bucket]
    leftover_after.sort(key=lambda t: position[id(t)])
    # Pass 2: same (source, target, event), different label.
    by_key: dict[tuple[str, str, str | None], list[Transition]] = defaultdict(list)
    for t in leftover_after:
        by_key[_key(t)].append(t)
    removed: list[Transition] = []
    for t in unmatched_before:
        bucket = by_key.get(_key(t))
        if bucket:
            pairs.append((t, bucket.pop(0)))
        else:
            removed.append(t)
    still = {id(t) for bucket in by_key.values() for t in bucket}
    added = [t for t in leftover_after if id(t) in still]
    # Pass 3: the same move with a different event, when the pairing is unique.
    moves_removed = Counter((t.source, t.target) for t in removed)
    moves_added = Counter((t.source, t.target) for t in added)
    unique = {m for m, n in moves_removed.items() if n == 1 and moves_added.get(m) == 1}
    if unique:
        by_move = {(t.source, t.target): t for t in added if (t.source, t.target) in unique}
        for t in [t for t in removed if (t.source, t.target) in unique]:
            pairs.append((t, by_move[(t.source, t.target)]))
        removed = [t for t in removed if (t.source, t.target) not in unique]
        added = [t for t in added if (t.source, t.target) not in unique]

    for t in added:
        out.append(Change("transition-added", f"transition {_edge(t)} added"))
    for t in removed:
        out.append(
            Change(
                "transition-removed",
                f"transition {_edge(t)} removed",
                "code making this move now fails",
            )
        )
    pairs.sort(key=lambda p: position[id(p[1])])
    for a, b in pairs:
        where = f"transition {b.source} -> {b.target}" + (f" ({b.event})" if b.event else "")
        if a.event != b.event:
            out.append(
                Change(
                    "transition-changed",
                    f"{where}: event {_event(a.event)} -> {_event(b.event)}",
                    f"code firing {a.event!r} here now fails" if a.event else "",
                )
            )
        if a.label != b.label:
            out.append(Change("transition-changed", f"{where}: label {a.label!r} -> {b.label!r}"))
        if a.description != b.description:
            out.append(
                Change(
                    "transition-changed",
                    f"{where}: description changed "
                    f"({short(a.description)!r} -> {short(b.description)!r})",
                )
            )
        if a.tags != b.tags:
            out.append(
                Change("transition-changed", f"{where}: tags {list(a.tags)} -> {list(b.tags)}")
            )
        out.extend(_guard_and_return(a, b, where))
    _event_changes(before, after, out)


def _guard_and_return(a: Transition, b: Transition, where: str) -> list[Change]:
    """A changed guard and a move that became (or stopped being) a return: reported only."""
    out = []
    if a.guard != b.guard:
        text = (f"guard {a.guard!r} -> {b.guard!r}" if a.guard and b.guard else
                f"guard {b.guard!r} added" if b.guard else f"guard {a.guard!r} removed")
        out.append(Change("transition-changed", f"{where}: {text}"))
    if a.returning != b.returning:
        text = ("now a return to the previous status" if b.returning else
                "no longer a return to the previous status")
        out.append(Change("transition-changed", f"{where}: {text}"))
    return out


def _event_changes(before: list[Transition], after: list[Transition], out: list[Change]) -> None:
    def targets(ts: list[Transition]) -> dict[tuple[str, str], list[str]]:
        table: dict[tuple[str, str], list[str]] = {}
        for t in ts:
            if t.event:
                dsts = table.setdefault((t.source, t.event), [])
                if t.target not in dsts:
                    dsts.append(t.target)
        return table

    old_t, new_t = targets(before), targets(after)
    for key, dsts in new_t.items():
        if key in old_t and set(old_t[key]) != set(dsts):
            source, event = key
            out.append(
                Change(
                    "event-retargeted",
                    f"event {event!r} from {source!r} now leads to "
                    f"{', '.join(map(repr, dsts))} (was {', '.join(map(repr, old_t[key]))})",
                    "code firing this event ends up elsewhere",
                )
            )


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
