"""The spec an import writes, and the check that it is a valid one.

:func:`render_spec` writes an :class:`~statusdoc.importers.common.Imported`
as spec text and checks that text with the validator, so ``statusdoc
import`` never writes a spec it has not checked. A TOML spec is written a
table at a time (:class:`~statusdoc.spec.dump.TomlParts`): the head
(``[machine]``, ``[groups]``, ``[states]``), runs of :data:`RUN` transitions,
then ``[diagram]``; each imported edge is let go once it is written, and the
validator checks the text part by part (:mod:`statusdoc.spec.parts`). So a
big import holds its edges, or its spec, and what the check across
transitions needs, never its edges, its spec and a rule and transition per
edge together.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from statusdoc.errors import Problem
from statusdoc.importers.common import Edge, Imported

__all__ = ["HEADER", "RUN", "render_spec"]

#: Transitions per part of a written TOML spec (the check parses a part at a time).
RUN = 256

#: The comment an imported spec begins with (``{source}``: what was imported).
HEADER = (
    "Imported from {source} by `statusdoc import`.\n"
    "Descriptions the source does not give are TODO placeholders: write them,\n"
    "then run `statusdoc validate --strict` on this file."
)


def render_spec(imported: Imported, format: str = "toml") -> tuple[str, list[str]]:
    """The spec text for ``imported`` and the problems validation still finds.

    ``[diagram]`` attributes the spec validator rejects are dropped (with a
    note) so the written spec stays loadable; other problems (for example a
    status the source never reaches) are returned for the user to fix.
    The imported edges are used up (:meth:`Imported.take_edges`): a second
    call for the same import is a ValueError.
    """
    from statusdoc.spec.api import validate_text
    from statusdoc.spec.dump import dump

    if imported.taken and not imported.edges:
        raise ValueError(f"the spec of {imported.source} was written already: "
                         "render_spec uses up the imported edges")
    header = HEADER.format(source=imported.source)
    edges = imported.take_edges()
    text, parts = ("", []) if format != "toml" else _toml_body(imported, edges, header)
    written = [] if format == "toml" else list(edges)
    end = len(text)  # of the text before [diagram]
    for _attempt in range(3):
        # The text is made afresh for each attempt (only [diagram] changes); only
        # the problems are wanted from the check, not a Machine.
        if format == "toml":
            text, starts = _with_diagram(text[:end] if len(text) > end else text, parts,
                                         imported.diagram)
        else:
            text, starts = dump(imported.to_data(written), format, header=header), None
        report = validate_text(text, format, filename=f"<imported {format}>", build=False,
                               parts=starts, unwanted=_is_placeholder_warning)
        dropped = False
        for problem in report.errors:
            if _drop_diagram_key(imported.diagram, problem.path):
                imported.note(f"diagram attribute {problem.path} not imported: {problem.message}")
                dropped = True
        if not dropped:
            break
    problems = [
        f"{p.severity}: {p.path}: {p.message}" if p.path else f"{p.severity}: {p.message}"
        for p in report.problems
        if not _is_placeholder_warning(p)
    ]
    return text, problems


def _toml_body(imported: Imported, edges: Iterator[Edge],
               header: str) -> tuple[str, list[int]]:
    """The TOML text of everything but ``[diagram]`` and where its parts begin;
    each of ``edges`` is let go once written."""
    from statusdoc.spec.dump import TomlParts

    parts = TomlParts(header)
    parts.table(("machine",), imported.machine_table())
    groups, member_of = imported.group_tables()
    if groups:
        parts.table(("groups",), groups)
    for name, body in imported.state_tables(member_of):
        parts.table(("states", name), body)
    if not imported.states:
        parts.table(("states",), {})
    for written, edge in enumerate(edges):
        if written % RUN == 0:
            parts.part()
        parts.table(("transitions",), edge.to_data(), array_item=True)
    return parts.finish()


def _with_diagram(body: str, parts: list[int],
                  diagram: dict[str, Any]) -> tuple[str, list[int]]:
    """``body`` followed by the ``[diagram]`` table (when there is one), and where
    the parts of that text begin."""
    from statusdoc.spec.dump import TomlParts

    if not diagram:
        return body, parts
    tail = TomlParts()
    tail.table(("diagram",), diagram)
    # body ends with its last line's newline; the blank line before a table follows
    return "".join((body, "\n", tail.finish()[0])), [*parts, len(body) + 1]


def _is_placeholder_warning(problem: Problem) -> bool:
    """The TODO description warnings every import has on purpose."""
    return (
        problem.severity == "warning"
        and problem.path.endswith(".description")
        and "TODO" in problem.message
    )


def _drop_diagram_key(diagram: dict[str, Any], path: str) -> bool:
    """Remove the ``[diagram]`` key at ``path`` from ``diagram``; False when it is not one."""
    parts = path.replace("[", ".").replace("]", "").split(".")
    if len(parts) < 2 or parts[0] != "diagram":
        return False
    node = diagram
    for part in parts[1:-1]:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if isinstance(node, dict) and parts[-1] in node:
        del node[parts[-1]]
        return True
    return False
