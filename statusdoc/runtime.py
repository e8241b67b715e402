"""Run-time enforcement of a machine's transitions.

:class:`MachineRuntime` is mixed into :class:`statusdoc.spec.model.Machine`,
so application code calls ``machine.can(src, dst)`` directly. The hot paths
are one dict lookup and one ``frozenset`` membership test: no extra call
layer, because ``can()`` must stay within 1.5x of a bare dict lookup.

Besides the checks, this module provides:

* ``machine.Status`` -- a :class:`enum.StrEnum` of the statuses, built once
  per machine; member names follow :func:`status_member_names`.
* ``machine.field()`` -- a :class:`StatusField` descriptor for domain classes:
  assigning a status validates the move from the current one.
"""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from statusdoc.errors import InvalidTransition, UnknownStatus

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


def _is_name_char(ch: str) -> bool:
    """True when ``ch`` may appear inside a Python identifier."""
    return ch == "_" or ("a" + ch).isidentifier()


def status_member_name(status: str) -> str:
    """The enum member name for one status name, before collision handling.

    The rule, applied in this order:

    1. Unicode NFKD decomposition, then combining marks are dropped, so
       accented Latin letters become plain ones (``"café"`` -> ``"cafe"``).
    2. Upper case (``str.upper``).
    3. Every run of characters that cannot appear in a Python identifier
       (spaces, ``-``, ``.``, symbols, emoji...) and of ``_`` becomes one
       ``_``; leading and trailing ``_`` are removed. Letters of other
       scripts that are valid in identifiers (``"状态"``) are kept.
    4. NFKC normalisation (what Python does to identifiers in source code).
    5. An empty result becomes ``S``; a result that does not start like an
       identifier (a digit) gets the prefix ``S_``; a Python keyword gets
       the suffix ``_`` (only possible for non-upper-case keywords, so never
       after step 2, but kept for safety).

    >>> status_member_name("wait call-back")
    'WAIT_CALL_BACK'
    >>> status_member_name("3rd-party")
    'S_3RD_PARTY'
    >>> status_member_name("déjà vu")
    'DEJA_VU'
    """
    decomposed = unicodedata.normalize("NFKD", status)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    parts: list[str] = []
    sep = False
    for ch in letters:
        if ch != "_" and _is_name_char(ch):
            if sep and parts:
                parts.append("_")
            parts.append(ch)
            sep = False
        else:
            sep = True
    name = unicodedata.normalize("NFKC", "".join(parts))
    if not name:
        return "S"
    if not name.isidentifier():
        name = "S_" + name
        if not name.isidentifier():  # pragma: no cover - defensive: step 3 keeps name chars only
            name = "S_" + "_".join(f"{ord(c):X}" for c in status)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def status_member_names(
    statuses: Iterable[str], *, reserved: Iterable[str] = ()
) -> dict[str, str]:
    """Map each status (in the given order) to a unique enum member name.

    Names come from :func:`status_member_name`; when two statuses give the
    same name, the first (in spec order) keeps it and each later one gets the
    first free suffix ``_2``, ``_3``, ... Names in ``reserved`` are never
    given out (they count as taken from the start).

    >>> status_member_names(["a-b", "a_b", "A B"])
    {'a-b': 'A_B', 'a_b': 'A_B_2', 'A B': 'A_B_3'}
    """
    result: dict[str, str] = {}
    taken: set[str] = set(reserved)
    for status in statuses:
        base = status_member_name(status)
        name = base
        n = 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        result[status] = name
    return result


class InvalidInitialStatus(InvalidTransition):
    """The first status assigned to a :class:`StatusField` is not an allowed initial one.

    Built as ``InvalidInitialStatus(machine, None, dst, allowed, owner)``:
    ``src`` is ``None``, ``allowed`` holds the statuses the field may start
    at, ``owner`` names the attribute (``"Image.status"``).
    """

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

    Built as ``InvalidEvent(machine, src, None, allowed, event, events,
    ambiguous)``: ``dst`` is ``None``; ``events`` are the events defined from
    ``src``; ``ambiguous`` is true when ``event`` is defined from ``src`` but
    leads to several statuses (then ``allowed`` holds those statuses).
    """

    @property
    def event(self) -> str:
        return self.args[4]  # type: ignore[no-any-return]

    @property
    def events(self) -> tuple[str, ...]:
        return self.args[5]  # type: ignore[no-any-return]

    @property
    def ambiguous(self) -> bool:
        return self.args[6]  # type: ignore[no-any-return]

    def __str__(self) -> str:
        src = str(self.src)
        if self.ambiguous:
            targets = ", ".join(repr(a) for a in sorted(self.allowed))
            return (
                f"{self.machine}: event {self.event!r} from {src!r} is ambiguous: "
                f"it leads to {targets}"
            )
        if self.events:
            hint = "events from " + repr(src) + ": " + ", ".join(repr(e) for e in self.events)
        elif self.allowed:
            hint = f"no event is defined from {src!r}"
        else:
            hint = f"no transition leaves {src!r}"
        return f"{self.machine}: event {self.event!r} is not defined from {src!r} ({hint})"


class StatusField:
    """A data descriptor holding a status that only moves along the spec.

    Create it with :meth:`MachineRuntime.field`::

        class Image:
            status = IMAGE.field()

    The value lives in the instance ``__dict__`` under the attribute's name,
    so the owner class must not use ``__slots__`` without ``__dict__``.

    * The **first** assignment must be one of ``initial`` (by default the
      machine's ``initial`` status; ``"*"`` accepts any status, for objects
      loaded from storage); otherwise :class:`InvalidInitialStatus`.
    * Every later assignment is checked with :meth:`MachineRuntime.check`:
      :class:`InvalidTransition` for a move the spec does not allow (the
      value is left unchanged), :class:`UnknownStatus` for a name that is not
      a status. Re-assigning the current status is a move like any other
      (allowed only by a self-loop) unless ``allow_unchanged=True``.
    * The stored value is always a plain ``str`` (a ``Status`` member is
      stored as its value).
    * Reading the attribute before the first assignment raises
      :class:`AttributeError`; deleting it is refused.
    * In a ``@dataclass`` (with a ``__dict__``, so not ``slots=True``),
      ``status: str = IMAGE.field()`` makes the status an ``__init__``
      argument that defaults to the machine's ``initial`` status.
    """

    __slots__ = ("_targets", "allow_unchanged", "initial", "machine", "name")

    def __init__(
        self,
        machine: Machine,
        *,
        initial: str | Iterable[str] | None = None,
        allow_unchanged: bool = False,
    ) -> None:
        self.machine = machine
        self._targets = machine._targets
        self.name = ""
        if initial is None:
            starts = frozenset((machine.initial,))
        elif initial == "*":
            starts = frozenset(machine._targets)
        elif isinstance(initial, str):
            starts = frozenset((initial,))
        else:
            starts = frozenset(initial)
        for status in sorted(starts):
            if status not in machine._targets:
                raise machine._unknown(status)
        if not starts:
            raise ValueError("field(initial=...) needs at least one status")
        self.initial: frozenset[str] = starts
        self.allow_unchanged = allow_unchanged

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(
                f"{type(obj).__name__}.{self.name} has no status yet"
            ) from None

    def __set__(self, obj: object, value: str) -> None:
        store = obj.__dict__
        name = self.name
        try:
            current = store[name]
        except KeyError:
            self._start(obj, value)
            return
        try:
            allowed = value in self._targets[current]
        except (KeyError, TypeError):  # a value stored behind the field's back
            allowed = False
        if allowed:
            store[name] = value if type(value) is str else str.__str__(value)
            return
        if self.allow_unchanged and current == value:
            return
        self.machine.check(current, value)  # raises the precise error
        raise AssertionError("unreachable: check() accepted a refused move")  # pragma: no cover

    def _start(self, obj: object, value: str) -> None:
        """The first assignment: ``value`` must be one of ``self.initial``."""
        if value is self:  # type: ignore[comparison-overlap]
            # A dataclass passes the descriptor itself when no status was given.
            value = self.machine.initial
            if value not in self.initial:
                raise TypeError(
                    f"{type(obj).__name__}.{self.name}: no status given and the "
                    f"machine's initial status {value!r} is not an allowed start"
                )
        if value not in self.initial:
            if value not in self._targets:
                raise self.machine._unknown(value)
            raise InvalidInitialStatus(
                self.machine.name, None, value, self.initial, f"{type(obj).__name__}.{self.name}"
            )
        obj.__dict__[self.name] = value if type(value) is str else str.__str__(value)

    def __delete__(self, obj: object) -> None:
        raise AttributeError(f"{type(obj).__name__}.{self.name}: a status cannot be deleted")

    def fire(self, obj: object, event: str) -> str:
        """Move ``obj``'s status along ``event`` (see :meth:`MachineRuntime.fire`).

        Called on the class attribute: ``Image.status.fire(image, "upload")``.
        Returns the new status.
        """
        dst = self.machine.fire(self.__get__(obj), event)
        obj.__dict__[self.name] = dst
        return dst

    def force(self, obj: object, value: str) -> None:
        """Set ``obj``'s status without checking the transition (for repairs/migrations).

        ``value`` must still be a status of the machine.
        """
        if value not in self.machine._targets:
            raise self.machine._unknown(value)
        obj.__dict__[self.name] = str.__str__(value)

    def __repr__(self) -> str:
        return f"<StatusField {self.name!r} of machine {self.machine.name!r}>"


def _reduce_member(member: str, protocol: object = None) -> tuple[type[str], tuple[str]]:
    return str, (str.__str__(member),)


class MachineRuntime:
    """Enforcement methods; reads the derived tables ``Machine`` builds once."""

    __slots__ = ()

    _targets: dict[str, frozenset[str]]
    _events: dict[tuple[str, str], tuple[str, ...]]
    _cache: dict[str, object]
    name: str
    title: str
    initial: str

    def can(self, src: str, dst: str) -> bool:
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

    def check(self, src: str, dst: str) -> None:
        """Raise :class:`InvalidTransition` unless the spec allows ``src -> dst``."""
        targets = self._targets
        try:
            allowed = targets[src]
        except KeyError:
            raise self._unknown(src) from None
        if dst in allowed:
            return
        if dst in targets:
            raise InvalidTransition(self.name, src, dst, allowed)
        raise self._unknown(dst)

    def targets(self, src: str) -> frozenset[str]:
        """The statuses ``src`` may move to (empty for a final status)."""
        try:
            return self._targets[src]
        except KeyError:
            raise self._unknown(src) from None

    def fire(self, src: str, event: str) -> str:
        """The status that ``event`` leads to from ``src``.

        Raises :class:`InvalidEvent` (an :class:`InvalidTransition`) when
        ``event`` is not defined from ``src``, or leads to more than one
        status (ambiguous); :class:`UnknownStatus` for an unknown ``src``.
        """
        try:
            dsts = self._events[(src, event)]
        except KeyError:
            if src not in self._targets:
                raise self._unknown(src) from None
            defined = tuple(sorted({e for (s, e) in self._events if s == src}))
            raise InvalidEvent(
                self.name, src, None, self._targets[src], event, defined, False
            ) from None
        if len(dsts) != 1:
            raise InvalidEvent(self.name, src, None, frozenset(dsts), event, (event,), True)
        return dsts[0]

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
        names = status_member_names(self._targets)
        enum = StrEnum(  # type: ignore[call-overload]
            "Status",
            [(member, status) for status, member in names.items()],
            module=__name__,
        )
        enum.__doc__ = f"Statuses of the {self.name!r} machine, in spec order."
        # The class is built at run time, so pickle cannot find it by name:
        # members pickle as their plain string value (equal to the member).
        enum.__reduce_ex__ = _reduce_member  # type: ignore[assignment,method-assign]
        self._cache["Status"] = enum
        return enum  # type: ignore[no-any-return]

    def field(
        self: Machine,  # type: ignore[misc]
        *,
        initial: str | Iterable[str] | None = None,
        allow_unchanged: bool = False,
    ) -> StatusField:
        """A :class:`StatusField` descriptor enforcing this machine on an attribute.

        ``initial``: the statuses the first assignment may use -- ``None``
        (default) for the machine's ``initial`` status, one status name, an
        iterable of names, or ``"*"`` for any status (objects loaded from
        storage). ``allow_unchanged``: re-assigning the current status is a
        no-op instead of a checked self-transition.
        """
        return StatusField(self, initial=initial, allow_unchanged=allow_unchanged)

    def _unknown(self: Machine, status: object) -> UnknownStatus:  # type: ignore[misc]
        return UnknownStatus(self.name, status, self._targets)
