"""Quoting for SQL: every name and every string the generated SQL holds goes through here.

One :class:`Quoting` per dialect, two functions each:

* ``ident(name)``: a delimited identifier, ``"..."`` with every ``"`` doubled.
  Both PostgreSQL and SQLite read any character but NUL inside one, and give
  the backslash no meaning there. (Configured names never hold NUL: the
  configuration refuses it; status names are never identifiers.)
* ``literal(text)``: a string constant that reads back as exactly ``text``.
  SQLite: ``'...'`` with every ``'`` doubled, always (SQLite has no escapes).
  PostgreSQL: the same while ``text`` holds no backslash; with one, a
  dollar-quoted constant ``$s$...$s$`` whose tag does not occur in the text,
  because a backslash inside ``'...'`` is an escape when the server runs with
  ``standard_conforming_strings = off`` and an ``E'...'`` escape string is
  unsafe in client encodings such as GBK and SJIS, where a multibyte
  character may end in the byte of a backslash. A dollar-quoted string has
  no escapes in any setting; its closing tag is ASCII below ``0x40``, so no
  multibyte character can swallow it.

:func:`dollar_quote` also delimits PostgreSQL function bodies. Line breaks,
``--``, ``/*`` and ``;`` need no care inside any of these: they are text
there. Nothing is ever put into SQL unquoted but keywords and hex digests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["POSTGRESQL", "QUOTING", "SQLITE", "Quoting", "dollar_quote", "shown"]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def dollar_quote(text: str, tag: str) -> str:
    """``$tag$text$tag$`` with the first of ``tag``, ``tag1``, ``tag2``, ... that
    cannot end the string early: ``$tag$`` must first occur right after ``text``
    (so it is neither inside ``text`` nor formed by ``text``'s end and the tag)."""
    candidate, n = tag, 0
    while (text + f"${candidate}$").find(f"${candidate}$") != len(text):
        n += 1
        candidate = f"{tag}{n}"
    return f"${candidate}${text}${candidate}$"


def _pg_literal(text: str) -> str:
    return _single(text) if "\\" not in text else dollar_quote(text, "s")


@dataclass(frozen=True, slots=True)
class Quoting:
    """The quoting functions of one dialect."""

    dialect: str
    ident: Callable[[str], str]
    literal: Callable[[str], str]

    def qualified(self, *names: str | None) -> str:
        """``"schema"."table"``: the given names quoted and joined (None skipped)."""
        return ".".join(self.ident(n) for n in names if n is not None)


POSTGRESQL = Quoting("postgresql", _ident, _pg_literal)
SQLITE = Quoting("sqlite", _ident, _single)
QUOTING = {q.dialect: q for q in (POSTGRESQL, SQLITE)}


def shown(status: str) -> str:
    """A status as error messages show it: ``'name'``, a ``'`` in it doubled.

    The rule is the same in Python (at generation time) and in SQL (at run time,
    for a value the trigger cannot know in advance), and for the plain names of
    most specs it is what the Python runtime shows (``repr``).
    """
    return _single(status)
