"""The status field: ``status = MACHINE.field()`` on a domain class.

:mod:`statusdoc.runtime` re-exports :class:`StatusField` (its documented
home); :meth:`statusdoc.runtime.MachineRuntime.field` builds one.

Why a ``property`` with generated accessors: an assignment through a
descriptor written in Python (``__set__``) pays for CPython's generic slot
call and for ``obj.__dict__``, about twice a hand-written ``@property``
setter. A ``property`` calls its setter from C, and a setter whose source
names the storage attribute (``obj.__statusdoc_status``) gets the
interpreter's specialised attribute loads and stores; the same technique
``dataclasses`` uses for ``__init__``. The name comes from the class body
(``__set_name__``), never from a spec, and must be an identifier.
"""

from __future__ import annotations

import unicodedata
import weakref
from collections.abc import Callable, Iterable
from functools import cache
from types import CodeType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["StatusField"]

#: The prefix of the instance attribute a field stores its value in.
STORAGE_PREFIX = "__statusdoc_"

_UNSET = object()

#: The setter's hot path: one attribute load, one lookup, one membership test, one
#: store, for a plain str that the spec allows from the current status. Everything
#: else (the first assignment, a value stored in another form, a refusal) goes to
#: ``field._set_slowly``.
_SETTER = """
def fset(obj, value):
    try:
        allowed = value in targets[obj.{attr}]
    except (AttributeError, KeyError, TypeError):
        allowed = False
    if allowed and type(value) is str{renamed}:
        obj.{attr} = value
        return
    field._set_slowly(obj, value, allowed)
"""

#: The same while :mod:`statusdoc.coverage` records: the hot path tests the move
#: against the transitions already recorded (``machine._covered``, which holds
#: allowed ones only), so a move seen before costs what it costs unrecorded; a
#: first sighting, and everything else, goes to ``field._set_recording``.
_RECORDING_SETTER = """
def fset(obj, value):
    try:
        seen = value in covered[obj.{attr}]
    except (AttributeError, KeyError, TypeError):
        seen = False
    if seen and type(value) is str{renamed}:
        obj.{attr} = value
        return
    field._set_recording(obj, value)
"""

_GETTER = """
def fget(obj):
    try:
        return obj.{attr}
    except AttributeError:
        field._raise_unset(obj)
"""

#: Before ``__set_name__``: a field that is not a class attribute has nowhere to store.
_UNNAMED = """
def fget(obj):
    field._raise_unnamed()

def fset(obj, value):
    field._raise_unnamed()
"""

#: The function that records a transition from a status not yet recorded from, while
#: :mod:`statusdoc.coverage` records; None otherwise.
_record_first: Callable[[Any, Any, Any], None] | None = None
#: Every named field, so that recording can be switched on and off in all of them.
_fields: weakref.WeakSet[StatusField] = weakref.WeakSet()


@cache
def _accessors(attr: str, renamed: bool, recording: bool) -> tuple[CodeType, CodeType]:
    """The code of the getter and setter storing in ``attr`` (compiled once per variant)."""
    setter = _RECORDING_SETTER if recording else _SETTER
    source = (_GETTER + setter).format(
        attr=attr, renamed=" and value not in renamed" if renamed else "")
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<statusdoc field {attr}>", "exec"), namespace)
    return namespace["fget"].__code__, namespace["fset"].__code__


def record_transitions(record_first: Callable[[Any, Any, Any], None] | None) -> None:
    """Make every field record its transitions (``record_first`` given) or stop.

    :mod:`statusdoc.coverage` calls it; while off, a field runs the setter
    without any recording code in it.
    """
    global _record_first
    _record_first = record_first
    for field in list(_fields):
        field._install()


class StatusField(property):
    """An attribute holding a status that only moves along the spec.

    Create it with :meth:`MachineRuntime.field`::

        class Image:
            status = IMAGE.field()

    The value lives in the instance attribute ``__statusdoc_<name>``
    (:attr:`storage_name`), so the owner class must not use ``__slots__``
    without ``__dict__``.

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

    # No __slots__: property's __init__ stores a subclass instance's __doc__ in its
    # __dict__ (the per-field attributes are off the hot path anyway).

    def __init__(
        self,
        machine: Machine,
        *,
        initial: str | Iterable[str] | None = None,
        default: str | None = None,
        allow_unchanged: bool = False,
    ) -> None:
        self.machine = machine
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
        # The accessors' globals: what the generated code reads, one dict per field.
        self._namespace: dict[str, Any] = {
            "field": self, "machine": machine, "targets": machine._targets,
            "renamed": self._renamed, "covered": machine._covered, "attr": "",
            "__builtins__": __builtins__,
        }
        exec(_UNNAMED, self._namespace)
        super().__init__(self._namespace["fget"], self._namespace["fset"],
                         self._refuse_delete)

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

    @property
    def storage_name(self) -> str:
        """The instance attribute holding the value (``""`` before the field is named)."""
        return str(self._namespace["attr"])

    def __set_name__(self, owner: type, name: str) -> None:
        if self.name and name != self.name:
            raise TypeError(f"this status field is already {self.name!r}; a field "
                            f"serves one attribute name, not also {name!r}: create another "
                            "with field()")
        # Source code spells identifiers in NFKC form; the string must match it.
        attr = unicodedata.normalize("NFKC", STORAGE_PREFIX + name)
        if not attr.isidentifier():
            raise TypeError(f"a status field needs an identifier as its name, not {name!r}")
        self.name = name
        self._namespace["attr"] = attr
        _fields.add(self)
        self._install()

    def _install(self) -> None:
        """Give the accessors the code for this field's name and the recording state."""
        namespace = self._namespace
        getter, setter = _accessors(namespace["attr"], bool(self._renamed),
                                    _record_first is not None)
        self.fget.__code__ = getter  # type: ignore[union-attr]
        self.fset.__code__ = setter  # type: ignore[union-attr]

    def _raise_unnamed(self) -> None:
        raise TypeError(f"{self!r} is not a class attribute: assign machine.field() in a "
                        "class body, where Python gives it its name")

    def _raise_unset(self, obj: object) -> None:
        raise AttributeError(f"{type(obj).__name__}.{self.name} has no status yet") from None

    def _refuse_delete(self, obj: object) -> None:
        raise AttributeError(f"{type(obj).__name__}.{self.name}: a status cannot be deleted")

    def _set_slowly(self, obj: object, value: str | None, allowed: bool) -> None:
        """The setter for the rest: the first assignment, a value stored in another
        form (a ``Status`` member, the null status), a no-op, a refused move."""
        attr = self.storage_name
        current: Any = getattr(obj, attr, _UNSET)
        if current is _UNSET:
            self._start(obj, value)
            return
        if allowed:
            setattr(obj, attr, self.machine._stored(value))
            return
        targets = self.machine._targets
        if self.allow_unchanged and value in targets and (
                self.machine._stored(value) == current):
            return
        self.machine.check(current, value)  # raises the precise error
        raise AssertionError("unreachable: check() accepted a refused move")  # pragma: no cover

    def _set_recording(self, obj: object, value: str | None) -> None:
        """The recording setter for a move not recorded yet: set it, then record it."""
        attr = self.storage_name
        current: Any = getattr(obj, attr, _UNSET)
        try:
            allowed = value in self.machine._targets[current]
        except (KeyError, TypeError):
            allowed = False
        self._set_slowly(obj, value, allowed)
        if current is _UNSET or _record_first is None:  # a first assignment is no move
            return
        stored = getattr(obj, attr)
        if stored not in self.machine._targets[current]:
            # allow_unchanged's no-op: no transition, and the fast path of every field
            # of this machine trusts what is recorded to be allowed.
            return
        try:
            self.machine._covered[current].add(stored)
        except KeyError:
            _record_first(self.machine, current, stored)

    def _start(self, obj: object, value: str | None) -> None:
        """The first assignment: ``value`` must be one of ``self.initial``."""
        if value is self:  # type: ignore[comparison-overlap]
            # A dataclass passes the field itself when no status was given.
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
        setattr(obj, self.storage_name, self.machine._stored(value))

    def fire(self, obj: object, event: str, *, to: str | None = None) -> str | None:
        """Move ``obj``'s status along ``event`` (see :meth:`MachineRuntime.fire`).

        Called on the class attribute: ``Image.status.fire(image, "upload")``;
        ``to=`` chooses among several targets. Returns the new status.
        """
        dst = self.machine.fire(self.fget(obj), event, to=to)  # type: ignore[misc]
        setattr(obj, self.storage_name, dst)
        return dst

    def force(self, obj: object, value: str | None) -> None:
        """Set ``obj``'s status without checking the transition (for repairs/migrations).

        ``value`` must still be a status of the machine.
        """
        self.machine._status_name(value)  # UnknownStatus for an unknown one
        if not self.name:
            self._raise_unnamed()
        setattr(obj, self.storage_name, self.machine._stored(value))

    def __repr__(self) -> str:
        return f"<StatusField {self.name!r} of machine {self.machine.name!r}>"
