"""Emitters: pure functions ``Machine -> str``, no I/O, deterministic.

Each text emitter has the signature
``emit(machine, *, source_name: str, <its own keyword options>) -> str``
(an option it does not know is a ``TypeError``, never silently ignored), where
``source_name`` is the spec path to name in the "generated from" header
(relative to the project root, with ``/`` separators, so output does not
depend on the working directory; see ``SpecConfig.source_name``).
``EMITTERS`` maps an output kind to the dotted path of its function and the
default file suffix; imports are lazy so the CLI does not pay for Jinja2 or
pydot when it does not emit.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

#: output kind -> (module:function, default file suffix)
EMITTERS: dict[str, tuple[str, str]] = {
    "rst": ("statusdoc.emit.rst:emit_rst", ".rst"),
    "md": ("statusdoc.emit.markdown:emit_markdown", ".md"),
    "dot": ("statusdoc.emit.dot:emit_dot", ".dot"),
    "mermaid": ("statusdoc.emit.mermaid:emit_mermaid", ".mmd"),
    "python": ("statusdoc.emit.python:emit_python", ".py"),
}

#: Image kinds are rendered from the DOT text, not emitted directly.
IMAGE_KINDS: dict[str, str] = {"png": ".png", "svg": ".svg"}


def get_emitter(kind: str) -> Callable[..., str]:
    """The emitter function for ``kind`` (KeyError when unknown)."""
    target, _suffix = EMITTERS[kind]
    module_name, func_name = target.split(":")
    func: Any = getattr(importlib.import_module(module_name), func_name)
    return func
