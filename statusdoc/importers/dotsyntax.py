"""DOT lexical helpers: comments, quoted IDs and label escapes.

Kept apart from the importer so the rules can be read (and tested) on their
own: what Graphviz treats as a comment, how a quoted ID is unquoted, and what
text a label's escapes draw.
"""

from __future__ import annotations

import html
import re

__all__ = ["find_comments", "label_text", "unquote_id"]


def find_comments(text: str) -> list[tuple[int, int, str]]:
    """Comments in DOT ``text`` as ``(first line, last line, text)``.

    Knows ``//`` and ``/* */`` comments and ``#`` lines, and skips quoted and
    HTML strings, so a ``//`` inside a label is not a comment.
    """
    found: list[tuple[int, int, str]] = []
    i, n, line = 0, len(text), 1
    line_start = True
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            line_start = True
            i += 1
            continue
        if ch in " \t\r":
            i += 1
            continue
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            line += text.count("\n", i, j + 1)
            i = j + 1
        elif ch == "<":
            depth, j = 0, i
            while j < n:
                if text[j] == "<":
                    depth += 1
                elif text[j] == ">":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            line += text.count("\n", i, j + 1)
            i = j + 1
        elif text.startswith("//", i) or (ch == "#" and line_start):
            end = text.find("\n", i)
            end = n if end == -1 else end
            body = text[i + (1 if ch == "#" else 2) : end]
            found.append((line, line, body.strip()))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end == -1 else end
            body = text[i + 2 : end]
            last = line + body.count("\n")
            found.append((line, last, body.strip()))
            line = last
            i = end + 2
        else:
            i += 1
        line_start = False
    return found


def unquote_id(value: str) -> str:
    """A DOT ID as pydot returns it (possibly quoted) to its plain text.

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
    """A DOT label value (as pydot returns it) to the plain text Graphviz draws.

    Spec labels are one line, so Graphviz line breaks (``\\n``, ``\\l``,
    ``\\r``) become single spaces; ``\\"`` and ``\\\\`` are a quote and a backslash;
    HTML entities such as ``&amp;`` are decoded; ``\\N``-style substitutions
    are kept as written; any other escape loses its backslash, as in Graphviz.
    An HTML-like label ``<...>`` is kept as its markup text.
    """
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return _unescape(value[1:-1], label=True)
    return value
