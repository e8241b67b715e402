"""The semantics of ``[[transitions]]``: sources, returns, duplicates and choices.

:func:`check_transitions` turns the entries :mod:`statusdoc.spec.sections`
read into :class:`~statusdoc.spec.model.TransitionRule` s and their expanded
:class:`~statusdoc.spec.model.Transition` s, reporting what only the whole
spec can tell: unknown statuses and groups, final sources, what an
``except`` names, return rules without a predecessor, duplicates, events
that ``fire()`` cannot choose between, transitions into deprecated statuses.

Expansion, in one place:

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

from statusdoc.spec.checker import Checker, suggest
from statusdoc.spec.expansion import MAX_TRANSITIONS, first_over_limit, over_limit_message
from statusdoc.spec.load import KeyPath
from statusdoc.spec.model import State, Transition, TransitionRule
from statusdoc.spec.sections import RawRule, Spec

__all__ = ["check_transitions"]


class _Scope:
    """What the rules of one spec expand over, computed once."""

    def __init__(self, spec: Spec, known: dict[str, State]) -> None:
        self.known = known
        self.bad = spec.bad_names
        self.everything = list(known)
        #: the one-source tuple of each status, shared by every rule from it alone
        self.singles: dict[str, tuple[str]] = {}
        self.non_final = [s.name for s in spec.states if not s.final]
        self.groups: dict[str, list[str]] = {g.name: [] for g in spec.groups}
        for state in spec.states:
            if state.group in self.groups:
                self.groups[state.group].append(state.name)

    def single(self, state: State) -> tuple[str]:
        found = self.singles.get(state.name)
        if found is None:
            found = self.singles[state.name] = (state.name,)
        return found

    def unknown(self, check: Checker, path: KeyPath, name: str) -> None:
        if name not in self.bad:  # else the state itself was reported already
            check.report(path, f"unknown status {name!r}{suggest(name, self.known)}",
                         "unknown-status")


def check_transitions(check: Checker, spec: Spec, raw_rules: list[RawRule],
                      known: dict[str, State]) -> list[Transition]:
    """Fill ``spec.rules`` from ``raw_rules``; return every expanded transition.

    Nothing is expanded past the limit: then no rule and no transition comes
    back, and ``spec.transitions_broken`` is set (no graph check follows).
    ``raw_rules`` is used up (emptied, each entry let go once its rule is
    made), so the two forms of the rules are never all held together.
    """
    scope = _Scope(spec, known)
    over = first_over_limit(((raw.index, False, None, _size(scope, raw)) for raw in raw_rules),
                            ())
    if over is not None:
        _too_many(check, over[0], over[1])
        spec.transitions_broken = True
        return []
    final_state = State("", "", final=True)  # an unknown source takes the full path
    targets: list[str | None] = []
    # Status names are taken from the State (one object per name, however many
    # rules name it), not from the parsed entry, which is then left to be freed.
    returning: dict[int, RawRule] = {}  # return rules: their paths are needed later
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
            sources = tuple(_sources(check, scope, raw))
        targets.append(target)
        # positional: measurably faster for 20,000 rules (field order of TransitionRule)
        spec.rules.append(TransitionRule(
            raw.index, sources, target, raw.wildcard, raw.label, raw.event, raw.tags,
            raw.description, raw.line, raw.group[0] if raw.group else None,
            tuple(name for name, _ in raw.excluded) if raw.excluded else (),
            raw.include_final, raw.guard, raw.returns,
        ))
        if raw.returns:
            returning[raw.index] = raw
    returns = _return_targets(check, scope, spec.rules, returning)
    if returns is None:
        spec.rules.clear()
        spec.transitions_broken = True
        return []
    transitions: list[Transition] = []
    append = transitions.append
    for rule, target in zip(spec.rules, targets, strict=True):
        if rule.returns:
            for src, dst in returns.get(rule.index, ()):
                append(Transition(src, dst, rule.label, rule.event, rule.tags,
                                  rule.description, rule.index, rule.guard, True))
        elif target is not None:
            for src in rule.sources:
                append(Transition(src, target, rule.label, rule.event, rule.tags,
                                  rule.description, rule.index, rule.guard))
    _duplicates_and_choices(check, transitions)
    return transitions


# ------------------------------------------------------------------ sizes


def _size(scope: _Scope, raw: RawRule) -> int:
    """How many transitions ``raw`` expands to, at most (a return: sized later)."""
    if raw.returns:
        return 0
    if raw.group is not None:
        return len(scope.groups.get(raw.group[0], ()))
    if not raw.wildcard:
        return len(raw.sources)
    pool = scope.everything if raw.include_final else scope.non_final
    target = scope.known.get(raw.target) if raw.target is not None else None
    return len(pool) - (target is not None and (raw.include_final or not target.final))


def _too_many(check: Checker, index: int, total: int) -> None:
    check.report(("transitions", index, "from"), over_limit_message(total),
                 "too-many-transitions")


# ------------------------------------------------------------------ sources


def _sources(check: Checker, scope: _Scope, raw: RawRule) -> list[str]:
    """The expanded sources of one rule, each problem of its ``from`` and ``except`` reported."""
    path: KeyPath = ("transitions", raw.index, "from")
    if not raw.wildcard and raw.group is None:
        return _explicit_sources(check, scope, raw)
    if raw.group is not None:
        name, group_path = raw.group
        members = scope.groups.get(name)
        if members is None:
            check.report(group_path, f"unknown group {name!r}{suggest(name, scope.groups)}",
                         "unknown-group")
            return []
        known = scope.known
        pool = [s for s in members if raw.include_final or not known[s].final]
        what = f"group {name!r}"
    else:
        members = pool = scope.everything if raw.include_final else scope.non_final
        what = "wildcard '*'"
    covered = [s for s in pool if s != raw.target]
    if raw.excluded:
        covered = _except(check, scope, raw, covered, what)
    if not covered and scope.known and (raw.wildcard or members):
        if raw.wildcard and not raw.excluded and not raw.include_final and raw.target:
            why = f"every status other than {raw.target!r} is final"
        else:
            why = "every status it would cover is final, excepted or the target"
        check.report(path, f"{what} matches no status ({why})", "empty-wildcard")
    return covered


def _except(check: Checker, scope: _Scope, raw: RawRule, covered: list[str],
            what: str) -> list[str]:
    """``covered`` without the ``except`` list; names it could not remove are reported."""
    cover = set(covered)
    for name, path in raw.excluded:
        state = scope.known.get(name)
        if state is None:
            scope.unknown(check, path, name)
        elif name not in cover:
            if name == raw.target:
                why = "it is the target"
            elif state.final and not raw.include_final:
                why = "it is final; add include_final = true to cover final statuses"
            else:
                why = f"it is not in group {raw.group[0]!r}" if raw.group else "it is final"
            check.report(path, f"{what} does not cover {name!r} anyway ({why})",
                         "except-not-covered")
    dropped = {name for name, _ in raw.excluded}
    return [s for s in covered if s not in dropped]


def _explicit_sources(check: Checker, scope: _Scope, raw: RawRule) -> list[str]:
    sources: list[str] = []
    for number, name in enumerate(raw.sources):
        state = scope.known.get(name)
        if state is None:
            scope.unknown(check, raw.source_path(number), name)
        elif state.final and not raw.include_final:
            check.report(raw.source_path(number), f"status {name!r} is final: a final status "
                         "cannot have outgoing transitions (remove 'final = true' or this "
                         "transition, or add include_final = true to this transition for a "
                         "reset)", "transition-from-final")
        else:
            sources.append(state.name)
    return sources


# ------------------------------------------------------------------ returns


def _return_targets(check: Checker, scope: _Scope, rules: list[TransitionRule],
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


def _duplicates_and_choices(check: Checker, transitions: list[Transition]) -> None:
    """Duplicate transitions (errors) and events ``fire()`` cannot choose (warnings)."""
    seen: dict[str, dict[str, Transition | list[Transition]]] = {}
    choices: dict[tuple[str, str], _Choice] = {}
    for t in transitions:
        earlier = _earlier(seen, t)
        if earlier is not None:
            check.report(("transitions", t.rule), f"duplicate transition {t.source!r} -> "
                         f"{t.target!r} (same event and label as transitions[{earlier.rule}])",
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


def _earlier(seen: dict[str, dict[str, Transition | list[Transition]]],
             t: Transition) -> Transition | None:
    """The transition met before ``t`` with its source, target, event and label;
    None, and ``t`` is remembered, when there is none.

    ``seen`` holds source -> target -> the first transition of each event and
    label between them: no key tuple per transition (that took more memory
    than the transitions).
    """
    targets = seen.get(t.source)
    if targets is None:
        seen[t.source] = {t.target: t}
        return None
    kept = targets.get(t.target)
    if kept is None:
        targets[t.target] = t
        return None
    for other in kept if isinstance(kept, list) else (kept,):
        if other.event == t.event and other.label == t.label:
            return other
    if isinstance(kept, list):
        kept.append(t)
    else:
        targets[t.target] = [kept, t]
    return None


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
