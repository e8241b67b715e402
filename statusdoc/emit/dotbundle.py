"""Many arrows into one status: a badge for those from below, one end point for the rest.

Layout rows (:mod:`statusdoc.emit.dotlayout`) make most arrows point down;
an arrow back up to an earlier row (a "manage" back to ``manageable`` from
five statuses) crosses every row between, and Graphviz widens each of those
rows to route it. So where more than :data:`FANIN` arrows of listed
transitions come back up into one status, they are drawn as one **badge**:
a note just above the status listing them ("manage from adopt failed,
inspect failed, clean failed", one line per label), with one short arrow into the status
(``sd-b-<status anchor>``, class ``statusdoc-fanin``); that arrow's
``statusdoc_transitions`` attribute lists them for programs reading the DOT
(a JSON array of ``[source, label]`` pairs). Where more than
:data:`SHARED_END` arrows come down into one node (or up, when not badged),
they share one end point on it (Graphviz ``samehead``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from statusdoc.emit.dotplan import Arrow, Drawing, Helper, state_svg_id, wrap
from statusdoc.spec.model import Machine

__all__ = ["BADGE_WIDTH", "FANIN", "SHARED_END", "badges", "fanin_svg_id", "sameheads"]

#: More arrows of listed transitions than this coming back up into one status are a badge.
FANIN = 2
#: More arrows than this into one node from one side share an end point.
SHARED_END = 4
#: Longest line of a badge before it wraps (in characters). Long, so that one more
#: source seldom adds a line: a taller badge moves every row below it.
BADGE_WIDTH = 80


def fanin_svg_id(machine: Machine, status: str) -> str:
    """The ``id`` of the arrow from status ``status``'s badge: ``sd-b-<status anchor>``."""
    return "sd-b-" + state_svg_id(machine, status)[len("sd-s-"):]


def _badge_text(arrows: Sequence[Arrow], labels: Mapping[str, str]) -> str:
    """"<label> from a, b" per distinct label, in order of first use, wrapped."""
    by_label: dict[str, list[str]] = {}
    for a in arrows:
        sources = by_label.setdefault(a.label, [])
        if a.tail not in sources:
            sources.append(a.tail)
    lines = []
    for label, sources in by_label.items():
        names = ", ".join(labels[s] for s in sources)
        lines.append(wrap(f"{label} from {names}" if label else f"from {names}", BADGE_WIDTH))
    return "\n".join(lines)


def badges(machine: Machine, plan: Drawing, row: Mapping[str, int]) -> Drawing:
    """``plan`` with the arrows coming back up into a status replaced by its badge
    where there are more than :data:`FANIN` of them."""
    back: dict[str, list[int]] = {}
    for i, a in enumerate(plan.arrows):
        if a.kind == "transition" and a.tail != a.head and row[a.tail] > row[a.head]:
            back.setdefault(a.head, []).append(i)
    badged = {head: idx for head, idx in back.items() if len(idx) > FANIN}
    if not badged:
        return plan
    absorbed = {i: head for head, idx in badged.items() for i in idx}
    taken = set(machine.state_names) | {h.ident for h in plan.helpers}
    labels = {s.name: s.label for s in machine.states}
    # named by its status's place in the spec, so another badge coming or going
    # leaves this one's name (and the DOT's diff) alone
    place = {name: k for k, name in enumerate(machine.state_names)}
    helpers = list(plan.helpers)
    arrows: list[Arrow] = []
    for i, a in enumerate(plan.arrows):
        head = absorbed.get(i)
        if head is None:
            arrows.append(a)
            continue
        if i != badged[head][0]:
            continue
        members = [plan.arrows[j] for j in badged[head]]
        ident = f"__statusdoc_into_{place[head]}__"
        while ident in taken:
            ident += "_"
        taken.add(ident)
        text = _badge_text(members, labels)
        helpers.append(Helper(ident, "badge", text))
        sources = tuple(dict.fromkeys(m.tail for m in members))
        arrows.append(Arrow(ident, head, "", "fanin", sources, (head,), None,
                            fanin_svg_id(machine, head),
                            ends=f"{', '.join(labels[s] for s in sources)} → {labels[head]}",
                            detail=text, absorbed=tuple((m.tail, m.label) for m in members)))
    return Drawing(tuple(helpers), tuple(arrows))


def sameheads(arrows: Sequence[Arrow], tails: Sequence[str], row: Mapping[str, int]
              ) -> list[str | None]:
    """``samehead`` per arrow: "above"/"below" where more than SHARED_END arrive from that
    side."""
    sides: list[str | None] = []
    count: dict[tuple[str, str], int] = {}
    for a, tail in zip(arrows, tails, strict=True):
        side = "above" if row[tail] < row[a.head] else "below" if row[tail] > row[a.head] else None
        sides.append(side)
        if side is not None:
            count[a.head, side] = count.get((a.head, side), 0) + 1
    return [side if side is not None and count[a.head, side] > SHARED_END else None
            for a, side in zip(arrows, sides, strict=True)]
