"""Parsers of single configuration values, shared by every table that holds settings.

Each takes the value and ``where`` (the key's place, for the message) and
returns the value checked, or raises :class:`~statusdoc.errors.ConfigError`
naming what was expected. :mod:`statusdoc.config` builds the project and
spec settings from them; :mod:`statusdoc.sql.settings` reads its table with
the same ones.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from statusdoc import kinds
from statusdoc.errors import ConfigError, preview
from statusdoc.pathrules import check_path_text
from statusdoc.suggest import did_you_mean as _suggest

if TYPE_CHECKING:
    from statusdoc.emit.views import ViewSetting

__all__ = [
    "check_keys",
    "parse_bool",
    "parse_kind",
    "parse_lint",
    "parse_names",
    "parse_outputs",
    "parse_path",
    "parse_renderer",
    "parse_str",
    "parse_timeout",
    "parse_view",
]


def check_keys(table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    """Refuse a key of ``table`` that is not in ``known`` (with a did-you-mean)."""
    for key in table:
        if key not in known:
            raise ConfigError(
                f"{where}: unknown key {preview(key)}{_suggest(key, known)}; known keys: "
                + ", ".join(known)
            )


def parse_str(value: Any, where: str) -> str:
    """A non-empty string without NUL."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected a non-empty string, got {preview(value)}")
    if "\x00" in value:
        raise ConfigError(f"{where}: {preview(value)} contains a NUL character")
    return value


def parse_path(value: Any, where: str) -> str:
    """A configured path: a non-empty string the OS can take (:func:`check_path_text`)."""
    return check_path_text(parse_str(value, where), where)


def parse_timeout(value: Any, where: str) -> float:
    """Validate a time limit in seconds (a positive, finite number: not nan or inf)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise ConfigError(f"{where}: expected a positive number of seconds, got {preview(value)}")
    return float(value)


def parse_bool(value: Any, where: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {preview(value)}")
    return value


def parse_renderer(value: Any, where: str, root: Path | None = None) -> str:
    """Validate a renderer name; a relative ``command:`` path is made relative to ``root``."""
    text = parse_str(value, where)
    if root is not None and text.startswith("command:"):
        command = text[len("command:") :]
        if "/" in command and not os.path.isabs(command):
            text = f"command:{os.path.normpath(root / command)}"
    if text in ("graphviz-pure", "dot", "auto") or (
        text.startswith("command:") and len(text) > len("command:")
    ):
        return text
    raise ConfigError(
        f"{where}: unknown renderer {preview(text)}"
        f"{_suggest(text, ('graphviz-pure', 'dot', 'auto'))}"
        "; use graphviz-pure, dot, auto or command:/path/to/program"
    )


def parse_kind(name: Any, where: str) -> str:
    """``name`` when it names an output kind of :data:`statusdoc.kinds.KINDS`."""
    if name not in kinds.KINDS:
        known = kinds.names()
        raise ConfigError(
            f"{where}: unknown output kind {preview(name)}{_suggest(str(name), known)}; "
            "known: " + ", ".join(known)
        )
    return str(name)


def parse_outputs(values: Iterable[str], where: str = "--format") -> tuple[str, ...]:
    """Validate a list of output kinds (comma lists allowed); keep the canonical order."""
    wanted: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected output kind names, got {preview(value)}")
        wanted.extend(parse_kind(k, where) for k in (k.strip() for k in value.split(",")) if k)
    if not wanted:
        raise ConfigError(f"{where}: no output kinds given")
    return tuple(k for k in kinds.names() if k in wanted)


def parse_lint(value: Any, where: str) -> frozenset[str]:
    """``lint = { allow = [...] }``: the warning rules (names or codes) to allow."""
    from statusdoc.spec.rules import allowed_rules

    if not isinstance(value, dict):
        raise ConfigError(f'{where}: expected a table like {{ allow = ["ambiguous-event"] }}')
    check_keys(value, ("allow",), where)
    entries = value.get("allow", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where}.allow: expected a list of rule names or codes")
    try:
        return allowed_rules(entries, f"{where}.allow")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def parse_names(value: Any, where: str) -> Mapping[str, str]:
    """``names = { kind = "file name" }``: plain file names per output kind."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table like {{ rst = \"statuses.rst\" }}")
    out: dict[str, str] = {}
    for kind, name in value.items():
        parse_kind(kind, where)
        name = parse_path(name, f"{where}.{kind}")
        if "/" in name or "\\" in name or name in (".", ".."):
            raise ConfigError(f"{where}.{kind}: {preview(name)} must be a plain file name")
        out[kind] = name
    return MappingProxyType(out)


def parse_view(value: Any, where: str) -> ViewSetting:
    """A ``focus`` or ``overview`` setting: ``"auto"``, ``"on"``/``true`` or ``"off"``/``false``."""
    from statusdoc.emit.views import parse_setting

    try:
        return parse_setting(value, where)
    except ValueError:
        raise ConfigError(f'{where}: expected "auto", "on" or "off" (or true/false), '
                          f"got {preview(value)}") from None
