"""The machine-, group- and status-level changes of :func:`statusdoc.semdiff.diff_machines`.

Breaking rules here (the transition-level ones live in :mod:`statusdoc.semdiff`):

* a different first entry status (``Machine.initial``), and an entry status
  removed (adding one is not breaking);
* ``null`` set, unset or moved to another status: what stored ``None`` /
  SQL ``NULL`` values mean changes;
* a status removed, deprecated or not (stored rows may still hold it), or
  renamed; a status made final.

Deprecating a status, undeprecating it, a new deprecation reason, a status
moving between groups and a group added, removed or retitled are reported,
not breaking: they change no move (where they change a wildcard's
expansion, the transitions gained or lost show up on their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from statusdoc.diffchanges import Change, short
from statusdoc.spec.model import Machine, State

__all__ = ["group_changes", "machine_changes", "state_changes", "status_removed"]


def machine_changes(old: Machine, new: Machine, renames: Mapping[str, str]) -> list[Change]:
    """Title and text changes, then entry statuses and their labels, then ``null``."""
    single = len(old.entries) == 1 and len(new.entries) == 1
    out = []
    for attr in ("name", "title", "intro", "initial_label")[: 4 if single else 3]:
        a, b = getattr(old, attr), getattr(new, attr)
        if a != b:
            out.append(Change("machine", f"machine {attr}: {short(a)!r} -> {short(b)!r}"))
    out += _entry_changes(old, new, renames, single)
    out += _null_changes(old, new, renames)
    return out


def _entry_changes(old: Machine, new: Machine, renames: Mapping[str, str],
                   single: bool) -> Iterable[Change]:
    if renames.get(old.initial, old.initial) != new.initial:
        why = ("new objects start in a different status" if single else
               "code using Machine.initial (the first entry) starts objects elsewhere")
        yield Change("machine", f"initial status {old.initial!r} -> {new.initial!r}", why)
    if single:
        return
    before = {renames.get(e, e): e for e in old.entries}
    for name in new.entries:
        if name not in before:
            yield Change("entry-added", f"entry status {name!r} added")
    for now, was in before.items():
        if now not in new.entries:
            yield Change("entry-removed", f"entry status {was!r} removed",
                         "code creating objects in it now fails")
    for name in new.entries:
        if name in before:
            a, b = old.entry_labels.get(before[name], ""), new.entry_labels.get(name, "")
            if a != b:
                yield Change("machine", f"entry {name!r}: label {a!r} -> {b!r}")


def _null_changes(old: Machine, new: Machine, renames: Mapping[str, str]) -> Iterable[Change]:
    was = renames.get(old.null, old.null) if old.null is not None else None
    if was == new.null:
        return
    if old.null is None:
        yield Change("null-changed", f"null status set to {new.null!r}",
                     f"None (SQL NULL) now means {new.null!r}; code storing its name breaks")
    elif new.null is None:
        yield Change("null-changed", f"null status {old.null!r} unset",
                     f"stored None (SQL NULL) values no longer mean {old.null!r}")
    else:
        yield Change("null-changed", f"null status {old.null!r} -> {new.null!r}",
                     f"stored None (SQL NULL) values now mean {new.null!r}")


def group_changes(old: Machine, new: Machine) -> list[Change]:
    """Groups added, removed, retitled or redescribed (matched by name)."""
    before = {g.name: g for g in old.groups}
    after = {g.name: g for g in new.groups}
    out = []
    for name, group in after.items():
        if name not in before:
            title = f" ({group.title!r})" if group.title != name else ""
            out.append(Change("group-added", f"group {name!r}{title} added"))
    out += [Change("group-removed", f"group {name!r} removed") for name in before
            if name not in after]
    for name, group in after.items():
        if name not in before:
            continue
        a = before[name]
        if a.title != group.title:
            out.append(Change("group-changed",
                              f"group {name!r}: title {a.title!r} -> {group.title!r}"))
        if a.description != group.description:
            out.append(Change("group-changed", f"group {name!r}: description changed "
                              f"({short(a.description)!r} -> {short(group.description)!r})"))
    return out


def status_removed(name: str, state: State) -> Change:
    """The change for a removed (not renamed) status: breaking, deprecated or not."""
    if state.deprecated:
        return Change("status-removed", f"deprecated status {name!r} removed",
                      "stored rows may still hold it")
    return Change("status-removed", f"status {name!r} removed",
                  "code and stored data using it break")


def state_changes(a: State, b: State, shown: str) -> Iterable[Change]:
    """Label, description, final, tag, deprecation and group changes of one status."""
    if a.label != b.label and not (a.label == a.name and b.label == b.name):
        yield Change("status-changed", f"status {shown}: label {a.label!r} -> {b.label!r}")
    if a.description != b.description:
        yield Change(
            "status-changed",
            f"status {shown}: description changed "
            f"({short(a.description)!r} -> {short(b.description)!r})",
        )
    if a.final != b.final:
        if b.final:
            yield Change("status-changed", f"status {shown} is now final",
                         "nothing may leave it any more")
        else:
            yield Change("status-changed", f"status {shown} is no longer final")
    if a.tags != b.tags:
        yield Change("status-changed", f"status {shown}: tags {list(a.tags)} -> {list(b.tags)}")
    yield from _deprecation(a, b, shown)
    if a.group != b.group:
        text = (f"group {a.group!r} -> {b.group!r}" if a.group and b.group else
                f"now in group {b.group!r}" if b.group else f"no longer in group {a.group!r}")
        yield Change("status-changed", f"status {shown}: {text}")


def _deprecation(a: State, b: State, shown: str) -> Iterable[Change]:
    if b.deprecated and not a.deprecated:
        reason = f" ({b.deprecation!r})" if b.deprecation else ""
        yield Change("status-deprecated", f"status {shown} deprecated{reason}")
    elif a.deprecated and not b.deprecated:
        yield Change("status-deprecated", f"status {shown} no longer deprecated")
    elif a.deprecated and a.deprecation != b.deprecation:
        yield Change("status-deprecated",
                     f"status {shown}: deprecation reason {a.deprecation!r} -> {b.deprecation!r}")
