"""Emitters: pure functions ``Machine -> str``, no I/O, deterministic.

Each text emitter has the signature
``emit(machine, *, source_name: str, <its own keyword options>) -> str``
(an option it does not know is a ``TypeError``, never silently ignored), where
``source_name`` is the spec path to name in the "generated from" header
(relative to the project root, with ``/`` separators, so output does not
depend on the working directory; see ``SpecConfig.source_name``).

Which emitter makes which output kind is a column of the one table of kinds,
:data:`statusdoc.kinds.KINDS`; imports are lazy so the CLI does not pay for
Jinja2 or pydot when it does not emit.
"""

from __future__ import annotations

from collections.abc import Callable


def get_emitter(kind: str) -> Callable[..., str]:
    """The emitter function for output ``kind`` (KeyError when there is no such kind,
    LookupError for a kind the renderer draws)."""
    from statusdoc.kinds import get

    return get(kind).emit_function()
