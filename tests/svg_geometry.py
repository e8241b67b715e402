"""Where things are in a rendered SVG: status boxes by id, text boxes, rows.

Read from the SVG as XML (never by regex over the text). Coordinates are in
SVG user units with the origin at the top left of the drawing (Graphviz's
``translate`` applied). Text widths come from the advance widths of Arimo,
the font graphviz-pure draws Helvetica with, read from the fonts inside the
graphviz-pure executable (the same place :func:`emit_support.embedded_font_coverage`
reads them), so a text box is the one the PNG shows.
"""

from __future__ import annotations

import functools
import re
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from emit_support import GRAPHVIZ_PURE

NS = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """True when the boxes touch or come closer than ``gap``."""
        return not (self.right + gap <= other.left or other.right + gap <= self.left
                    or self.bottom + gap <= other.top or other.bottom + gap <= self.top)


@dataclass(frozen=True)
class Text:
    text: str
    box: Box
    owner: str  # id of the <g> it is in ("" for the graph's own texts)
    kind: str  # "node", "edge", "cluster" or "graph"


def _translate(root: ET.Element) -> tuple[float, float]:
    graph = root.find(f"{NS}g")
    assert graph is not None
    match = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", graph.get("transform", ""))
    assert match, graph.get("transform")
    return float(match.group(1)), float(match.group(2))


def _points(element: ET.Element) -> list[tuple[float, float]]:
    if element.tag == f"{NS}polygon" or element.tag == f"{NS}polyline":
        nums = [float(n) for n in _NUMBER.findall(element.get("points", ""))]
    elif element.tag == f"{NS}path":
        nums = [float(n) for n in _NUMBER.findall(element.get("d", ""))]
    elif element.tag == f"{NS}ellipse":
        cx, cy, rx, ry = (float(element.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
        return [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    else:
        return []
    return list(zip(nums[0::2], nums[1::2], strict=False))


def _kind(group: ET.Element) -> str:
    cls = group.get("class", "")
    for kind in ("node", "edge", "cluster"):
        if cls == kind or cls.startswith(kind + " "):
            return kind
    return "graph"


def node_boxes(svg: bytes) -> dict[str, Box]:
    """``{id: box}`` of every node with an id (statuses: ``sd-s-...``)."""
    root = ET.fromstring(svg)
    tx, ty = _translate(root)
    out: dict[str, Box] = {}
    for group in root.iter(f"{NS}g"):
        ident = group.get("id")
        if _kind(group) != "node" or not ident:
            continue
        pts = [p for child in group for p in _points(child)]
        if pts:
            xs = [x + tx for x, _ in pts]
            ys = [y + ty for _, y in pts]
            out[ident] = Box(min(xs), min(ys), max(xs), max(ys))
    return out


def status_rows(svg: bytes) -> dict[str, int]:
    """Each status node's row: the rank of its centre's y among all statuses' (0 = top)."""
    centres = {i: b.centre[1] for i, b in node_boxes(svg).items() if i.startswith("sd-s-")}
    levels = sorted({round(y, 1) for y in centres.values()})
    return {i: levels.index(round(y, 1)) for i, y in centres.items()}


def texts(svg: bytes) -> list[Text]:
    """Every drawn text with its box (from Arimo's advance widths and vertical metrics)."""
    root = ET.fromstring(svg)
    tx, ty = _translate(root)
    owners: dict[int, tuple[str, str]] = {}
    for group in root.iter(f"{NS}g"):
        for t in group.findall(f"{NS}text"):
            owners[id(t)] = (group.get("id") or "", _kind(group))
    out = []
    for t in root.iter(f"{NS}text"):
        body = (t.text or "").replace("\xa0", " ")
        size = float(t.get("font-size", "14"))
        width = text_width(body, size)
        x, y = float(t.get("x", "0")) + tx, float(t.get("y", "0")) + ty
        anchor = t.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        ascent, descent = _vertical()
        owner, kind = owners.get(id(t), ("", "graph"))
        out.append(Text(body, Box(left, y - ascent * size, left + width, y + descent * size),
                        owner, kind))
    return out


def touching(found: list[Text], gap: float = 0.0) -> list[tuple[Text, Text]]:
    """Pairs of texts whose boxes touch (or come closer than ``gap``), in drawing order.

    Texts of one element (the lines of one label) are one block and not compared.
    """
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if a.owner and a.owner == b.owner:
                continue
            if a.box.overlaps(b.box, gap):
                pairs.append((a, b))
    return pairs


# -- Arimo's metrics ------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    advances, default, units = _arimo()
    return sum(advances.get(ord(ch), default) for ch in text) * size / units


def _vertical() -> tuple[float, float]:
    """Ascent and descent per point of font size (Arimo's hhea)."""
    return _metrics()[3], _metrics()[4]


def _arimo() -> tuple[dict[int, int], int, int]:
    advances, default, units, _a, _d = _metrics()
    return advances, default, units


@functools.cache
def _metrics() -> tuple[dict[int, int], int, int, float, float]:
    """Arimo Regular inside graphviz-pure: advance per code point, the .notdef advance,
    units per em, ascent and descent per em."""
    data = Path(GRAPHVIZ_PURE).read_bytes()
    for match in re.finditer(rb"\x00\x01\x00\x00", data):
        base = match.start()
        (count,) = struct.unpack(">H", data[base + 4: base + 6])
        if not 8 <= count <= 40:
            continue
        tables: dict[str, int] = {}
        for i in range(count):
            record = data[base + 12 + 16 * i: base + 28 + 16 * i]
            if len(record) < 16 or not all(32 <= c < 127 for c in record[:4]):
                tables = {}
                break
            tables[record[:4].decode()] = struct.unpack(">I", record[8:12])[0]
        if not {"cmap", "hmtx", "hhea", "head", "name"} <= set(tables):
            continue
        from emit_support import _font_name

        if _font_name(data, base + tables["name"]) != "Arimo Regular":
            continue
        (units,) = struct.unpack(">H", data[base + tables["head"] + 18: base + tables["head"] + 20])
        hhea = base + tables["hhea"]
        ascent, descent = struct.unpack(">hh", data[hhea + 4: hhea + 8])
        (metrics,) = struct.unpack(">H", data[hhea + 34: hhea + 36])
        hmtx = base + tables["hmtx"]
        widths = [struct.unpack(">H", data[hmtx + 4 * g: hmtx + 4 * g + 2])[0]
                  for g in range(metrics)]
        glyphs = _cmap_glyphs(data, base + tables["cmap"])
        advances = {c: widths[min(g, metrics - 1)] for c, g in glyphs.items()}
        return advances, widths[0], units, ascent / units, -descent / units
    raise AssertionError("Arimo Regular not found in graphviz-pure")


def _cmap_glyphs(data: bytes, at: int) -> dict[int, int]:
    """Code point -> glyph index from a cmap format 4 subtable."""
    (count,) = struct.unpack(">H", data[at + 2: at + 4])
    for i in range(count):
        _pid, _eid, sub = struct.unpack(">HHI", data[at + 4 + 8 * i: at + 12 + 8 * i])
        s = at + sub
        (fmt,) = struct.unpack(">H", data[s: s + 2])
        if fmt != 4:
            continue
        (seg2,) = struct.unpack(">H", data[s + 6: s + 8])
        n = seg2 // 2
        ends = struct.unpack(f">{n}H", data[s + 14: s + 14 + seg2])
        starts = struct.unpack(f">{n}H", data[s + 16 + seg2: s + 16 + 2 * seg2])
        deltas = struct.unpack(f">{n}h", data[s + 16 + 2 * seg2: s + 16 + 3 * seg2])
        offsets_at = s + 16 + 3 * seg2
        offsets = struct.unpack(f">{n}H", data[offsets_at: offsets_at + seg2])
        glyphs: dict[int, int] = {}
        for k in range(n):
            if starts[k] == 0xFFFF:
                continue
            for c in range(starts[k], ends[k] + 1):
                if offsets[k] == 0:
                    g = (c + deltas[k]) & 0xFFFF
                else:
                    where = offsets_at + 2 * k + offsets[k] + 2 * (c - starts[k])
                    (g,) = struct.unpack(">H", data[where: where + 2])
                    g = (g + deltas[k]) & 0xFFFF if g else 0
                glyphs[c] = g
        return glyphs
    raise AssertionError("no cmap format 4")
