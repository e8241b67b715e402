"""Transition coverage: which of a machine's allowed transitions a run exercised.

The pytest plugin (``--statusdoc-cov``) drives this module; it can be used
without pytest too::

    from statusdoc import coverage

    coverage.start()
    run_the_workload()
    coverage.stop()
    records = coverage.collect()   # plain data, see statusdoc.covreport

What counts as exercising the transition ``src -> dst`` of a machine:

* ``machine.check(src, dst)`` returning (not ``can()``, which only asks);
* ``machine.fire(src, event)`` returning ``dst`` (and so
  ``StatusField.fire``);
* assigning ``dst`` to a :class:`~statusdoc.statusfield.StatusField` holding
  ``src`` (the first assignment enters a status; it is no transition);
* ``check()`` or ``fire()`` of a generated Python module passed to
  :func:`track` (the module calls the hook it is given with ``set_hook``).

Off costs nothing: :func:`start` swaps recording versions of
``MachineRuntime.check``/``fire`` into the class and gives every
``StatusField`` the recording version of its generated setter
(:func:`statusdoc.statusfield.record_transitions`); :func:`stop` puts the
originals back, so a run without coverage executes exactly the code it would
without this module. A recording
``check()`` only adds one set insertion on success; every refused or unknown
move is handed to the original method, which raises the usual error.

Machines are told apart by name: every machine and generated module of one
name is one entry of the report, over the union of their transitions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import ModuleType
from typing import TYPE_CHECKING, Any

from statusdoc import statusfield
from statusdoc.runtime import MachineRuntime

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["collect", "include", "recording", "start", "stop", "track"]

#: One machine's or module's record, as JSON-ready plain data (see :mod:`statusdoc.covreport`).
Record = dict[str, Any]
Hits = dict[Any, set[Any]]

_CHECK = MachineRuntime.check
_FIRE = MachineRuntime.fire

_active = False
#: Machines that recorded a transition since start(), and those merely included.
_recorded: list[MachineRuntime] = []
_included: list[MachineRuntime] = []
#: Generated modules given to track(), with the transitions each recorded.
_modules: dict[ModuleType, Hits] = {}


def _first(machine: MachineRuntime, src: Any, dst: Any) -> None:
    """Record a transition from a status this machine has not recorded one from yet."""
    if not machine._covered:
        _recorded.append(machine)
    machine._covered[src] = {dst}


def _recording_check(self: MachineRuntime, src: str | None, dst: str | None) -> None:
    try:
        allowed = dst in self._targets[src]
    except (KeyError, TypeError):
        allowed = False
    if not allowed:
        _CHECK(self, src, dst)  # raises the precise error
        return  # pragma: no cover - check() refused it above
    try:
        self._covered[src].add(dst)
    except KeyError:
        _first(self, src, dst)


def _recording_fire(self: MachineRuntime, src: str | None, event: str, *,
                    to: str | None = None) -> str | None:
    dst = _FIRE(self, src, event, to=to)
    try:
        self._covered[src].add(dst)
    except KeyError:
        _first(self, src, dst)
    return dst


def _module_hook(hits: Hits) -> Callable[[Any, Any], None]:
    def hook(src: Any, dst: Any) -> None:
        try:
            hits[src].add(dst)
        except KeyError:
            hits[src] = {dst}
    return hook


def start() -> None:
    """Start recording, with every earlier record forgotten."""
    global _active
    _reset()
    MachineRuntime.check = _recording_check  # type: ignore[method-assign]
    MachineRuntime.fire = _recording_fire  # type: ignore[method-assign]
    statusfield.record_transitions(_first)
    for module, hits in _modules.items():
        module.set_hook(_module_hook(hits))
    _active = True


def stop() -> None:
    """Stop recording (the records stay until :func:`start` runs again)."""
    global _active
    MachineRuntime.check = _CHECK  # type: ignore[method-assign]
    MachineRuntime.fire = _FIRE  # type: ignore[method-assign]
    statusfield.record_transitions(None)
    for module in _modules:
        module.set_hook(None)
    _active = False


def recording() -> bool:
    """True between :func:`start` and :func:`stop`."""
    return _active


def _reset() -> None:
    for machine in _recorded:
        machine._covered.clear()
    _recorded.clear()
    _included.clear()
    for hits in _modules.values():
        hits.clear()


def track(module: ModuleType) -> ModuleType:
    """Record the transitions of a generated Python module (the ``python`` output kind).

    Call it once, for instance in ``conftest.py`` (``track(image_statuses)``);
    while recording is off the module runs unhooked. Returns the module.
    """
    if not callable(getattr(module, "set_hook", None)):
        raise TypeError(f"{module.__name__} is not a module generated by statusdoc "
                        "(it has no set_hook; regenerate it with `statusdoc generate`)")
    hits = _modules.setdefault(module, {})
    if _active:
        module.set_hook(_module_hook(hits))
    return module


def include(machine: Machine) -> None:
    """Report ``machine`` too, though nothing exercised it (0 covered)."""
    _included.append(machine)


def collect() -> list[Record]:
    """One record per machine or module seen, as plain data (JSON- and xdist-ready)."""
    records: list[Record] = []
    seen: set[int] = set()
    for machine in [*_recorded, *_included]:
        if id(machine) not in seen:
            seen.add(id(machine))
            records.append(_machine_record(machine))
    for module, hits in _modules.items():
        records.append(_record(module.MACHINE, module.STATUSES, module.TRANSITIONS,
                               module.NULL_STATUS, hits))
    return records


def _machine_record(machine: MachineRuntime) -> Record:
    statuses = [s for s in machine.targets_by_state]
    return _record(machine.name, statuses, machine.targets_by_state, machine.null,
                   machine._covered)


def _record(name: str, statuses: Iterable[str], targets: Any, null: str | None,
            hits: Hits) -> Record:
    """The record of one machine: its statuses, transitions and those covered, by name."""
    def named(status: Any) -> str:
        return null if status is None else str.__str__(status)  # type: ignore[return-value]

    transitions = [[src, dst] for src in targets for dst in targets[src]]
    allowed = {(src, dst) for src, dst in transitions}
    covered = sorted({(named(s), named(d)) for s, ds in hits.items() for d in ds} & allowed)
    return {"machine": name, "statuses": list(statuses), "transitions": transitions,
            "covered": [list(pair) for pair in covered]}
