"""The Jinja2 templates of the RST page: the sandboxed environment (one per
templates directory, the packaged templates behind the user's), rendering, and
forgetting compiled templates when a templates folder changes.

:mod:`statusdoc.emit.rst` builds the context and re-exports these names.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from statusdoc.emit.escape import display_width, rst_escape, rst_literal

__all__ = ["TEMPLATE_NAMES", "render_template", "reset_templates"]

#: Templates shipped with the package (inside the wheel).
TEMPLATE_NAMES: tuple[str, ...] = (
    "page.rst.j2",
    "statuses.rst.j2",
    "diagram.rst.j2",
    "transitions.rst.j2",
    "table.rst.j2",
)

_PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@functools.lru_cache(maxsize=16)
def _environment(templates: str | None) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined

    from statusdoc.emit.sandbox import BoundedSandbox

    loaders = []
    if templates:
        loaders.append(FileSystemLoader(templates))
    loaders.append(FileSystemLoader(str(_PACKAGE_TEMPLATES)))
    env = BoundedSandbox(
        loader=ChoiceLoader(loaders),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # a long-lived Sphinx process sees edited user templates
    )
    env.filters["rst_escape"] = rst_escape
    env.filters["rst_literal"] = rst_literal
    env.filters["underline"] = lambda text, char="=": char * display_width(text)
    return env


def reset_templates() -> None:
    """Forget every compiled template (and the Jinja2 environment per templates
    directory), so the next render reads the template files again.

    Jinja2's ``auto_reload`` notices a template file that was edited or
    removed, but not a new file that now overrides a packaged template of
    the same name: a long-lived process (incremental Sphinx builds,
    ``sphinx-autobuild``) calls this when a templates folder changed.
    """
    _environment.cache_clear()


def render_template(
    name: str, context: dict[str, Any], templates: str | Path | None = None
) -> str:
    """Render template ``name`` (e.g. ``"page.rst.j2"``) with ``context``.

    ``templates`` is a directory whose files override the packaged templates
    of the same name. Rendering is sandboxed; the result has trailing spaces
    stripped from every line and ends with exactly one newline.
    """
    from statusdoc.emit.sandbox import render_bounded

    env = _environment(str(templates) if templates is not None else None)
    text: str = render_bounded(env.get_template(name), context)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
