"""The annotated diagram of an audit: the spec's transitions drawn by how often they happened.

Graphviz DOT: each allowed transition is labelled with its count and drawn
wider the more often it happened (pen width 1 to 5, by the logarithm of the
count against the most frequent); an unused one is dashed grey; a forbidden
transition that happened is red; a status never entered is dashed grey; a
status the spec does not know (seen in a forbidden transition) is red. Pure
function of the audit and the machine: same input, same bytes.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from statusdoc.emit.escape import dot_id, dot_label

if TYPE_CHECKING:
    from statusdoc.audit.result import Audit
    from statusdoc.spec.model import Machine

__all__ = ["emit_audit_dot"]

RED = "#c62828"
GREY = "#9e9e9e"


def _width(count: int, most: int) -> str:
    if most <= 1:
        return "1.0"
    return f"{1 + 4 * math.log1p(count) / math.log1p(most):.1f}"


def emit_audit_dot(machine: Machine, audit: Audit) -> str:
    """The DOT text of ``audit`` over ``machine``'s statuses and transitions."""
    counts = {(m.source, m.target): m.count for m in audit.moves}
    most = max(counts.values(), default=0)
    never = set(audit.never_entered)
    known = set(machine.state_names)
    lines = [f"digraph {dot_id(machine.name + ' audit')} {{", "  rankdir=LR;",
             '  node [shape=box, style=rounded, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for name in machine.state_names:
        style = f', style="rounded,dashed", color="{GREY}", fontcolor="{GREY}"' \
            if name in never else ""
        lines.append(f"  {dot_id(name)} [label={dot_label(name)}{style}];")
    unknown = sorted({s for m in audit.forbidden for s in (m.source, m.target)} - known)
    for name in unknown:
        lines.append(f'  {dot_id(name)} [label={dot_label(name)}, style="rounded,dashed", '
                     f'color="{RED}", fontcolor="{RED}"];')
    for src in machine.state_names:
        for dst in machine.state_names:
            if dst not in machine.targets_by_state[src]:
                continue
            n = counts.get((src, dst), 0)
            attrs = (f'label="{n}", penwidth={_width(n, most)}' if n else
                     f'label="0", style=dashed, color="{GREY}", fontcolor="{GREY}"')
            lines.append(f"  {dot_id(src)} -> {dot_id(dst)} [{attrs}];")
    for m in sorted(audit.forbidden, key=lambda m: (m.source, m.target)):
        lines.append(f"  {dot_id(m.source)} -> {dot_id(m.target)} [label=\"{m.count}\", "
                     f'penwidth={_width(m.count, most)}, color="{RED}", fontcolor="{RED}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"
