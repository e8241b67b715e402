"""Run-time enforcement of a machine's transitions.

:class:`MachineRuntime` is mixed into :class:`statusdoc.spec.model.Machine`,
so application code calls ``machine.can(src, dst)`` directly. The hot paths
are one dict lookup and one ``frozenset`` membership test: no extra call
layer, because ``can()`` must stay within 1.5x of a bare dict lookup.

With ``machine.null`` set, ``None`` stands for that status wherever a status
is accepted: the machine's tables hold ``None`` as one more key, and in every
set holding the null status, so the hot paths stay the same. Values meant to
be stored (what ``fire()`` returns, what a :class:`StatusField` holds) are
``None`` for it; names meant for display (``targets()``, ``Status``, error
messages and their attributes) are status names.

Besides the checks, this module provides:

* ``machine.Status`` -- a :class:`enum.StrEnum` of the statuses, built once
  per machine; member names follow :func:`status_member_names`.
* ``machine.field()`` -- a :class:`StatusField` descriptor for domain classes:
  assigning a status validates the move from the current one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from statusdoc.errors import InvalidTransition, UnknownStatus
from statusdoc.membernames import status_member_name, status_member_names
from statusdoc.statusfield import StatusField

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = [
    "InvalidEvent",
    "InvalidInitialStatus",
    "MachineRuntime",
    "StatusField",
    "status_member_name",
    "status_member_names",
]


class InvalidInitialStatus(InvalidTransition):
    """The first status assigned to a :class:`StatusField` is not an allowed initial one.

    Built as ``InvalidInitialStatus(machine, None, dst, allowed, owner)``:
    ``src`` is ``None``, ``allowed`` holds the statuses the field may start
    at, ``owner`` names the attribute (``"Image.status"``).
    """

    if TYPE_CHECKING:

        def __init__(self, machine: str, src: None, dst: str, allowed: frozenset[str],
                     owner: str) -> None:
            ...

    @property
    def owner(self) -> str:
        return self.args[4]  # type: ignore[no-any-return]

    def __str__(self) -> str:
        options = ", ".join(repr(a) for a in sorted(self.allowed))
        return (
            f"{self.machine}: {self.owner} must start at one of {options}, "
            f"not {self.dst!r} (pass field(initial=...) to allow other first statuses)"
        )


class InvalidEvent(InvalidTransition):
    """:meth:`MachineRuntime.fire` got an event it cannot follow from ``src``.

    Built as ``InvalidEvent(machine, src, dst, allowed, event, events,
    ambiguous, choices)``. ``events`` are the events defined from ``src``.
    When ``event`` is defined from ``src``, ``choices`` lists its candidates
    as ``(status, guard)`` pairs (``guard`` is ``""`` when there is none) and
    ``allowed`` holds their statuses; ``ambiguous`` is true when there are
    several, and ``fire()`` was not told which (``dst`` is then ``None``) or
    was told a status that is not a candidate (``dst`` is then that status).
    """

    if TYPE_CHECKING:

        def __init__(self, machine: str, src: str, dst: str | None, allowed: frozenset[str],
                     event: str, events: tuple[str, ...], ambiguous: bool,
                     choices: tuple[tuple[str, str], ...]) -> None:
            ...

    @property
    def event(self) -> str:
        return self.args[4]  # type: ignore[no-any-return]

    @property
    def events(self) -> tuple[str, ...]:
        return self.args[5]  # type: ignore[no-any-return]

    @property
    def ambiguous(self) -> bool:
        return self.args[6]  # type: ignore[no-any-return]

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        found: tuple[tuple[str, str], ...] = self.args[7] if len(self.args) > 7 else ()
        return found

    def __str__(self) -> str:
        src = str(self.src)
        if self.choices:
            listed = ", ".join(f"{s!r} [{g}]" if g else repr(s) for s, g in self.choices)
            if self.dst is not None:
                return (f"{self.machine}: event {self.event!r} from {src!r} does not lead to "
                        f"{str(self.dst)!r} (it leads to {listed})")
            return (f"{self.machine}: event {self.event!r} from {src!r} is a choice: {listed}; "
                    "pass to=...")
        if self.events:
            hint = "events from " + repr(src) + ": " + ", ".join(repr(e) for e in self.events)
        elif self.allowed:
            hint = f"no event is defined from {src!r}"
        else:
            hint = f"no transition leaves {src!r}"
        return f"{self.machine}: event {self.event!r} is not defined from {src!r} ({hint})"


def _reduce_member(member: str, protocol: object = None) -> tuple[type[str], tuple[str]]:
    return str, (str.__str__(member),)


class MachineRuntime:
    """Enforcement methods; reads the derived tables ``Machine`` builds once."""

    __slots__ = ()

    _targets: dict[str | None, frozenset[str | None]]
    _names: dict[str | None, frozenset[str]]
    _events: dict[tuple[str | None, str], tuple[str | None, ...]]
    _guards: dict[tuple[str, str, str], str]
    _cache: dict[str, object]
    _covered: dict[str | None, set[str | None]]
    name: str
    title: str
    initial: str
    entries: tuple[str, ...]
    null: str | None
    targets_by_state: Mapping[str, frozenset[str]]

    def can(self, src: str | None, dst: str | None) -> bool:
        """True when the spec allows ``src -> dst``.

        Raises :class:`UnknownStatus` when ``src`` or ``dst`` is not a status.
        """
        targets = self._targets
        try:
            if dst in targets[src]:
                return True
        except KeyError:
            raise self._unknown(src) from None
        if dst in targets:
            return False
        raise self._unknown(dst)

    def check(self, src: str | None, dst: str | None) -> None:
        """Raise :class:`InvalidTransition` unless the spec allows ``src -> dst``."""
        targets = self._targets
        try:
            allowed = targets[src]
        except KeyError:
            raise self._unknown(src) from None
        if dst in allowed:
            return
        if dst in targets:
            if self.null is None:
                raise InvalidTransition(self.name, src, dst, allowed)  # type: ignore[arg-type]
            raise InvalidTransition(self.name, self._name(src), self._name(dst),
                                    self._names[src])
        raise self._unknown(dst)

    def targets(self, src: str | None) -> frozenset[str]:
        """The statuses ``src`` may move to (empty for a final status), by name."""
        try:
            return self._names[src]
        except KeyError:
            raise self._unknown(src) from None

    def fire(self, src: str | None, event: str, *, to: str | None = None) -> str | None:
        """The status that ``event`` leads to from ``src`` (``None`` for the null status).

        When the event leads to several statuses (a choice, documented by
        guards), ``to`` names the one to take; it may name the only target
        too. Raises :class:`InvalidEvent` (an :class:`InvalidTransition`)
        when ``event`` is not defined from ``src``, leads to several statuses
        and ``to`` is not given, or does not lead to ``to``;
        :class:`UnknownStatus` for an unknown ``src`` or ``to``. The null
        status is chosen by name (``to=None`` means "not given").
        """
        try:
            dsts = self._events[(src, event)]
        except KeyError:
            raise self._undefined(src, event) from None
        if to is None:
            if len(dsts) == 1:
                return dsts[0]
            raise self._choice(src, event, dsts, None)
        self._status_name(to)  # UnknownStatus for an unknown one
        chosen = self._stored(to)
        if chosen in dsts:
            return chosen
        raise self._choice(src, event, dsts, to)

    @property
    def Status(self) -> type[StrEnum]:
        """A :class:`enum.StrEnum` of the statuses, in spec order, built once.

        Member values are the status names; member names follow
        :func:`status_member_names`. Members are ``str``, so they work
        anywhere a status name does (``machine.can(S.QUEUED, "saving")``);
        they pickle as their plain string value.
        """
        try:
            return self._cache["Status"]  # type: ignore[return-value]
        except KeyError:
            pass
        names = status_member_names(self.targets_by_state)
        enum = StrEnum(  # type: ignore[misc]
            "Status",
            [(member, status) for status, member in names.items()],
            module=__name__,
        )
        enum.__doc__ = f"Statuses of the {self.name!r} machine, in spec order."
        # The class is built at run time, so pickle cannot find it by name:
        # members pickle as their plain string value (equal to the member).
        enum.__reduce_ex__ = _reduce_member  # type: ignore[assignment,method-assign]
        self._cache["Status"] = enum
        return enum

    def field(
        self,
        *,
        initial: str | Iterable[str] | None = None,
        default: str | None = None,
        allow_unchanged: bool = False,
    ) -> StatusField:
        """A :class:`StatusField` descriptor enforcing this machine on an attribute.

        ``initial``: the statuses the first assignment may use -- ``None``
        (default) for the machine's entry statuses, one status name, an
        iterable of names, or ``"*"`` for any status (objects loaded from
        storage). ``default``: the status a dataclass field starts at when
        none is given -- required when the machine has several entry
        statuses, else the entry status; it must be one of ``initial`` (name
        the null status by its name: ``default=None`` means "not given").
        ``allow_unchanged``: re-assigning the current status is a no-op
        instead of a checked self-transition.
        """
        return StatusField(cast("Machine", self), initial=initial, default=default,
                           allow_unchanged=allow_unchanged)

    # -- helpers of the error paths (never on a hot path) ---------------------------

    def _unknown(self, status: object) -> UnknownStatus:
        return UnknownStatus(self.name, status, self.targets_by_state)

    def _name(self, status: str | None) -> str:
        """The name of a known status value (None is the null status), a plain str."""
        if status is None:
            return self.null  # type: ignore[return-value]
        return str.__str__(status)

    def _status_name(self, status: str | None) -> str:
        """The name of ``status``; :class:`UnknownStatus` when it is none of the machine's."""
        try:
            known = status in self._targets
        except TypeError:
            known = False
        if not known:
            raise self._unknown(status)
        return self._name(status)

    def _stored(self, status: str | None) -> str | None:
        """How a known status is stored: a plain str, or None for the null status."""
        if status is None or status == self.null:
            return None
        return str.__str__(status)

    def _undefined(self, src: str | None, event: str) -> InvalidTransition:
        """The error for an event that is not defined from ``src``."""
        name = self._status_name(src)  # UnknownStatus for an unknown one
        defined = tuple(sorted({e for (s, e) in self._events if s == name}))
        return InvalidEvent(self.name, name, None, self._names[name], event, defined, False, ())

    def _choice(self, src: str | None, event: str, dsts: tuple[str | None, ...],
                to: str | None) -> InvalidEvent:
        """The error for a choice ``fire()`` was not told, or told a status it cannot make."""
        name = self._name(src)
        candidates = [self._name(d) for d in dsts]
        guards = self._guards
        choices = tuple((c, guards.get((name, event, c), "")) for c in candidates)
        return InvalidEvent(self.name, name, None if to is None else self._name(to),
                            frozenset(candidates), event, (event,), len(candidates) > 1,
                            choices)
