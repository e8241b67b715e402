"""The semantics of ``[[transitions]]``: sources, returns, duplicates and choices.

:func:`check_transitions` turns the entries :mod:`statusdoc.spec.sections`
read into :class:`~statusdoc.spec.model.TransitionRule` s and their expanded
:class:`~statusdoc.spec.model.Transition` s, reporting what only the whole
spec can tell: unknown statuses and groups, final sources, what an
``except`` names, return rules without a predecessor, duplicates, events
that ``fire()`` cannot choose between, transitions into deprecated statuses.
:class:`TransitionCheck` does it for all rules at once or a batch at a time
(a spec checked in parts, :mod:`statusdoc.spec.parts`), keeping across
batches only what the checks across transitions need, never the rules.

Expansion (of ``from``: :func:`statusdoc.spec.expansion.sources`):

* ``from = "*"``: every status, in spec order, except the target, the
  ``except`` list and (without ``include_final``) the final statuses;
* ``from = { group = "g" }``: the same over the members of ``g``;
* ``return = true``: for each source ``S``, one transition ``S -> P`` for
  every status ``P != S`` that a non-return transition leads from into
  ``S``, in spec order of ``P``.

Every step is linear in the spec plus the transitions it expands to, and
the expansion is sized before it is built: a machine past
:data:`~statusdoc.spec.expansion.MAX_TRANSITIONS` is refused at the rule
that passes the limit (``too-many-transitions``), returns included.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Callable

from statusdoc.spec import expansion
from statusdoc.spec.checker import Checker
from statusdoc.spec.expansion import MAX_TRANSITIONS, Scope, over_limit_message, size
from statusdoc.spec.model import State, Transition, TransitionRule
from statusdoc.spec.sections import RawRule, Spec

__all__ = ["Identity", "Targets", "TransitionCheck", "check_transitions"]


#: Each status's targets (the statuses its transitions lead to), each with the
#: rule of the first transition between them of each event and label: what the
#: duplicate check keeps, and the graph checks walk.
Targets = dict[str, dict[str, int | list[int]]]


def check_transitions(check: Checker, spec: Spec, raw_rules: list[RawRule],
                      known: dict[str, State]) -> tuple[list[Transition], Targets]:
    """Fill ``spec.rules`` from ``raw_rules``; return every expanded transition, and
    each status's targets.

    Nothing is expanded past the limit: then no rule and no transition comes
    back, and ``spec.transitions_broken`` is set (no graph check follows).
    ``raw_rules`` is used up (emptied, each entry let go once its rule is
    made), so the two forms of the rules are never all held together.
    """
    rules = TransitionCheck(spec, known)
    over = rules.count(raw_rules)
    if over is not None:
        rules.too_many(check, spec, *over)
        return [], {}
    targets, returning = rules.read(check, spec, raw_rules)
    returns = _return_targets(check, rules.scope, spec.rules, returning)
    if returns is None:
        spec.rules.clear()
        spec.transitions_broken = True
        return [], {}
    transitions = rules.expand(spec.rules, targets, returns)
    rules.duplicates(check, transitions, spec.rules)
    return transitions, rules.seen


#: The event and label of a rule: what tells two transitions between the same
#: statuses apart.
Identity = tuple[str | None, str]


class TransitionCheck:
    """The checks of a spec's rules, given all at once (:func:`check_transitions`)
    or a batch at a time (:mod:`statusdoc.spec.parts`).

    What it keeps across batches is what the checks across transitions need,
    and no rule or transition: the count toward the limit, each status's
    targets (:data:`Targets`), and for each status and event the few
    transitions :class:`_Choice` keeps. Checked in batches, the rules of an
    earlier batch are gone: ``recall`` tells the :data:`Identity` of one, and
    a hash of each rule's identity is kept, so that only transitions whose
    hashes match are compared exactly.
    """

    __slots__ = ("choices", "marks", "recall", "scope", "seen", "total")

    def __init__(self, spec: Spec, known: dict[str, State],
                 recall: Callable[[int], Identity] | None = None) -> None:
        self.scope = Scope(spec, known)
        #: transitions the rules counted so far expand to
        self.total = 0
        self.seen: Targets = {}
        self.choices: dict[tuple[str, str], _Choice] = {}
        self.recall = recall
        #: by rule index: the hash of its identity (in batches)
        self.marks = array("q") if recall is not None else None

    def count(self, raw_rules: list[RawRule]) -> tuple[int, int] | None:
        """Count what ``raw_rules`` expand to (a return rule: sized later); the rule
        that passes the limit and the count there, or None."""
        scope = self.scope
        for raw in raw_rules:
            self.total += size(scope, raw)
            if self.total > MAX_TRANSITIONS:
                return raw.index, self.total
        return None

    def too_many(self, check: Checker, spec: Spec, index: int, total: int) -> None:
        """Refuse the machine at rule ``index``: no rule is made, no graph check follows."""
        _too_many(check, index, total)
        spec.transitions_broken = True

    def read(self, check: Checker, spec: Spec,
             raw_rules: list[RawRule]) -> tuple[list[str | None], dict[int, RawRule]]:
        """Make ``spec.rules`` from ``raw_rules`` (used up); each rule's checked target,
        and the return rules' raw forms (their paths are needed later)."""
        known, scope = self.scope.known, self.scope
        final_state = State("", "", final=True)  # an unknown source takes the full path
        targets: list[str | None] = []
        # Status names are taken from the State (one object per name, however many
        # rules name it), not from the parsed entry, which is then left to be freed.
        returning: dict[int, RawRule] = {}
        raw_rules.reverse()
        while raw_rules:
            raw = raw_rules.pop()
            target = raw.target
            if target is not None:
                state = known.get(target)
                if state is None:
                    scope.unknown(check, ("transitions", raw.index, "to"), target)
                    target = None
                else:
                    target = state.name
                    if state.deprecated:
                        reason = state.deprecation
                        check.report(("transitions", raw.index, "to"),
                                     f"status {target!r} is deprecated"
                                     f"{f' ({reason})' if reason else ''}"
                                     ": the code no longer moves anything into it",
                                     "transition-to-deprecated")
            items = raw.sources
            source = known.get(items[0], final_state) if len(items) == 1 else final_state
            if not source.final and not raw.include_final:
                sources: tuple[str, ...] = scope.single(source)  # the common case, quickly
            else:
                sources = tuple(expansion.sources(check, scope, raw))
            targets.append(target)
            # positional: measurably faster for 20,000 rules (field order of TransitionRule)
            spec.rules.append(TransitionRule(
                raw.index, sources, target, raw.wildcard, raw.label, raw.event, raw.tags,
                raw.description, raw.line, raw.group[0] if raw.group else None,
                tuple(name for name, _ in raw.excluded) if raw.excluded else (),
                raw.include_final, raw.guard, raw.returns,
            ))
            if self.marks is not None:
                self._mark(self.marks, raw.index, (raw.event, raw.label))
            if raw.returns:
                returning[raw.index] = raw
        return targets, returning

    @staticmethod
    def _mark(marks: array[int], index: int, identity: Identity) -> None:
        if len(marks) < index:  # entries that are not tables make no rule
            marks.extend([0] * (index - len(marks)))
        marks.append(hash(identity))

    def let_go(self, spec: Spec) -> set[str]:
        """Let go of the batch's rules (``spec.rules``) and what only they shared;
        the tags they use."""
        tags = {tag for rule in spec.rules for tag in rule.tags}
        spec.rules.clear()
        self.scope.singles.clear()
        return tags

    @staticmethod
    def expand(rules: list[TransitionRule], targets: list[str | None],
               returns: dict[int, list[tuple[str, str]]]) -> list[Transition]:
        """The transitions ``rules`` expand to, in rule order."""
        transitions: list[Transition] = []
        append = transitions.append
        for rule, target in zip(rules, targets, strict=True):
            if rule.returns:
                for src, dst in returns.get(rule.index, ()):
                    append(Transition(src, dst, rule.label, rule.event, rule.tags,
                                      rule.description, rule.index, rule.guard, True))
            elif target is not None:
                for src in rule.sources:
                    append(Transition(src, target, rule.label, rule.event, rule.tags,
                                      rule.description, rule.index, rule.guard))
        return transitions

    def duplicates(self, check: Checker, transitions: list[Transition],
                   rules: list[TransitionRule]) -> None:
        """Duplicate transitions (errors) and events ``fire()`` cannot choose (warnings),
        against every transition checked before too; ``rules``: the batch's."""
        seen, choices = self.seen, self.choices
        for t in transitions:
            earlier = self._earlier(seen, t, rules)
            if earlier is not None:
                check.report(("transitions", t.rule), f"duplicate transition {t.source!r} -> "
                             f"{t.target!r} (same event and label as transitions[{earlier}])",
                             "duplicate-transition")
                continue
            if t.event is None:
                continue
            choice = choices.get((t.source, t.event))
            if choice is None:
                choices[(t.source, t.event)] = _Choice(t)
                continue
            other = choice.conflict(t)
            if other is not None:
                check.report(("transitions", t.rule, "event"),
                             f"event {t.event!r} from {t.source!r} already leads to "
                             f"{other.target!r} (transitions[{other.rule}]); fire() cannot "
                             "choose (give each a distinct guard to make it a choice)",
                             "ambiguous-event")

    def _earlier(self, seen: Targets, t: Transition,
                 rules: list[TransitionRule]) -> int | None:
        """The rule of the transition met before ``t`` with its source, target, event
        and label; None, and ``t`` is remembered, when there is none.

        ``seen`` holds source -> target -> the rule of the first transition of each
        event and label between them: no key tuple per transition (that took more
        memory than the transitions), and no transition (a batch's go with it).
        """
        targets = seen.get(t.source)
        if targets is None:
            seen[t.source] = {t.target: t.rule}
            return None
        kept = targets.get(t.target)
        if kept is None:
            targets[t.target] = t.rule
            return None
        identity = (t.event, t.label)
        marks, mark = self.marks, hash(identity)
        for rule in kept if isinstance(kept, list) else (kept,):
            if (marks is None or marks[rule] == mark) and self._identity(rule, rules) == identity:
                return rule
        if isinstance(kept, list):
            kept.append(t.rule)
        else:
            targets[t.target] = [kept, t.rule]
        return None

    def _identity(self, index: int, rules: list[TransitionRule]) -> Identity:
        """The identity of rule ``index``: from ``rules`` when it is one of them."""
        at = bisect_left(rules, index, key=_index)
        if at < len(rules) and rules[at].index == index:
            return rules[at].event, rules[at].label
        assert self.recall is not None, "a rule of an earlier batch, and nothing recalls it"
        return self.recall(index)


def _index(rule: TransitionRule) -> int:
    return rule.index


def _too_many(check: Checker, index: int, total: int) -> None:
    check.report(("transitions", index, "from"), over_limit_message(total),
                 "too-many-transitions")


# ------------------------------------------------------------------ returns


def _return_targets(check: Checker, scope: Scope, rules: list[TransitionRule],
                    returning: dict[int, RawRule]) -> dict[int, list[tuple[str, str]]] | None:
    """For each return rule (by index), its ``(source, previous status)`` pairs; None
    (after reporting) when they would take the machine past the limit."""
    if not any(rule.returns for rule in rules):
        return {}
    into: dict[str, set[str]] = {}
    total = 0
    for rule in rules:
        if not rule.returns and rule.target is not None:
            into.setdefault(rule.target, set()).update(rule.sources)
            total += len(rule.sources)
    for rule in rules:
        if rule.returns:
            total += sum(len(into.get(src, ())) for src in rule.sources)
            if total > MAX_TRANSITIONS:
                _too_many(check, rule.index, total)
                return None
    order = {name: i for i, name in enumerate(scope.known)}
    out: dict[int, list[tuple[str, str]]] = {}
    for rule in rules:
        if not rule.returns:
            continue
        raw = returning[rule.index]
        paths = {name: raw.source_path(number) for number, name in enumerate(raw.sources)}
        pairs = out[rule.index] = []
        for src in rule.sources:
            previous = sorted((p for p in into.get(src, ()) if p != src), key=order.__getitem__)
            if not previous:
                check.report(paths.get(src, ("transitions", rule.index, "from")),
                             f"return from {src!r} has nowhere to go back to: no other "
                             "transition leads into it", "return-without-predecessor")
            pairs.extend((src, p) for p in previous)
    return out


# ---------------------------------------------------- duplicates and choices


class _Choice:
    """The transitions one ``(source, event)`` has met so far, kept in O(1) space.

    Two of them conflict when their targets differ, unless they come from one
    return rule (a choice by design) or carry distinct guards. For each kind
    (any, unguarded, each guard) it keeps the first transition and the first
    with another target: one of them differs from any new target, and a
    conflict missed because both belong to one return rule was reported when
    the third transition came.
    """

    __slots__ = ("any", "by_guard", "unguarded")

    def __init__(self, first: Transition) -> None:
        self.any: list[Transition] = []
        self.unguarded: list[Transition] = []
        self.by_guard: dict[str, list[Transition]] = {}
        self._keep(first)

    def conflict(self, t: Transition) -> Transition | None:
        found = _differing(self.unguarded if t.guard else self.any, t)
        if found is None and t.guard:
            found = _differing(self.by_guard.get(t.guard, ()), t)
        self._keep(t)
        return found

    def _keep(self, t: Transition) -> None:
        kinds = [self.any, self.by_guard.setdefault(t.guard, []) if t.guard else self.unguarded]
        for kept in kinds:
            if not kept or (len(kept) == 1 and kept[0].target != t.target):
                kept.append(t)


def _differing(kept: list[Transition] | tuple[()], t: Transition) -> Transition | None:
    for other in kept:
        if other.target != t.target and not (t.returning and other.rule == t.rule):
            return other
    return None
