"""The reStructuredText reference page, rendered with sandboxed Jinja2 templates.

The default templates (``statusdoc/templates/*.rst.j2``) reproduce the shape of
the Glance "Image Statuses" page: header comment, title, intro, a bullet list
of ````status```` entries with their descriptions, the figure with generated
alt text, transition notes, and a transition table. A user ``templates``
directory overrides any template by file name.

Spec text is only ever *data* for the templates: it is escaped (names,
labels, titles) or passed through as RST (descriptions, intro) but never
compiled as template code. Descriptions and the intro are checked by
:func:`check_rst_safety` (:mod:`statusdoc.rstsafety`, which parses them)
first: directives, roles, links and images that could read files, run code
or script the page are refused unless ``allow_unsafe_rst=True``.

Public helpers used by the Sphinx extension: :func:`rst_context`,
:func:`render_template`, :func:`reset_templates`, :func:`status_anchor`,
:func:`status_anchors`, :func:`alt_text`, :func:`alt_lines`, :func:`check_rst_safety`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from statusdoc.emit.alt import ALT_TEXT_MAX_TRANSITIONS, alt_lines, alt_text
from statusdoc.emit.escape import (
    display_width,
    header_text,
    one_line,
    rst_escape,
    rst_literal,
    unique_slugs,
)
from statusdoc.emit.rstparts import hidden_tags, notes, rows, status_context
from statusdoc.emit.rsttemplates import TEMPLATE_NAMES, render_template, reset_templates
from statusdoc.emit.views import ViewImages, neighbours
from statusdoc.emit.wording import RST, Scopes, entries_sentence, neighbour_sentence, status_marks
from statusdoc.errors import StatusdocError
from statusdoc.rstsafety import check_machine as check_rst_safety
from statusdoc.rstsafety import rst_findings
from statusdoc.spec.model import Machine

#: Section names the default page knows, in default order.
SECTIONS: tuple[str, ...] = ("statuses", "diagram", "transitions", "table")

#: Default heading adornment characters, outermost first (title uses index 0).
HEADING_CHARS = "=-~^\"'"

#: Characters docutils accepts as section adornments.
_ADORNMENT_CHARS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

__all__ = [
    "ALT_TEXT_MAX_TRANSITIONS",
    "HEADING_CHARS",
    "SECTIONS",
    "TEMPLATE_NAMES",
    "UnsafeRstError",
    "alt_lines",
    "alt_text",
    "check_rst_safety",
    "default_image",
    "emit_rst",
    "hidden_tags",
    "render_template",
    "reset_templates",
    "rst_context",
    "rst_findings",
    "status_anchor",
    "status_anchors",
]

class UnsafeRstError(StatusdocError, ValueError):
    """A description or the intro uses a directive or role that reads files
    or runs code; ``findings`` lists each one, naming the state or rule."""

    def __init__(self, findings: Sequence[str]) -> None:
        self.findings = tuple(findings)
        super().__init__(
            "unsafe RST in spec (pass allow_unsafe_rst=True / configure the opt-in "
            "to allow it):\n  " + "\n  ".join(self.findings)
        )


# ---------------------------------------------------------------------------
# Anchors and alt text
# ---------------------------------------------------------------------------


def status_anchors(machine: Machine) -> Mapping[str, str]:
    """Every status name mapped to its RST target name (see :func:`status_anchor`).

    The anchors depend on the machine's name and status names only, so they
    are computed once per such pair (the model carries no emitter's cache).
    The last answer is kept by identity as well: emitters ask once per status,
    and hashing the names again for each would cost O(n) per call.
    """
    names = machine.state_names  # the same tuple on every call for one machine
    last = _last_anchors[0]
    if last is not None and last[0] is names and last[1] == machine.name:
        return last[2]
    anchors = _anchors(machine.name, names)
    _last_anchors[0] = (names, machine.name, anchors)
    return anchors


#: The last (names, machine name, anchors) of :func:`status_anchors`.
_last_anchors: list[tuple[tuple[str, ...], str, Mapping[str, str]] | None] = [None]


@functools.lru_cache(maxsize=64)
def _anchors(name: str, states: tuple[str, ...]) -> Mapping[str, str]:
    prefix = unique_slugs([name])[name]
    slugs = unique_slugs(states)
    return MappingProxyType({state: f"{prefix}-status-{slug}" for state, slug in slugs.items()})


def status_anchor(machine: Machine, name: str) -> str:
    """The target name of status ``name``: ``<machine slug>-status-<status slug>``.

    Slug rule: NFKD-fold to ASCII, lower-case, runs of anything but ``a-z0-9``
    become ``-``, trimmed. Names whose slugs collide (``Active``/``active``,
    ``a.b``/``a-b``) or have an empty slug get ``-<6 hex digits of the
    SHA-256 of the name>`` appended, so every anchor is unique and stable.
    Raises ``KeyError`` for an unknown status.
    """
    return status_anchors(machine)[name]


# ---------------------------------------------------------------------------
# Context and templates
# ---------------------------------------------------------------------------


def default_image(source_name: str) -> str:
    """The figure path used when ``image`` is not given: ``<spec stem>.png``."""
    return PurePosixPath(source_name.replace("\\", "/")).stem + ".png"


def _uri(path: str) -> str:
    # directives.uri() drops unescaped whitespace; escape it, and backslashes.
    return re.sub(r"(\s)", r"\\\1", one_line(path).replace("\\", "\\\\"))


def rst_context(
    machine: Machine,
    *,
    source_name: str,
    image: str | bool | None = None,
    sections: Sequence[str] | None = None,
    title: bool | int = True,
    heading_chars: str = HEADING_CHARS,
    allow_unsafe_rst: bool = False,
    language: str | None = None,
    views: ViewImages | None = None,
) -> dict[str, Any]:
    """The data the templates are rendered with (documented in ``docs/outputs.rst``).

    Every string meant as plain text is already RST-escaped; ``raw`` holds the
    unescaped values. ``image=None`` uses :func:`default_image`, ``False`` or
    ``""`` drops the figure. ``title`` is ``False`` (no title), ``True``
    (level 0) or the heading level (index into ``heading_chars``).
    ``language`` is the docutils language the page will be parsed in (default:
    the spec's ``machine.language``). Raises :class:`UnsafeRstError` when the
    prose is unsafe and ``allow_unsafe_rst`` is false, and ``ValueError`` for
    a bad option. ``views`` names the image files of the overview and of the
    focus views (:mod:`statusdoc.emit.views`) the page shows; by default it
    shows none (the Sphinx extension draws its own).
    """
    chosen, level = _checked_options(machine, sections, title, heading_chars,
                                     allow_unsafe_rst=allow_unsafe_rst, language=language)
    if image is None:
        image = default_image(source_name)
    image_path = image if isinstance(image, str) else ""
    title_text = rst_escape(machine.title or machine.name)
    alt = alt_lines(machine, table="table" in chosen)
    return {
        "header": header_text(source_name),
        "source_name": one_line(source_name),
        "machine": machine,
        "name": machine.name,
        "show_title": level is not None,
        "title": title_text,
        "title_underline": (
            heading_chars[level] * display_width(title_text) if level is not None else ""
        ),
        "heading_level": level,
        "heading_chars": heading_chars,
        "intro": machine.intro,
        "sections": chosen,
        **status_context(machine, _status_entries(machine, views or ViewImages())),
        **_entry_context(machine),
        **_figures(machine, image_path, alt, views),
        "notes": notes(machine),
        "rows": rows(machine),
        "has_guards": any(t.guard for t in machine.transitions),
        "raw": {
            "title": machine.title,
            "alt": " ".join(alt),
            "image": image_path,
            "labels": {s.name: s.label for s in machine.states},
        },
    }


def _checked_options(machine: Machine, sections: Sequence[str] | None, title: bool | int,
                     heading_chars: str, *, allow_unsafe_rst: bool, language: str | None
                     ) -> tuple[tuple[str, ...], int | None]:
    """The chosen sections and the title's heading level, once the prose is safe
    (or allowed) and the options are valid (see :func:`rst_context`)."""
    if not allow_unsafe_rst:
        findings = check_rst_safety(machine, language=language)
        if findings:
            raise UnsafeRstError(findings)
    chosen = tuple(SECTIONS if sections is None else sections)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    return chosen, _heading_level(title, heading_chars)


def _entry_context(machine: Machine) -> dict[str, Any]:
    """The context of the entry statuses and the null status."""
    return {
        "initial": rst_literal(machine.initial),
        "initial_label": rst_escape(machine.initial_label),
        "entries": [{"name": name, "literal": rst_literal(name),
                     "label": rst_escape(machine.entry_labels.get(name, ""))}
                    for name in machine.entries],
        "entries_text": entries_sentence(machine, RST),
        "null": rst_literal(machine.null) if machine.null is not None else "",
    }


def _figures(machine: Machine, image_path: str, alt: list[str],
             views: ViewImages | None) -> dict[str, Any]:
    """The context of the page's figures: the diagram and the overview."""
    return {
        "image": _uri(image_path) if image_path else "",
        # option values are not inline-parsed: no escaping; one line per transition
        "alt_lines": alt,
        "alt": " ".join(alt),
        "caption": f"Every allowed transition: {rst_escape(machine.title or machine.name)}.",
        "overview_image": _uri(views.overview) if views and views.overview else "",
        "overview_alt": overview_alt(machine),
        "overview_caption": OVERVIEW_CAPTION,
    }


def _heading_level(title: bool | int, heading_chars: str) -> int | None:
    level: int | None = (0 if title else None) if isinstance(title, bool) else int(title)
    bad_chars = [c for c in heading_chars if c not in _ADORNMENT_CHARS]
    if bad_chars:
        raise ValueError(f"heading_chars {heading_chars!r}: {bad_chars[0]!r} cannot underline "
                         "a title (use ASCII punctuation such as = - ~ ^)")
    if level is not None and not 0 <= level < len(heading_chars):
        raise ValueError(f"heading level {level} needs heading_chars longer than {heading_chars!r}")
    return level


#: The caption of the overview figure (:func:`statusdoc.emit.views.overview_machine`).
OVERVIEW_CAPTION = ("Overview: each group of statuses is one node; its statuses are listed "
                    "under the group's title.")


def overview_alt(machine: Machine) -> str:
    """The overview figure's alt text."""
    titles = ", ".join(one_line(g.title) for g in machine.groups
                       if machine.group_members.get(g.name))
    return (f"Overview of the {one_line(machine.title or machine.name)} status diagram, "
            f"each group drawn as one node: {titles}.")


def focus_alt(name: str) -> str:
    """The alt text of status ``name``'s focus view (the entry's text says the rest)."""
    return (f"Focus view of {one_line(name)}: the statuses it is reached from and "
            "leads to, as listed above.")


def status_link(anchor: str, name: str) -> str:
    """An RST link to status ``name``'s entry: ```name <anchor_>`__`` (anonymous, so
    one status can be linked from many entries)."""
    return f"`{rst_escape(name) or rst_escape(repr(name))} <{anchor}_>`__"


def _neighbours(machine: Machine, anchors: Mapping[str, str]) -> dict[str, str]:
    """Per status, its "Reached from: ... Leads to: ..." sentence, linked."""
    scopes = Scopes.of(machine)

    def link(name: str) -> str:
        return status_link(anchors[name], name)

    return {name: neighbour_sentence(machine, near.sources, near.targets, near.wildcards,
                                     RST, link, scopes)
            for name, near in neighbours(machine).items()}


def _status_entries(machine: Machine, views: ViewImages) -> list[dict[str, Any]]:
    anchors = status_anchors(machine)
    hidden = hidden_tags(machine)
    entries = frozenset(machine.entries)
    sentences = _neighbours(machine, anchors)
    return [
        {
            "name": s.name,
            "label": rst_escape(s.label),
            "literal": rst_literal(s.name),
            "anchor": anchors[s.name],
            # the same name, kept for templates written against 0.1 (anchors are
            # [a-z0-9-]: a target name needs no escaping)
            "anchor_target": anchors[s.name],
            "description": s.description,
            "final": s.final,
            "initial": s.name == machine.initial,
            "entry": s.name in entries,
            "null": s.name == machine.null,
            "deprecated": s.deprecated,
            "deprecation": rst_escape(s.deprecation),
            "group": s.group,
            "mark": ", ".join(status_marks(machine, s, RST, entries=entries)),
            "tags": [rst_escape(t) for t in s.tags if t not in hidden],
            "neighbours": sentences[s.name],
            "focus_image": _uri(views.focus[s.name]) if s.name in views.focus else "",
            "focus_alt": focus_alt(s.name),
        }
        for s in machine.states
    ]


def emit_rst(
    machine: Machine,
    *,
    source_name: str,
    templates: str | Path | None = None,
    image: str | bool | None = None,
    sections: Sequence[str] | None = None,
    title: bool | int = True,
    heading_chars: str = HEADING_CHARS,
    allow_unsafe_rst: bool = False,
    language: str | None = None,
    views: ViewImages | None = None,
) -> str:
    """The RST reference page of ``machine`` (see :func:`rst_context` for options)."""
    context = rst_context(
        machine,
        views=views,
        source_name=source_name,
        image=image,
        sections=sections,
        title=title,
        heading_chars=heading_chars,
        allow_unsafe_rst=allow_unsafe_rst,
        language=language,
    )
    return render_template("page.rst.j2", context, templates)
