"""The words pages and diagrams use for a machine's constructs, written once.

The RST page, the Markdown page, the Mermaid diagram and the figure's alt
text all say what a wildcard covers, where a return goes, which statuses are
entries, deprecated or stored as None, and what an edge is labelled. Each
function here builds that text for any of them from an :class:`Inline`: how
the format writes a status name (code), plain text and a group's title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from statusdoc.emit.escape import one_line, rst_escape, rst_literal
from statusdoc.emit.mdescape import md_code, md_escape
from statusdoc.spec.model import Group, Machine, State, Transition, TransitionRule

__all__ = [
    "MARKDOWN",
    "PLAIN",
    "RST",
    "Inline",
    "Scopes",
    "edge_text",
    "entries_sentence",
    "has_note",
    "neighbour_sentence",
    "return_targets",
    "rule_summary",
    "source_phrase",
    "status_marks",
    "transitions_by_rule",
]


@dataclass(frozen=True)
class Inline:
    """How one output format writes the pieces of a sentence."""

    #: A status name or an event, shown verbatim.
    code: Callable[[str], str]
    #: Plain text (a label, a guard, a reason), escaped for the format.
    text: Callable[[str], str]
    #: A group's title (emphasised where the format can).
    title: Callable[[str], str]
    #: A guard in brackets: ``[all lines fulfilled]``.
    guard: Callable[[str], str]


def _plain(text: str) -> str:
    return one_line(text).strip()


def _around(start: str, escape: Callable[[str], str], end: str) -> Callable[[str], str]:
    def wrap(text: str) -> str:
        escaped = escape(text)
        return f"{start}{escaped}{end}" if escaped else ""
    return wrap


#: Unescaped text: Mermaid labels (escaped by the caller) and the alt text.
PLAIN = Inline(code=_plain, text=_plain, title=_plain, guard=_around("[", _plain, "]"))
#: reStructuredText: names as inline literals, titles in emphasis.
RST = Inline(code=rst_literal, text=rst_escape, title=_around("*", rst_escape, "*"),
             guard=_around("[", rst_escape, "]"))
#: Markdown: names as code spans, titles in emphasis, brackets that link nothing.
MARKDOWN = Inline(code=md_code, text=md_escape, title=_around("*", md_escape, "*"),
                  guard=_around("\\[", md_escape, "\\]"))

#: The mark of the status stored as ``None`` / ``NULL`` (``[machine] null``).
NULL_MARK = "stored as NULL/None"


def edge_text(label: str, event: str | None, guard: str) -> str:
    """What an arrow says: its label, with ``[guard]`` when it has one.

    A guarded arrow without a label names its event instead: ``fulfill [all
    lines fulfilled]``; an unguarded one shows only its label (maybe ``""``).
    """
    if not guard:
        return label
    head = label or event or ""
    return f"{head} [{guard}]" if head else f"[{guard}]"


def _and(parts: Sequence[str], word: str = "and") -> str:
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


@dataclass(frozen=True)
class Scopes:
    """What wildcard and group sources range over, looked up once per machine.

    Build it with :meth:`of` before phrasing many rules, so each phrase costs
    no scan of the statuses or groups.
    """

    groups: Mapping[str, Group]
    #: Groups with a final member.
    final_groups: frozenset[str]
    #: Whether the machine has a final status.
    any_final: bool

    @classmethod
    def of(cls, machine: Machine) -> Scopes:
        finals = {s.name for s in machine.states if s.final}
        return cls(groups={g.name: g for g in machine.groups},
                   final_groups=frozenset(g for g, members in machine.group_members.items()
                                          if finals.intersection(members)),
                   any_final=bool(finals))


def source_phrase(machine: Machine, rule: TransitionRule, inline: Inline,
                  scopes: Scopes | None = None) -> str:
    """Where ``rule`` starts: its statuses, or exactly what its wildcard covers.

    ``"any non-final status"`` (``from = "*"`` where some status is final),
    ``"any status except `running` (final statuses included)"``,
    ``"any status in *Error statuses* except `error_restoring`"``. "non-final"
    is said when final statuses in the scope are left out. Pass ``scopes``
    (:meth:`Scopes.of`) when phrasing many rules.
    """
    if not rule.wildcard and rule.group is None:
        return ", ".join(inline.code(s) for s in rule.sources)
    scopes = scopes if scopes is not None else Scopes.of(machine)
    if rule.group is not None:
        group = scopes.groups[rule.group]
        has_final = group.name in scopes.final_groups
        where = f" in {inline.title(group.title)}"
    else:
        has_final, where = scopes.any_final, ""
    kind = "any non-final status" if has_final and not rule.include_final else "any status"
    text = kind + where
    if rule.excluded:
        text += " except " + _and([inline.code(s) for s in rule.excluded])
    if has_final and rule.include_final:
        text += " (final statuses included)"
    return text


def transitions_by_rule(machine: Machine) -> dict[int, list[Transition]]:
    """The expanded transitions of each rule, by rule index, in spec order."""
    by_rule: dict[int, list[Transition]] = {}
    for t in machine.transitions:
        by_rule.setdefault(t.rule, []).append(t)
    return by_rule


def return_targets(transitions: Sequence[Transition]) -> list[str]:
    """The statuses a return rule's transitions lead back to, in order of first use."""
    return list(dict.fromkeys(t.target for t in transitions))


def has_note(rule: TransitionRule, hidden: frozenset[str]) -> bool:
    """Whether the page gives ``rule`` a note under the diagram.

    Rules with a description or a tag shown in text have one; so do rules
    whose meaning the transition table cannot show on its own: a return, a
    group source, a wildcard narrowed by ``except`` or widened by
    ``include_final``. (A plain ``from = "*"`` is drawn and tabled as it is.)
    """
    return bool(rule.description or set(rule.tags) - hidden or rule.returns
                or rule.group is not None or rule.excluded or rule.include_final)


def rule_summary(machine: Machine, rule: TransitionRule, transitions: Sequence[Transition],
                 inline: Inline, *, event: bool = True, scopes: Scopes | None = None) -> str:
    """One sentence (no final period) saying what ``rule`` allows.

    ``From `queued` to `saving` (upload), event `upload``` — with ``, guard
    [...]`` for a guarded rule, and for a return rule ``back to the previous
    status (...); the previous status is one of `a`, `b```, the targets its
    ``transitions`` (its expansion) lead to. ``event=False`` leaves the event
    out (the Markdown notes never named it); ``scopes`` as for :func:`source_phrase`.
    """
    source = source_phrase(machine, rule, inline, scopes)
    if rule.target is None:
        text = f"From {source} back to the previous status"
    else:
        text = f"From {source} to {inline.code(rule.target)}"
    if rule.label:
        text += f" ({inline.text(rule.label)})"
    if event and rule.event:
        text += f", event {inline.code(rule.event)}"
    if rule.guard:
        text += f", guard {inline.guard(rule.guard)}"
    if rule.returns:
        targets = [inline.code(t) for t in return_targets(transitions)]
        if len(targets) > 1:
            text += "; the previous status is one of " + _and(targets, "or")
        elif targets:
            text += f"; the previous status is {targets[0]}"
    return text


def entries_sentence(machine: Machine, inline: Inline) -> str:
    """``New objects start in `creating` (create) or `managing` (manage existing).``

    Only for a machine with several entry statuses (``""`` otherwise: the one
    initial status is marked in the status list, as it always was).
    """
    if len(machine.entries) < 2:
        return ""
    parts = []
    for name in machine.entries:
        label = machine.entry_labels.get(name, "")
        parts.append(inline.code(name) + (f" ({inline.text(label)})" if label else ""))
    return f"New objects start in {_and(parts, 'or')}."


def status_marks(machine: Machine, state: State, inline: Inline, *,
                 mark_single_entry: bool = True,
                 entries: frozenset[str] | None = None) -> list[str]:
    """What the status list says after a status's name, in this order.

    ``initial`` (the one entry status of a machine with one; left out when
    ``mark_single_entry`` is false) or ``entry`` (each entry status of a
    machine with several), ``final``, :data:`NULL_MARK` and ``deprecated`` or
    ``deprecated: <reason>``. Pass ``entries`` (``frozenset(machine.entries)``)
    when marking every status.
    """
    marks = []
    if state.name in (entries if entries is not None else machine.entries):
        if len(machine.entries) > 1:
            marks.append("entry")
        elif mark_single_entry:
            marks.append("initial")
    if state.final:
        marks.append("final")
    if state.name == machine.null:
        marks.append(NULL_MARK)
    if state.deprecated:
        reason = inline.text(state.deprecation)
        marks.append(f"deprecated: {reason}" if reason else "deprecated")
    return marks


def neighbour_sentence(machine: Machine, sources: Sequence[str], targets: Sequence[str],
                       wildcards: Sequence[TransitionRule], inline: Inline,
                       link: Callable[[str], str], scopes: Scopes | None = None) -> str:
    """``Reached from: a, b, any non-final status. Leads to: c, d.`` for one status.

    ``sources`` and ``targets`` are status names, each written by ``link``
    (the format's link to the status's entry); ``wildcards`` are the rules
    drawn as one note into the status, said as :func:`source_phrase` says
    them. Each part is one line (a changed neighbour is a one-line diff); a
    part with nothing in it is left out (``""`` when both are).
    """
    reached = [link(name) for name in sources]
    reached += list(dict.fromkeys(source_phrase(machine, rule, inline, scopes)
                                  for rule in wildcards))
    parts = []
    if reached:
        parts.append(f"Reached from: {', '.join(reached)}.")
    if targets:
        parts.append(f"Leads to: {', '.join(link(name) for name in targets)}.")
    return "\n".join(parts)
