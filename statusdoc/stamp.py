"""Stamps: what an image was made from, and a hash of what it is, embedded in it.

A stamp is one line::

    dot-sha256=<hex>; image-sha256=<hex>; [view-of=<file name>; ]renderer=<name> <version>

``dot-sha256`` is the SHA-256 of the DOT source the image was rendered
from; ``image-sha256`` the SHA-256 of the image bytes *without* the stamp
(:func:`content_sha256`), so a stamp copied onto other bytes no longer
matches them. ``view-of`` is set only on a view image next to the RST page
(:mod:`statusdoc.viewfiles`): the file name of the image whose views it is
one of, in the same directory (percent-encoded: :func:`quote_name`), so a
left-over view is known as this page's (:mod:`statusdoc.orphans`). A PNG
carries the stamp in a ``tEXt`` chunk with keyword ``statusdoc`` inserted
right before ``IEND``; an SVG in an XML comment
``<!-- statusdoc: ... -->`` plus a newline, right after the XML
declaration; a standalone HTML page (the ``html`` output) in the same
comment right after ``<!DOCTYPE html>``, its ``dot-sha256`` being the hash
of everything the page is made from besides the SVG
(:meth:`statusdoc.htmlpage.PageSource.digest`). :func:`read_stamp` reads
them back and :func:`image_problem` says whether an image is a current,
untouched render of a given DOT, so a drift check can tell a stale or edited
image from a fresh one without running any renderer, whichever renderer (and
version) made it.

This module is pure (bytes in, bytes out) and imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass, replace
from urllib.parse import unquote

from statusdoc.errors import StatusdocError, shown_name

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: How the standalone HTML page starts; its stamp follows this line.
HTML_DOCTYPE = b"<!DOCTYPE html>\n"
#: Keyword of the PNG ``tEXt`` chunk that carries the stamp.
PNG_KEYWORD = b"statusdoc"

_STAMP_TEXT = re.compile(
    r"dot-sha256=([0-9a-f]{64}); (?:image-sha256=([0-9a-f]{64}); )?"
    r"(?:view-of=([A-Za-z0-9%._+,=@~-]+); )?renderer=([^\x00<>]*)"
)
#: Characters a quoted name keeps as they are (besides ASCII letters and digits).
_NAME_SAFE = frozenset("._+,=@~-")
_SVG_COMMENT = re.compile(rb"<!-- statusdoc: (dot-sha256=[0-9a-f]{64}; [^<>]*?) -->\n?")
#: The SVG stamp comment lies within this many bytes of the start.
_SVG_HEAD = 4096
#: Why an image is not current (see :func:`image_problem`).
PROBLEM_UNSTAMPED = "image has no statusdoc stamp"
PROBLEM_OLD_DOT = "made from an older DOT"
PROBLEM_OLD_SOURCE = "made from an older spec, template or statusdoc"
PROBLEM_OLD_STAMP = "stamp does not record the image content (older statusdoc)"
PROBLEM_EDITED = "image content does not match its stamp"
PROBLEM_NO_VIEW_OF = "stamp does not name the image it is a view of (older statusdoc)"
_XML_DECL = re.compile(rb"\A(\xef\xbb\xbf)?<\?xml[^>]*\?>\n?")


class StampError(StatusdocError, ValueError):
    """The bytes are not an image of the kind being stamped."""


@dataclass(frozen=True, slots=True)
class Stamp:
    """What an image records about its origin."""

    #: hex SHA-256 of the DOT source (UTF-8) the image was rendered from.
    dot_sha256: str
    #: renderer name and version, e.g. ``"graphviz-pure 0.2.2"``.
    renderer: str
    #: hex SHA-256 of the image without its stamp; None in stamps of statusdoc
    #: 0.1, which did not record it. :func:`stamp_image` fills it in.
    image_sha256: str | None = None
    #: A view image's: the file name of the image it is a view of; None on every other.
    view_of: str | None = None

    def text(self) -> str:
        """The stamp as the single line stored in the image."""
        image = f"image-sha256={self.image_sha256}; " if self.image_sha256 else ""
        view = f"view-of={quote_name(self.view_of)}; " if self.view_of is not None else ""
        return (f"dot-sha256={self.dot_sha256}; {image}{view}"
                f"renderer={_clean_renderer(self.renderer)}")


def quote_name(name: str) -> str:
    """``name`` as the stamp records it: ASCII letters, digits and ``._+,=@~-`` kept, every
    other UTF-8 byte (and a ``-`` right after a ``-``: no ``--`` in an XML comment) ``%XX``."""
    out: list[str] = []
    for byte in name.encode("utf-8", "surrogateescape"):
        char = chr(byte)
        keep = char.isascii() and (char.isalnum() or char in _NAME_SAFE)
        if keep and not (char == "-" and out and out[-1] == "-"):
            out.append(char)
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


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


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _png_chunk(ctype: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(ctype + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", crc)


def _png_without_stamp(data: bytes) -> bytes:
    """``data`` minus every statusdoc ``tEXt`` chunk (anything after IEND is kept)."""
    kept, pos = [], 0
    for ctype, payload, start, end in _chunks(data):
        if ctype == b"tEXt" and payload.split(b"\x00", 1)[0] == PNG_KEYWORD:
            kept.append(data[pos:start])
            pos = end
    kept.append(data[pos:])
    return b"".join(kept)


def stamp_png(data: bytes, stamp: Stamp) -> bytes:
    """``data`` with its statusdoc ``tEXt`` chunk set to ``stamp`` (before IEND).

    The stamp's ``image_sha256`` is set to the hash of ``data`` without any
    older stamp.
    """
    content = _png_without_stamp(data)
    stamp = replace(stamp, image_sha256=_sha256(content))
    text = stamp.text().encode("latin-1")
    cut = _chunks(content)[-1][2]  # where IEND starts
    return content[:cut] + _png_chunk(b"tEXt", PNG_KEYWORD + b"\x00" + text) + content[cut:]


def _svg_stamp(data: bytes) -> re.Match[bytes] | None:
    """The stamp comment of an SVG: the first one, near the start."""
    return _SVG_COMMENT.search(data, 0, _SVG_HEAD)


def _svg_without_stamp(data: bytes) -> bytes:
    match = _svg_stamp(data)
    return data if match is None else data[:match.start()] + data[match.end():]


def stamp_svg(data: bytes, stamp: Stamp) -> bytes:
    """``data`` with a statusdoc comment after the XML declaration (replacing an older one).

    The stamp's ``image_sha256`` is set to the hash of ``data`` without any
    older stamp.
    """
    if b"<svg" not in data:
        raise StampError("not an SVG file (no <svg> element)")
    content = _svg_without_stamp(data)
    stamp = replace(stamp, image_sha256=_sha256(content))
    comment = f"<!-- statusdoc: {stamp.text()} -->\n".encode()
    decl = _XML_DECL.match(content)
    cut = decl.end() if decl else 0
    return content[:cut] + comment + content[cut:]


def stamp_html(data: bytes, stamp: Stamp) -> bytes:
    """``data`` (an HTML page) with a statusdoc comment after ``<!DOCTYPE html>``."""
    if not data.startswith(HTML_DOCTYPE):
        raise StampError("not a statusdoc HTML page (no <!DOCTYPE html> line first)")
    content = _svg_without_stamp(data)
    stamp = replace(stamp, image_sha256=_sha256(content))
    comment = f"<!-- statusdoc: {stamp.text()} -->\n".encode()
    cut = len(HTML_DOCTYPE)
    return content[:cut] + comment + content[cut:]


def stamp_image(data: bytes, fmt: str, stamp: Stamp) -> bytes:
    """Stamp ``data`` of format ``png``, ``svg`` or ``html``."""
    if fmt == "png":
        return stamp_png(data, stamp)
    if fmt == "svg":
        return stamp_svg(data, stamp)
    if fmt == "html":
        return stamp_html(data, stamp)
    raise StampError(f"cannot stamp format {fmt!r} (png, svg or html only)")


def _parse(text: str) -> Stamp | None:
    match = _STAMP_TEXT.fullmatch(text.strip())
    if not match:
        return None
    view_of = match.group(3)
    if view_of is not None:
        view_of = unquote(view_of, errors="surrogateescape")
    return Stamp(match.group(1), match.group(4).strip(), match.group(2), view_of)


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
    match = _svg_stamp(data)
    if match and (b"<svg" in data or data.startswith(HTML_DOCTYPE)):
        return _parse(match.group(1).decode("ascii", "replace"))
    return None


def unstamped(data: bytes) -> bytes:
    """An SVG or an ``html`` page without its stamp comment (as it was before stamping)."""
    return _svg_without_stamp(data)


def content_sha256(data: bytes) -> str | None:
    """SHA-256 of a PNG or SVG without its stamp (None when ``data`` is neither)."""
    if data.startswith(PNG_SIGNATURE):
        try:
            return _sha256(_png_without_stamp(data))
        except StampError:
            return None
    if b"<svg" in data or data.startswith(HTML_DOCTYPE):
        return _sha256(_svg_without_stamp(data))
    return None


def _view_problem(recorded: str | None, wanted: str | None) -> str:
    if recorded is None:
        return PROBLEM_NO_VIEW_OF
    # the name comes from a file on disk: shown short and printable
    shown = shown_name(recorded if len(recorded) <= 60 else recorded[:57] + "...")
    if wanted is None:
        return f"made as a view of {shown}, not as this image"
    return f"made as a view of {shown}"


def _is_format(data: bytes, fmt: str) -> bool:
    if fmt == "png":
        return data.startswith(PNG_SIGNATURE)
    if fmt == "html":
        return data.startswith(HTML_DOCTYPE)
    return not data.startswith(PNG_SIGNATURE) and b"<svg" in data


def image_problem(data: bytes, fmt: str, dot_hash: str | None,
                  view_of: str | None = None) -> str:
    """Why ``data`` is not a current ``fmt`` render of the DOT with hash ``dot_hash``.

    ``""`` when it is: a ``fmt`` image whose stamp records ``dot_hash``,
    ``view_of`` (a view image's; None: the image is no view) and the hash of
    the image's own bytes, and, for an SVG, one that passes
    :func:`statusdoc.svgcheck.check_svg`. Starts no renderer.
    """
    if not _is_format(data, fmt):
        return f"not a {fmt.upper()} " + ("page" if fmt == "html" else "image")
    stamp = read_stamp(data)
    if stamp is None:
        return PROBLEM_UNSTAMPED
    if stamp.dot_sha256 != dot_hash:
        return PROBLEM_OLD_SOURCE if fmt == "html" else PROBLEM_OLD_DOT
    if stamp.image_sha256 is None:
        return PROBLEM_OLD_STAMP
    if stamp.view_of != view_of:
        return _view_problem(stamp.view_of, view_of)
    if stamp.image_sha256 != content_sha256(data):
        return PROBLEM_EDITED
    if fmt == "svg":
        from statusdoc.svgcheck import UnsafeSVGError, check_svg

        try:
            check_svg(data)
        except UnsafeSVGError as exc:
            return f"unsafe SVG: {exc}"
    return ""
