"""Importers: turn an existing ``.dot`` file, Mermaid diagram or Python machine into a spec.

:func:`import_source` picks the importer from ``source``: a path ending in
``.dot`` or ``.gv`` is a Graphviz file, ``.mmd`` or ``.mermaid`` a Mermaid
file, ``.md`` or ``.markdown`` a Markdown file holding a Mermaid block,
``module:attr`` names a Python object.

A source that cannot be imported is an :class:`ImportFailure` (exit 1); a
source of no kind statusdoc knows is a :class:`~statusdoc.errors.UsageError`
and a file that cannot be read an :class:`~statusdoc.errors.UnreadableInput`
(exit 2), as is a ``module:attr`` that cannot be resolved
(:class:`statusdoc.compare.TableError`, as for ``compare``).
"""

from __future__ import annotations

from collections.abc import Callable

from statusdoc.errors import UsageError
from statusdoc.importers.common import TODO_DESCRIPTION, Edge, Imported, ImportFailure
from statusdoc.importers.spectext import render_spec

__all__ = [
    "TODO_DESCRIPTION", "Edge", "ImportFailure", "Imported", "import_source", "render_spec",
]

DOT_SUFFIXES = (".dot", ".gv")


def import_source(
    source: str, *, name: str | None = None, tags: bool = True, block: int | None = None,
    names_from: str | None = None, notice: Callable[[str], None] | None = None,
) -> Imported:
    """Import ``source``: a ``.dot``/``.gv`` path, a Mermaid ``.mmd``/``.mermaid``
    path, a Markdown ``.md``/``.markdown`` path (its ``block``-th Mermaid state
    diagram, default the first), or a table reference as ``statusdoc compare``
    takes it (``module:attr``, ``file.py:attr``, or a ``.json``/``.yaml`` file).
    ``names_from="label"`` names a DOT or Mermaid file's statuses after their
    labels, ``"id"`` after their IDs; the default is IDs, but labels for Mermaid
    that statusdoc wrote (its IDs ``s0``, ``s1``, ... say nothing); ``notice``
    hears that a module's code is about to run."""
    from statusdoc.importers.mermaid import MARKDOWN_SUFFIXES, MERMAID_SUFFIXES

    if block is not None or source.lower().endswith(MERMAID_SUFFIXES + MARKDOWN_SUFFIXES):
        from statusdoc.importers.mermaid import import_mermaid

        return import_mermaid(source, name=name, tags=tags, block=block, names_from=names_from)
    if source.lower().endswith(DOT_SUFFIXES):
        from statusdoc.importers.dot import import_dot

        return import_dot(source, name=name, tags=tags, names_from=names_from or "id")
    if names_from not in (None, "id"):
        raise UsageError(
            f"{source!r}: --names-from {names_from} applies to .dot/.gv and Mermaid files"
        )
    from statusdoc.compare import TABLE_FILE_SUFFIXES

    if ":" in source or source.lower().endswith(TABLE_FILE_SUFFIXES):
        from statusdoc.importers.table import import_ref

        return import_ref(source, name=name, notice=notice)
    raise UsageError(
        f"{source!r}: not a .dot/.gv file, a Mermaid .mmd/.mermaid or Markdown .md file, "
        "a .json/.yaml table, nor a module:attribute reference"
    )
