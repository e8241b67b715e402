"""The status field descriptor: ``status = MACHINE.field()`` on a domain class.

:mod:`statusdoc.runtime` re-exports :class:`StatusField` (its documented
home); :meth:`statusdoc.runtime.MachineRuntime.field` builds one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["StatusField"]


class StatusField:
    """A data descriptor holding a status that only moves along the spec.

    Create it with :meth:`MachineRuntime.field`::

        class Image:
            status = IMAGE.field()

    The value lives in the instance ``__dict__`` under the attribute's name,
    so the owner class must not use ``__slots__`` without ``__dict__``.

    * The **first** assignment must be one of ``initial`` (by default the
      machine's entry statuses; ``"*"`` accepts any status, for objects
      loaded from storage); otherwise :class:`InvalidInitialStatus`.
    * Every later assignment is checked with :meth:`MachineRuntime.check`:
      :class:`InvalidTransition` for a move the spec does not allow (the
      value is left unchanged), :class:`UnknownStatus` for a name that is not
      a status. Re-assigning the current status is a move like any other
      (allowed only by a self-loop) unless ``allow_unchanged=True``.
    * The stored value is always a plain ``str`` (a ``Status`` member is
      stored as its value), or ``None`` for the machine's null status
      (assigned as ``None`` or by name).
    * Reading the attribute before the first assignment raises
      :class:`AttributeError`; deleting it is refused.
    * In a ``@dataclass`` (with a ``__dict__``, so not ``slots=True``),
      ``status: str = IMAGE.field()`` makes the status an ``__init__``
      argument that defaults to ``default``: the machine's entry status, or,
      for a machine with several, the one ``field(default=...)`` names.
    """

    __slots__ = ("_covered", "_renamed", "_starts", "_targets", "allow_unchanged", "default",
                 "initial", "machine", "name")

    def __init__(
        self,
        machine: Machine,
        *,
        initial: str | Iterable[str] | None = None,
        default: str | None = None,
        allow_unchanged: bool = False,
    ) -> None:
        self.machine = machine
        self._targets = machine._targets
        self._covered = machine._covered  # where statusdoc.coverage records, when it does
        # Names stored in another form: the null status's is stored as None.
        self._renamed: frozenset[str] = frozenset(
            () if machine.null is None else (machine.null,))
        self.name = ""
        if initial is None:
            starts: Iterable[str | None] = machine.entries
        elif initial == "*":
            starts = machine.targets_by_state
        elif isinstance(initial, str):
            starts = (initial,)
        else:
            starts = initial
        names = [machine._status_name(status) for status in sorted(starts, key=repr)]
        if not names:
            raise ValueError("field(initial=...) needs at least one status")
        self.initial: frozenset[str] = frozenset(names)
        self._starts: frozenset[str | None] = (
            self.initial | {None} if machine.null in self.initial else frozenset(self.initial))
        self.default: str = self._default(default)
        self.allow_unchanged = allow_unchanged

    def _default(self, default: str | None) -> str:
        """The status a dataclass field starts at when none is given."""
        machine = self.machine
        if default is None:
            if len(machine.entries) > 1:
                entries = ", ".join(repr(e) for e in machine.entries)
                raise ValueError(
                    f"{machine.name}: the machine has several entry statuses ({entries}); "
                    "pass field(default=...) to name the one a new object starts at")
            return machine.entries[0]
        name = machine._status_name(default)
        if name not in self.initial:
            options = ", ".join(repr(a) for a in sorted(self.initial))
            raise ValueError(f"{machine.name}: field(default={name!r}) is not an allowed "
                             f"first status ({options})")
        return name

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

    def __set__(self, obj: object, value: str | None) -> None:
        # The hot path, kept to one dict read, one lookup, one membership test and
        # one store: a plain str that the spec allows from the current status.
        store = obj.__dict__
        try:
            allowed = value in self._targets[store[self.name]]
        except KeyError:
            allowed = False
        except TypeError:  # an unhashable value (or stored behind the field's back)
            allowed = False
        if allowed and type(value) is str and value not in self._renamed:
            store[self.name] = value
            return
        self._set_slowly(obj, value, allowed)

    def _set_slowly(self, obj: object, value: str | None, allowed: bool) -> None:
        """``__set__`` for the rest: the first assignment, a value stored in another
        form (a ``Status`` member, the null status), a no-op, a refused move."""
        store = obj.__dict__
        name = self.name
        try:
            current = store[name]
        except KeyError:
            self._start(obj, value)
            return
        if allowed:
            store[name] = self.machine._stored(value)
            return
        if self.allow_unchanged and value in self._targets and (
                self.machine._stored(value) == current):
            return
        self.machine.check(current, value)  # raises the precise error
        raise AssertionError("unreachable: check() accepted a refused move")  # pragma: no cover

    def _start(self, obj: object, value: str | None) -> None:
        """The first assignment: ``value`` must be one of ``self.initial``."""
        if value is self:  # type: ignore[comparison-overlap]
            # A dataclass passes the descriptor itself when no status was given.
            value = self.default
            if value not in self.initial:
                raise TypeError(
                    f"{type(obj).__name__}.{self.name}: no status given and the "
                    f"machine's initial status {value!r} is not an allowed start"
                )
        if value not in self._starts:
            from statusdoc.runtime import InvalidInitialStatus

            name = self.machine._status_name(value)  # UnknownStatus for an unknown one
            raise InvalidInitialStatus(
                self.machine.name, None, name, self.initial, f"{type(obj).__name__}.{self.name}"
            )
        obj.__dict__[self.name] = self.machine._stored(value)

    def __delete__(self, obj: object) -> None:
        raise AttributeError(f"{type(obj).__name__}.{self.name}: a status cannot be deleted")

    def fire(self, obj: object, event: str, *, to: str | None = None) -> str | None:
        """Move ``obj``'s status along ``event`` (see :meth:`MachineRuntime.fire`).

        Called on the class attribute: ``Image.status.fire(image, "upload")``;
        ``to=`` chooses among several targets. Returns the new status.
        """
        dst = self.machine.fire(self.__get__(obj), event, to=to)
        obj.__dict__[self.name] = dst
        return dst

    def force(self, obj: object, value: str | None) -> None:
        """Set ``obj``'s status without checking the transition (for repairs/migrations).

        ``value`` must still be a status of the machine.
        """
        self.machine._status_name(value)  # UnknownStatus for an unknown one
        obj.__dict__[self.name] = self.machine._stored(value)

    def __repr__(self) -> str:
        return f"<StatusField {self.name!r} of machine {self.machine.name!r}>"
