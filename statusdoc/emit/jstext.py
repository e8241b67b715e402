"""Text for JavaScript, TypeScript and JSON outputs: string literals, comments, documents.

Every string the ``typescript`` emitter writes into code goes through
:func:`js_string`, every comment line through :func:`comment_text`, and the
``openapi`` emitter's document through :func:`json_text`; the rules are
listed in ``docs/outputs.rst`` ("Escaping").
"""

from __future__ import annotations

import json
from typing import Any

from statusdoc.emit.escape import LINE_BREAKS

__all__ = ["comment_lines", "comment_text", "js_string", "json_text"]

#: The short escapes JSON.stringify writes (everything else below U+0020 is ``\\u00XX``).
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
          "\t": "\\t"}


def _unit_escape(ch: str) -> str:
    """``ch`` as ``\\uXXXX`` escapes, a UTF-16 surrogate pair past U+FFFF (as JSON has no
    ``\\u{...}``)."""
    code = ord(ch)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _js_char(ch: str) -> str:
    short = _SHORT.get(ch)
    if short is not None:
        return short
    if ch.isprintable() and ch != "<":
        return ch
    return _unit_escape(ch)


def js_string(text: str) -> str:
    """``text`` as a double-quoted string literal that JavaScript, TypeScript and JSON read
    back as exactly ``text``.

    The escapes are JSON.stringify's (``\\" \\\\ \\b \\f \\n \\r \\t``, ``\\u00XX`` for the
    other C0 controls), so ``JSON.parse`` reads the literal too; on top of that every
    character Python does not call printable (line and paragraph separators
    U+2028/U+2029, C1 controls, bidirectional and other format characters, non-space
    separators, lone surrogates) is a ``\\uXXXX`` escape, so the literal is one visible
    line whatever the name holds, and ``<`` is ``\\u003c``, so no ``</script>`` or
    ``<!--`` appears in code that someone inlines in a page. Nothing else is escaped:
    ``'``, backticks and ``${`` mean nothing in a double-quoted literal, and other
    non-ASCII text stays readable.
    """
    if text.isprintable() and not any(ch in text for ch in '"\\<'):
        return f'"{text}"'  # fast path: nothing to escape
    return '"' + "".join(map(_js_char, text)) + '"'


def _comment_char(ch: str) -> str:
    return ch if ch.isprintable() else _unit_escape(ch)


def comment_text(text: str) -> str:
    """One line of ``text`` that cannot end or break out of a ``//`` or ``/* */`` comment.

    Line breaks (CR, LF, U+2028, U+2029 and the others :data:`LINE_BREAKS` lists)
    become spaces; any other character Python does not call printable (controls,
    bidirectional overrides) is shown as its ``\\uXXXX`` escape, as text; ``*/`` becomes
    ``* /``; a leading ``@`` (a JSDoc tag where a comment line starts) becomes ``\\@``.
    """
    line = "".join(" " if ch in LINE_BREAKS else _comment_char(ch) for ch in text)
    while "*/" in line:  # "**/" needs two passes
        line = line.replace("*/", "* /")
    stripped = line.lstrip(" ")
    if stripped.startswith("@"):
        line = line[: len(line) - len(stripped)] + "\\" + stripped
    return line


def comment_lines(text: str, prefix: str = " * ") -> list[str]:
    """``text`` (plain, paragraphs separated by blank lines) as the lines of a ``/** */``
    block: each line through :func:`comment_text`, after ``prefix``."""
    out: list[str] = []
    for line in text.split("\n"):
        safe = comment_text(line)
        out.append((prefix + safe).rstrip())
    return out


def json_text(value: Any) -> str:
    """``value`` as a JSON document: two-space indents, keys in the order given, a final
    newline, and strings escaped as :func:`js_string` escapes them (so the file shows no
    invisible or line-breaking character, and no ``<``)."""
    raw = json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)
    # Outside strings the text holds only spaces, newlines and printable ASCII, and
    # json.dumps already escaped every newline inside one: any other character that
    # is not printable, and every "<", lies inside a string.
    return "".join(ch if ch == "\n" or (ch.isprintable() and ch != "<") else _unit_escape(ch)
                   for ch in raw) + "\n"
