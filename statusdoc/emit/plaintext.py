"""A spec's RST prose as plain text, for outputs that show no RST (JSDoc, OpenAPI).

The text is parsed with the same checked docutils parser that decides whether
it is safe to publish (:mod:`statusdoc.rstsafety`): nothing is run, no file
is opened. What a reader would see is kept -- the words of paragraphs, list
items, table cells and literal blocks, the text of inline markup and links
without their markup -- and what they would not is dropped: comments,
substitution definitions, link targets, docutils' own error messages.
"""

from __future__ import annotations

from docutils import nodes

__all__ = ["plain_text"]

#: Subtrees a reader of the rendered page does not see.
_HIDDEN = (nodes.system_message, nodes.comment, nodes.substitution_definition, nodes.target,
           nodes.raw)


def _fold(text: str) -> str:
    return " ".join(text.split())


def _fallback(text: str) -> str:
    """Paragraphs of ``text`` with runs of white space folded, markup left as written."""
    blocks = [_fold(p) for p in text.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(b for b in blocks if b)


def _inside_hidden(leaf: nodes.Node, top: nodes.Node) -> bool:
    parent = leaf.parent
    while parent is not None and parent is not top:
        if isinstance(parent, _HIDDEN):
            return True
        parent = parent.parent
    return False


def _blocks(node: nodes.Node, out: list[str]) -> None:
    """The visible text blocks under ``node``, in order, each folded to one line."""
    if isinstance(node, _HIDDEN):
        return
    if isinstance(node, nodes.TextElement):  # a paragraph, title, literal block, ...
        text = _fold("".join(t.astext() for t in node.findall(nodes.Text, include_self=False)
                             if not _inside_hidden(t, node)))
        if text:
            out.append(text)
        return
    for child in node.children:
        _blocks(child, out)


def plain_text(text: str, *, language: str = "") -> str:
    """The RST ``text`` as plain text: one line per block (paragraph, list item, table
    cell, literal block), blocks separated by a blank line; ``""`` for no text.

    ``language`` is the spec's docutils language code (localised directive names).
    Text docutils does not parse (a line over its length limit, nesting too deep) is
    kept as written, with its white space folded.
    """
    if not text.strip():
        return ""
    from statusdoc.rstsafety import names, parser
    from statusdoc.rstsafety.check import Check

    code = language or "en"
    check = Check(names.language_module(code), None, names.DEFAULT_ROLE)
    try:
        document = parser.parse(text, check, code)
    except RecursionError:
        document = None
    if document is None:
        return _fallback(text)
    out: list[str] = []
    _blocks(document, out)
    return "\n\n".join(out)
