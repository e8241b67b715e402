"""Stamps: the SHA-256 of the DOT an image was made from, embedded in the image.

A PNG carries a ``tEXt`` chunk with keyword ``statusdoc`` inserted right
before ``IEND``; an SVG carries an XML comment
``<!-- statusdoc: dot-sha256=<hex>; renderer=<name> <version> -->`` right
after the XML declaration. :func:`read_stamp` reads either back, so a drift
check can tell a stale image from a fresh one without running any renderer,
whichever renderer (and version) made it.

This module is pure (bytes in, bytes out) and imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Keyword of the PNG ``tEXt`` chunk that carries the stamp.
PNG_KEYWORD = b"statusdoc"

_STAMP_TEXT = re.compile(r"dot-sha256=([0-9a-f]{64}); renderer=([^\x00<>]*)")
_SVG_COMMENT = re.compile(rb"<!-- statusdoc: (dot-sha256=[0-9a-f]{64}; renderer=[^<>]*?) -->\n?")
_XML_DECL = re.compile(rb"\A(\xef\xbb\xbf)?<\?xml[^>]*\?>\n?")


class StampError(ValueError):
    """The bytes are not an image of the kind being stamped."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """What an image records about its origin."""

    #: hex SHA-256 of the DOT source (UTF-8) the image was rendered from.
    dot_sha256: str
    #: renderer name and version, e.g. ``"graphviz-pure 0.2.2"``.
    renderer: str

    def text(self) -> str:
        """The stamp as the single line stored in the image."""
        return f"dot-sha256={self.dot_sha256}; renderer={_clean_renderer(self.renderer)}"


def dot_sha256(dot_source: str) -> str:
    """Hex SHA-256 of ``dot_source`` encoded as UTF-8 (the hash a stamp records)."""
    return hashlib.sha256(dot_source.encode("utf-8")).hexdigest()


def _clean_renderer(renderer: str) -> str:
    # Keep the stamp one printable Latin-1 line that can live in an XML
    # comment (no "--") and a PNG tEXt chunk (no NUL, Latin-1 only).
    text = "".join(ch if 32 <= ord(ch) < 127 else "?" for ch in renderer)
    text = text.replace("<", "?").replace(">", "?")
    while "--" in text:
        text = text.replace("--", "-")
    return text.strip()


def _chunks(data: bytes) -> list[tuple[bytes, bytes, int, int]]:
    """Split a PNG into ``(type, payload, start, end)`` chunks; StampError when malformed."""
    if not data.startswith(PNG_SIGNATURE):
        raise StampError("not a PNG file (bad signature)")
    pos = len(PNG_SIGNATURE)
    chunks = []
    while pos < len(data):
        if pos + 8 > len(data):
            raise StampError("truncated PNG chunk header")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise StampError("truncated PNG chunk")
        chunks.append((ctype, data[pos + 8 : pos + 8 + length], pos, end))
        pos = end
        if ctype == b"IEND":
            break
    if not chunks or chunks[-1][0] != b"IEND":
        raise StampError("PNG has no IEND chunk")
    return chunks


def _png_chunk(ctype: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(ctype + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", crc)


def stamp_png(data: bytes, stamp: Stamp) -> bytes:
    """``data`` with its statusdoc ``tEXt`` chunk set to ``stamp`` (before IEND)."""
    chunks = _chunks(data)
    out = [PNG_SIGNATURE]
    for ctype, payload, start, end in chunks:
        if ctype == b"tEXt" and payload.split(b"\x00", 1)[0] == PNG_KEYWORD:
            continue  # replace an older stamp
        if ctype == b"IEND":
            text = stamp.text().encode("latin-1")
            out.append(_png_chunk(b"tEXt", PNG_KEYWORD + b"\x00" + text))
        out.append(data[start:end])
    return b"".join(out)


def stamp_svg(data: bytes, stamp: Stamp) -> bytes:
    """``data`` with a statusdoc comment after the XML declaration (replacing an older one)."""
    if b"<svg" not in data:
        raise StampError("not an SVG file (no <svg> element)")
    data = _SVG_COMMENT.sub(b"", data, count=1)
    comment = f"<!-- statusdoc: {stamp.text()} -->\n".encode()
    decl = _XML_DECL.match(data)
    cut = decl.end() if decl else 0
    if decl and not decl.group(0).endswith(b"\n"):
        comment = b"\n" + comment
    return data[:cut] + comment + data[cut:]


def stamp_image(data: bytes, fmt: str, stamp: Stamp) -> bytes:
    """Stamp ``data`` of format ``png`` or ``svg``."""
    if fmt == "png":
        return stamp_png(data, stamp)
    if fmt == "svg":
        return stamp_svg(data, stamp)
    raise StampError(f"cannot stamp format {fmt!r} (png or svg only)")


def _parse(text: str) -> Stamp | None:
    match = _STAMP_TEXT.fullmatch(text.strip())
    if not match:
        return None
    return Stamp(match.group(1), match.group(2).strip())


def read_stamp(data: bytes) -> Stamp | None:
    """The stamp embedded in PNG or SVG ``data``, or None (no stamp, or not an image)."""
    if data.startswith(PNG_SIGNATURE):
        try:
            chunks = _chunks(data)
        except StampError:
            return None
        for ctype, payload, _start, _end in chunks:
            if ctype == b"tEXt":
                keyword, _, text = payload.partition(b"\x00")
                if keyword == PNG_KEYWORD:
                    return _parse(text.decode("latin-1"))
        return None
    match = _SVG_COMMENT.search(data[:4096])
    if match and b"<svg" in data:
        return _parse(match.group(1).decode("ascii", "replace"))
    return None
