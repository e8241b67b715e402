"""Lone surrogates in parsed spec data: refused at validation, with their key path.

A JSON ``\\ud800`` escape without its pair (or text handed to the API)
yields a ``str`` that no UTF-8 file can hold: the spec would validate and
then every output would fail to be written. The parsed data is walked once
(iteratively, linear in its size).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from statusdoc.errors import Problem
from statusdoc.spec.positions import KeyPath
from statusdoc.spec.rules import make_problem

__all__ = ["lone_surrogates"]

#: Lone surrogates reported per spec (each is one more line of output).
_MAX_SURROGATE_PROBLEMS = 20


def lone_surrogates(
    data: Any, filename: str, locate: Callable[[KeyPath], int]
) -> list[Problem]:
    """A problem (at most 20) for every key or string of ``data`` holding a lone
    surrogate; ``locate`` gives the line of a key path."""
    found: list[Problem] = []
    stack: list[tuple[Any, KeyPath]] = [(data, ())]
    while stack and len(found) < _MAX_SURROGATE_PROBLEMS:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and _has_surrogate(key):
                    found.append(_problem(filename, locate, (*path, key), key))
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, (*path, i)) for i, item in enumerate(value))
        elif isinstance(value, str) and _has_surrogate(value):
            found.append(_problem(filename, locate, path, value))
    return sorted(found, key=lambda p: p.line)


def _has_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _problem(
    filename: str, locate: Callable[[KeyPath], int], path: KeyPath, text: str
) -> Problem:
    from statusdoc.spec.load import format_path

    char = next(c for c in text if "\ud800" <= c <= "\udfff")
    shown = tuple(
        p.encode("utf-8", "backslashreplace").decode("ascii", "replace")
        if isinstance(p, str) else p for p in path
    )
    return make_problem(
        "lone-surrogate", filename, locate(path), format_path(shown),
        f"lone surrogate U+{ord(char):04X} (half of a \\uXXXX pair): it cannot be "
        "written as UTF-8; write the character itself or the complete pair",
    )
