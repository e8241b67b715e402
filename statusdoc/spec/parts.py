"""Check a spec written in parts, holding only what the checks across transitions need.

``statusdoc import`` writes specs of tens of thousands of transitions. The
whole check (:func:`~statusdoc.spec.validate.check_document`) holds the parsed
data, then a rule and a transition per entry: over ten times the text. The
writer knows where its parts begin: the head (``[machine]``, ``[groups]``,
``[states]``), runs of ``[[transitions]]`` entries, and the rest
(``[diagram]``); in YAML, the same entries (:class:`_Part` says how a
YAML run reads alone). :func:`check_parts` parses each part alone and reads them
with the code of the whole check, in its order:

1. the head's tables; each run's entries (types and text, counted toward the
   limit), the run let go once read; the rest's tables;
2. the checks of the statuses; each run again, parsed and read anew (quietly:
   its problems are reported already) and checked by
   :class:`~statusdoc.spec.transitions.TransitionCheck`, which keeps across
   runs each status's targets with a rule number and a hash of each rule's
   event and label, never a rule or a transition (two transitions whose
   hashes match are compared exactly, the earlier rule read again from its
   run: :class:`_Recall`);
3. the checks that need every transition: reachability, ways out, unused
   tag styles.

So the problems are the whole check's, located in the whole text. Parts are
read alone only where that reads them as the whole text: each parses without
a problem; every part after the head starts with a table header (no key of
it can belong to the table before); a run holds ``[[transitions]]`` entries
only, no other part holds ``transitions``, and no other top-level key is in
two parts. Otherwise, for a spec with ``return = true`` rules (their
transitions need every rule first) and for one with duplicates in many
earlier runs, :func:`check_parts` returns None and the caller checks the
whole text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from statusdoc.errors import Problem
from statusdoc.spec.checker import Checker, Unwanted
from statusdoc.spec.load import MAX_BYTES, Document, KeyPath, parse_document
from statusdoc.spec.positions import Positions
from statusdoc.spec.sections import RawRule, Spec, read_transitions
from statusdoc.spec.transitions import Identity, TransitionCheck
from statusdoc.spec.validate import after_transitions, before_transitions, read_head, read_rest
from statusdoc.suggest import budget as suggestion_budget

__all__ = ["RUN_HEADER", "check_parts"]

#: How every run of transitions begins (and no other part), in TOML.
RUN_HEADER = "[[transitions]]\n"
#: How the first run of transitions begins in YAML; the others begin with an
#: element (``- ``) and are read after this line.
YAML_RUN = "transitions:\n"


class _Part:
    """One part of the text: where it lies, the lines before it, and its format.

    A YAML run after the first is a continuation of the ``transitions``
    sequence: it is parsed after a ``transitions:`` line (:data:`YAML_RUN`),
    so it reads as it does in the whole text (its lines counted from that line).
    """

    __slots__ = ("end", "format", "lines", "prefix", "start")

    def __init__(self, start: int, end: int, lines: int, format: str, prefix: str) -> None:
        self.start = start
        self.end = end
        self.prefix = prefix
        self.lines = lines - prefix.count("\n")
        self.format = format

    def parse(self, text: str, filename: str) -> Document | None:
        """The part parsed alone; None when that finds any problem."""
        document, problems = parse_document(self.prefix + text[self.start : self.end],
                                            self.format, filename)
        if document is None or problems or not isinstance(document.data, dict):
            return None
        return document


class _Located(Positions):
    """Lines in the whole text of key paths read from its parts: a path is looked up
    in the part that holds it, and moved down by the lines before that part.

    A run's entries are numbered from its first (``firsts``). The positions of
    the part last parsed are kept (the rest's always, it is small); those of
    another part are read again when a problem is located in it: the head's,
    once its tables are read, or an earlier run's.
    """

    __slots__ = ("entries", "firsts", "head", "held", "runs", "tail", "tail_keys", "text",
                 "where")

    #: The number :meth:`hold` knows the head by (runs count from 0).
    HEAD = -1

    def __init__(self, text: str, where: str, head: _Part) -> None:
        super().__init__()
        self.text = text
        self.where = where  # the file name the parts are parsed under
        self.head = head
        self.tail: tuple[Positions, int] | None = None
        self.tail_keys: frozenset[Any] = frozenset()
        self.runs: list[_Part] = []
        #: the number of each run's first entry, and of the entries numbered so far
        self.firsts: list[int] = []
        self.entries = 0
        self.held: tuple[int, Positions] | None = None

    def hold(self, number: int, document: Document) -> None:
        """Keep the positions of part ``number`` (:attr:`HEAD` or a run), just parsed."""
        self.held = (number, document.positions)

    def _part(self, number: int) -> Positions:
        if self.held is None or self.held[0] != number:
            part = self.head if number == self.HEAD else self.runs[number]
            document = part.parse(self.text, self.where)
            assert document is not None  # it parsed alike before
            self.hold(number, document)
        assert self.held is not None
        return self.held[1]

    def _find(self, path: KeyPath) -> tuple[Positions, KeyPath, int]:
        """The positions that hold ``path``, the path there, and the lines before."""
        top = path[0] if path else None
        if top == "transitions" and self.runs:
            index = path[1] if len(path) > 1 and type(path[1]) is int else 0
            number = max(bisect_right(self.firsts, index) - 1, 0)
            local = path if len(path) < 2 else ("transitions", index - self.firsts[number],
                                                *path[2:])
            return self._part(number), local, self.runs[number].lines
        if self.tail is not None and top in self.tail_keys:
            return self.tail[0], path, self.tail[1]
        return self._part(self.HEAD), path, 0

    def line(self, path: KeyPath) -> int:
        positions, local, lines = self._find(path)
        return positions.line(local) + lines

    def quick(self, path: KeyPath) -> int:
        positions, local, lines = self._find(path)
        return positions.quick(local) + lines

    def exact(self, path: KeyPath) -> int:
        positions, local, lines = self._find(path)
        found = positions.exact(local)
        return found + lines if found else 0


def _parts(text: str, starts: Sequence[int], format: str) -> list[_Part] | None:
    """The parts beginning at 0 and at ``starts``; None unless each after the first
    begins a line with a table header (TOML), a top-level key or a top-level
    sequence's element (YAML)."""
    bounds = [0, *starts, len(text)]
    parts: list[_Part] = []
    lines = 0
    opening = "[" if format == "toml" else None
    for start, end in pairwise(bounds):
        if start >= end or (start and (text[start - 1] != "\n" or text[start] in " \t#\n"
                                       or (opening and text[start] != opening))):
            return None
        element = format == "yaml" and start and text.startswith("- ", start)
        parts.append(_Part(start, end, lines, format, YAML_RUN if element else ""))
        lines += text.count("\n", start, end)
    return parts


def _run_root(part: _Part, text: str, where: str) -> tuple[Document, dict[str, Any]] | None:
    """A run parsed alone and its data; None unless it is ``[[transitions]]`` entries only."""
    document = part.parse(text, where)
    if document is None:
        return None
    data = document.take_data()
    if set(data) != {"transitions"} or type(data["transitions"]) is not list:
        return None
    return document, data


def check_parts(text: str, starts: Sequence[int], filename: str,
                unwanted: Unwanted | None = None, format: str = "toml") -> list[Problem] | None:
    """The problems of spec ``text`` (TOML or YAML), whose parts after the first
    begin at ``starts``: those of the whole check (see the module docstring),
    without the warnings ``unwanted`` says the caller would drop. None when the
    parts cannot be read alone as the whole text (the caller checks it whole)."""
    parts = _parts(text, starts, format) if len(text) <= MAX_BYTES else None
    if not parts:
        return None
    head = parts[0].parse(text, filename)
    if head is None or not head.data or "transitions" in head.data:
        return None
    located = _Located(text, filename, parts[0])
    located.hold(located.HEAD, head)
    root: dict[Any, Any] = head.take_data()
    del head  # its positions stay while they are held
    runs = parts[1:]
    rest: dict[Any, Any] = {}
    if runs and not _is_run(text, runs[-1]):  # the rest: [diagram] ...
        last = runs.pop()
        tail = last.parse(text, filename)
        if tail is None or "transitions" in tail.data or set(tail.data) & set(root):
            return None
        located.tail = (tail.positions, last.lines)
        located.tail_keys = frozenset(tail.data)
        rest = tail.take_data()
    if any(not _is_run(text, run) for run in runs):
        return None
    located.runs = runs
    if runs:
        root["transitions"] = []  # read run by run, below
    root.update(rest)
    check = Checker(Document(None, filename, format, located.line, located), unwanted)
    try:
        return _check(check, located, root)
    except _WholeCheck:
        return None


def _is_run(text: str, part: _Part) -> bool:
    """Whether ``part`` begins as a run of transitions does."""
    if part.format == "toml":
        return text.startswith(RUN_HEADER, part.start)
    return bool(part.prefix) or text.startswith(YAML_RUN, part.start)


class _WholeCheck(Exception):
    """Internal: the parts are better checked as the whole text."""


def _check(check: Checker, located: _Located, root: dict[Any, Any]) -> list[Problem] | None:
    """Read and check the parts (the steps of the module docstring)."""
    spec = Spec()
    read_head(check, spec, root)
    for key in ("machine", "states", "groups"):  # read: let go
        root.pop(key, None)
    known = {s.name: s for s in spec.states}
    rules = TransitionCheck(spec, known, _Recall(check, located))
    over: tuple[int, int] | None = None
    for number in range(len(located.runs)):
        raw_rules = _read_run(check, spec, located, number)
        if raw_rules is None or any(raw.returns for raw in raw_rules):
            return None
        if over is None:
            over = rules.count(raw_rules)
    allowed = read_rest(check, spec, root)
    del root
    before_transitions(check, spec, known)
    rule_tags: set[str] = set()
    if over is not None:
        rules.too_many(check, spec, *over)
    for number in range(len(located.runs) if over is None else 0):
        quiet = Checker(check.doc)  # read as in step 1, whose problems are reported
        with suggestion_budget(0):
            raw_rules = _read_run(quiet, Spec(), located, number)
        assert raw_rules is not None  # it read alike before
        targets, _returning = rules.read(check, spec, raw_rules)
        rules.duplicates(check, rules.expand(spec.rules, targets, {}), spec.rules)
        rule_tags |= rules.let_go(spec)
    after_transitions(check, spec, known, rules.seen, rule_tags)
    return [p for p in check.problems if p.rule not in allowed]


def _read_run(check: Checker, spec: Spec, located: _Located,
              number: int) -> list[RawRule] | None:
    """The entries of run ``number`` as read (:func:`read_transitions`)."""
    part = located.runs[number]
    found = _run_root(part, located.text, located.where)
    if found is None:
        return None
    document, data = found
    if number == len(located.firsts):  # the first reading: its entries are numbered now
        located.firsts.append(located.entries)
        located.entries += len(data["transitions"])
    located.hold(number, document)
    return read_transitions(check, spec, data, located.firsts[number])


class _Recall:
    """The identity of a rule of an earlier run, read again from its run (when two
    transitions' hashes match). A spec that asks this of more than
    :data:`RECALLS` runs (many duplicate transitions) is better checked whole."""

    __slots__ = ("check", "known", "located", "reads")

    #: Runs read again before the check gives up on parts.
    RECALLS = 64

    def __init__(self, check: Checker, located: _Located) -> None:
        self.check = check
        self.located = located
        self.reads = 0
        self.known: dict[int, Identity] = {}  # the identities of the run last read

    def __call__(self, index: int) -> Identity:
        found = self.known.get(index)
        if found is None:
            self.reads += 1
            if self.reads > self.RECALLS:
                raise _WholeCheck
            located = self.located
            number = bisect_right(located.firsts, index) - 1
            with suggestion_budget(0):
                raw_rules = _read_run(Checker(self.check.doc), Spec(), located, number)
            assert raw_rules is not None  # it read alike before
            self.known = {raw.index: (raw.event, raw.label) for raw in raw_rules}
            found = self.known[index]
        return found
