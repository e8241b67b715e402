"""Known differences between a spec and the code that enforces it.

A project whose drift is tracked lists each expected difference, with the
reason, so that CI can run ``statusdoc compare`` on it anyway: in its
``[[tool.statusdoc.specs]]`` entry, or in a TOML file given to ``statusdoc
compare --known FILE``, with the same shape::

    [[tool.statusdoc.specs.known-differences]]   # in a --known file: [[known-differences]]
    transition = "queued -> deleted"   # or: status = "killed"
    side = "missing"                   # "missing": in the spec, not in code; "extra": only in code
    reason = "Glance bug 1234: the API refuses it; tracked."

:func:`parse_known` reads such a list and :func:`check_known` checks its names.
:func:`statusdoc.compare.compare_table` (behind the CLI, the pytest plugin and
:func:`statusdoc.testing.assert_table_matches`) applies it: a listed
difference that is present is *known* (reported, not a failure); a listed one
that no longer occurs is *stale*, and fails, so the list shrinks as the code
is fixed.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from statusdoc.errors import ConfigError, preview
from statusdoc.suggest import did_you_mean

__all__ = [
    "KNOWN_KEY",
    "SIDES",
    "KnownDifference",
    "KnownDifferenceError",
    "check_known",
    "describe",
    "load_known",
    "parse_known",
    "show_name",
]

#: The configuration key (and the ``--known`` file's array of tables).
KNOWN_KEY = "known-differences"
Side = Literal["missing", "extra"]
#: ``missing``: in the spec, not in the code; ``extra``: only in the code.
SIDES: tuple[Side, ...] = ("missing", "extra")
_SIDE_TEXT = {"missing": "missing from code", "extra": "only in code"}
_KEYS = ("transition", "status", "side", "reason")
_ARROW = "->"


class KnownDifferenceError(ConfigError):
    """A known-differences list that cannot be read, or that names unknown statuses."""


@dataclass(frozen=True, slots=True)
class KnownDifference:
    """One expected difference: a ``status`` or a ``transition`` on one ``side``.

    ``where`` says where it was listed (for messages), e.g.
    ``pyproject.toml: specs[0].known-differences[1]``.
    """

    side: Side
    reason: str
    status: str | None = None
    transition: tuple[str, str] | None = None
    where: str = field(default="", compare=False)

    @property
    def text(self) -> str:
        """The difference as ``statusdoc compare`` prints it, e.g. ``missing from code: a -> b``."""
        return describe(self.side, status=self.status, transition=self.transition)

    @property
    def names(self) -> tuple[str, ...]:
        """The status names it mentions."""
        return (self.status,) if self.status is not None else tuple(self.transition or ())


def show_name(name: str) -> str:
    """A status name as printed in reports: bare unless that would be ambiguous."""
    if not name or name != name.strip() or _ARROW in name or not name.isprintable():
        return repr(name)
    return name


def describe(side: Side, *, status: str | None = None,
             transition: tuple[str, str] | None = None) -> str:
    """One difference as a report line, e.g. ``missing from code: a -> b``."""
    if status is not None:
        return f"{_SIDE_TEXT[side]}: status {show_name(status)}"
    assert transition is not None
    source, target = transition
    return f"{_SIDE_TEXT[side]}: {show_name(source)} -> {show_name(target)}"


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KnownDifferenceError(f"{where}: expected a non-empty string, got {preview(value)}")
    return value.strip()


def _transition(value: Any, where: str) -> tuple[str, str]:
    """``"a -> b"``, or ``["a", "b"]`` for names that hold ``->`` themselves."""
    if isinstance(value, list):
        if len(value) != 2:
            raise KnownDifferenceError(
                f"{where}: expected [\"from\", \"to\"], got a list of {len(value)}")
        return _text(value[0], f"{where}[0]"), _text(value[1], f"{where}[1]")
    text = _text(value, where)
    if text.count(_ARROW) != 1:
        raise KnownDifferenceError(
            f"{where}: expected \"from -> to\", got {preview(text)}"
            + ('; for names holding "->" write ["from", "to"]' if _ARROW in text else ""))
    source, _, target = (part.strip() for part in text.partition(_ARROW))
    if not source or not target:
        raise KnownDifferenceError(f"{where}: expected \"from -> to\", got {preview(text)}")
    return source, target


def _entry(entry: Any, where: str) -> KnownDifference:
    if not isinstance(entry, dict):
        raise KnownDifferenceError(f"{where}: expected a table (transition or status, side, "
                                   "reason)")
    for key in entry:
        if key not in _KEYS:
            raise KnownDifferenceError(f"{where}: unknown key {preview(key)}"
                                       f"{did_you_mean(str(key), _KEYS)}; known keys: "
                                       + ", ".join(_KEYS))
    if ("transition" in entry) == ("status" in entry):
        raise KnownDifferenceError(
            f"{where}: give one of 'transition' (\"from -> to\") or 'status'")
    for key in ("side", "reason"):
        if key not in entry:
            raise KnownDifferenceError(f"{where}: missing required key {key!r}"
                                       + (" (why the difference is expected)"
                                          if key == "reason" else ""))
    side = entry["side"]
    if side not in SIDES:
        raise KnownDifferenceError(
            f"{where}.side: expected \"missing\" (in the spec, not in code) or \"extra\" "
            f"(only in code), got {preview(side)}{did_you_mean(str(side), SIDES)}")
    reason = _text(entry["reason"], f"{where}.reason")
    if "status" in entry:
        return KnownDifference(side, reason, status=_text(entry["status"], f"{where}.status"),
                               where=where)
    return KnownDifference(side, reason, transition=_transition(entry["transition"],
                                                                f"{where}.transition"),
                           where=where)


def parse_known(value: Any, where: str) -> tuple[KnownDifference, ...]:
    """The known differences of ``value`` (an array of tables), in order.

    ``where`` names the list in messages, e.g. ``pyproject.toml:
    specs[0].known-differences``. Raises :class:`KnownDifferenceError` for a
    bad entry, a missing ``reason``, or the same difference listed twice.
    """
    if not isinstance(value, list):
        raise KnownDifferenceError(
            f"{where}: expected an array of tables ([[...{KNOWN_KEY}]]), got {preview(value)}")
    found: dict[str, KnownDifference] = {}
    for index, entry in enumerate(value):
        item = _entry(entry, f"{where}[{index}]")
        if item.text in found:
            raise KnownDifferenceError(f"{item.where}: {item.text} is listed twice "
                                       f"(also {found[item.text].where})")
        found[item.text] = item
    return tuple(found.values())


def load_known(path: str | os.PathLike[str]) -> tuple[KnownDifference, ...]:
    """The known differences in the TOML file ``path``: ``[[known-differences]]`` tables."""
    from statusdoc.config import _read_toml

    shown = os.fspath(path)
    try:
        data = _read_toml(Path(path))
    except ConfigError as exc:
        raise KnownDifferenceError(str(exc)) from None
    for key in data:
        if key != KNOWN_KEY:
            raise KnownDifferenceError(f"{shown}: unknown key {preview(key)}; a known-differences "
                                       f"file holds [[{KNOWN_KEY}]] tables only")
    return parse_known(data.get(KNOWN_KEY, []), f"{shown}: {KNOWN_KEY}")


def check_known(known: Iterable[KnownDifference], spec: Collection[str],
                code: Collection[str]) -> None:
    """Raise :class:`KnownDifferenceError` listing every entry that names no real status.

    A ``missing`` difference lies in the spec: its names must be ``spec``
    statuses. An ``extra`` one lies in the code: its names must be statuses
    of the spec or the ``code``, and an extra *status* cannot be one the spec
    has. Each message has a "did you mean".
    """
    problems: list[str] = []
    either = [*spec, *(name for name in code if name not in spec)]
    for item in known:
        for name in item.names:
            if name in spec or (item.side == "extra" and name in code):
                continue
            if item.side == "missing":
                problems.append(f"{item.where}: {show_name(name)} is not a status of the spec"
                                f"{did_you_mean(name, spec)}")
            else:
                problems.append(f"{item.where}: {show_name(name)} is not a status of the spec "
                                f"or the code{did_you_mean(name, either)} (if the code no "
                                "longer has it, remove the entry)")
        if item.side == "extra" and item.status is not None and item.status in spec:
            problems.append(f"{item.where}: status {show_name(item.status)} is in the spec, so "
                            "it can never be only in code (side = \"missing\"?)")
    if problems:
        raise KnownDifferenceError("\n".join(problems))
