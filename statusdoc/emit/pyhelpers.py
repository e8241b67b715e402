"""The code every module of the ``python`` output kind carries after its tables,
as source text: ``can``, ``check``, ``targets``, ``fire``, ``set_hook`` and the
exceptions, which read the module's ``TRANSITIONS``, ``EVENTS``, ``GUARDS`` and
``NULL_STATUS`` (:mod:`statusdoc.emit.python` writes those).

The text is the same for every machine; it needs only the standard library.
"""

from __future__ import annotations

__all__ = ["HELPERS"]

#: Appended verbatim to every generated module.
HELPERS = '''

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
