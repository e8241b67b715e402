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
edge together. A YAML spec is written the same way, an entry or a run of
:data:`RUN` at a time (:class:`~statusdoc.spec.dump.YamlParts`), and
checked part by part too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from statusdoc.errors import Problem
from statusdoc.importers.common import Edge, Imported

if TYPE_CHECKING:
    from statusdoc.spec.dump import YamlParts

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

    if imported.taken and not imported.edges:
        raise ValueError(f"the spec of {imported.source} was written already: "
                         "render_spec uses up the imported edges")
    header = HEADER.format(source=imported.source)
    edges = imported.take_edges()
    if format == "toml":
        text, parts = _toml_body(imported, edges, header)
    elif format == "yaml":
        text, parts = _yaml_body(imported, edges, header)
    else:
        raise ValueError(f"unknown spec format {format!r} (expected toml or yaml)")
    end = len(text)  # of the text before [diagram]
    for _attempt in range(3):
        # The text is made afresh for each attempt (only [diagram] changes); only
        # the problems are wanted from the check, not a Machine.
        # No name is left on the text before [diagram]: the check below must not
        # hold it besides the whole text.
        add_diagram = _with_diagram if format == "toml" else _with_yaml_diagram
        text, starts = add_diagram(text[:end] if len(text) > end else text, parts,
                                   imported.diagram)
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


def _yaml_body(imported: Imported, edges: Iterator[Edge],
               header: str) -> tuple[str, list[int]]:
    """The YAML text of everything but ``diagram``, written as :func:`_toml_body`
    writes TOML (:class:`~statusdoc.spec.dump.YamlParts`: the same bytes as the
    whole data dumped at once)."""
    from statusdoc.spec.dump import YamlParts

    parts = YamlParts(header)
    parts.entry("machine", imported.machine_table())
    groups, member_of = imported.group_tables()
    if groups:
        parts.entry("groups", groups)
    _in_runs(parts, "states", imported.state_tables(member_of), dict, {})
    _in_runs(parts, "transitions", (edge.to_data() for edge in edges), list, None,
             each_a_part=True)
    return parts.finish()


def _in_runs(parts: YamlParts, key: str, items: Iterable[Any],
             kind: Callable[[list[Any]], Any], empty: Any, *, each_a_part: bool = False) -> None:
    """Write the entry ``key`` of ``items`` (made into a value by ``kind``) in runs
    of :data:`RUN`, each run a part of its own with ``each_a_part``; an entry
    without items is ``empty`` (None: left out)."""
    run: list[Any] = []
    written = False
    for item in items:
        run.append(item)
        if len(run) == RUN:
            _write_run(parts, key, kind(run), written, each_a_part)
            written, run = True, []
    if run:
        _write_run(parts, key, kind(run), written, each_a_part)
    elif not written and empty is not None:
        parts.entry(key, empty)


def _write_run(parts: YamlParts, key: str, value: Any, more: bool, part: bool) -> None:
    if part:
        parts.part()
    if more:
        parts.more(value)
    else:
        parts.entry(key, value)


def _with_yaml_diagram(body: str, parts: list[int],
                       diagram: dict[str, Any]) -> tuple[str, list[int]]:
    """``body`` followed by the ``diagram`` entry (when there is one), and where the
    parts of that text begin."""
    from statusdoc.spec.dump import dump_yaml

    if not diagram:
        return body, parts
    if body.endswith("\n...\n"):  # the end-of-document marker: only at the very end
        body = body[: -len("...\n")]
    return body + dump_yaml({"diagram": diagram}), [*parts, len(body)]


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
