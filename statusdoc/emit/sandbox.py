"""Bounded rendering of Jinja2 templates: a user template cannot run without end.

The page templates a project may override run in Jinja2's
``ImmutableSandboxedEnvironment``: no access to Python internals, and
``range()`` capped at 100,000 items. Two bounds are added here:

- :class:`BoundedSandbox` intercepts ``*`` and ``**``: repeating a string or
  list past :data:`MAX_ITEMS` items, or a power past :data:`MAX_POWER_BITS`
  bits, is a ``SecurityError`` (one such operation runs in C, where no timer
  can stop it);
- :func:`render_bounded` stops a render that takes longer than
  :data:`TIME_LIMIT` seconds (nested loops) with :class:`TemplateTimeout`.
  It uses a ``SIGALRM`` timer, so it applies in the main thread of a
  process (the CLI, ``sphinx-build`` and its parallel workers); a render in
  another thread has no time limit. A timer already set by the program is
  restored afterwards.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

from jinja2 import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from statusdoc.errors import StatusdocError

__all__ = ["MAX_ITEMS", "MAX_POWER_BITS", "TIME_LIMIT", "BoundedSandbox", "TemplateTimeout",
           "render_bounded"]

#: Seconds one template render may take (a real page renders in milliseconds).
TIME_LIMIT = 10.0
#: Longest string or list a template may build with ``*``.
MAX_ITEMS = 10_000_000
#: Largest integer a template may build with ``**``, in bits.
MAX_POWER_BITS = 100_000


class TemplateTimeout(StatusdocError):
    """A template ran longer than :data:`TIME_LIMIT` seconds and was stopped."""


def _check_repeat(items: Any, count: Any) -> None:
    if (isinstance(items, str | bytes | list | tuple) and isinstance(count, int)
            and len(items) * count > MAX_ITEMS):
        raise SecurityError(f"sequence too large: more than {MAX_ITEMS:,} items")


def _check_power(base: Any, exponent: Any) -> None:
    if (isinstance(base, int) and isinstance(exponent, int) and exponent > 0
            and exponent * abs(base).bit_length() > MAX_POWER_BITS):
        raise SecurityError(f"number too large: more than {MAX_POWER_BITS:,} bits")


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with ``*`` and ``**`` bounded (see the module docstring)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


def render_bounded(template: Template, context: dict[str, Any]) -> str:
    """``template.render(context)``, stopped after :data:`TIME_LIMIT` seconds in the
    main thread (:class:`TemplateTimeout`)."""
    if (threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer") or TIME_LIMIT <= 0):
        return template.render(context)
    limit = TIME_LIMIT

    def expire(signum: int, frame: object) -> None:
        raise TemplateTimeout(
            f"template {template.name} ran longer than {limit:g} s and was stopped "
            "(a loop that does not end?)"
        )

    old_handler = signal.signal(signal.SIGALRM, expire)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, limit)
    start = time.monotonic()
    try:
        return template.render(context)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:  # someone else's timer: give it back, less the time spent
            left = max(old_delay - (time.monotonic() - start), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)
