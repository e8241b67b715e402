"""The state of one safety parse: findings, roles defined so far, options read.

docutils calls directive option converters before any directive object
exists, so they find the running check through :func:`current` (one stack
per thread); everything else reaches it from the document being parsed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from docutils import nodes

from statusdoc.rstsafety import names


class Check:
    """What one parse found, and the roles defined during it."""

    def __init__(self, language: Any, base_dir: str | None, default_role: str) -> None:
        self.language = language
        self.base_dir = base_dir
        self.default_role = default_role
        self.local_roles: dict[str, str | None] = {}
        self.findings: list[str] = []
        self.option_texts: list[tuple[str, str]] = []
        self.runs = 0
        self.detached: list[nodes.Element] = []

    def find(self, finding: str) -> None:
        if finding not in self.findings:
            self.findings.append(finding)

    def role(self, name: str) -> tuple[str, str]:
        """``(canonical name, why refused or "")``, roles defined by ``.. role::`` first."""
        key = name.lower()
        if key in self.local_roles:
            base = self.local_roles[key]
            return (base, "") if base else (key, "defined from a refused role")
        return names.role(name, self.language)


def check_of(document: nodes.document) -> Check:
    """The check of the parse ``document`` belongs to."""
    check: Check = document.statusdoc_check  # type: ignore[attr-defined]
    return check


def directive_label(written: str, canonical: str) -> str:
    """``'bild' (image)`` for a localised name, ``'image'`` otherwise."""
    return f"'{written}'" if written.lower() == canonical else f"'{written}' ({canonical})"


def role_label(written: str, canonical: str) -> str:
    """``':roh:' (raw)`` for a localised name, ``':raw:'`` otherwise."""
    return f"':{written}:'" if written.lower() == canonical else f"':{written}:' ({canonical})"


class _Running(threading.local):
    def __init__(self) -> None:
        self.stack: list[Check] = []


_RUNNING = _Running()


@contextlib.contextmanager
def running(check: Check) -> Iterator[None]:
    """Make ``check`` the :func:`current` one while the block runs."""
    _RUNNING.stack.append(check)
    try:
        yield
    finally:
        _RUNNING.stack.pop()


def current() -> Check:
    """The check of the innermost parse running in this thread."""
    return _RUNNING.stack[-1]
