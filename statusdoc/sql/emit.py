"""The ``sql`` and ``sql-teardown`` output kinds: emitters over :func:`script_for`.

``sql`` installs the enforcement, ``sql-teardown`` removes it: two kinds of the
one registry (:data:`statusdoc.kinds.KINDS`), so each is one file that
``generate`` writes and ``check`` compares byte for byte, like every artifact;
both read the spec's ``sql`` settings. The statements come from the dialect's
module (:mod:`statusdoc.sql.postgresql`, :mod:`statusdoc.sql.sqlite`); this
module adds the "generated from" header (``--`` comments holding no text from
the spec or the configuration but the spec's file name, on one line).

Statements are separated by one empty line and hold none (names and statuses
have no line breaks), so ``text.split("\n\n")`` gives the header and then
each statement: for drivers that run one statement at a time (Python's
sqlite3, Django's SQLite backend).
"""

from __future__ import annotations

from statusdoc.emit.escape import header_text
from statusdoc.spec.model import Machine
from statusdoc.sql import postgresql, sqlite
from statusdoc.sql.script import Builder, Script, build
from statusdoc.sql.settings import SqlSettings

__all__ = ["emit_sql", "emit_teardown", "script_for"]

_BUILDERS: dict[str, Builder] = {"postgresql": postgresql.script, "sqlite": sqlite.script}
_TITLES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
_HOW = {
    "postgresql": ("a CHECK constraint and triggers. Every statement can run again; run them "
                   "in one transaction: psql -v ON_ERROR_STOP=1 --single-transaction -f FILE"),
    "sqlite": "triggers. Every statement can run again; run them in one transaction.",
}


def script_for(machine: Machine, settings: SqlSettings, source_name: str = "") -> Script:
    """The install and teardown statements of ``machine`` under ``settings``."""
    return build(_BUILDERS[settings.dialect], machine, settings, source_name)


def _comment(text: str) -> list[str]:
    """``text`` as ``--`` lines of at most about 88 characters."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + len(word) < 88:
            lines[-1] += f" {word}"
        else:
            lines.append(f"-- {word}")
    return lines


def _render(header: list[str], statements: tuple[str, ...]) -> str:
    return "\n".join(header) + "\n\n" + "\n\n".join(statements) + "\n"


def emit_sql(machine: Machine, *, source_name: str, settings: SqlSettings) -> str:
    """The SQL that enforces ``machine``'s statuses and transitions (see the dialects)."""
    script = script_for(machine, settings, source_name)
    title = _TITLES[settings.dialect]
    header = [f"-- {header_text(source_name)}",
              *_comment(f"statusdoc sql ({title}): the statuses and transitions of the spec, "
                        f"enforced by {_HOW[settings.dialect]}")]
    return _render(header, script.install)


def emit_teardown(machine: Machine, *, source_name: str, settings: SqlSettings) -> str:
    """The SQL that removes what :func:`emit_sql` installs (re-runnable too)."""
    script = script_for(machine, settings, source_name)
    title = _TITLES[settings.dialect]
    header = [f"-- {header_text(source_name)}",
              *_comment(f"statusdoc sql ({title}): removes what the spec's sql output "
                        "installs. Every statement can run again.")]
    return _render(header, script.teardown)
