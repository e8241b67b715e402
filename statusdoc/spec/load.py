"""Parse spec text (TOML, YAML, JSON) into plain data plus source positions.

FIRST VERSION: positions are not tracked yet (``locate`` returns 0).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from statusdoc.errors import Problem

FORMATS = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml", ".json": "json"}

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """Parsed spec data and a way to find the line of a key path in the source."""

    data: Any
    filename: str
    format: str
    locate: Callable[[KeyPath], int]


def detect_format(filename: str) -> str:
    """The spec format for ``filename``'s suffix; ValueError when unknown."""
    for suffix, fmt in FORMATS.items():
        if filename.lower().endswith(suffix):
            return fmt
    known = ", ".join(sorted(FORMATS))
    raise ValueError(f"unknown spec format (expected a file ending in {known})")


def parse_document(
    text: str | bytes, format: str, filename: str
) -> tuple[Document | None, list[Problem]]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    if format == "toml":
        data = tomllib.loads(text)
    elif format == "yaml":
        import yaml

        data = yaml.safe_load(text)
    elif format == "json":
        data = json.loads(text)
    else:
        return None, [Problem(filename, 0, "", f"unknown format {format!r}")]
    return Document(data, filename, format, lambda path: 0), []
