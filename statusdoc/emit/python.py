"""The ``python`` output kind: a dependency-free module holding the transition table.

For projects that want the spec's rules in their code without a run-time
dependency on statusdoc. The generated module needs only the standard library
(Python 3.11+, for :class:`enum.StrEnum`) and offers:

* ``MACHINE``, ``TITLE`` -- the machine's slug and title;
* ``Status`` -- a ``StrEnum`` whose member names follow
  :func:`statusdoc.runtime.status_member_names` (``style="constants"`` emits
  module-level constants instead);
* ``STATUSES`` (spec order), ``INITIAL``, ``ENTRIES``, ``FINAL``;
* ``NULL_STATUS`` -- the status stored as ``None``, or ``None``;
* ``TRANSITIONS: dict[str, frozenset[str]]`` (wildcards, groups and returns
  expanded);
* ``EVENTS: dict[tuple[str, str], tuple[str, ...]]`` -- ``(status, event)`` to
  the statuses the event leads to;
* ``GUARDS: dict[tuple[str, str, str], str]`` -- ``(status, event, target)``
  to the guard of that transition, when it has one;
* ``can``, ``check``, ``targets``, ``fire`` and the exceptions
  ``InvalidTransition`` (a ``ValueError``), ``InvalidEvent`` (an
  ``InvalidTransition``) and ``UnknownStatus`` (a ``KeyError``), with the
  same behaviour and messages as
  :class:`statusdoc.runtime.MachineRuntime`;
* ``set_hook(hook)`` -- from then on ``hook(src, dst)`` is called for every
  transition ``check`` allows and ``fire`` follows (``None`` stops it);
  :func:`statusdoc.coverage.track` passes one to record transition coverage.

The output is a pure function of the machine and ``source_name``: every
collection is written in spec order, every string with :func:`repr`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statusdoc.runtime import status_member_names

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["emit_python"]

#: Names the generated module defines itself; ``style="constants"`` keeps
#: status constants clear of them.
MODULE_NAMES = (
    "MACHINE",
    "TITLE",
    "STATUSES",
    "INITIAL",
    "ENTRIES",
    "FINAL",
    "NULL_STATUS",
    "TRANSITIONS",
    "EVENTS",
    "GUARDS",
)

_HELPERS = '''

def _tables() -> tuple[dict, dict, dict]:
    """The tables can/check/targets/fire read: with NULL_STATUS set, None stands for
    that status (one more key, and in every set holding it), so that the checks stay
    one lookup and one membership test; fire() answers None for it."""
    targets: dict = dict(TRANSITIONS)
    names: dict = dict(TRANSITIONS)
    events: dict = dict(EVENTS)
    if NULL_STATUS is not None:
        for src, dsts in TRANSITIONS.items():
            if NULL_STATUS in dsts:
                targets[src] = dsts | {None}
        targets[None] = targets[NULL_STATUS]
        names[None] = TRANSITIONS[NULL_STATUS]
        for (src, event), dsts in EVENTS.items():
            stored = tuple(None if d == NULL_STATUS else d for d in dsts)
            events[(src, event)] = stored
            if src == NULL_STATUS:
                events[(None, event)] = stored
    return targets, names, events


_TARGETS, _NAMES, _EVENTS = _tables()
_hook = None


def set_hook(hook) -> None:
    """Call ``hook(src, dst)`` for every transition check() allows and fire() follows
    (statusdoc's transition coverage passes one); ``None`` stops the calls."""
    global _hook
    _hook = hook


def _name(status: str | None) -> str:
    """The name of a known status (None is the null status), as a plain str."""
    return NULL_STATUS if status is None else str.__str__(status)


class UnknownStatus(KeyError):
    """A status name that the machine does not define."""

    def __init__(self, status: object) -> None:
        super().__init__(status)
        self.machine = MACHINE
        self.status = status

    def __str__(self) -> str:
        known = ", ".join(repr(k) for k in TRANSITIONS)
        return f"{MACHINE}: unknown status {self.status!r} (known: {known})"


class InvalidTransition(ValueError):
    """A transition the spec does not allow: ``InvalidTransition(src, dst, allowed)``.

    No ``__init__`` on purpose: the values stay in ``args``, so raising is as
    cheap as raising a ``ValueError`` and the exception pickles.
    """

    machine = MACHINE

    @property
    def src(self) -> str:
        return self.args[0]

    @property
    def dst(self) -> str:
        return self.args[1]

    @property
    def allowed(self) -> frozenset[str]:
        return self.args[2]

    def __str__(self) -> str:
        src, dst = str(self.src), str(self.dst)
        if self.allowed:
            options = ", ".join(repr(a) for a in sorted(self.allowed))
            hint = f"allowed from {src!r}: {options}"
        else:
            hint = f"{src!r} is final: no transition leaves it"
        return f"{MACHINE}: transition {src!r} -> {dst!r} is not allowed ({hint})"


class InvalidEvent(InvalidTransition):
    """``fire`` got an event it cannot follow from ``src`` (undefined, or a choice).

    ``InvalidEvent(src, dst, allowed, event, events, ambiguous, choices)``;
    ``choices`` are the candidates as ``(status, guard)`` pairs.
    """

    @property
    def event(self) -> str:
        return self.args[3]

    @property
    def events(self) -> tuple[str, ...]:
        return self.args[4]

    @property
    def ambiguous(self) -> bool:
        return self.args[5]

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return self.args[6]

    def __str__(self) -> str:
        src = str(self.src)
        if self.choices:
            listed = ", ".join(f"{s!r} [{g}]" if g else repr(s) for s, g in self.choices)
            if self.dst is not None:
                return (f"{MACHINE}: event {self.event!r} from {src!r} does not lead to "
                        f"{str(self.dst)!r} (it leads to {listed})")
            return (f"{MACHINE}: event {self.event!r} from {src!r} is a choice: {listed}; "
                    "pass to=...")
        if self.events:
            hint = "events from " + repr(src) + ": " + ", ".join(repr(e) for e in self.events)
        elif self.allowed:
            hint = f"no event is defined from {src!r}"
        else:
            hint = f"no transition leaves {src!r}"
        return f"{MACHINE}: event {self.event!r} is not defined from {src!r} ({hint})"


def can(src: str | None, dst: str | None) -> bool:
    """True when the spec allows ``src -> dst``; UnknownStatus for unknown names."""
    try:
        if dst in _TARGETS[src]:
            return True
    except KeyError:
        raise UnknownStatus(src) from None
    if dst not in _TARGETS:
        raise UnknownStatus(dst)
    return False


def check(src: str | None, dst: str | None) -> None:
    """Raise InvalidTransition unless the spec allows ``src -> dst``."""
    try:
        allowed = _TARGETS[src]
    except KeyError:
        raise UnknownStatus(src) from None
    if dst in allowed:
        if _hook is not None:
            _hook(src, dst)
        return
    if dst not in _TARGETS:
        raise UnknownStatus(dst)
    raise InvalidTransition(_name(src), _name(dst), _NAMES[src])


def targets(src: str | None) -> frozenset[str]:
    """The statuses ``src`` may move to (empty for a final status)."""
    try:
        return _NAMES[src]
    except KeyError:
        raise UnknownStatus(src) from None


def fire(src: str | None, event: str, *, to: str | None = None) -> str | None:
    """The status ``event`` leads to from ``src`` (None for the null status).

    When it leads to several, ``to`` (a status name) says which; InvalidEvent
    when the event is not defined from ``src``, or is a choice not made.
    """
    try:
        dsts = _EVENTS[(src, event)]
    except KeyError:
        if src not in _TARGETS:
            raise UnknownStatus(src) from None
        name = _name(src)
        defined = tuple(sorted({e for (s, e) in EVENTS if s == name}))
        raise InvalidEvent(name, None, _NAMES[src], event, defined, False, ()) from None
    if to is None:
        if len(dsts) != 1:
            raise _choice(src, event, dsts, None)
        chosen = dsts[0]
    elif to not in _TARGETS:
        raise UnknownStatus(to)
    else:
        chosen = None if to == NULL_STATUS else str.__str__(to)
        if chosen not in dsts:
            raise _choice(src, event, dsts, to)
    if _hook is not None:
        _hook(src, chosen)
    return chosen


def _choice(src: str | None, event: str, dsts: tuple, to: str | None) -> InvalidEvent:
    name = _name(src)
    choices = tuple((c, GUARDS.get((name, event, c), "")) for c in map(_name, dsts))
    return InvalidEvent(name, None if to is None else _name(to), frozenset(c for c, _ in choices),
                        event, (event,), len(choices) > 1, choices)
'''


def _one_line(text: str) -> str:
    """``text`` made safe for a ``#`` comment line."""
    return " ".join(text.split())


#: Longest line the emitter writes before it wraps a collection, one item a line.
WIDTH = 99


def _wrap(head: str, items: list[str], open_: str, close: str, indent: str) -> str:
    """``head`` + the collection, on one line when it fits, else one item per line."""
    flat = head + open_ + ", ".join(items) + close
    if len(indent + flat) <= WIDTH or not items:
        return flat
    inner = indent + "    "
    return head + open_ + "\n" + "".join(f"{inner}{i},\n" for i in items) + indent + close


def _all_order(name: str) -> tuple[int, str]:
    """isort-style order of ``__all__``: CONSTANTS, then Classes, then functions."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return kind, name


def _frozenset(head: str, items: list[str], indent: str = "") -> str:
    if not items:
        return head + "frozenset()"
    return _wrap(head, [repr(i) for i in items], "frozenset({", "})", indent)


def _tuple(head: str, items: list[str], indent: str = "") -> str:
    if len(items) == 1:
        return f"{head}({items[0]!r},)"
    return _wrap(head, [repr(i) for i in items], "(", ")", indent)


def emit_python(
    machine: Machine, *, source_name: str, style: str = "enum"
) -> str:
    """The Python module for ``machine`` as text.

    ``style`` is ``"enum"`` (a ``class Status(StrEnum)``, the default) or
    ``"constants"`` (one module-level ``str`` constant per status). Options
    meant for other emitters (e.g. ``templates``) are accepted and ignored,
    so the artifacts layer may pass the same options to every emitter.
    """
    if style not in ("enum", "constants"):
        raise ValueError(f"emit_python: style must be 'enum' or 'constants', not {style!r}")
    statuses = [s.name for s in machine.states]
    if style == "enum":
        members = status_member_names(statuses)
    else:
        members = status_member_names(statuses, reserved=MODULE_NAMES)

    out: list[str] = [
        f"# generated from {_one_line(source_name)} — edit the spec, not this file",
        '"""Statuses and allowed transitions of one status machine, generated by statusdoc.',
        "",
        "Needs only the Python standard library (3.11+). ``can``, ``check``, ``targets``",
        "and ``fire`` behave like the methods of a machine loaded with ``statusdoc.load``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    exported = ["MACHINE", "TITLE"]
    if style == "enum":
        out += ["from enum import StrEnum", ""]
        exported.append("Status")
    else:
        exported += [members[s] for s in statuses]
    exported += [
        "STATUSES", "INITIAL", "ENTRIES", "FINAL", "NULL_STATUS", "TRANSITIONS", "EVENTS",
        "GUARDS",
        "InvalidEvent", "InvalidTransition", "UnknownStatus", "can", "check", "fire", "targets",
    ]
    out.append("__all__ = [")
    out += [f"    {name!r}," for name in sorted(exported, key=_all_order)]
    out += ["]", ""]
    out.append("#: Slug of the machine in its spec.")
    out.append(f"MACHINE = {machine.name!r}")
    out.append(f"TITLE = {machine.title!r}")
    out.append("")
    if style == "enum":
        out += ["", "class Status(StrEnum):", '    """The statuses, in spec order."""', ""]
        out += [f"    {members[s]} = {s!r}" for s in statuses]
        out += ["", ""]
    else:
        out.append("# The statuses, in spec order.")
        out += [f"{members[s]} = {s!r}" for s in statuses]
        out.append("")
    out.append("#: Every status, in spec order.")
    out.append(_tuple("STATUSES: tuple[str, ...] = ", statuses))
    out.append(f"INITIAL: str = {machine.initial!r}")
    out.append("#: The entry statuses, in spec order (INITIAL is the first).")
    out.append(_tuple("ENTRIES: tuple[str, ...] = ", list(machine.entries)))
    out.append(_frozenset("FINAL: frozenset[str] = ", [s.name for s in machine.states if s.final]))
    out.append("#: The status stored as None (SQL NULL); None stands for it everywhere.")
    out.append(f"NULL_STATUS: str | None = {machine.null!r}")
    out.append("")
    out += _tables(machine, statuses)
    return "\n".join(out) + "\n" + _HELPERS


def _tables(machine: Machine, statuses: list[str]) -> list[str]:
    """The ``TRANSITIONS``, ``EVENTS`` and ``GUARDS`` tables, in spec order."""
    targets: dict[str, list[str]] = {s: [] for s in statuses}
    events: dict[tuple[str, str], list[str]] = {}
    for t in machine.transitions:
        if t.target not in targets[t.source]:
            targets[t.source].append(t.target)
        if t.event:
            dsts = events.setdefault((t.source, t.event), [])
            if t.target not in dsts:
                dsts.append(t.target)
    out = ["#: status -> the statuses it may move to (wildcards expanded).",
           "TRANSITIONS: dict[str, frozenset[str]] = {"]
    out += [_frozenset(f"    {s!r}: ", targets[s], "    ") + "," for s in statuses]
    out += ["}", ""]
    out.append("#: (status, event) -> the statuses the event leads to (several = ambiguous).")
    if events:
        out.append("EVENTS: dict[tuple[str, str], tuple[str, ...]] = {")
        out += [
            _tuple(f"    ({src!r}, {ev!r}): ", d, "    ") + ","
            for (src, ev), d in events.items()
        ]
        out.append("}")
    else:
        out.append("EVENTS: dict[tuple[str, str], tuple[str, ...]] = {}")
    out.append("")
    out.append("#: (status, event, target) -> the guard of that choice (documentation).")
    guards = machine._guards
    if guards:
        out.append("GUARDS: dict[tuple[str, str, str], str] = {")
        out += [f"    {key!r}: {guard!r}," for key, guard in guards.items()]
        out.append("}")
    else:
        out.append("GUARDS: dict[tuple[str, str, str], str] = {}")
    return out

