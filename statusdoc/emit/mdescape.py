"""Markdown escaping (CommonMark, GitHub flavoured, Python-Markdown).

Plain text, inline code and RST prose written into Markdown so that every
engine shows it as written and none reads HTML, a link, an autolink or an
attribute list from it. Like :mod:`statusdoc.emit.escape`, every function is
pure and total; the rules are listed in ``docs/outputs.rst`` ("Escaping").
"""

from __future__ import annotations

import re

from statusdoc.emit.escape import one_line

#: Written as entities: raw HTML and ``<scheme:...>`` autolinks need a literal
#: ``<``, and Python-Markdown does not honour a backslash before these three.
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
#: Backslash-escaped in plain text: emphasis, code, links and images, a
#: heading's closing ``#``, GFM tables and strikethrough, and ``{...}``
#: attribute lists (Python-Markdown's ``attr_list``, markdown-it-attrs).
_MD_TEXT_ESCAPES = frozenset("\\`*_[]#!|~{}")
#: Backslash-escaped in prose: only what opens a link, an image, a link
#: reference definition or an attribute list; emphasis and lists stay Markdown.
_MD_PROSE_ESCAPES = frozenset("[]{}")
#: The schemes a page may link to. The ``:`` after any other run of URI scheme
#: characters is written ``&#58;``, so no autolinker (GFM, linkify, ...) reads
#: ``ftp:``, ``xmpp:`` or ``javascript:`` as the start of a link.
MD_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
_URI_SCHEME_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."
)
#: CommonMark's ASCII punctuation: a backslash before one of these escapes it.
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _md_text(text: str, escapes: frozenset[str]) -> str:
    """``text`` (holding no code span) with HTML, links and foreign schemes neutralised."""
    out: list[str] = []
    run = 0  # where the current run of URI scheme characters starts
    last = len(text) - 1
    for i, ch in enumerate(text):
        if ch in _URI_SCHEME_CHARS:
            if i == 0 or text[i - 1] not in _URI_SCHEME_CHARS:
                run = i
            out.append(ch)
        elif ch in _MD_ENTITIES:
            out.append(_MD_ENTITIES[ch])
        elif ch in escapes:
            out.append("\\" + ch)
        elif (
            ch == ":" and i and text[i - 1] in _URI_SCHEME_CHARS and i < last
            and not text[i + 1].isspace() and text[run:i].lower() not in MD_LINK_SCHEMES
        ):
            out.append("&#58;")
        elif ch == "/" and i < last and text[i + 1] == "/" and (
            i == 0 or not ((text[i - 1].isascii() and text[i - 1].isalnum())
                           or text[i - 1] in ":/")
        ):
            # "//host" starting a word: linkify reads it as a link to another site
            out.append("&#47;")
        else:
            out.append(ch)
    return "".join(out)


def md_escape(text: str) -> str:
    """Plain text for Markdown: one line, shown exactly as written by every engine.

    ``<``, ``>`` and ``&`` become entities; ``\\ ` * _ [ ] # ! | ~ { }`` are
    backslash-escaped; the ``:`` of a URI scheme other than http, https or
    mailto (followed by more text) becomes ``&#58;``, and the first ``/`` of a
    ``//`` that follows no scheme ``&#47;``. So the text can hold no HTML, no
    link, no autolink (but an http, https or mailto URL) and no attribute list.
    """
    return _md_text(one_line(text).strip(), _MD_TEXT_ESCAPES)


def md_code(text: str, *, table: bool = False) -> str:
    """An inline code span showing ``text`` verbatim (one line).

    The fence is one backtick longer than the longest backtick run inside,
    padded with a space on both sides when CommonMark would otherwise read
    the content differently (it starts or ends with a backtick, or starts and
    ends with a space). With ``table=True``, ``|`` is written ``\\|``: GitHub
    then keeps it inside the cell and shows a plain ``|``.
    """
    text = one_line(text)
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    spaced = text.startswith(" ") and text.endswith(" ") and text.strip(" ")
    pad = " " if not text or text[0] == "`" or text[-1] == "`" or spaced else ""
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{pad}{text}{pad}{fence}"


def md_passthrough(text: str) -> str:
    """Prose written for RST shown in Markdown: kept as Markdown, made inert.

    Paragraphs (split at blank lines) are read as CommonMark reads inline
    text: backslash escapes, then code spans (a run of N backticks up to the
    next run of exactly N). Code spans are written again with :func:`md_code`,
    so RST ````literal```` shows as code; every other backtick is escaped, so
    no engine can pair it differently. Outside code spans ``<``, ``>`` and
    ``&`` become entities, ``[ ] { }`` are backslash-escaped, foreign
    schemes lose their ``:`` and ``//`` without a scheme its first ``/`` (as
    in :func:`md_escape`): no raw HTML, link,
    image, link definition, autolink or attribute list survives, while
    emphasis, lists and paragraphs do. Line breaks become ``\\n``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    paragraph: list[str] = []
    for line in text.split("\n"):
        if line.strip(" \t"):
            paragraph.append(line)
            continue
        if paragraph:
            out.append(_md_paragraph("\n".join(paragraph)))
            paragraph = []
        out.append(line)
    if paragraph:
        out.append(_md_paragraph("\n".join(paragraph)))
    return "\n".join(out)


class _BacktickRuns:
    """Finds closing backtick runs in one paragraph; linear over all lookups.

    ``last[n]`` is the furthest run of exactly ``n`` backticks seen; once a
    search has scanned to the end, a length whose furthest run lies before
    the start has no closer, without scanning again (markdown-it's scheme).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.last: dict[int, int] = {}
        self.scanned = False

    def closer(self, length: int, start: int) -> int:
        """Start of the first run of exactly ``length`` backticks at or after
        ``start``, or -1."""
        if self.scanned and self.last.get(length, -1) < start:
            return -1
        text, pos = self.text, start
        while (pos := text.find("`", pos)) >= 0:
            end = pos + 1
            while end < len(text) and text[end] == "`":
                end += 1
            if end - pos == length:
                return pos
            self.last[end - pos] = max(self.last.get(end - pos, -1), pos)
            pos = end
        self.scanned = True
        return -1


def _md_paragraph(text: str) -> str:
    out: list[str] = []
    runs = _BacktickRuns(text)
    start = i = 0
    size = len(text)
    while i < size:
        ch = text[i]
        if ch == "\\" and i + 1 < size and text[i + 1] in _ASCII_PUNCT:
            out.append(_md_text(text[start:i], _MD_PROSE_ESCAPES))
            escaped = text[i + 1]
            out.append(_MD_ENTITIES.get(escaped, "\\" + escaped))
            i = start = i + 2
        elif ch == "`":
            out.append(_md_text(text[start:i], _MD_PROSE_ESCAPES))
            end = i + 1
            while end < size and text[end] == "`":
                end += 1
            close = runs.closer(end - i, end)
            if close < 0:
                out.append("\\`" * (end - i))
                i = start = end
            else:
                out.append(md_code(_code_content(text[end:close])))
                i = start = close + end - i
        else:
            i += 1
    out.append(_md_text(text[start:], _MD_PROSE_ESCAPES))
    return "".join(out)


def _code_content(raw: str) -> str:
    """What CommonMark shows for a code span's raw content."""
    text = raw.replace("\n", " ")
    if len(text) >= 2 and text[0] == " " and text[-1] == " " and text.strip(" "):
        text = text[1:-1]
    return text
