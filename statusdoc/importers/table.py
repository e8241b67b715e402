"""Import a machine defined in Python: a ``{status: targets}`` mapping, an
``automaton.FiniteMachine`` or a ``transitions.Machine``.

Objects are recognised by duck typing, so neither library is imported here;
machines are read by :mod:`statusdoc.adapters`, the same code behind
``statusdoc compare``:

* a mapping whose values are iterables of status names (Glance's
  ``Image.valid_state_targets``): keys in order are the statuses, then any
  target that is not a key; the first key is ``initial``; a status with no
  targets is final; transitions have no label or event; ``None`` (as a key
  or a target) is the null status, named ``none`` unless that name is taken,
  and ``[machine] null`` names it;
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

from collections.abc import Callable, Iterable, Mapping
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


#: Names tried, in order, for the status a table stores as ``None``.
NULL_NAMES = ("none", "no_status", "null_status")


def _collection(targets: Any, where: str) -> list[Any]:
    if isinstance(targets, str) or not isinstance(targets, Iterable):
        raise ImportFailure(f"{where}: expected a collection of status names, got {targets!r}")
    # Sets have no useful order: sort them so the spec is the same on every run.
    if isinstance(targets, (set, frozenset)):
        return sorted(targets, key=lambda t: "" if t is None else state_name(t))
    return list(targets)


def _namer(statuses: list[Any], result: Imported) -> Callable[[Any], str]:
    """How each status is named; a ``None`` among them becomes the null status."""
    named = {state_name(s) for s in statuses if s is not None}
    if any(s is None for s in statuses):
        result.null = next((n for n in NULL_NAMES if n not in named), NULL_NAMES[0])
        result.note(f"None is a status in the table: imported as {result.null!r}, the null "
                    "status (machine.null)")

    def name(value: Any) -> str:
        return result.null if value is None and result.null else state_name(value)

    return name


def _from_mapping(table: Mapping[Any, Any], result: Imported) -> None:
    rows = [(key, _collection(targets, f"{result.source}[{key!r}]"))
            for key, targets in table.items()]
    name = _namer([s for key, targets in rows for s in (key, *targets)], result)

    for key, _targets in rows:
        result.add_state(name(key))
    for key, targets in rows:
        for target in map(name, targets):
            if not result.has_state(target):
                result.note(f"status {target!r} is only a target, never a key: added as a status")
                result.add_state(target)
            result.edges.append(Edge(name(key), target))
    if result.states:
        result.initial = result.states[0]
        result.note(f"initial status set to the first key, {result.initial!r}: check it")
    result.finals = {name(key) for key, targets in rows if not targets}


def _from_external(machine: ExternalMachine, result: Imported) -> None:
    # The adapters read every supported library; events become event and label.
    name = _namer([*machine.targets, *(t for ts in machine.targets.values() for t in ts)],
                  result)
    for state in machine.targets:
        result.add_state(name(state))
    for source, target, event in machine.edges:
        result.edges.append(Edge(name(source), name(target), event or "", event))
    result.initial = machine.initial
    result.finals = {name(state) for state in machine.finals}
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
