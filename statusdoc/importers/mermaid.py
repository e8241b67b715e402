"""Import a Mermaid ``stateDiagram-v2`` (or ``stateDiagram``): a ``.mmd`` file or a
```` ```mermaid ```` block of a Markdown file.

Mapping (documented in ``docs/migration.rst``, "From Mermaid"):

* every state becomes a status, in the order the diagram first names it; its
  first text (``state "text" as id`` or ``id : text``) is its ``label``,
  further texts and its notes make its ``description``;
* ``a --> b : text`` is a transition with ``label = "text"`` (no ``event``,
  as for DOT); each ``[*] --> a`` makes ``a`` an entry status (``initial``,
  a list when there are several), ``a --> [*]`` makes ``a`` final (unless
  transitions leave it);
* a composite state ``state X { ... }`` becomes the group ``X`` of the
  statuses inside it (one level: nested ones join the outermost), and is a
  status itself only when arrows name it: see :class:`statusdoc.importers.mermaidflat.Flattening`;
* ``class``/``:::`` classes become status tags, ``classDef`` colours and dashes
  their ``[diagram.tags]`` style (``classDef default``: ``[diagram] node``);
  ``direction`` becomes ``[diagram] rankdir``; a ``title`` (front matter or
  ``accTitle``) the machine title;
* what cannot be carried over (comments, directives, ``style``, pseudo-state
  kinds, concurrency, ...) is reported as a note.

Mermaid that statusdoc wrote (status ids ``s0``, ``s1``, ... in order, each
with a label) is read back with the labels as status names and the titles of
its groups (``g0``, ``g1``, ...) as group names. Its pseudo-states are read
as the rules they draw: a ``statusdoc_wildcard`` state ("any non-final
status in *Errors* except a and b") as a ``"*"`` or group source with its
``except`` and ``include_final`` (see :func:`wildcard_scope`), a
``statusdoc_history`` state ("H") as ``return = true``; the ``deprecated``
class (in any Mermaid) makes a status ``deprecated``.
"""

from __future__ import annotations

import os
import re

from statusdoc.importers.common import Imported, ImportFailure, read_source, slug
from statusdoc.importers.mermaidflat import Flattening, label_text
from statusdoc.importers.mermaidscope import Scope, wildcard_scope
from statusdoc.importers.mermaidstyle import import_styles
from statusdoc.importers.mermaidsyntax import is_state_diagram, parse_mermaid

__all__ = ["MARKDOWN_SUFFIXES", "MERMAID_SUFFIXES", "Scope", "import_mermaid",
           "import_mermaid_text", "mermaid_blocks", "wildcard_scope"]

MERMAID_SUFFIXES = (".mmd", ".mermaid")
MARKDOWN_SUFFIXES = (".md", ".markdown")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})\s*([^\s`]*)")


def mermaid_blocks(text: str) -> list[tuple[int, str]]:
    """The ```` ```mermaid ```` (or ``~~~mermaid``) fenced blocks of Markdown
    ``text``: ``(line of the block's first line, block text)`` each, in order.

    CommonMark fences at the start of a line (up to three spaces in); a block
    left open runs to the end of the text, as in CommonMark.
    """
    blocks: list[tuple[int, str]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        match = _FENCE_RE.match(lines[i])
        i += 1
        if match:  # a whole fenced block: a fence inside another block is text
            first = i + 1
            i, body = _fence_end(lines, i, match.group(1))
            if match.group(2).lower() == "mermaid":
                blocks.append((first, "\n".join(body)))
    return blocks


def _fence_end(lines: list[str], start: int, fence: str) -> tuple[int, list[str]]:
    """Index after the closing fence (or past the end) and the lines before it."""
    for j in range(start, len(lines)):
        close = lines[j].strip()
        if (len(lines[j]) - len(lines[j].lstrip(" ")) <= 3 and close[:1] == fence[0]
                and close == close[0] * len(close) and len(close) >= len(fence)):
            return j + 1, lines[start:j]
    return len(lines), lines[start:]


def _markdown_block(text: str, path: str, block: int | None) -> tuple[str, int, str]:
    found = mermaid_blocks(text)
    states = [(line, body) for line, body in found if is_state_diagram(body)]
    if not states:
        raise ImportFailure(
            f"{path}: no ```mermaid block with a stateDiagram"
            + (f" (its {len(found)} mermaid block(s) draw other diagrams)" if found else "")
        )
    index = 1 if block is None else block
    if not 1 <= index <= len(states):
        raise ImportFailure(f"{path}: --block {index}: the file has {len(states)} "
                            "stateDiagram block(s), numbered from 1")
    line, body = states[index - 1]
    note = f"imported the stateDiagram block at line {line - 1} ({index} of {len(states)})"
    return body, line, note


def import_mermaid(path: str, *, name: str | None = None, tags: bool = True,
                   block: int | None = None, names_from: str | None = None) -> Imported:
    """Import the Mermaid file at ``path``; a Markdown file (``.md``) gives its
    ``block``-th ```` ```mermaid ```` state diagram (default: the first)."""
    markdown = path.lower().endswith(MARKDOWN_SUFFIXES)
    if block is not None and not markdown:
        raise ImportFailure(f"{path}: --block applies to Markdown files only")
    text = read_source(path)
    first_line, block_note = 1, ""
    if markdown:
        text, first_line, block_note = _markdown_block(text, path, block)
    result = import_mermaid_text(text, name=name, source=path, tags=tags,
                                 names_from=names_from, first_line=first_line)
    if block_note:
        result.notes.insert(0, f"note: {block_note}")
    return result


def import_mermaid_text(text: str, *, name: str | None = None, source: str = "<mermaid>",
                        tags: bool = True, names_from: str | None = None,
                        first_line: int = 1) -> Imported:
    """Import Mermaid state diagram ``text``; see the module docstring for the mapping.

    ``names_from`` is ``"id"`` (status names are the diagram's ids), ``"label"``
    (their labels) or ``None`` (labels for Mermaid that statusdoc wrote, else ids).
    """
    if names_from not in (None, "id", "label"):
        raise ImportFailure(f"names from {names_from!r}: expected 'id' or 'label'")
    diagram = parse_mermaid(text, source=source, first_line=first_line)
    stem = os.path.splitext(os.path.basename(source))[0]
    result = Imported(name=slug(name or diagram.title or stem or "machine"), source=source,
                      title=label_text(diagram.title))
    result.notes.extend(f"note: {remark}" for remark in diagram.remarks)
    flat = Flattening(diagram, result)
    flat.name_statuses(names_from)
    flat.arrows(tags)
    flat.describe()
    flat.groups()
    import_styles(diagram, result, flat.names)
    if diagram.direction:
        result.diagram["rankdir"] = diagram.direction
    return result
