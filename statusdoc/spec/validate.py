"""Check parsed spec data and build the immutable Machine.

:func:`check_document` walks the parsed document once and collects *every*
problem (errors and warnings, each located by line and key path and named
by its rule); when there is no error, :meth:`Checked.machine` builds the
:class:`~statusdoc.spec.model.Machine` (:func:`build_machine` does both).
:mod:`statusdoc.spec.sections` reads each table,
:mod:`statusdoc.spec.transitions` expands and checks the transitions, and
this module checks what only the whole spec can tell about statuses (entry
statuses, the null status, groups, reachability). All checks are linear in
the size of the spec.
"""

from __future__ import annotations

from collections import deque

from statusdoc.errors import Problem
from statusdoc.spec import keys as K
from statusdoc.spec.checker import Checker, Table, Unwanted, suggest
from statusdoc.spec.diagramsection import read_diagram
from statusdoc.spec.load import Document, KeyPath
from statusdoc.spec.model import Machine, State, Transition
from statusdoc.spec.sections import (
    RawRule,
    Spec,
    read_groups,
    read_lint,
    read_machine,
    read_states,
    read_transitions,
)
from statusdoc.spec.transitions import Targets, check_transitions


def build_machine(doc: Document) -> tuple[Machine | None, list[Problem]]:
    """Check ``doc`` and build its Machine; the Machine is None when any error was found.

    Warnings of the rules the spec's ``[lint] allow`` names are left out.
    """
    checked, problems = check_document(doc)
    return (checked.machine() if checked is not None else None), problems


class Checked:
    """A spec that passed every check: what its Machine is built from.

    It holds neither the parsed data nor the source positions, so a caller
    that lets go of the :class:`Document` before :meth:`machine` has only the
    model in memory while the Machine's lookups are built.
    """

    __slots__ = ("source", "spec", "transitions")

    def __init__(self, spec: Spec, transitions: list[Transition], source: str) -> None:
        self.spec = spec
        self.transitions = transitions
        self.source = source

    def machine(self) -> Machine:
        """The Machine (the lists it is made of are handed over, not copied twice)."""
        spec = self.spec
        entries = tuple(name for name, _ in spec.entries)
        labels = ({e: spec.entry_label for e in entries} if spec.entry_label
                  else {status: label for status, label, _ in spec.entry_label_items})
        transitions, self.transitions = tuple(self.transitions), []
        rules, spec.rules = tuple(spec.rules), []
        return Machine(
            name=spec.name,
            title=spec.title,
            initial=entries[0],
            states=tuple(spec.states),
            rules=rules,
            transitions=transitions,
            intro=spec.intro,
            initial_label=labels.get(entries[0], ""),
            diagram=spec.diagram,
            language=spec.language,
            source=self.source,
            entries=entries,
            entry_labels=labels,
            null=spec.null,
            groups=tuple(spec.groups),
        )


def check_document(doc: Document, unwanted: Unwanted | None = None,
                   ) -> tuple[Checked | None, list[Problem]]:
    """Every problem of ``doc``, and (when none is an error) what to build its Machine from.

    The parsed data is taken from ``doc`` (:meth:`Document.take_data`) and let go
    once every table has been read; the positions stay for the later checks.
    Warnings ``unwanted`` says the caller would drop are not kept.
    """
    check = Checker(doc, unwanted)
    spec = Spec()
    data = doc.take_data()
    if data is None or data == {} or data == [] or data == "":
        check.report((), "empty spec: expected [machine], [states.*] and [[transitions]]",
                     "empty-spec")
        return None, check.problems
    root = check.table(data, ())
    if root is None:
        return None, check.problems
    read_head(check, spec, root)
    raw_rules = read_transitions(check, spec, root)
    allowed = read_rest(check, spec, root)
    del data, root  # all read: only the checked pieces are needed from here on
    transitions = _semantics(check, spec, raw_rules)
    problems = [p for p in check.problems if p.rule not in allowed]
    if check.has_errors:
        return None, problems
    return Checked(spec, transitions, doc.filename), problems


def read_head(check: Checker, spec: Spec, root: Table) -> None:
    """Read what comes before ``[[transitions]]``: the top-level keys, ``[machine]``,
    the statuses and the groups (:func:`read_transitions` follows, then
    :func:`read_rest`; :mod:`statusdoc.spec.parts` reads a spec in parts alike)."""
    check.section(root, K.SPEC, ())
    read_machine(check, spec, root)
    read_states(check, spec, root)
    read_groups(check, spec, root)


def read_rest(check: Checker, spec: Spec, root: Table) -> frozenset[str]:
    """Read what comes after ``[[transitions]]``: ``[diagram]`` and ``[lint]``; the
    warning rules the spec allows."""
    read_diagram(check, spec, root)
    return read_lint(check, root)


# ---------------------------------------------------------------- semantics


def _unknown(check: Checker, path: KeyPath, name: str, known: dict[str, State],
             bad: set[str]) -> None:
    if name in bad:
        return  # the state itself was reported already
    check.report(path, f"unknown status {name!r}{suggest(name, known)}", "unknown-status")


def _semantics(check: Checker, spec: Spec, raw_rules: list[RawRule]) -> list[Transition]:
    known = {s.name: s for s in spec.states}
    before_transitions(check, spec, known)
    transitions, outgoing = check_transitions(check, spec, raw_rules, known)
    after_transitions(check, spec, known, outgoing, {t for r in spec.rules for t in r.tags})
    return transitions


def before_transitions(check: Checker, spec: Spec, known: dict[str, State]) -> None:
    """The checks of the statuses that come before the transitions' (entry statuses,
    the null status, groups); ``known``: the statuses by name."""
    _entry_checks(check, spec, known)
    _null_checks(check, spec, known)
    _group_checks(check, spec)


def after_transitions(check: Checker, spec: Spec, known: dict[str, State],
                      outgoing: Targets, rule_tags: set[str]) -> None:
    """The checks that need every transition: reachability and ways out (given each
    status's targets), and tag styles no status or rule (``rule_tags``) uses."""
    if not spec.transitions_broken and not spec.bad_names:
        _graph_checks(check, spec, known, outgoing)
    tags_used = {t for s in spec.states for t in s.tags} | rule_tags
    for style in spec.diagram.tags:
        if style.name not in tags_used:
            check.report(("diagram", "tags", style.name),
                         f"style for tag {style.name!r}, which no status or transition uses"
                         f"{suggest(style.name, sorted(tags_used))}", "unused-tag-style")


def _entry_checks(check: Checker, spec: Spec, known: dict[str, State]) -> None:
    """Entry statuses exist and are not deprecated; labelled ones are entries."""
    for name, path in spec.entries:
        state = known.get(name)
        if state is None:
            _unknown(check, path, name, known, spec.bad_names)
        elif state.deprecated:
            check.report(path, f"entry status {name!r} is deprecated: new objects cannot "
                         "start in a status the code no longer sets", "deprecated-entry")
    entries = [name for name, _ in spec.entries]
    for status, _, path in spec.entry_label_items:
        if status not in entries:
            hint = suggest(status, entries) or (
                " (entry statuses: " + ", ".join(repr(e) for e in entries) + ")")
            check.report(path, f"initial_label names {status!r}, which is not an entry "
                         f"status{hint}", "unknown-entry")


def _null_checks(check: Checker, spec: Spec, known: dict[str, State]) -> None:
    """``null`` names a status, and no other status reads as None too."""
    null = spec.null
    if null is None:
        return
    if null not in known:
        _unknown(check, ("machine", "null"), null, known, spec.bad_names)
    for state in spec.states:
        if state.name != null and state.name.casefold() in K.NULL_WORDS:
            check.report(("states", state.name),
                         f"status {state.name!r} collides with the null status {null!r} "
                         f"(machine.null): Python None and YAML/JSON null would stand for "
                         "both; rename it", "null-collision")


def _group_checks(check: Checker, spec: Spec) -> None:
    """Each status's group is declared; each declared group has a member."""
    names = [g.name for g in spec.groups]
    used: set[str] = set()
    for state in spec.states:
        if state.group is None:
            continue
        used.add(state.group)
        if state.group not in names:
            check.report(("states", state.name, "group"),
                         f"unknown group {state.group!r}{suggest(state.group, names)} "
                         "(declare it in a [groups.<name>] table)", "unknown-group")
    for group in spec.groups:
        if group.name not in used:
            check.report(("groups", group.name),
                         f"group {group.name!r} has no status (set group = "
                         f"{group.name!r} on its statuses, or remove it)", "empty-group")


def _graph_checks(check: Checker, spec: Spec, known: dict[str, State],
                  outgoing: Targets) -> None:
    entries = [name for name, _ in spec.entries if name in known]
    if entries:
        reached = set(entries)
        todo = deque(entries)
        while todo:
            for nxt in outgoing.get(todo.popleft(), ()):
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        start = (f"the initial status {entries[0]!r}" if len(entries) == 1
                 else "the entry statuses " + ", ".join(repr(e) for e in entries))
        for state in spec.states:
            if state.name not in reached and not state.deprecated:
                check.report(("states", state.name),
                             f"status {state.name!r} is unreachable from {start} (add a "
                             "transition into it, or mark it deprecated)", "unreachable-status")
    for state in spec.states:
        if not state.final and not state.deprecated and not outgoing.get(state.name):
            check.report(("states", state.name),
                         f"status {state.name!r} is not final but has no way out (add a "
                         "transition from it, or mark it final = true)", "no-way-out")
