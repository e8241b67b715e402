"""statusdoc: one declarative spec of a status machine is the single source of truth.

Public API::

    machine = statusdoc.load("image-statuses.toml")
    machine.check("queued", "saving")
"""

from __future__ import annotations

from statusdoc.errors import (
    ConfigError,
    InvalidTransition,
    Problem,
    RenderError,
    SpecError,
    StatusdocError,
    UnknownStatus,
)
from statusdoc.spec.api import load, loads, validate_file, validate_text
from statusdoc.spec.model import Machine, State, Transition

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "InvalidTransition",
    "Machine",
    "Problem",
    "RenderError",
    "SpecError",
    "State",
    "StatusdocError",
    "Transition",
    "UnknownStatus",
    "__version__",
    "load",
    "loads",
    "validate_file",
    "validate_text",
]
