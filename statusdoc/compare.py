"""Compare hand-written enforcement code with a spec.

A *table* is a mapping ``{status: iterable of target statuses}`` -- Glance's
``Image.valid_state_targets`` is the model case -- or a machine object of a
supported library (see :mod:`statusdoc.adapters`). :func:`load_table` finds
one from a reference; :func:`compare_table` lists every status and
transition present on one side only. The CLI (``statusdoc compare``), the
pytest plugin and :func:`statusdoc.testing.assert_table_matches` all print
:meth:`TableDiff.report`, so the messages are the same everywhere.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statusdoc.errors import ConfigError
from statusdoc.known import KnownDifference, check_known
from statusdoc.tablediff import TableDiff, apply_known

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = [
    "TableDiff",
    "TableError",
    "compare_table",
    "load_table",
    "normalize_table",
    "resolve_table",
]

#: File suffixes read as data tables instead of imported as ``module:attr``.
TABLE_FILE_SUFFIXES = (".json", ".yaml", ".yml")

Table = dict[str, tuple[str, ...]]


class TableError(ConfigError):
    """A table reference cannot be resolved, or the object is not a usable table."""


#: Receives a one-line notice before a table reference runs Python code.
Notice = Callable[[str], None]


def _import_object(ref: str, root: Path, notice: Notice | None = None) -> Any:
    module_name, _, attr = ref.partition(":")
    if not module_name or not attr:
        raise TableError(
            f"table {ref!r}: expected 'module:attr' (e.g. glance.domain:Image.valid_state_targets)"
            " or a .json/.yaml file"
        )
    if notice is not None:
        notice(f"note: reading table {ref!r} imports {module_name!r}, which runs its code; "
               "name only modules you trust")
    entry = os.fspath(root)
    added = entry not in sys.path
    if added:
        sys.path.insert(0, entry)
    try:
        obj: Any = (
            _exec_file(module_name, root)
            if module_name.endswith(".py")
            else importlib.import_module(module_name)
        )
    except TableError:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit(0) included: the module did not give a table
        raise TableError(
            f"table {ref!r}: cannot import module {module_name!r}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    finally:
        if added:
            with contextlib.suppress(ValueError):  # the module may have removed it
                sys.path.remove(entry)
    walked = module_name
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise TableError(f"table {ref!r}: {walked} has no attribute {part!r}") from None
        walked += f".{part}"
    return obj


def _exec_file(name: str, root: Path) -> Any:
    """Run the Python file ``name`` (relative to ``root``) as a fresh module."""
    import hashlib
    import importlib.util

    path = _table_path(name, root, f"table file {name!r}")
    if not path.is_file():
        raise TableError(f"table file {name!r}: no such file {path}")
    digest = hashlib.sha256(os.fsencode(path.resolve())).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(f"_statusdoc_table_{digest}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table_path(name: str, root: Path, where: str) -> Path:
    """``name`` relative to ``root``, once the OS can take it (no NUL, no overlong name)."""
    from statusdoc.pathrules import check_path_text

    try:
        check_path_text(name, where)
    except ConfigError as exc:
        raise TableError(str(exc)) from None
    path = Path(name)
    return path if path.is_absolute() else root / path


def _read_file(ref: str, root: Path) -> Any:
    path = _table_path(ref, root, f"table {ref!r}")
    from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular

    try:
        text = read_regular(path, MAX_INPUT_BYTES).decode("utf-8")
    except OSError as exc:
        raise TableError(f"table {ref!r}: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise TableError(f"table {ref!r}: not UTF-8: {exc}") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        from statusdoc.spec.load import parse_yaml_data

        return parse_yaml_data(text, str(path))
    except (ValueError, RecursionError) as exc:
        raise TableError(f"table {ref!r}: cannot parse: {exc}") from None


def resolve_table(
    ref: str, *, root: str | os.PathLike[str] | None = None, notice: Notice | None = None
) -> Any:
    """The object ``ref`` names, as is (a mapping, a machine object, or file data).

    See :func:`load_table` for ``ref``, ``root`` and ``notice``.
    """
    base = Path(root) if root is not None else Path.cwd()
    if ref.lower().endswith(TABLE_FILE_SUFFIXES):
        return _read_file(ref, base)
    return _import_object(ref, base, notice)


def load_table(
    ref: str, *, root: str | os.PathLike[str] | None = None, notice: Notice | None = None,
    null: str | None = None,
) -> Table:
    """The table named by ``ref``, normalised by :func:`normalize_table`.

    ``ref`` is ``module:attr`` (``attr`` may be dotted, e.g.
    ``glance.domain:Image.valid_state_targets``; the module is imported with
    ``root`` -- default: the current directory -- first on ``sys.path``),
    ``path/to/file.py:attr`` (the file is run as a fresh module), or the path
    of a ``.json``/``.yaml`` file holding the mapping (relative to ``root``).
    Importing or running a module runs its code: ``notice`` (the CLI passes
    a printer to standard error) is told so first, and anything the module
    raises -- ``SystemExit`` included -- is a :class:`TableError`. Data files
    run nothing. ``None`` in the table becomes ``null`` (the spec's null
    status; an error without one). Raises :class:`TableError` with an
    actionable message.
    """
    return normalize_table(resolve_table(ref, root=root, notice=notice), where=f"table {ref!r}",
                           null=null)


def _status(value: Any, where: str, null: str | None = None) -> str:
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, Enum) and isinstance(value.value, str):
        return value.value
    if value is None:
        if null is not None:
            return null
        raise TableError(
            f"{where}: status None stands for the null status, but the spec has no "
            '[machine] null; set null = "<status>" to the status stored as None'
        )
    raise TableError(f"{where}: status {value!r} is a {type(value).__name__}, not a string")


def normalize_table(obj: Any, *, where: str = "table", null: str | None = None) -> Table:
    """``{status: (targets...)}`` from a mapping or a supported machine object.

    Mapping values may be any iterable of names (sets are sorted, other
    collections keep their order), ``None`` (no targets), or a mapping
    ``{event: target or targets}`` whose values are the targets. A plain string
    value is refused: ``('deleted')`` instead of ``('deleted',)`` is a classic
    slip that would otherwise read as the statuses ``d``, ``e``, ``l``...
    ``None`` as a status (a key, or inside the targets) is the null status:
    it becomes ``null`` (the spec's ``[machine] null``), and is an error
    without one. A key ``None`` and a key naming the null status are merged.
    """
    from statusdoc.adapters import adapt

    external = adapt(obj)
    if external is not None:  # its table, read as a mapping: None is the null status
        obj = external.targets
    if not isinstance(obj, Mapping):
        raise TableError(
            f"{where}: a {type(obj).__name__} is not a table; expected a mapping "
            "{status: targets}, an automaton FiniteMachine, a transitions Machine "
            "or a python-statemachine StateMachine"
        )
    table: Table = {}
    for key, value in obj.items():
        src = _status(key, where, null)
        if value is None:
            targets: Iterable[Any] = ()
        elif isinstance(value, str | bytes):
            raise TableError(
                f"{where}: the targets of {src!r} are the string {value!r}, not a collection "
                f"of statuses (a one-element tuple needs a comma: ({value!r},))"
            )
        elif isinstance(value, Mapping):  # {event: target(s)}: the targets are the values
            targets = []
            for dst in value.values():
                if isinstance(dst, str) or not isinstance(dst, Iterable):
                    targets.append(dst)
                else:
                    targets.extend(dst)
        elif isinstance(value, set | frozenset):
            targets = sorted(value, key=lambda v: _status(v, where, null))
        elif isinstance(value, Iterable):
            targets = value
        else:
            raise TableError(
                f"{where}: the targets of {src!r} are a {type(value).__name__}, "
                "not a collection of statuses"
            )
        names = list(table.get(src, ()))
        for target in targets:
            name = _status(target, where, null)
            if name not in names:
                names.append(name)
        table[src] = tuple(names)
    return table


def compare_table(
    machine: Machine,
    table: Any,
    *,
    events: bool = False,
    known: Iterable[KnownDifference] = (),
    where: str = "table",
) -> TableDiff:
    """Compare ``machine`` with ``table`` (mapping or machine object: :func:`normalize_table`).

    A status counts as present in the code when it is a key or a target of
    the table; ``None`` is the machine's null status (an error, naming
    ``where``, when it has none). A deprecated status the table does not
    mention at all is not reported: the code no longer sets it; the spec's
    transitions of that status are compared like any other. With
    ``events=True`` the triggers are compared too: every ``(status, event,
    target)`` of the spec's transitions that name an ``event`` against those
    of the machine object (a plain mapping has no events: :class:`TableError`).

    ``known`` lists the expected differences (:mod:`statusdoc.known`): each
    present one moves to :attr:`TableDiff.known` (a status brings its
    transitions along), each absent one to :attr:`TableDiff.stale`. A name
    that is a status of neither side raises
    :class:`~statusdoc.known.KnownDifferenceError`.
    """
    code = normalize_table(table, where=where, null=machine.null)
    spec_targets = _spec_targets(machine)
    code_statuses = _code_statuses(code)
    order: dict[str, int] = {}
    for name in [*spec_targets, *code_statuses]:
        order.setdefault(name, len(order))

    states = machine.state_map
    missing_statuses = tuple(
        s for s in spec_targets if s not in code_statuses and not states[s].deprecated)
    extra_statuses = tuple(s for s in code_statuses if s not in spec_targets)

    spec_edges = {(a, b) for a, dsts in spec_targets.items() for b in dsts}
    code_edges = {(a, b) for a, dsts in code.items() for b in dsts}

    def sort(edges: set[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(edges, key=lambda e: (order[e[0]], order[e[1]])))

    diff = TableDiff(
        machine=machine.name,
        missing_statuses=missing_statuses,
        extra_statuses=extra_statuses,
        missing_transitions=sort(spec_edges - code_edges),
        extra_transitions=sort(code_edges - spec_edges),
    )
    if events:
        diff = _compare_events(machine, table, diff, order)
    known = tuple(known)
    if known:
        check_known(known, spec_targets, code_statuses)
        diff = apply_known(diff, known)
    return diff


def _spec_targets(machine: Machine) -> dict[str, list[str]]:
    """Every status mapped to its targets in the spec, each once, in transition order."""
    spec_targets: dict[str, list[str]] = {s.name: [] for s in machine.states}
    for t in machine.transitions:
        if t.target not in spec_targets[t.source]:
            spec_targets[t.source].append(t.target)
    return spec_targets


def _code_statuses(code: Table) -> dict[str, None]:
    """The statuses the table names (keys and targets), in the order first named."""
    code_statuses: dict[str, None] = {}
    for src, dsts in code.items():
        code_statuses[src] = None
        code_statuses.update(dict.fromkeys(dsts))
    return code_statuses


def _compare_events(machine: Machine, table: Any, diff: TableDiff,
                    order: dict[str, int]) -> TableDiff:
    from statusdoc.adapters import adapt

    external = adapt(table)
    if external is None:
        raise TableError(
            "comparing events needs a machine object (automaton, transitions or "
            "python-statemachine); a mapping has no events"
        )
    spec_ev = {(t.source, t.event, t.target) for t in machine.transitions if t.event}
    def name(state: str | None) -> str:
        return _status(state, "table", machine.null)

    code_ev = {(name(a), e, name(b)) for (a, e), dsts in external.events.items() for b in dsts}

    def sort_ev(items: set[tuple[str, str, str]]) -> tuple[tuple[str, str, str], ...]:
        return tuple(sorted(items, key=lambda x: (order[x[0]], x[1], order[x[2]])))

    return replace(diff, missing_events=sort_ev(spec_ev - code_ev),
                   extra_events=sort_ev(code_ev - spec_ev))
