"""The output kinds: one table says, per kind, how it is made, named and checked.

Every part of statusdoc that needs to know the kinds reads :data:`KINDS`:
configuration validation (``outputs``, ``names``), the ``--format`` help and
check of ``generate`` and ``check``, the artifacts layer (plan, check,
generate), ``statusdoc render`` and the renderer (the image formats), and the
Sphinx extension (``statusdoc_output_format``, the directives' ``:format:``).

Adding a kind is one new module (its emitter, a pure function
``emit(machine, *, source_name, ...) -> str``, see :mod:`statusdoc.emit`) plus
one :class:`OutputKind` row below. The order of the rows is the order
``generate`` writes and reports outputs, and lists the kinds in messages.

Kept free of heavy imports: emitters are imported only when one is asked for.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def same_stem(stem: str) -> str:
    """The default file stem rule: the spec file's stem as it is."""
    return stem


def module_stem(stem: str) -> str:
    """The spec file's stem made an importable Python module name
    (``image-statuses`` -> ``image_statuses``, ``2fa`` -> ``_2fa``)."""
    stem = re.sub(r"\W", "_", stem)
    return "_" + stem if not stem or stem[0].isdigit() else stem


def teardown_stem(stem: str) -> str:
    """The stem of a script undoing another: ``image-statuses`` -> ``image-statuses-teardown``."""
    return f"{stem}-teardown"


@dataclass(frozen=True, slots=True)
class OutputKind:
    """One kind of output: its name (as in ``outputs`` and ``--format``), its
    default file suffix and stem rule, a few words of help, and how it is made.

    A text kind names its ``emitter`` (``"module:function"``). A kind with
    ``rendered=True`` has no emitter: the renderer draws it from the DOT text
    (the ``dot`` kind's emitter), and ``check`` compares it by the DOT hash in
    its stamp, not byte for byte. A ``composer`` kind (``"module:function"``
    taking the machine and its :class:`~statusdoc.config.SpecConfig`) is a page
    built around the rendered SVG: the composer returns an object whose
    ``digest(dot)`` is the hash its stamp must record, whose ``view_dots`` are
    the DOT of further SVGs it shows (rendered like the main one) and whose
    ``stamped(svg, digest, renderer, views)`` is the finished, stamped file; ``check``
    compares it by that stamp too, and by ``problem(old_bytes)`` (why a file
    with a valid-looking stamp is still not this page; "" if it is), since a
    stamp can be forged. ``binary`` kinds are bytes, never decoded.
    A kind with ``default=False`` is written only when asked for by name. A kind
    with ``settings`` (a key of :data:`SETTINGS`, such as ``"sql"``) needs that
    table in its spec's configuration entry: the emitter gets the parsed value as
    its ``settings`` keyword argument.
    """

    name: str
    suffix: str
    help: str
    emitter: str = ""
    rendered: bool = False
    binary: bool = False
    stem: Callable[[str], str] = same_stem
    composer: str = ""
    default: bool = True
    settings: str = ""

    @property
    def stamped(self) -> bool:
        """Compared with the disk by its stamp (rendered or composed), not byte for byte."""
        return self.rendered or bool(self.composer)

    def file_name(self, spec_stem: str) -> str:
        """The default file name of this output of a spec whose file stem is ``spec_stem``."""
        return self.stem(spec_stem) + self.suffix

    def emit_function(self) -> Callable[..., str]:
        """The emitter, imported now (``ImportError``/``AttributeError`` when it is missing,
        ``LookupError`` for a rendered kind, which has none)."""
        if not self.emitter:
            raise LookupError(f"output kind {self.name!r} is rendered from the DOT, not emitted")
        module_name, _, func_name = self.emitter.partition(":")
        func: Callable[..., str] = getattr(importlib.import_module(module_name), func_name)
        return func

    def compose_function(self) -> Callable[..., Any]:
        """The composer, imported now (``LookupError`` for a kind that has none)."""
        if not self.composer:
            raise LookupError(f"output kind {self.name!r} is not composed around the SVG")
        module_name, _, func_name = self.composer.partition(":")
        func: Callable[..., Any] = getattr(importlib.import_module(module_name), func_name)
        return func


#: The DOT kind: the source every rendered kind is drawn from.
DOT = "dot"

#: Every output kind, by name, in the order ``generate`` writes and reports them.
KINDS: dict[str, OutputKind] = {
    kind.name: kind
    for kind in (
        OutputKind("rst", ".rst", "reStructuredText reference page",
                   emitter="statusdoc.emit.rst:emit_rst"),
        OutputKind("md", ".md", "Markdown reference page",
                   emitter="statusdoc.emit.markdown:emit_markdown"),
        OutputKind(DOT, ".dot", "Graphviz DOT source of the diagram",
                   emitter="statusdoc.emit.dot:emit_dot"),
        OutputKind("png", ".png", "PNG image of the diagram, rendered", rendered=True,
                   binary=True),
        OutputKind("svg", ".svg", "SVG image of the diagram, rendered", rendered=True,
                   binary=True),
        OutputKind("mermaid", ".mmd", "Mermaid stateDiagram-v2 of the diagram",
                   emitter="statusdoc.emit.mermaid:emit_mermaid"),
        OutputKind("python", ".py", "Python module of status constants",
                   emitter="statusdoc.emit.python:emit_python", stem=module_stem),
        OutputKind("typescript", ".ts", "TypeScript module of the statuses and transitions",
                   emitter="statusdoc.emit.typescript:emit_typescript", default=False),
        OutputKind("openapi", ".openapi.json", "OpenAPI 3.1 document with the status schema",
                   emitter="statusdoc.emit.openapi:emit_openapi", default=False),
        OutputKind("html", ".html", "standalone HTML page with the live diagram",
                   composer="statusdoc.htmlpage:compose", binary=True, default=False),
        OutputKind("sql", ".sql", "SQL enforcing the statuses and transitions in the database "
                   "(PostgreSQL or SQLite)", emitter="statusdoc.sql.emit:emit_sql",
                   default=False, settings="sql"),
        OutputKind("sql-teardown", ".sql", "SQL removing what the sql output installs",
                   emitter="statusdoc.sql.emit:emit_teardown", stem=teardown_stem,
                   default=False, settings="sql"),
    )
}

#: Per-kind settings a spec's configuration entry may hold: the key (as in
#: ``[[tool.statusdoc.specs]]``) and its parser (``"module:function"`` taking the
#: raw value and where it is, for messages; raises ConfigError).
SETTINGS: dict[str, str] = {
    "sql": "statusdoc.sql.settings:parse_settings",
}


def names() -> tuple[str, ...]:
    """Every kind's name, in table order."""
    return tuple(KINDS)


def defaults() -> tuple[str, ...]:
    """The kinds a spec gets when it does not list its outputs, in table order."""
    return tuple(name for name, kind in KINDS.items() if kind.default)


def stamped() -> tuple[str, ...]:
    """The kinds ``check`` compares by their stamp (rendered or composed), in table order."""
    return tuple(name for name, kind in KINDS.items() if kind.stamped)


def rendered() -> tuple[str, ...]:
    """The kinds the renderer draws from the DOT (the image formats), in table order."""
    return tuple(name for name, kind in KINDS.items() if kind.rendered)


def parse_settings(key: str, value: Any, where: str) -> Any:
    """The settings ``key`` of :data:`SETTINGS` parsed from ``value`` (ConfigError when wrong)."""
    module_name, _, func_name = SETTINGS[key].partition(":")
    return getattr(importlib.import_module(module_name), func_name)(value, where)


def get(name: str) -> OutputKind:
    """The kind called ``name`` (``KeyError`` when there is none)."""
    return KINDS[name]


def described() -> str:
    """``rst (reStructuredText reference page), md (...), ...``: for help texts; a kind
    written only when asked for by name says so."""
    return ", ".join(f"{name} ({kind.help}{'' if kind.default else '; not a default'})"
                     for name, kind in KINDS.items())


def one_of(choices: tuple[str, ...]) -> str:
    """``png or svg``, ``rst, md or dot``: choices for a message."""
    return " or ".join(filter(None, (", ".join(choices[:-1]), choices[-1]))) if choices else ""
