"""Helpers for the emitter tests (tests/test_emit_*.py): real parsers, real renderer."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from statusdoc.spec.api import loads, validate_text
from statusdoc.spec.model import Machine

ROOT = Path(__file__).resolve().parent.parent
GLANCE = ROOT / "examples" / "glance" / "image-statuses.toml"
GLANCE_NAME = "examples/glance/image-statuses.toml"
GRAPHVIZ_PURE = shutil.which("graphviz-pure") or str(Path(sys.executable).parent / "graphviz-pure")


def glance() -> Machine:
    from statusdoc.spec.api import load

    return load(GLANCE)


def machine(data: dict[str, Any]) -> Machine:
    """A machine from spec ``data`` through the real JSON loader and validator."""
    return loads(json.dumps(data), "json", filename="test.json")


def try_machine(data: dict[str, Any]) -> Machine | None:
    report = validate_text(json.dumps(data), "json", filename="test.json")
    return report.machine if report.ok() else None


def docutils_parse(text: str) -> tuple[Any, str]:
    """Parse RST with docutils; return (doctree, everything reported at WARNING or above)."""
    from docutils.core import publish_doctree

    stream = io.StringIO()
    doctree = publish_doctree(
        text,
        settings_overrides={
            "warning_stream": stream,
            "report_level": 2,
            "halt_level": 5,
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "_disable_config": True,
        },
    )
    messages = [m.astext() for m in doctree.findall(_system_message())
                if "is not referenced" not in m.astext()]
    # INFO-level messages (e.g. "possible title overline") are below the report
    # level but still mean docutils had to guess: count them as warnings too
    return doctree, stream.getvalue() + "".join(f"INFO: {m}\n" for m in messages
                                                  if m not in stream.getvalue())


def _system_message() -> type:
    from docutils import nodes

    return nodes.system_message


# -- DOT ---------------------------------------------------------------------


def dot_string(token: str) -> str:
    """The value of a DOT double-quoted string token, as a DOT reader sees it:
    ``\\"`` is a quote, ``\\\\`` one backslash, ``\\n`` a newline."""
    assert token.startswith('"') and token.endswith('"'), token
    body = token[1:-1]
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append({"n": "\n", "\\": "\\", '"': '"'}.get(nxt, nxt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def graphviz_label(token: str) -> str:
    """What Graphviz draws for a quoted label token: escapes and ``&amp;`` decoded."""
    return dot_string(token).replace("&amp;", "&")


def parse_dot(text: str) -> dict[str, Any]:
    """Parse ``text`` with pydot; states, transitions and helpers by class."""
    import pydot

    graphs = pydot.graph_from_dot_data(text)
    assert graphs and len(graphs) == 1
    graph = graphs[0]
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []

    def walk(g: Any) -> None:
        for node in g.get_nodes():
            name = node.get_name()
            if name in ("node", "edge", "graph"):  # default-attribute statements
                continue
            # a bare mention (e.g. in a rank=same group) adds no attributes
            nodes.setdefault(dot_string(name), {}).update(node.get_attributes())
        for edge in g.get_edges():
            edges.append((dot_string(edge.get_source()), dot_string(edge.get_destination()),
                          dict(edge.get_attributes())))
        for sub in g.get_subgraphs():
            walk(sub)

    walk(graph)
    return {"graph": graph, "nodes": nodes, "edges": edges}


def by_class(parsed: dict[str, Any], cls: str) -> tuple[dict[str, dict[str, str]], list]:
    nodes = {n: a for n, a in parsed["nodes"].items() if a.get("class") == f'"{cls}"'}
    edges = [e for e in parsed["edges"] if e[2].get("class") == f'"{cls}"']
    return nodes, edges


def render(dot_text: str, fmt: str = "svg") -> bytes:
    """Render with the real graphviz-pure binary (no files opened: SERVER_NAME set)."""
    env = {**os.environ, "SERVER_NAME": "statusdoc-tests"}
    proc = subprocess.run([GRAPHVIZ_PURE, f"-T{fmt}"], input=dot_text.encode("utf-8"),
                          capture_output=True, timeout=60, env=env, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert proc.stdout
    return proc.stdout


def svg_nodes(svg: bytes) -> dict[str, tuple[str, str]]:
    """``{title: (class, drawn text with lines joined by newlines)}`` for each node and edge."""
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.fromstring(svg)
    out: dict[str, tuple[str, str]] = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        cls = group.get("class", "")
        if not (cls.startswith("node") or cls.startswith("edge")):
            continue
        title = group.find("s:title", ns)
        # Graphviz writes the second of two spaces as U+00A0 so SVG keeps it
        texts = [(t.text or "").replace("\xa0", " ") for t in group.findall("s:text", ns)]
        key = f"{group.get('id')}:{title.text if title is not None else ''}"
        out[key] = (cls, "\n".join(texts))
    return out


# -- fonts embedded in graphviz-pure --------------------------------------------


def embedded_font_coverage(path: str = GRAPHVIZ_PURE) -> dict[str, set[int]]:
    """``{family: code points}`` of the regular TrueType fonts inside the executable.

    Finds each sfnt header (version 0x00010000 + a table directory holding
    ``cmap``, ``glyf`` and ``name``) and reads cmap formats 4 and 12.
    """
    import re
    import struct

    data = Path(path).read_bytes()
    fonts: dict[str, set[int]] = {}
    for match in re.finditer(rb"\x00\x01\x00\x00", data):
        base = match.start()
        (count,) = struct.unpack(">H", data[base + 4 : base + 6])
        if not 8 <= count <= 40:
            continue
        tables = {}
        for i in range(count):
            record = data[base + 12 + 16 * i : base + 28 + 16 * i]
            if len(record) < 16 or not all(32 <= c < 127 for c in record[:4]):
                tables = {}
                break
            _checksum, offset, _length = struct.unpack(">III", record[4:])
            tables[record[:4].decode()] = offset
        if not {"cmap", "glyf", "name"} <= set(tables):
            continue
        family = _font_name(data, base + tables["name"])
        if family and family.endswith(" Regular"):
            fonts[family.split()[0]] = _cmap(data, base + tables["cmap"])
    return fonts


def _font_name(data: bytes, at: int) -> str:
    import struct

    _fmt, count, strings = struct.unpack(">HHH", data[at : at + 6])
    for i in range(count):
        pid, _eid, _lid, nid, length, off = struct.unpack(
            ">HHHHHH", data[at + 6 + 12 * i : at + 18 + 12 * i])
        if nid == 4:
            raw = data[at + strings + off : at + strings + off + length]
            return raw.decode("utf-16-be") if pid in (0, 3) else raw.decode("latin-1")
    return ""


def _cmap(data: bytes, at: int) -> set[int]:
    import struct

    (count,) = struct.unpack(">H", data[at + 2 : at + 4])
    best: tuple[int, int] | None = None
    for i in range(count):
        _pid, _eid, sub = struct.unpack(">HHI", data[at + 4 + 8 * i : at + 12 + 8 * i])
        (fmt,) = struct.unpack(">H", data[at + sub : at + sub + 2])
        if fmt == 12 or (fmt == 4 and best is None):
            best = (fmt, at + sub)
    assert best is not None
    fmt, s = best
    codes: set[int] = set()
    if fmt == 12:
        (groups,) = struct.unpack(">I", data[s + 12 : s + 16])
        for i in range(groups):
            first, last, _glyph = struct.unpack(">III", data[s + 16 + 12 * i : s + 28 + 12 * i])
            codes.update(range(first, last + 1))
    else:
        (seg2,) = struct.unpack(">H", data[s + 6 : s + 8])
        ends = struct.unpack(f">{seg2 // 2}H", data[s + 14 : s + 14 + seg2])
        starts = struct.unpack(f">{seg2 // 2}H", data[s + 16 + seg2 : s + 16 + 2 * seg2])
        for first, last in zip(starts, ends, strict=True):
            if first != 0xFFFF:
                codes.update(range(first, last + 1))
    return codes
