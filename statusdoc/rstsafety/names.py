"""Which directive and role names a description may use, in any docutils language.

A name is resolved the way docutils resolves it: lower-cased, looked up in
the document language's table of localised names, then in the English one,
else taken as the canonical name itself (``.. bild::`` is ``image`` in a
German document, ``.. rolle::`` is ``role``). A name passes when its
canonical name is on the allow-list below **and** no language docutils ships
maps the same word to anything else: a page checked in one language may be
built in another, so a word that is ``raw`` in some language is refused
everywhere. Everything not listed is refused, which is what keeps Sphinx
directives that plain docutils does not know (``literalinclude``,
``automodule``, ``graphviz``, ...) out of the published page.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Collection
from types import ModuleType
from typing import Any, Literal

#: How the check runs an allowed directive:
#: ``docutils``: docutils' own implementation (its content is checked as it parses);
#: ``rst``: a Sphinx directive whose content is RST (content parsed and checked);
#: ``literal``: a Sphinx directive whose content is code (kept as text);
#: ``role`` / ``default-role``: read by the check itself (they change how roles resolve).
DirectiveKind = Literal["docutils", "rst", "literal", "role", "default-role"]

DIRECTIVES: dict[str, DirectiveKind] = {
    **dict.fromkeys(
        (
            "admonition", "attention", "caution", "danger", "error", "hint", "important",
            "note", "tip", "warning", "topic", "sidebar", "rubric", "epigraph",
            "highlights", "pull-quote", "compound", "container", "line-block",
            "parsed-literal", "code", "table", "list-table", "csv-table", "image", "figure",
            "replace", "unicode", "class",
        ),
        "docutils",
    ),
    # Sphinx (and sphinx.ext.todo) directives that only lay out their content
    **dict.fromkeys(
        (
            "versionadded", "versionchanged", "versionremoved", "deprecated", "seealso",
            "centered", "hlist", "only", "glossary", "rst-class", "todo",
        ),
        "rst",
    ),
    "highlight": "literal",
    "role": "role",
    "default-role": "default-role",
}

#: Why some well-known refused directives are refused (the rest: not on the allow-list).
REFUSED_DIRECTIVES: dict[str, str] = {
    "include": "reads a file",
    "literalinclude": "reads a file",
    "raw": "passes raw HTML or LaTeX through",
    "meta": "writes <meta> tags (a refresh redirect, for one)",
    "math": "passes LaTeX through verbatim",
    "date": "makes the page change every day",
}

#: Roles that only style their text (docutils canonical names and Sphinx roles).
ROLES: frozenset[str] = frozenset(
    {
        # docutils
        "emphasis", "strong", "literal", "code", "subscript", "superscript",
        "title-reference", "abbreviation", "acronym", "pep-reference", "rfc-reference",
        # Sphinx
        "abbr", "command", "dfn", "file", "guilabel", "kbd", "mailheader", "makevar",
        "manpage", "menuselection", "mimetype", "newsgroup", "program", "regexp", "samp",
        "pep", "rfc", "doc", "ref", "numref", "keyword", "option", "term", "envvar",
        "token", "any", "class", "func", "meth", "mod", "attr", "exc", "obj", "data",
        "const", "type",
        # statusdoc's own
        "status",
    }
)
#: Sphinx domains whose roles may be named with their prefix (``:py:func:``).
ROLE_DOMAINS: frozenset[str] = frozenset({"py", "std", "statusdoc"})

REFUSED_ROLES: dict[str, str] = {
    "raw": "passes raw HTML or LaTeX through",
    "math": "passes LaTeX through verbatim",
    "eq": "passes LaTeX through verbatim",
    "download": "copies a file into the build",
}

#: The role docutils uses for `text` in single backquotes.
DEFAULT_ROLE = "title-reference"


@functools.cache
def _language_modules() -> tuple[ModuleType, ...]:
    import docutils.parsers.rst.languages as languages

    return tuple(
        importlib.import_module(f"{languages.__name__}.{info.name}")
        for info in pkgutil.iter_modules(languages.__path__)
    )


@functools.cache
def _every_meaning(table: str) -> dict[str, frozenset[str]]:
    """Each localised name (lower-cased) -> every canonical name it has in any language."""
    meanings: dict[str, set[str]] = {}
    for module in _language_modules():
        for alias, canonical in getattr(module, table, {}).items():
            meanings.setdefault(alias.lower(), set()).add(canonical)
    return {alias: frozenset(found) for alias, found in meanings.items()}


def known_languages() -> frozenset[str]:
    """The language codes docutils ships RST names for (``de``, ``pt_br``, ...)."""
    return frozenset(m.__name__.rsplit(".", 1)[1] for m in _language_modules())


def language_module(code: str) -> Any:
    """docutils' RST language module for ``code`` (English when docutils has none)."""
    from docutils.parsers.rst import languages
    from docutils.utils import Reporter

    quiet = Reporter("<language>", Reporter.SEVERE_LEVEL + 1, Reporter.SEVERE_LEVEL + 1)
    return languages.get_language(code or "en", quiet)


def _canonical(name: str, table: str, language: Any) -> str:
    norm = name.lower()
    english = language_module("en")
    found = getattr(language, table, {}).get(norm) or getattr(english, table, {}).get(norm)
    return str(found or norm)


def directive(name: str, language: Any) -> tuple[str, DirectiveKind | None, str]:
    """``(canonical name, kind, why refused)``; kind is None when the directive is refused."""
    canonical = _canonical(name, "directives", language)
    if canonical not in DIRECTIVES:
        return canonical, None, REFUSED_DIRECTIVES.get(canonical, "not on the list of safe "
                                                       "directives")
    other = _other_meaning(name, "directives", DIRECTIVES)
    if other:
        return canonical, None, f"means '{other}' in another docutils language"
    return canonical, DIRECTIVES[canonical], ""


def role(name: str, language: Any) -> tuple[str, str]:
    """``(canonical name, why refused)`` for a role name as written (``py:func``, ``roh``);
    the reason is empty when the role is allowed."""
    domain, _, short = name.lower().rpartition(":")
    if domain:
        allowed = domain in ROLE_DOMAINS and short in ROLES
        return name.lower(), "" if allowed else "not on the list of safe roles"
    canonical = _canonical(name, "roles", language)
    if canonical not in ROLES:
        return canonical, REFUSED_ROLES.get(canonical, "not on the list of safe roles")
    other = _other_meaning(name, "roles", ROLES)
    if other:
        return canonical, f"means '{other}' in another docutils language"
    return canonical, ""


def _other_meaning(name: str, table: str, allowed: Collection[str]) -> str:
    """A canonical name ``name`` has in some language that is not allowed ("" if none)."""
    meanings = _every_meaning(table).get(name.lower(), frozenset())
    return min((m for m in meanings if m not in allowed), default="")
