"""How pages lay out a machine's statuses: in spec order, grouped, with anchors.

Shared by the RST page (and so the Sphinx directives) and the Markdown page,
so both list the same statuses in the same places under the same ids.
"""

from __future__ import annotations

from statusdoc.emit.escape import unique_slugs
from statusdoc.spec.model import Group, Machine, State

__all__ = ["group_anchors", "status_blocks"]


def status_blocks(machine: Machine) -> list[tuple[Group | None, tuple[State, ...]]]:
    """The status list as blocks: ``(None, (status,))`` for a status in no group,
    ``(group, members)`` for a group, at the place of its first member.

    Statuses keep spec order; a group's members follow each other in spec
    order under their group. A group with no member has no block.
    """
    groups = {g.name: g for g in machine.groups}
    blocks: list[tuple[Group | None, tuple[State, ...]]] = []
    placed: set[str] = set()
    for state in machine.states:
        if state.group is None or state.group not in groups:
            blocks.append((None, (state,)))
        elif state.group not in placed:
            placed.add(state.group)
            members = machine.group_members.get(state.group, ())
            blocks.append((groups[state.group],
                           tuple(machine.state_map[name] for name in members)))
    return blocks


def group_anchors(machine: Machine) -> dict[str, str]:
    """Every group name mapped to its anchor: ``<machine slug>-group-<group slug>``.

    Slugs follow the rule of the status anchors (``<machine>-status-<slug>``),
    so a group's anchor never equals a status's.
    """
    prefix = unique_slugs([machine.name])[machine.name]
    slugs = unique_slugs([g.name for g in machine.groups])
    return {name: f"{prefix}-group-{slug}" for name, slug in slugs.items()}
