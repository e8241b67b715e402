"""The SQLite script: two triggers, each raising ``RAISE(ABORT, ...)``.

SQLite cannot add a CHECK constraint to an existing table, and its ``RAISE``
takes only a constant message. So:

* the set of statuses is enforced by the triggers alone: an INSERT must start
  at an entry status and an UPDATE may only move to a transition's target, so
  no other value gets in (rows written before the triggers existed are not
  checked; an UPDATE of such a row is refused);
* every message is a constant: the UPDATE trigger has one per forbidden
  (from, to) pair of statuses, chosen by a ``CASE`` on the old status, then on
  the new one; a value that is not a status is reported without its value.

Install: ``DROP TRIGGER IF EXISTS`` and ``CREATE TRIGGER`` for
``statusdoc_<table>_<column>_insert`` (``BEFORE INSERT``) and ``..._update``
(``BEFORE UPDATE ... WHEN OLD IS NOT NEW``, or ``BEFORE UPDATE OF <column>``
with ``allow-unchanged = false``). SQLite has no comments on objects, so each
trigger's own text carries the line ``-- statusdoc sha256:<digest> machine
<name>``: SQLite keeps a trigger's CREATE statement as written (in
``sqlite_schema.sql``), and that is what ``statusdoc check --db`` reads.
"""

from __future__ import annotations

from statusdoc.spec.model import Machine
from statusdoc.sql.messages import Messages
from statusdoc.sql.quoting import SQLITE as Q
from statusdoc.sql.script import Script, is_status, one_of
from statusdoc.sql.settings import SqlSettings

__all__ = ["script"]


def _abort(message: str) -> str:
    return f"RAISE(ABORT, {Q.literal(message)})"


def _record(machine: Machine, digest: str) -> str:
    """The line in each trigger that ``check --db`` reads (hex and a slug only)."""
    return f"  -- statusdoc sha256:{digest} machine {machine.name}"


def _insert_trigger(machine: Machine, settings: SqlSettings, messages: Messages,
                    digest: str) -> str:
    table, new = Q.ident(settings.table), f"NEW.{Q.ident(settings.column)}"
    null = machine.null
    cases = [f"    WHEN {is_status(new, s, null, Q)} THEN {_abort(messages.insert(s))}"
             for s in machine.state_names if s not in machine.entries]
    if null is None:
        cases.append(f"    WHEN {new} IS NULL THEN {_abort(messages.unknown_null)}")
    unknown = _abort(messages.unknown_unnamed)
    select = (["  SELECT CASE", *cases, f"    ELSE {unknown}", "  END;"] if cases
              else [f"  SELECT {unknown};"])  # every status is an entry: only unknown ones fail
    return "\n".join([
        f"CREATE TRIGGER {Q.ident(settings.names.insert_trigger)}",
        f"  BEFORE INSERT ON {table} FOR EACH ROW",
        f"  WHEN NOT {one_of(new, machine.entries, null, Q)}",
        "BEGIN", _record(machine, digest), *select, "END"])


def _update_trigger(machine: Machine, settings: SqlSettings, messages: Messages,
                    digest: str) -> str:
    col = Q.ident(settings.column)
    old, new, null = f"OLD.{col}", f"NEW.{col}", machine.null
    known = machine.state_names
    cases = []
    if null is None:
        cases.append(f"    WHEN {new} IS NULL THEN {_abort(messages.unknown_null)}")
    cases += [f"    WHEN NOT {one_of(new, known, null, Q)} THEN {_abort(messages.unknown_unnamed)}",
              f"    WHEN NOT {one_of(old, known, null, Q)} THEN {_abort(messages.unknown_unnamed)}"]
    for src in known:
        allowed = machine.targets_by_state[src]
        refused = [dst for dst in known if dst not in allowed
                   and not (settings.allow_unchanged and dst == src)]  # WHEN let it pass
        if not refused:
            continue
        cases.append(f"    WHEN {is_status(old, src, null, Q)} THEN CASE")
        cases += [f"      WHEN {is_status(new, dst, null, Q)} THEN "
                  f"{_abort(messages.transition(src, dst))}" for dst in refused]
        cases.append("    END")
    event = (f"BEFORE UPDATE ON {Q.ident(settings.table)} FOR EACH ROW\n"
             f"  WHEN {old} IS NOT {new}" if settings.allow_unchanged
             else f"BEFORE UPDATE OF {col} ON {Q.ident(settings.table)} FOR EACH ROW")
    return "\n".join([
        f"CREATE TRIGGER {Q.ident(settings.names.update_trigger)}", f"  {event}",
        "BEGIN", _record(machine, digest), "  SELECT CASE", *cases, "  END;", "END"])


def script(machine: Machine, settings: SqlSettings, digest: str, source_name: str) -> Script:
    """The SQLite install and teardown statements (see the module docstring)."""
    names = settings.names
    messages = Messages(machine, Q.qualified(settings.table, settings.column))
    triggers = {
        names.insert_trigger: _insert_trigger(machine, settings, messages, digest),
        names.update_trigger: _update_trigger(machine, settings, messages, digest),
    }
    install: list[str] = []
    for name, text in triggers.items():
        install += [f"DROP TRIGGER IF EXISTS {Q.ident(name)};", f"{text};"]
    teardown = tuple(f"DROP TRIGGER IF EXISTS {Q.ident(name)};" for name in triggers)
    return Script(tuple(install), teardown, digest, triggers)
