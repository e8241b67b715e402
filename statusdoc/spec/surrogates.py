"""Lone surrogates in parsed spec data: refused at validation, with their key path.

A JSON ``\\ud800`` escape without its pair (or text handed to the API)
yields a ``str`` that no UTF-8 file can hold: the spec would validate and
then every output would fail to be written. The parsed data is walked once
(iteratively, linear in its size).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    surrogate; ``locate`` gives the line of a key path.

    Depth first, last item first; a key path is made only for a table or list
    being walked (one per level, not one per value of the spec) and for a
    problem.
    """
    found: list[Problem] = []
    if not isinstance(data, dict | list):
        if isinstance(data, str) and _has_surrogate(data):
            found.append(_problem(filename, locate, (), data))
        return found
    stack: list[tuple[Iterator[tuple[Any, Any]], KeyPath]] = [
        (_items(data, (), filename, locate, found), ())]
    while stack and len(found) < _MAX_SURROGATE_PROBLEMS:
        items, path = stack[-1]
        for key, item in items:
            if isinstance(item, dict | list):
                inner = (*path, key)
                stack.append((_items(item, inner, filename, locate, found), inner))
                break
            if isinstance(item, str) and _has_surrogate(item):
                found.append(_problem(filename, locate, (*path, key), item))
                if len(found) >= _MAX_SURROGATE_PROBLEMS:
                    break
        else:
            stack.pop()
    return sorted(found, key=lambda p: p.line)


def _items(value: dict[Any, Any] | list[Any], path: KeyPath, filename: str,
           locate: Callable[[KeyPath], int], found: list[Problem]) -> Iterator[tuple[Any, Any]]:
    """``value``'s (key, item) pairs, last first; its keys are checked first, in order."""
    if isinstance(value, list):
        return zip(range(len(value) - 1, -1, -1), reversed(value), strict=True)
    for key in value:
        if isinstance(key, str) and _has_surrogate(key):
            found.append(_problem(filename, locate, (*path, key), key))
    return reversed(value.items())


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
