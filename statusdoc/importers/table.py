"""Import a machine defined in Python: a ``{status: targets}`` mapping, an
``automaton.FiniteMachine`` or a ``transitions.Machine``.

Objects are recognised by duck typing, so neither library is imported here;
machines are read by :mod:`statusdoc.adapters`, the same code behind
``statusdoc compare``:

* a mapping whose values are iterables of status names (Glance's
  ``Image.valid_state_targets``): keys in order are the statuses, then any
  target that is not a key; the first key is ``initial``; a status with no
  targets is final; transitions have no label or event;
* an automaton ``FiniteMachine`` (iterating it yields ``(start, event, end)``;
  it has ``states`` and ``default_start_state``): events are kept as
  ``event`` and ``label``; terminal states are final;
* a transitions ``Machine`` (it has ``states``, ``events`` and ``initial``):
  triggers are kept as ``event`` and ``label``; the auto-generated ``to_<state>``
  triggers are skipped; ``final`` states are final; internal transitions
  (no destination) are not imported;
* a python-statemachine ``StateMachine`` class or instance (it has
  ``states``, ``states_map`` and ``initial_state``): states by ``id``, events
  kept as ``event`` and ``label``, ``final`` states final, internal
  transitions not imported.

State names are read as ``statusdoc compare`` reads them: strings as they
are, ``Enum`` members by their string value (else their name), anything
else with ``str()`` — so an imported spec compares equal to its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from statusdoc.adapters import ExternalMachine, adapt, state_name
from statusdoc.compare import Notice
from statusdoc.importers.common import Edge, Imported, ImportFailure, slug


def resolve(ref: str, notice: Notice | None = None) -> Any:
    """The object named by ``ref``, resolved exactly as ``statusdoc compare`` does.

    ``module:attr`` (``attr`` may be dotted; the current directory is
    importable, as for ``python -m``), ``path/to/file.py:attr``, or a
    ``.json``/``.yaml`` file holding the mapping. ``notice`` hears that a
    module's code is about to run (see :func:`statusdoc.compare.load_table`).
    """
    from statusdoc.compare import resolve_table

    # A reference that cannot be resolved is a TableError (a usage error, exit 2),
    # as it is for compare; an object that is no table is an ImportFailure.
    return resolve_table(ref, notice=notice)


def import_object(obj: Any, *, name: str, source: str) -> Imported:
    """Import ``obj``: a mapping, or an automaton, transitions or python-statemachine machine."""
    result = Imported(name=slug(name), source=source)
    machine = adapt(obj)
    if machine is not None:
        _from_external(machine, result)
    elif isinstance(obj, Mapping):
        _from_mapping(obj, result)
    else:
        raise ImportFailure(
            f"{source}: a {type(obj).__name__} is not importable; expected a mapping "
            "{status: targets}, an automaton FiniteMachine, a transitions Machine or a "
            "python-statemachine StateMachine"
        )
    _drop_final_exits(result)
    return result


def import_ref(ref: str, *, name: str | None = None, notice: Notice | None = None) -> Imported:
    """Import the Python object named by ``module:attr`` (or a table file)."""
    obj = resolve(ref, notice)
    module, _, attr = ref.partition(":")
    default = attr.split(".")[0] or Path(module).stem
    return import_object(obj, name=name or default, source=ref)


def _names(targets: Any, where: str) -> list[str]:
    if isinstance(targets, str) or not isinstance(targets, Iterable):
        raise ImportFailure(f"{where}: expected a collection of status names, got {targets!r}")
    return [state_name(t) for t in _stable(targets)]


def _stable(items: Iterable[Any]) -> list[Any]:
    # Sets have no useful order: sort them so the spec is the same on every run.
    if isinstance(items, (set, frozenset)):
        return sorted(items, key=state_name)
    return list(items)


def _from_mapping(table: Mapping[Any, Any], result: Imported) -> None:
    for key in table:
        result.add_state(state_name(key))
    for key, targets in table.items():
        for target in _names(targets, f"{result.source}[{key!r}]"):
            if not result.has_state(target):
                result.note(f"status {target!r} is only a target, never a key: added as a status")
                result.add_state(target)
            result.edges.append(Edge(state_name(key), target))
    if result.states:
        result.initial = result.states[0]
        result.note(f"initial status set to the first key, {result.initial!r}: check it")
    result.finals = {state_name(k) for k, v in table.items() if not _names(v, result.source)}


def _from_external(machine: ExternalMachine, result: Imported) -> None:
    # The adapters read every supported library; events become event and label.
    for state in machine.targets:
        result.add_state(state)
    for source, target, event in machine.edges:
        result.edges.append(Edge(source, target, event or "", event))
    result.initial = machine.initial
    result.finals = set(machine.finals)
    for skipped in machine.skipped:
        result.note(f"{skipped} not imported")


def _drop_final_exits(result: Imported) -> None:
    kept = []
    for edge in result.edges:
        if edge.source in result.finals:
            result.note(
                f"transition {edge.source!r} -> {edge.target!r} "
                f"({edge.event or 'no event'}) leaves a final status: not imported"
            )
            continue
        kept.append(edge)
    result.edges = kept
