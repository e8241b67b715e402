"""What a wildcard or group rule covers, said in words (one phrasing for every output).

A rule written ``from = "*"`` or ``from = { group = ... }`` is drawn as one
arrow, so the words next to that arrow must say exactly which statuses it
stands for: "any non-final status", "any status except running (final
statuses included)", "any status in Error statuses except error_managing".
The expanded ``TransitionRule.sources`` stay the truth; these words describe
them. ``name`` turns a status name into the text shown for it (its label by
default; an RST emitter can pass a function that quotes it).
"""

from __future__ import annotations

from collections.abc import Callable

from statusdoc.spec.model import Machine, TransitionRule

__all__ = ["group_exceptions", "source_scope"]


def _names(machine: Machine, name: Callable[[str], str] | None) -> Callable[[str], str]:
    if name is not None:
        return name
    states = machine.state_map
    return lambda status: states[status].label


def _domain(machine: Machine, rule: TransitionRule) -> tuple[str, ...]:
    """The statuses the rule's ``from`` names before ``except``, finals and the target."""
    if rule.group is not None:
        return machine.group_members.get(rule.group, ())
    return machine.state_names


def source_scope(machine: Machine, rule: TransitionRule,
                 name: Callable[[str], str] | None = None) -> str:
    """The sources of wildcard or group ``rule`` in words, e.g.
    ``"any status except running (final statuses included)"``.

    Final statuses are mentioned only when the domain holds one the rule
    could leave: "non-final" when the rule skips them, "(final statuses
    included)" when ``include_final`` covers at least one. The ``except``
    list comes in spec order of the statuses. The rule's own target is never
    a source (no self-loops) and is not mentioned.
    """
    show = _names(machine, name)
    states = machine.state_map
    domain = [s for s in _domain(machine, rule) if s != rule.target]
    finals = any(states[s].final and s not in rule.excluded for s in domain)
    kind = "status" if rule.include_final or not finals else "non-final status"
    text = f"any {kind}"
    if rule.group is not None:
        titles = {g.name: g.title for g in machine.groups}
        text += f" in {titles.get(rule.group, rule.group)}"
    excluded = [s for s in domain if s in rule.excluded]
    if excluded:
        text += " except " + ", ".join(show(s) for s in excluded)
    if rule.include_final and finals:
        text += " (final statuses included)"
    return text


def group_exceptions(machine: Machine, rule: TransitionRule,
                     name: Callable[[str], str] | None = None) -> str:
    """For a group rule drawn from the group's box: the members it does not leave, in
    words (``"except a, b"``), or ``""`` when it leaves every member but its target.

    A member is left out by ``except`` or for being final without
    ``include_final``; the reader of the box needs the names either way.
    """
    show = _names(machine, name)
    covered = set(rule.sources)
    missing = [s for s in _domain(machine, rule) if s not in covered and s != rule.target]
    return "except " + ", ".join(show(s) for s in missing) if missing else ""
