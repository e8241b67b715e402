"""Escaping helpers shared by the emitters: RST, DOT and Mermaid.

Every function here is pure and total: it accepts any ``str`` and returns text
that the target format reads back as exactly the input (or, where a format
cannot carry a character at all, a documented replacement). The rules are
listed in ``docs/outputs.rst`` ("Escaping").
"""

from __future__ import annotations

import hashlib
import html.entities
import re
import unicodedata

# ---------------------------------------------------------------------------
# Line breaks and headers
# ---------------------------------------------------------------------------

#: Every character ``str.splitlines`` (and so docutils) treats as a line break.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK_RE = re.compile("\r\n|[" + re.escape(LINE_BREAKS) + "]")


def one_line(text: str) -> str:
    """``text`` with every line break (CR/LF, U+2028, ...) replaced by a space.

    Used where a format can only carry a single line (RST inline text, table
    cells, the header comment, Mermaid statements).
    """
    if text.isprintable():  # fast path: no line break is printable
        return text
    return _LINE_BREAK_RE.sub(" ", text)


def header_text(source_name: str) -> str:
    """The "generated from" sentence every text artifact starts with."""
    return f"generated from {one_line(source_name)} — edit the spec, not this file"


# ---------------------------------------------------------------------------
# reStructuredText
# ---------------------------------------------------------------------------

#: Characters escaped wherever they stand: they start or end inline markup, or
#: (``:`` after a URI scheme, ``@`` in an e-mail address) make docutils turn
#: plain text into a link (``javascript:...``, ``data:...``, ``a@b.example``).
_RST_ALWAYS = frozenset("\\*`|:@")


_RST_MAYBE_RE = re.compile(r"[\\*`|_:@]")
_RST_ENUMERATOR_RE = re.compile(r"^(\w+)[.)](?:\s|$)")


def rst_escape(text: str) -> str:
    """Escape ``text`` so docutils reads it back as exactly that plain text.

    Line breaks become spaces (inline text is one line) and leading and
    trailing whitespace is dropped (RST cannot carry it in inline text).
    Backslash-escaped: ``\\ * ` | : @`` everywhere (``:`` and ``@`` so that
    no URI scheme or e-mail address becomes a link, and no ``::`` a literal
    block); ``_`` when the next character is not a letter or digit
    (``name_`` references, ``[1]_`` footnotes); and a leading
    character that is not a letter or digit, so the text can never start a
    list, a comment (``..``), a field, a section adornment or a table when
    it lands at the start of a line; the ``.``/``)`` of a leading
    enumerator (``1. x``, ``a) x``) is escaped for the same reason.
    """
    text = one_line(text).strip()
    if not text:
        return ""
    enum = _RST_ENUMERATOR_RE.match(text)  # "1. x", "a) x", "IV. x" would start a list
    if not enum and text[0].isalnum() and not _RST_MAYBE_RE.search(text):
        return text  # fast path: nothing to escape
    out = []
    last = len(text) - 1
    enum_at = enum.end(1) if enum else -1
    for i, ch in enumerate(text):
        nxt = text[i + 1] if i < last else ""
        if (
            ch in _RST_ALWAYS
            or (ch == "_" and not nxt.isalnum())  # name_ / name__ / [1]_ references
            or (i == 0 and not ch.isalnum())
            or i == enum_at
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    if len(set(escaped)) == 1 and len(escaped) > 1:
        # e.g. "\\\\" for a lone backslash: a line like that reads as a section
        # adornment; a leading escaped space (which docutils drops) breaks it up
        escaped = "\\ " + escaped
    return escaped


def rst_literal(text: str) -> str:
    """An inline literal showing ``text`` verbatim.

    ````text```` when that is unambiguous; otherwise (backticks, leading or
    trailing whitespace, backslashes next to the delimiters) the
    ``:literal:`...``` role with backslash escapes, which docutils unescapes.
    Empty text gives ``:literal:`\\ ``` -free empty output, i.e. ``""``.
    """
    text = one_line(text)
    if not text.strip():
        return rst_escape(text)
    if "`" not in text and text == text.strip() and not text.endswith("\\"):
        return f"``{text}``"
    body = text.strip().replace("\\", "\\\\").replace("`", "\\`")
    return f":literal:`{body}`"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced view: East Asian wide/full = 2.

    Never less than ``len(text)``, so a section adornment of this width is
    long enough for docutils (which discounts combining characters).
    """
    wide = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(wide, len(text))


def slugify(text: str) -> str:
    """Lower-case ASCII slug: letters and digits, other runs become ``-``.

    Accents are folded (``é`` -> ``e``); a text with no ASCII letter or digit
    at all gives ``""`` (callers add a hash then).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def short_hash(text: str, length: int = 6) -> str:
    """First ``length`` hex digits of the SHA-256 of ``text`` (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def unique_slugs(names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """Map each name to a slug unique within ``names``.

    The slug is :func:`slugify` of the name; when several names share a slug
    (they differ only in case, punctuation or accents), or the slug is empty,
    each of them gets ``-<6 hex digits of its SHA-256>`` appended, so every
    slug depends only on its own name and on which names collide.
    """
    base = {name: slugify(name) for name in names}
    count: dict[str, int] = {}
    for slug in base.values():
        count[slug] = count.get(slug, 0) + 1
    result: dict[str, str] = {}
    for name, slug in base.items():
        if not slug or count[slug] > 1:
            slug = f"{slug}-{short_hash(name)}" if slug else f"s-{short_hash(name)}"
        result[name] = slug
    taken: dict[str, str] = {}
    for name, slug in result.items():
        length = 6
        while slug in taken and taken[slug] != name:  # astronomically rare
            length += 2
            slug = f"{base[name] or 's'}-{short_hash(name, length)}"
        taken[slug] = name
        result[name] = slug
    return result


# ---------------------------------------------------------------------------
# Graphviz DOT
# ---------------------------------------------------------------------------


def dot_id(text: str) -> str:
    """A double-quoted DOT ID for ``text`` (keywords such as ``node`` included).

    Only ``"`` and ``\\`` are escaped, and line breaks are written as the
    two characters ``\\n`` (an ID is never shown: nodes carry explicit labels).
    """
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = body.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{body}"'


_DOT_LABEL_MAP = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\n",
    "{": "\\{",
    "}": "\\}",
    "|": "\\|",
    "<": "\\<",
    ">": "\\>",
    "&": "&amp;",
}


def dot_label(text: str) -> str:
    """A double-quoted DOT label that Graphviz draws as exactly ``text``.

    Backslashes are doubled, so Graphviz escapes (``\\N``, ``\\G``, ``\\l``...)
    are never taken from user text; quotes are ``\\"``; a newline is the
    centred line break ``\\n``; ``{ } | < >`` are backslash-escaped so that
    record shapes cannot read fields from them; ``&`` is ``&amp;`` since
    Graphviz decodes HTML entities in every label.
    """
    text = text.replace("\r\n", "\n")
    return '"' + "".join(_DOT_LABEL_MAP.get(ch, ch) for ch in text) + '"'


def dot_value(text: str) -> str:
    """A double-quoted DOT attribute value (colours, styles, numbers)."""
    return dot_id(text)


# ---------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------

_MERMAID_SAFE_PUNCT = frozenset(" _-.,/!?+=@$~^*'")


def mermaid_text(text: str) -> str:
    """Mermaid label text: anything but letters, digits and ``_-.,/!?+=@$~^*'``
    and space becomes a ``#<decimal>;`` entity code.

    So a label can never contain ``"``, ``:``, ``;``, ``#`` (other than in
    entity codes), ``%``, brackets, braces, ``<``, ``>``, ``&``, ``|``,
    backticks, backslashes or line breaks; Mermaid decodes the codes back to
    the characters when it draws the label. The space after the word
    ``direction`` is coded too (``direction#32;LR``): Mermaid's lexer takes
    any line holding ``direction`` and a space before ``TB``/``BT``/``RL``/
    ``LR`` for a direction statement, wherever the words stand.
    """
    out = []
    for ch in text:
        if ch in _MERMAID_SAFE_PUNCT or (ch.isalnum() and ch.isprintable()):
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
    coded = "".join(out)
    if "direction " in coded.lower():
        coded = _MERMAID_DIRECTION_RE.sub(r"\1#32;", coded)
    return coded


_MERMAID_DIRECTION_RE = re.compile("(direction) ", re.IGNORECASE)


_MERMAID_ENTITY_RE = re.compile(r"#(\d+|[A-Za-z][A-Za-z0-9]*);")
#: Longest decimal code worth reading: ``#1114111;`` is the last code point.
_MERMAID_MAX_DIGITS = 7


def _mermaid_entity(match: re.Match[str]) -> str:
    code = match.group(1)
    if not code.isdigit():
        return html.entities.html5.get(code + ";", match.group(0))
    value = int(code) if len(code) <= _MERMAID_MAX_DIGITS else -1
    if 0 < value <= 0x10FFFF and not 0xD800 <= value <= 0xDFFF:
        return chr(value)
    return "\ufffd"  # as a browser shows an impossible character reference


def mermaid_unescape(text: str) -> str:
    """Inverse of :func:`mermaid_text`: decodes ``#<decimal>;`` codes.

    Also decodes what Mermaid itself accepts in hand-written diagrams:
    ``#<name>;`` HTML entity names (``#quot;``); an unknown name stays as
    written, and a code that is no character (``#0;``, a surrogate, past
    U+10FFFF, any length of digits) becomes U+FFFD, never an exception.
    """
    if "#" not in text:
        return text
    return _MERMAID_ENTITY_RE.sub(_mermaid_entity, text)
