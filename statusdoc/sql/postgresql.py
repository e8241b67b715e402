"""The PostgreSQL script: a CHECK constraint, a PL/pgSQL trigger function, two triggers.

Install (every statement re-runnable; run them in one transaction):

1. drop the two triggers if they exist (so that the column may change type);
2. with ``enum``: create the enum type of the statuses, or replace it when its
   labels differ, and make the column that type (a ``DO`` block);
3. drop and add the CHECK constraint ``statusdoc_<column>_check``: the column
   holds a status (NULL only when the machine has a null status);
4. ``CREATE OR REPLACE FUNCTION <schema>.statusdoc_<table>_<column>()``, and a
   ``COMMENT`` on it holding ``statusdoc sha256:<digest>``, the machine and the
   spec file: what ``statusdoc check --db`` reads;
5. ``BEFORE INSERT`` and ``BEFORE UPDATE`` row triggers running it; the update
   trigger's ``WHEN (OLD IS DISTINCT FROM NEW)`` lets an unchanged status pass
   without calling the function (``allow-unchanged = false`` instead fires on
   every UPDATE naming the column: ``UPDATE OF``);
6. with ``key``: a ``DO`` block that fails now if the key column does not exist,
   rather than at the first rejected row.

The function returns at once for an allowed row: one expression (a ``CASE`` on
the old status for an UPDATE, a membership test for an INSERT) that PL/pgSQL
evaluates on its fast path. Only a refused row goes on to work out its message
and raise SQLSTATE ``23514`` (``check_violation``) with the messages of
:mod:`statusdoc.sql.messages` and the error fields SCHEMA, TABLE and COLUMN (and
DETAIL naming the row's key). (The whole check in the triggers' ``WHEN``
instead was measured slower: PostgreSQL prepares a trigger's ``WHEN`` anew
for every statement.) It compares ``::text`` values, so the column may be
``text``, ``varchar`` or the enum.
"""

from __future__ import annotations

from statusdoc.emit.escape import one_line
from statusdoc.spec.model import Machine
from statusdoc.sql.messages import Messages
from statusdoc.sql.quoting import POSTGRESQL as Q
from statusdoc.sql.quoting import dollar_quote
from statusdoc.sql.script import Script, is_status, one_of
from statusdoc.sql.settings import PG_NAME_BYTES, SqlSettings

__all__ = ["script"]

_TAG = "statusdoc"


def _targets(machine: Machine, src: str) -> list[str]:
    """The targets of ``src`` in spec order (deterministic SQL)."""
    allowed = machine.targets_by_state[src]
    return [s for s in machine.state_names if s in allowed]


def _shown(value: str, messages: Messages) -> str:
    """SQL showing the text expression ``value`` as a message shows a status."""
    return (f"CASE WHEN {value} IS NULL THEN {Q.literal(messages.null_shown)} "
            f"ELSE '''' || replace({value}, '''', '''''') || '''' END")


def _raise(message: str, settings: SqlSettings) -> list[str]:
    """A RAISE of ``message`` (an SQL text expression) with the error's fields."""
    assert settings.schema is not None  # PostgreSQL settings always have one
    options = [
        "ERRCODE = 'check_violation'",
        f"MESSAGE = {message}",
        f"SCHEMA = {Q.literal(settings.schema)}",
        f"TABLE = {Q.literal(settings.table)}",
        f"COLUMN = {Q.literal(settings.column)}",
    ]
    if settings.key is not None:
        key = Q.ident(settings.key)
        options.append(f"DETAIL = {Q.literal(f'row with {key} = ')} || "
                       f"coalesce(NEW.{key}::text, 'NULL')")
    return ["RAISE EXCEPTION USING", *(f"  {o}," for o in options[:-1]), f"  {options[-1]};"]


def _allowed(machine: Machine, old: str, new: str) -> str:
    """SQL that is TRUE when ``old -> new`` is a transition, FALSE otherwise (never NULL):
    one ``CASE`` on the old status, so an allowed row costs one expression."""
    null = machine.null
    cases = [f"      WHEN {is_status(old, src, null, Q)} THEN "
             f"{one_of(new, targets, null, Q)}"
             for src in machine.state_names if (targets := _targets(machine, src))]
    return "\n".join(["(CASE", *cases, "      ELSE FALSE END)"])


def function_body(machine: Machine, settings: SqlSettings, messages: Messages) -> str:
    """The PL/pgSQL body: return NEW for an allowed row at once (one expression);
    else work out which message applies, and raise it (see the module)."""
    col, null = Q.ident(settings.column), machine.null
    old, new = f"OLD.{col}::text", f"NEW.{col}::text"
    lines = ["", "DECLARE", "  src text;", "  dst text;", "  bad text;", "  head text;",
             "  tail text;", "BEGIN", "  IF TG_OP = 'UPDATE' THEN",
             f"    IF {_allowed(machine, old, new)} THEN", "      RETURN NEW;", "    END IF;",
             f"  ELSIF {one_of(new, machine.entries, null, Q)} THEN", "    RETURN NEW;",
             "  END IF;", "  -- refused: find the message", f"  src := {old};",
             f"  dst := {new};", "  bad := dst;", "  tail := '';", "  IF TG_OP = 'INSERT' THEN",
             f"    head := {Q.literal(messages.insert_head)};"]
    for src in machine.state_names:
        lines += [f"  ELSIF {is_status('src', src, null, Q)} THEN",
                  f"    head := {Q.literal(messages.transition_head(src))};",
                  f"    tail := {Q.literal(messages.transition_tail(src))};"]
    lines += ["  ELSE", "    bad := src;", "  END IF;",
              f"  IF head IS NULL OR NOT {one_of('dst', machine.state_names, null, Q)} THEN"]
    unknown = (f"{Q.literal(messages.unknown_head)} || {_shown('bad', messages)} || "
               f"{Q.literal(messages.unknown_tail)}")
    lines += [f"    {line}" for line in _raise(unknown, settings)]
    lines.append("  END IF;")
    lines += [f"  {line}" for line in
              _raise(f"head || {_shown('dst', messages)} || tail", settings)]
    lines += ["END;", ""]
    return "\n".join(lines)


def _enum_labels(machine: Machine) -> str:
    labels = [s for s in machine.state_names if s != machine.null]
    for label in labels:
        if len(label.encode("utf-8")) > PG_NAME_BYTES:
            raise ValueError(f"status {label!r} is longer than the {PG_NAME_BYTES} bytes "
                             "PostgreSQL allows an enum label; set enum = false")
    return ", ".join(Q.literal(label) for label in labels)


def _enum_install(machine: Machine, settings: SqlSettings) -> str:
    """Create or replace the enum type, and make the column that type."""
    assert settings.enum is not None and settings.names.old_enum is not None
    kind = Q.qualified(settings.schema, settings.enum)
    table = Q.qualified(settings.schema, settings.table)
    labels = _enum_labels(machine)
    col = Q.ident(settings.column)
    block = "\n".join([
        "", "BEGIN",
        f"  IF to_regtype({Q.literal(kind)}) IS NULL THEN",
        f"    CREATE TYPE {kind} AS ENUM ({labels});",
        "  ELSIF ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e",
        f"             WHERE e.enumtypid = to_regtype({Q.literal(kind)})",
        f"             ORDER BY e.enumsortorder) IS DISTINCT FROM ARRAY[{labels}]::text[] THEN",
        "    -- the statuses changed: a new type replaces the old one",
        f"    ALTER TYPE {kind} RENAME TO {Q.ident(settings.names.old_enum)};",
        f"    CREATE TYPE {kind} AS ENUM ({labels});",
        "  END IF;",
        "  IF (SELECT a.atttypid FROM pg_catalog.pg_attribute a",
        f"      WHERE a.attrelid = to_regclass({Q.literal(table)})",
        f"        AND a.attname = {Q.literal(settings.column)})",
        f"     IS DISTINCT FROM to_regtype({Q.literal(kind)}) THEN",
        f"    ALTER TABLE {table} ALTER COLUMN {col} TYPE {kind} USING {col}::text::{kind};",
        "  END IF;",
        f"  DROP TYPE IF EXISTS {Q.qualified(settings.schema, settings.names.old_enum)};",
        "END", ""])
    return f"DO {dollar_quote(block, _TAG)};"


def _enum_teardown(settings: SqlSettings) -> str:
    """Make the column text again and drop the enum type."""
    assert settings.enum is not None
    kind = Q.qualified(settings.schema, settings.enum)
    table = Q.qualified(settings.schema, settings.table)
    col = Q.ident(settings.column)
    block = "\n".join([
        "", "BEGIN",
        "  IF (SELECT a.atttypid FROM pg_catalog.pg_attribute a",
        f"      WHERE a.attrelid = to_regclass({Q.literal(table)})",
        f"        AND a.attname = {Q.literal(settings.column)}) = to_regtype({Q.literal(kind)}) "
        "THEN",
        f"    ALTER TABLE {table} ALTER COLUMN {col} TYPE text USING {col}::text;",
        "  END IF;",
        f"  DROP TYPE IF EXISTS {kind};",
        "END", ""])
    return f"DO {dollar_quote(block, _TAG)};"


def comment(machine: Machine, digest: str, source_name: str) -> str:
    """The function's comment: what ``check --db`` reads (the digest comes first)."""
    return f"statusdoc sha256:{digest} machine {machine.name} spec {one_line(source_name)}"


def script(machine: Machine, settings: SqlSettings, digest: str, source_name: str) -> Script:
    """The PostgreSQL install and teardown statements (see the module docstring)."""
    names = settings.names
    table = Q.qualified(settings.schema, settings.table)
    col = Q.ident(settings.column)
    func = Q.qualified(settings.schema, names.function)
    messages = Messages(machine, Q.qualified(settings.schema, settings.table, settings.column))
    body = function_body(machine, settings, messages)
    drop_triggers = [f"DROP TRIGGER IF EXISTS {Q.ident(t)} ON {table};"
                     for t in (names.insert_trigger, names.update_trigger)]
    constraint = Q.ident(names.constraint)
    install = [*drop_triggers]
    if settings.enum is not None:
        install.append(_enum_install(machine, settings))
    update = (f"BEFORE UPDATE ON {table} FOR EACH ROW\n  WHEN (OLD.{col} IS DISTINCT FROM "
              f"NEW.{col})" if settings.allow_unchanged
              else f"BEFORE UPDATE OF {col} ON {table} FOR EACH ROW")
    install += [
        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {constraint};",
        f"ALTER TABLE {table} ADD CONSTRAINT {constraint}\n"
        f"  CHECK ({one_of(f'{col}::text', machine.state_names, machine.null, Q)});",
        f"CREATE OR REPLACE FUNCTION {func}() RETURNS trigger LANGUAGE plpgsql AS "
        f"{dollar_quote(body, _TAG)};",
        f"COMMENT ON FUNCTION {func}() IS {Q.literal(comment(machine, digest, source_name))};",
        f"CREATE TRIGGER {Q.ident(names.insert_trigger)}\n"
        f"  BEFORE INSERT ON {table} FOR EACH ROW\n  EXECUTE FUNCTION {func}();",
        f"CREATE TRIGGER {Q.ident(names.update_trigger)}\n  {update}\n"
        f"  EXECUTE FUNCTION {func}();",
    ]
    if settings.key is not None:
        check = f"\nBEGIN\n  PERFORM {Q.ident(settings.key)} FROM {table} WHERE FALSE;\nEND\n"
        install.append(f"DO {dollar_quote(check, _TAG)};")
    teardown = [*drop_triggers, f"DROP FUNCTION IF EXISTS {func}();",
                f"ALTER TABLE IF EXISTS {table} DROP CONSTRAINT IF EXISTS {constraint};"]
    if settings.enum is not None:
        teardown.append(_enum_teardown(settings))
    return Script(tuple(install), tuple(teardown), digest, {names.function: body})
