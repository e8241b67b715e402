"""Finding, loading and turning a spec into RST for the directives.

One process-wide cache keyed by the spec's path, size and mtime, so a spec
used by many directives is parsed once per process. The RST text comes from
:func:`statusdoc.emit.rst.emit_rst`, the very emitter behind the CLI's
``rst`` output: the page Sphinx builds and the committed ``.rst`` file can
never differ in content.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from statusdoc.spec.api import Report, validate_file
from statusdoc.spec.model import Machine
from statusdoc.spec.rules import make_problem

#: The image name the diagram placeholder carries through the emitter.
IMAGE_SENTINEL = "statusdoc-diagram-placeholder.svg"


_CACHE: dict[tuple[str, int, int], Report] = {}


def resolve_spec(
    argument: str, *, specs: dict[str, str], confdir: Path, docdir: Path, srcdir: Path
) -> Path:
    """Map a directive argument to a spec file.

    A key of ``statusdoc_specs`` names that spec (path relative to the conf
    directory); otherwise the argument is a path relative to the document, or,
    with a leading ``/``, to the source directory (like ``.. image::``).
    """
    if argument in specs:
        return (confdir / specs[argument]).resolve()
    if argument.startswith("/"):
        return (srcdir / argument.lstrip("/")).resolve()
    return (docdir / argument).resolve()


def load_spec(path: Path) -> Report:
    """Validate the spec at ``path`` (cached while the file is unchanged).

    The report's ``machine`` is None whenever there are errors.
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        problem = make_problem("unreadable-spec", str(path), 0, "",
                               f"cannot read spec: {exc.strerror}")
        return Report(None, (problem,))
    key = (str(path), st.st_size, st.st_mtime_ns)
    hit = _CACHE.get(key)
    if hit is None:
        report = validate_file(path)
        hit = report if not report.errors else Report(None, report.problems)
        _CACHE[key] = hit
    return hit


def display_name(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` with ``/`` separators when inside it."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


_TEMPLATE_STATE: dict[str, tuple[tuple[str, int, int], ...]] = {}


def refresh_user_templates(folder: Path) -> None:
    """Forget compiled templates when a file in ``folder`` was added, removed or changed.

    :mod:`statusdoc.emit.rsttemplates` keeps one Jinja2 environment per templates
    directory for the life of the process. Jinja2's auto-reload sees an
    edited template, but not a file added to ``folder`` that now overrides a
    packaged template, which a long-lived process (incremental builds in one
    interpreter, ``sphinx-autobuild``) would otherwise never pick up.
    """
    from statusdoc.emit.rsttemplates import reset_templates

    state = tuple(
        (str(p), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    )
    key = str(folder)
    if _TEMPLATE_STATE.get(key, state) != state:
        reset_templates()
    _TEMPLATE_STATE[key] = state


def page_rst(
    machine: Machine,
    *,
    source_name: str,
    sections: list[str] | None,
    title: bool,
    templates: Path | None,
    allow_unsafe_rst: bool,
    language: str | None = None,
) -> str:
    """The emitter's RST for ``machine`` with :data:`IMAGE_SENTINEL` as image.

    ``language`` is the Sphinx project's: the prose is checked as it will be parsed.
    """
    from statusdoc.emit.rst import emit_rst

    options: dict[str, Any] = {"image": IMAGE_SENTINEL, "title": title,
                               "language": language or None}
    if sections is not None:
        options["sections"] = sections
    if templates is not None:
        options["templates"] = templates
    if allow_unsafe_rst:
        options["allow_unsafe_rst"] = True
    text: str = emit_rst(machine, source_name=source_name, **options)
    return text


def sections_rst(
    machine: Machine,
    *,
    source_name: str,
    sections: list[str],
    templates: Path | None,
    allow_unsafe_rst: bool,
    language: str | None = None,
) -> str:
    """Only the given sections (no header, title or intro), each from its template.

    The part directives use this: ``statuses`` renders ``statuses.rst.j2`` with
    the same context :func:`page_rst` uses, and so on.
    """
    from statusdoc.emit.rst import rst_context
    from statusdoc.emit.rsttemplates import render_template

    context = rst_context(
        machine,
        source_name=source_name,
        image=IMAGE_SENTINEL,
        sections=sections,
        title=False,
        allow_unsafe_rst=allow_unsafe_rst,
        language=language or None,
    )
    return "\n".join(
        render_template(f"{section}.rst.j2", context, templates) for section in sections
    )


def unsafe_rst(machine: Machine, config: Any) -> list[str]:
    """What :func:`statusdoc.rstsafety.check_machine` finds wrong, if anything.

    The prose is parsed as Sphinx will parse it: in the project's ``language``
    and with its ``default_role`` for `single backquotes`.
    """
    from statusdoc.rstsafety import check_machine

    return check_machine(
        machine,
        language=getattr(config, "language", None) or None,
        default_role=getattr(config, "default_role", None) or None,
    )


def status_anchors(machine: Machine) -> Mapping[str, str]:
    """Per status name, the label the emitter puts before its entry."""
    from statusdoc.emit.rst import status_anchors as anchors

    return anchors(machine)


def alt_text(machine: Machine) -> str:
    """The emitter's alt text: every transition, in words."""
    from statusdoc.emit.rst import alt_text as alt

    return str(alt(machine))


def dot_source(machine: Machine, source_name: str) -> str:
    """The DOT text of ``machine``, exactly as ``statusdoc generate`` writes it."""
    from statusdoc.emit.dot import emit_dot

    return str(emit_dot(machine, source_name=source_name))


def split_figure(text: str) -> tuple[list[str], list[tuple[str, str]], list[str], list[str]] | None:
    """Cut the emitter's figure out of ``text``.

    Returns ``(before, options, caption_lines, after)`` where ``options`` are
    the figure's ``(name, value)`` pairs, or None when the text has no figure
    of :data:`IMAGE_SENTINEL` (a user template may leave it out).
    """
    lines = text.splitlines()
    start = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith((".. figure::", ".. image::")) and IMAGE_SENTINEL in stripped:
            start = i
            break
    if start is None:
        return None
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    body = [line[indent:] for line in lines[start + 1 : end]]
    options: list[tuple[str, str]] = []
    i = 0
    option_indent = len(body[0]) - len(body[0].lstrip()) if body else 0
    while i < len(body) and body[i].strip().startswith(":"):
        field = body[i].strip()
        name, _, value = field[1:].partition(":")
        i += 1
        # a value continues on lines indented deeper than its option (the alt
        # text has one transition per line, and a label may start with ":")
        while i < len(body) and len(body[i]) - len(body[i].lstrip()) > option_indent:
            value += " " + body[i].strip()
            i += 1
        options.append((name.strip(), value.strip()))
    caption = [line.strip() and line for line in body[i:]]
    while caption and not caption[0].strip():
        caption.pop(0)
    width = min((len(c) - len(c.lstrip()) for c in caption if c.strip()), default=0)
    caption = [c[width:] for c in caption]
    return lines[:start], options, caption, lines[end:]
