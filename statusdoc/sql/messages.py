"""The error messages of the generated triggers, built once at generation time.

They name what the Python runtime's messages name (the machine, both statuses,
the allowed targets) plus the column, shown as the SQL names it
(``"public"."images"."status"``); for the Glance example::

    image: "public"."images"."status": transition 'saving' -> 'queued' is not allowed
      (allowed from 'saving': 'active', 'deleted', 'killed')
    image: "public"."images"."status": transition 'deleted' -> 'active' is not allowed
      ('deleted' is final: no transition leaves it)
    image: "public"."images"."status" must start at one of 'queued', not 'active'
    image: "public"."images"."status": unknown status 'bogus' (known: 'queued', ...)

(each message is one line). Statuses are shown by
:func:`statusdoc.sql.quoting.shown` (``'it''s'``), the null status by its
name, a NULL that stands for no status as ``NULL``. Allowed
targets and entries are sorted as the Python runtime sorts them; the known
statuses are in spec order. A message is split into a constant head and tail
around the one status the trigger only learns at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from statusdoc.spec.model import Machine
from statusdoc.sql.quoting import shown

__all__ = ["Messages"]


@dataclass(frozen=True, slots=True)
class Messages:
    """Message texts for one machine stored in the column shown as ``where``."""

    machine: Machine
    where: str

    @property
    def prefix(self) -> str:
        return f"{self.machine.name}: {self.where}"

    @property
    def null_shown(self) -> str:
        """How a NULL in the column is shown: the null status's name, or ``NULL``."""
        null = self.machine.null
        return shown(null) if null is not None else "NULL"

    def _hint(self, src: str) -> str:
        allowed = self.machine.targets_by_state[src]
        if not allowed:
            return f"{shown(src)} is final: no transition leaves it"
        options = ", ".join(shown(a) for a in sorted(allowed))
        return f"allowed from {shown(src)}: {options}"

    def transition_head(self, src: str) -> str:
        """The message for ``src -> dst`` up to the shown ``dst``."""
        return f"{self.prefix}: transition {shown(src)} -> "

    def transition_tail(self, src: str) -> str:
        """The message for ``src -> dst`` after the shown ``dst``."""
        return f" is not allowed ({self._hint(src)})"

    def transition(self, src: str, dst: str) -> str:
        return self.transition_head(src) + shown(dst) + self.transition_tail(src)

    @property
    def insert_head(self) -> str:
        """The message for a new row starting at a status that is not an entry, up to it."""
        options = ", ".join(shown(e) for e in sorted(self.machine.entries))
        return f"{self.prefix} must start at one of {options}, not "

    def insert(self, dst: str) -> str:
        return self.insert_head + shown(dst)

    @property
    def unknown_head(self) -> str:
        return f"{self.prefix}: unknown status "

    @property
    def unknown_tail(self) -> str:
        known = ", ".join(shown(s) for s in self.machine.state_names)
        return f" (known: {known})"

    @property
    def unknown_unnamed(self) -> str:
        """For SQLite, whose RAISE takes a constant message: the value cannot be named."""
        return f"{self.prefix}: unknown status{self.unknown_tail}"

    @property
    def unknown_null(self) -> str:
        """A NULL in a column whose machine names no null status."""
        return self.unknown_head + "NULL" + self.unknown_tail
