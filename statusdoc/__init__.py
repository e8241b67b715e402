"""statusdoc: one declarative spec of a status machine is the single source of truth.

Public API::

    machine = statusdoc.load("image-statuses.toml")
    machine.check("queued", "saving")

Names are imported lazily (PEP 562): ``import statusdoc`` stays cheap for the
CLI and for the pytest plugin, which every pytest run of an installing
project loads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS: dict[str, str] = {
    "ConfigError": "statusdoc.errors",
    "InvalidTransition": "statusdoc.errors",
    "Problem": "statusdoc.errors",
    "RenderError": "statusdoc.errors",
    "SpecError": "statusdoc.errors",
    "StatusdocError": "statusdoc.errors",
    "UnknownStatus": "statusdoc.errors",
    "InvalidEvent": "statusdoc.runtime",
    "InvalidInitialStatus": "statusdoc.runtime",
    "StatusField": "statusdoc.statusfield",
    "load": "statusdoc.spec.api",
    "loads": "statusdoc.spec.api",
    "validate_file": "statusdoc.spec.api",
    "validate_text": "statusdoc.spec.api",
    "Machine": "statusdoc.spec.model",
    "State": "statusdoc.spec.model",
    "Transition": "statusdoc.spec.model",
}

__all__ = [
    "ConfigError",
    "InvalidEvent",
    "InvalidInitialStatus",
    "InvalidTransition",
    "Machine",
    "Problem",
    "RenderError",
    "SpecError",
    "State",
    "StatusField",
    "StatusdocError",
    "Transition",
    "UnknownStatus",
    "__version__",
    "load",
    "loads",
    "validate_file",
    "validate_text",
]

if TYPE_CHECKING:
    from statusdoc.errors import (
        ConfigError,
        InvalidTransition,
        Problem,
        RenderError,
        SpecError,
        StatusdocError,
        UnknownStatus,
    )
    from statusdoc.runtime import InvalidEvent, InvalidInitialStatus, StatusField
    from statusdoc.spec.api import load, loads, validate_file, validate_text
    from statusdoc.spec.model import Machine, State, Transition


def __getattr__(name: str) -> Any:
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'statusdoc' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
