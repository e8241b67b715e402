"""Enum member names for status names: one rule, shared by the runtime and the emitters.

:mod:`statusdoc.runtime` re-exports both functions (their documented home).
"""

from __future__ import annotations

import keyword
import unicodedata
from collections.abc import Iterable

__all__ = ["status_member_name", "status_member_names"]


def _is_name_char(ch: str) -> bool:
    """True when ``ch`` may appear inside a Python identifier."""
    return ch == "_" or ("a" + ch).isidentifier()


def status_member_name(status: str) -> str:
    """The enum member name for one status name, before collision handling.

    The rule, applied in this order:

    1. Unicode NFKD decomposition, then combining marks are dropped, so
       accented Latin letters become plain ones (``"café"`` -> ``"cafe"``).
    2. Upper case (``str.upper``).
    3. Every run of characters that cannot appear in a Python identifier
       (spaces, ``-``, ``.``, symbols, emoji...) and of ``_`` becomes one
       ``_``; leading and trailing ``_`` are removed. Letters of other
       scripts that are valid in identifiers (``"状态"``) are kept.
    4. NFKC normalisation (what Python does to identifiers in source code).
    5. An empty result becomes ``S``; a result that does not start like an
       identifier (a digit) gets the prefix ``S_``; a Python keyword gets
       the suffix ``_`` (only possible for non-upper-case keywords, so never
       after step 2, but kept for safety).

    >>> status_member_name("wait call-back")
    'WAIT_CALL_BACK'
    >>> status_member_name("3rd-party")
    'S_3RD_PARTY'
    >>> status_member_name("déjà vu")
    'DEJA_VU'
    """
    decomposed = unicodedata.normalize("NFKD", status)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()
    parts: list[str] = []
    sep = False
    for ch in letters:
        if ch != "_" and _is_name_char(ch):
            if sep and parts:
                parts.append("_")
            parts.append(ch)
            sep = False
        else:
            sep = True
    name = unicodedata.normalize("NFKC", "".join(parts))
    if not name:
        return "S"
    if not name.isidentifier():
        name = "S_" + name
        if not name.isidentifier():  # pragma: no cover - defensive: step 3 keeps name chars only
            name = "S_" + "_".join(f"{ord(c):X}" for c in status)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def status_member_names(
    statuses: Iterable[str], *, reserved: Iterable[str] = ()
) -> dict[str, str]:
    """Map each status (in the given order) to a unique enum member name.

    Names come from :func:`status_member_name`; when two statuses give the
    same name, the first (in spec order) keeps it and each later one gets the
    first free suffix ``_2``, ``_3``, ... Names in ``reserved`` are never
    given out (they count as taken from the start).

    >>> status_member_names(["a-b", "a_b", "A B"])
    {'a-b': 'A_B', 'a_b': 'A_B_2', 'A B': 'A_B_3'}
    """
    result: dict[str, str] = {}
    taken: set[str] = set(reserved)
    for status in statuses:
        base = status_member_name(status)
        name = base
        n = 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        result[status] = name
    return result
