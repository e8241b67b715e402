"""Stamps in PNG tEXt chunks and SVG comments: written, replaced, read back, validated."""

from __future__ import annotations

import hashlib
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.stamp import (
    PNG_SIGNATURE,
    Stamp,
    StampError,
    dot_sha256,
    read_stamp,
    stamp_image,
    stamp_png,
    stamp_svg,
)

HASH_A = dot_sha256("digraph { a -> b }")
HASH_B = dot_sha256("digraph { a -> c }")


def _png_chunk(ctype: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(ctype + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", crc)


def tiny_png() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return (
        PNG_SIGNATURE
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Walk the PNG independently of the code under test, verifying every CRC."""
    assert data.startswith(PNG_SIGNATURE)
    pos, out = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        ctype = data[pos + 4 : pos + 8]
        payload = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(ctype + payload) & 0xFFFFFFFF, ctype
        out.append((ctype, payload))
        pos += 12 + length
    return out


SVG = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    b'<svg width="62pt" height="133pt" xmlns="http://www.w3.org/2000/svg"></svg>\n'
)


def test_dot_hash_is_sha256_of_utf8() -> None:
    import hashlib

    assert dot_sha256("é") == hashlib.sha256("é".encode()).hexdigest()


def test_png_stamp_is_text_chunk_before_iend_with_valid_crc() -> None:
    stamped = stamp_png(tiny_png(), Stamp(HASH_A, "graphviz-pure 0.2.2"))
    types = [c[0] for c in chunks(stamped)]
    assert types == [b"IHDR", b"IDAT", b"tEXt", b"IEND"]
    payload = chunks(stamped)[2][1]
    content = hashlib.sha256(tiny_png()).hexdigest()  # the image without its stamp
    expected = (b"dot-sha256=" + HASH_A.encode() + b"; image-sha256=" + content.encode()
                + b"; renderer=graphviz-pure 0.2.2")
    assert payload == b"statusdoc\x00" + expected
    assert read_stamp(stamped) == Stamp(HASH_A, "graphviz-pure 0.2.2", content)


def test_restamping_png_replaces_the_old_stamp() -> None:
    once = stamp_png(tiny_png(), Stamp(HASH_A, "x 1"))
    twice = stamp_png(once, Stamp(HASH_B, "y 2"))
    assert [c[0] for c in chunks(twice)].count(b"tEXt") == 1
    assert read_stamp(twice) == Stamp(HASH_B, "y 2", hashlib.sha256(tiny_png()).hexdigest())
    assert stamp_png(once, Stamp(HASH_A, "x 1")) == once  # idempotent


def test_svg_stamp_follows_xml_declaration() -> None:
    stamped = stamp_svg(SVG, Stamp(HASH_A, "dot 2.43.0"))
    lines = stamped.split(b"\n")
    assert lines[0].startswith(b"<?xml")
    content = hashlib.sha256(SVG).hexdigest()
    expected = (b"<!-- statusdoc: dot-sha256=" + HASH_A.encode() + b"; image-sha256="
                + content.encode() + b"; renderer=dot 2.43.0 -->")
    assert lines[1] == expected
    assert stamped.replace(lines[1] + b"\n", b"") == SVG
    assert read_stamp(stamped) == Stamp(HASH_A, "dot 2.43.0", content)
    again = stamp_svg(stamped, Stamp(HASH_B, "dot 2.43.0"))
    assert again.count(b"statusdoc:") == 1 and read_stamp(again).dot_sha256 == HASH_B


def test_svg_without_declaration_gets_comment_first() -> None:
    stamped = stamp_svg(b"<svg></svg>", Stamp(HASH_A, "r 1"))
    assert stamped.startswith(b"<!-- statusdoc: ")
    assert read_stamp(stamped) == Stamp(HASH_A, "r 1", hashlib.sha256(b"<svg></svg>").hexdigest())


def test_renderer_text_cannot_break_the_comment_or_chunk() -> None:
    stamp = Stamp(HASH_A, "evil -->\x00 <b>é")
    svg = stamp_svg(SVG, stamp)
    comment = svg.split(b"\n")[1]
    assert comment.count(b"-->") == 1 and comment.endswith(b"-->")
    assert b"\x00" not in svg
    png = stamp_png(tiny_png(), stamp)
    assert read_stamp(png) is not None and read_stamp(svg) is not None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello",
        tiny_png(),
        SVG,
        PNG_SIGNATURE + b"\x00\x00",
        b"<svg><!-- statusdoc: x --></svg>",
    ],
)
def test_read_stamp_is_none_without_a_valid_stamp(data: bytes) -> None:
    assert read_stamp(data) is None


def test_stamping_rejects_non_images() -> None:
    with pytest.raises(StampError):
        stamp_png(b"GIF89a", Stamp(HASH_A, "r"))
    with pytest.raises(StampError):
        stamp_png(tiny_png()[:-12], Stamp(HASH_A, "r"))  # no IEND
    with pytest.raises(StampError):
        stamp_svg(b"not xml", Stamp(HASH_A, "r"))


@settings(max_examples=60, deadline=None)
@given(dot=st.text(), renderer=st.text(max_size=40), fmt=st.sampled_from(["png", "svg"]))
def test_any_stamp_round_trips(dot: str, renderer: str, fmt: str) -> None:
    digest = dot_sha256(dot.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    data = tiny_png() if fmt == "png" else SVG
    stamped = stamp_image(data, fmt, Stamp(digest, renderer))
    stamp = read_stamp(stamped)
    assert stamp is not None and stamp.dot_sha256 == digest
    assert stamp_image(stamped, fmt, Stamp(digest, renderer)) == stamped
    if fmt == "png":
        chunks(stamped)  # every CRC valid


@settings(max_examples=80, deadline=None)
@given(fmt=st.sampled_from(["png", "svg"]), flip=st.integers(min_value=0),
       extra=st.binary(min_size=1, max_size=8))
def test_any_change_outside_the_stamp_breaks_the_content_hash(
    fmt: str, flip: int, extra: bytes
) -> None:
    from statusdoc.stamp import PROBLEM_EDITED, content_sha256, image_problem

    data = tiny_png() if fmt == "png" else SVG
    stamped = stamp_image(data, fmt, Stamp(HASH_A, "r 1"))
    recorded = read_stamp(stamped).image_sha256
    assert recorded == content_sha256(stamped) == content_sha256(data)
    assert image_problem(stamped, fmt, HASH_A) == ""
    assert image_problem(stamped + extra, fmt, HASH_A) == PROBLEM_EDITED
    index = flip % len(data)
    changed = data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1:]
    assert content_sha256(changed) != recorded
