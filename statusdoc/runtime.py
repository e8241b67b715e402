"""Run-time enforcement of a machine's transitions.

:class:`MachineRuntime` is mixed into :class:`statusdoc.spec.model.Machine`,
so application code calls ``machine.can(src, dst)`` directly. The hot paths
are one dict lookup and one ``frozenset`` membership test: no extra call
layer, because ``can()`` must stay within 1.5x of a bare dict lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statusdoc.errors import InvalidTransition, UnknownStatus

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine


class MachineRuntime:
    """Enforcement methods; reads the derived tables ``Machine`` builds once."""

    __slots__ = ()

    _targets: dict[str, frozenset[str]]
    _events: dict[tuple[str, str], tuple[str, ...]]
    name: str

    def can(self, src: str, dst: str) -> bool:
        """True when the spec allows ``src -> dst``.

        Raises :class:`UnknownStatus` when ``src`` or ``dst`` is not a status.
        """
        try:
            if dst in self._targets[src]:
                return True
        except KeyError:
            raise self._unknown(src) from None
        if dst not in self._targets:
            raise self._unknown(dst)
        return False

    def check(self, src: str, dst: str) -> None:
        """Raise :class:`InvalidTransition` unless the spec allows ``src -> dst``."""
        try:
            allowed = self._targets[src]
        except KeyError:
            raise self._unknown(src) from None
        if dst in allowed:
            return
        if dst not in self._targets:
            raise self._unknown(dst)
        raise InvalidTransition(self.name, src, dst, allowed)

    def targets(self, src: str) -> frozenset[str]:
        """The statuses ``src`` may move to (empty for a final status)."""
        try:
            return self._targets[src]
        except KeyError:
            raise self._unknown(src) from None

    def fire(self, src: str, event: str) -> str:
        """The status that ``event`` leads to from ``src``.

        Raises :class:`InvalidTransition` when ``event`` is not defined from
        ``src``, or leads to more than one status (ambiguous).
        """
        try:
            dsts = self._events[(src, event)]
        except KeyError:
            if src not in self._targets:
                raise self._unknown(src) from None
            raise InvalidTransition(
                self.name, src, f"<event {event!r}>", self._targets[src]
            ) from None
        if len(dsts) != 1:
            raise InvalidTransition(
                self.name, src, f"<ambiguous event {event!r}: {', '.join(dsts)}>", frozenset(dsts)
            )
        return dsts[0]

    def _unknown(self: Machine, status: object) -> UnknownStatus:  # type: ignore[misc]
        return UnknownStatus(self.name, status, self._targets)
