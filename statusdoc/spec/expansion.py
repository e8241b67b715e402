"""What a rule expands to: the statuses its ``from`` covers, counted before they are built.

``from = "*"`` stands for every non-final status but the target, so a few
bytes of spec can stand for a great many transitions: 60,000 wildcard rules
over 5,000 statuses (3.5 MB of TOML) would be 300 million transitions and
took 2.7 GB before validation refused anything. The validator counts what
each rule expands to (:func:`size`) before anything is expanded and refuses a
machine that would expand past :data:`MAX_TRANSITIONS` (see
:mod:`statusdoc.spec.transitions`), so what it builds stays proportional to
the spec. :func:`sources` then expands each rule's ``from``, reporting what
is wrong with it.
"""

from __future__ import annotations

from statusdoc.spec.checker import Checker, suggest
from statusdoc.spec.load import KeyPath
from statusdoc.spec.model import State
from statusdoc.spec.sections import RawRule, Spec

__all__ = ["MAX_TRANSITIONS", "Scope", "over_limit_message", "size", "sources"]

#: Most transitions a machine may have once wildcards are expanded.
MAX_TRANSITIONS = 200_000


class Scope:
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


def size(scope: Scope, raw: RawRule) -> int:
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


def over_limit_message(total: int, limit: int = MAX_TRANSITIONS) -> str:
    """The error for a machine whose rules expand past ``limit``."""
    return (
        f"the transitions up to this one expand to {total:,} transitions (wildcards "
        f"included), more than the limit of {limit:,}; split the machine into several specs "
        "or replace some from = \"*\" rules"
    )


def sources(check: Checker, scope: Scope, raw: RawRule) -> list[str]:
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


def _except(check: Checker, scope: Scope, raw: RawRule, covered: list[str],
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


def _explicit_sources(check: Checker, scope: Scope, raw: RawRule) -> list[str]:
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
