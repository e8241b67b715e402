"""DOT lexical helpers: comments, quoted IDs and label escapes.

Kept apart from the importer so the rules can be read (and tested) on their
own: what Graphviz treats as a comment, how a quoted ID is unquoted, and what
text a label's escapes draw.
"""

from __future__ import annotations

import html
import re

__all__ = ["find_comments", "html_end", "label_text", "unquote_id"]


_ANGLE_RE = re.compile(r"[<>]")
_COMMENT_SCAN_RE = re.compile(
    r'"(?:[^"\\]|\\.)*"?|<|//[^\n]*|\#[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?', re.DOTALL
)


def html_end(text: str, start: int) -> int:
    """Index just past the ``>`` closing the HTML string that opens at ``start``; -1 if none."""
    depth = 0
    for match in _ANGLE_RE.finditer(text, start):
        depth += 1 if match.group() == "<" else -1
        if depth == 0:
            return match.end()
    return -1


def find_comments(text: str) -> list[tuple[int, int, str]]:
    """Comments in DOT ``text`` as ``(first line, last line, text)``.

    Knows ``//``, ``/* */`` and ``#`` comments (``#`` anywhere, as Graphviz
    reads it), and skips quoted and HTML strings, so a ``//`` inside a label
    is not a comment.
    """
    found: list[tuple[int, int, str]] = []
    pos, line, counted = 0, 1, 0
    while (match := _COMMENT_SCAN_RE.search(text, pos)) is not None:
        token, start = match.group(), match.start()
        pos = match.end()
        if token == "<":
            end = html_end(text, start)
            pos = len(text) if end < 0 else end
            continue
        if token[0] == '"':
            continue
        line += text.count("\n", counted, start)
        counted = start
        if token.startswith("/*"):
            body = token[2:-2] if token.endswith("*/") and len(token) >= 4 else token[2:]
            found.append((line, line + body.count("\n"), body.strip()))
        else:
            found.append((line, line, token[1 if token[0] == "#" else 2 :].strip()))
    return found


def unquote_id(value: str) -> str:
    """A raw DOT ID (possibly quoted, as the parser keeps it) to its plain text.

    In a quoted ID ``\\"`` is a quote and ``\\\\`` one backslash (what Graphviz
    shows for the ID); a backslash before a newline joins the lines.
    """
    if not (len(value) >= 2 and value[0] == '"' and value[-1] == '"'):
        return value
    return _unescape(value[1:-1], label=False)


_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_SUBSTITUTIONS = "NGEHTL"  # \N (node name), \G (graph name), ... kept as written


def _unescape(body: str, *, label: bool) -> str:
    out: list[str] = []
    i, n = 0, len(body)
    broke = False
    while i < n:
        ch = body[i]
        if label and ch in "\r\n":  # a raw line break in a quoted label: one line, too
            out.append(" ")
            broke = True
            i += 1
            continue
        if ch != "\\" or i + 1 == n:
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        i += 2
        if nxt == "\n" or (nxt == "\r" and body.startswith("\n", i)):
            i += 1 if nxt == "\r" else 0  # line continuation
        elif nxt in '"\\':
            out.append(nxt)
        elif not label:
            out.append("\\" + nxt)
        elif nxt in "nlr":
            out.append(" ")
            broke = True
        elif nxt in _SUBSTITUTIONS:
            out.append("\\" + nxt)
        else:
            out.append(nxt)  # Graphviz drops the backslash of any other escape
    text = "".join(out)
    if label:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if broke:
            text = " ".join(text.split())
    return text


def label_text(value: str) -> str:
    """A raw DOT label value (as the parser keeps it) to the plain text Graphviz draws.

    Spec labels are one line, so Graphviz line breaks (``\\n``, ``\\l``,
    ``\\r``, and a raw line break inside the quotes, as the Python
    ``diagrams`` library writes) become single spaces; ``\\"`` and
    ``\\\\`` are a quote and a backslash; HTML entities such as ``&amp;`` are
    decoded; ``\\N``-style substitutions are kept as written; any other escape
    loses its backslash, as in Graphviz.
    An HTML-like label ``<...>`` is kept as its markup text.
    """
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return _unescape(value[1:-1], label=True)
    return value
