"""Is a description safe to publish? Decided on the parsed RST, never on the text.

A spec arrives in a pull request and its descriptions and intro end up on a
published page, so each one is parsed with docutils (in the document's
language) and the resulting node tree is checked:

* directives and roles must be on an allow-list of names that only lay out
  text (:mod:`statusdoc.rstsafety.names`), in every language docutils knows:
  ``include``, ``raw``, ``literalinclude``, ``meta``, ``math``, Sphinx's
  ``automodule``/``graphviz``/..., ``csv-table`` with ``:file:`` or
  ``:url:``, and roles ``:raw:``, ``:math:``, ``:download:`` or anything
  derived from them by ``.. role::`` are refused;
* no raw node, no math node, no ``<meta>`` tag;
* links only to ``http``, ``https``, ``mailto`` or inside the site; images
  only from ``http(s)`` URLs or files inside the spec's directory
  (:mod:`statusdoc.rstsafety.uris`).

Because the parse tree decides, the text's shape does not matter: a
substitution definition split over lines, a localised directive name, a
directive inside a table cell or a list is found like any other. The parse
opens no file, writes no message and takes time about linear in the text.
Projects that trust their specs opt out with ``allow_unsafe_rst``
(``allow-unsafe-rst`` in the configuration, ``statusdoc_allow_unsafe_rst``
in Sphinx).
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["check_machine", "is_known_language", "prose", "rst_findings"]

#: Texts up to this size are remembered (validation, the emitter and Sphinx
#: check the same descriptions in one process).
_CACHED_SIZE = 8_192


def rst_findings(
    text: str,
    *,
    language: str = "en",
    base_dir: str | os.PathLike[str] | None = None,
    default_role: str | None = None,
) -> list[str]:
    """Every unsafe construct in the RST ``text``, as short phrases (empty: safe).

    ``language`` is the docutils language code the text is parsed in
    (localised directive names); ``base_dir`` is the spec's directory, which
    local images must stay inside; ``default_role`` is the role of
    `single backquotes` (Sphinx's ``default_role``; docutils' default when None).
    """
    if ":" not in text and ("`" not in text or not default_role):
        # Every directive, role, link target and URI needs a colon; backquotes
        # alone only make the default role, which is safe unless a project changed it.
        return []
    base = os.fspath(base_dir) if base_dir else ""
    if len(text) <= _CACHED_SIZE:
        return list(_cached_findings(text, language or "en", base, default_role or ""))
    return list(_findings(text, language or "en", base, default_role or ""))


@functools.lru_cache(maxsize=2048)
def _cached_findings(text: str, language: str, base_dir: str, default_role: str) -> tuple[str, ...]:
    return _findings(text, language, base_dir, default_role)


def _findings(text: str, language: str, base_dir: str, default_role: str) -> tuple[str, ...]:
    from statusdoc.rstsafety import names, parser
    from statusdoc.rstsafety.check import Check

    check = Check(names.language_module(language), base_dir or None,
                  default_role or names.DEFAULT_ROLE)
    try:
        document = parser.parse(text, check, language)
    except RecursionError:
        return ("nested too deeply to check",)
    if document is None:
        return (f"a line longer than {parser.LINE_LENGTH_LIMIT:,} characters, which docutils "
                "does not parse",)
    parser.walk(document, check)
    for holder in check.detached:
        parser.walk(holder, check)
    findings = tuple(check.findings)
    del document, check
    if not gc.isenabled():
        # A parse tree is a web of parent links, freed only by the cyclic
        # collector, which a big spec's load pauses: thousands of descriptions
        # left ~20 KB each behind. A young-generation collection frees this
        # one now and scans only what was made since the last one (linear).
        gc.collect(0)
    return findings


def prose(machine: Machine) -> Iterator[tuple[str, str]]:
    """``(key path, text)`` of every RST text in ``machine``: intro and descriptions
    (of statuses, groups and transitions)."""
    if machine.intro:
        yield "machine.intro", machine.intro
    for state in machine.states:
        if state.description:
            yield f"states.{state.name}.description", state.description
    for group in machine.groups:
        if group.description:
            yield f"groups.{group.name}.description", group.description
    for rule in machine.rules:
        if rule.description:
            yield f"transitions[{rule.index}].description", rule.description


def check_machine(
    machine: Machine,
    *,
    language: str | None = None,
    default_role: str | None = None,
) -> list[str]:
    """Every unsafe construct in the machine's RST, located: ``"<key path>: <finding>"``.

    ``language`` defaults to the spec's ``machine.language`` (English when
    unset); images must stay in the directory of the spec file the machine
    was loaded from.
    """
    base_dir = os.path.dirname(os.path.abspath(machine.source)) if machine.source else None
    found: list[str] = []
    for where, text in prose(machine):
        found.extend(
            f"{where}: {item}"
            for item in rst_findings(text, language=language or machine.language or "en",
                                     base_dir=base_dir, default_role=default_role)
        )
    return found


def is_known_language(code: str) -> bool:
    """Whether docutils has localised RST names for ``code`` (``de``, ``pt-BR``, ...)."""
    from docutils.utils import normalize_language_tag

    from statusdoc.rstsafety.names import known_languages

    known = known_languages()
    return any(tag.replace("-", "_") in known for tag in normalize_language_tag(code))
