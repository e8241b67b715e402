"""A copied stamp does not make a forged image current (issue 13, item 7).

The stamp records the SHA-256 of the image bytes it was made with (the
image without the stamp), and ``check`` parses every committed SVG with the
render layer's checker. So an SVG carrying ``<script>`` or a 1x1 PNG that
carries a stamp copied from a real image is stale to ``check`` (which still
starts no renderer) and re-rendered by ``generate``.
"""

from __future__ import annotations

import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest
from cli_support import GLANCE, run

from statusdoc.artifacts import check_spec, generate_spec
from statusdoc.config import load_config
from statusdoc.render import ENV_COMMAND
from statusdoc.stamp import (
    PNG_KEYWORD,
    PNG_SIGNATURE,
    Stamp,
    content_sha256,
    image_problem,
    read_stamp,
    stamp_image,
)

FAKES = Path(__file__).parent / "fakes"
REAL = str(Path(sys.executable).parent / "graphviz-pure")


def make_project(root: Path) -> Path:
    (root / "specs").mkdir(parents=True)
    shutil.copy(GLANCE, root / "specs" / "image-statuses.toml")
    (root / "pyproject.toml").write_text(
        '[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = "specs/image-statuses.toml"\n'
        'output-dir = "docs/gen"\noutputs = ["png", "svg"]\n'
    )
    return root


def tiny_png() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    return PNG_SIGNATURE + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def stamp_chunk(png: bytes) -> bytes:
    """The whole statusdoc tEXt chunk of a stamped PNG, copied byte for byte."""
    start = png.index(b"tEXt" + PNG_KEYWORD) - 4
    (length,) = struct.unpack(">I", png[start:start + 4])
    return png[start:start + 12 + length]


def svg_stamp_comment(svg: bytes) -> bytes:
    start = svg.index(b"<!-- statusdoc:")
    return svg[start:svg.index(b"-->", start) + 4]


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "proj")
    generate_spec(load_config(root).specs[0])
    return root


def gen(root: Path, name: str) -> Path:
    return root / "docs" / "gen" / name


def forge_svg(real: bytes, payload: bytes) -> bytes:
    """The real SVG with ``payload`` added before </svg>, keeping its stamp comment as is."""
    return real.replace(b"</svg>", payload + b"</svg>")


def test_stamp_records_the_content_hash_and_reading_it_back_agrees() -> None:
    stamped = stamp_image(tiny_png(), "png", Stamp("a" * 64, "r 1"))
    stamp = read_stamp(stamped)
    assert stamp is not None and stamp.image_sha256 == content_sha256(stamped)
    assert content_sha256(stamped) == content_sha256(tiny_png())
    assert image_problem(stamped, "png", "a" * 64) == ""


def test_svg_with_script_and_copied_stamp_is_stale_to_check(project: Path) -> None:
    svg = gen(project, "image-statuses.svg")
    svg.write_bytes(forge_svg(svg.read_bytes(), b"<script>alert(document.domain)</script>"))
    assert read_stamp(svg.read_bytes()) is not None  # the copied stamp still reads
    drifts = check_spec(load_config(project).specs[0])
    assert [(d.path.name, d.reason) for d in drifts] == [
        ("image-statuses.svg", "stale: image content does not match its stamp")
    ]


def test_svg_with_script_and_a_recomputed_stamp_is_unsafe_to_check(project: Path) -> None:
    # A forger who recomputes the content hash still meets the SVG checker.
    svg = gen(project, "image-statuses.svg")
    old = read_stamp(svg.read_bytes())
    forged = forge_svg(svg.read_bytes(), b'<g onmouseover="alert(1)"/>')
    svg.write_bytes(stamp_image(forged, "svg", old))
    [drift] = check_spec(load_config(project).specs[0])
    assert drift.reason.startswith("stale: unsafe SVG: event handler attribute 'onmouseover'")


def test_one_pixel_png_with_a_copied_stamp_is_stale_and_regenerated(project: Path) -> None:
    png = gen(project, "image-statuses.png")
    real = png.read_bytes()
    forged = tiny_png()
    forged = forged[:-12] + stamp_chunk(real) + forged[-12:]  # copied tEXt chunk before IEND
    png.write_bytes(forged)
    assert read_stamp(forged) == read_stamp(real)
    drifts = check_spec(load_config(project).specs[0])
    assert [(d.path.name, d.reason) for d in drifts] == [
        ("image-statuses.png", "stale: image content does not match its stamp")
    ]
    outcomes = generate_spec(load_config(project).specs[0])
    assert {o.path.name: o.changed for o in outcomes} == {
        "image-statuses.png": True, "image-statuses.svg": False,
    }
    assert png.read_bytes() == real


def test_check_cli_reports_the_forged_svg_and_generate_replaces_it(project: Path) -> None:
    svg = gen(project, "image-statuses.svg")
    real = svg.read_bytes()
    comment = svg_stamp_comment(real)
    hostile = (b'<?xml version="1.0"?>\n' + comment + b'\n<svg xmlns="http://www.w3.org/2000/svg">'
               b"<script>alert(1)</script></svg>\n")
    svg.write_bytes(hostile)
    # check never starts a renderer: make any renderer start fail loudly
    proc = run(["check"], project, STATUSDOC_RENDERER_COMMAND=str(FAKES / "crash.py"))
    assert proc.returncode == 1, proc
    assert "image-statuses.svg: stale: image content does not match its stamp" in proc.stdout
    proc = run(["generate"], project)
    assert proc.returncode == 0, proc.stderr
    assert svg.read_bytes() == real


def test_image_of_the_wrong_format_is_stale(project: Path) -> None:
    svg_bytes = gen(project, "image-statuses.svg").read_bytes()
    gen(project, "image-statuses.png").write_bytes(svg_bytes)
    [drift] = check_spec(load_config(project).specs[0])
    assert drift.path.name == "image-statuses.png"
    assert drift.reason == "stale: not a PNG image"


def test_stamp_without_content_hash_reads_as_stale(project: Path) -> None:
    # The stamp format of statusdoc 0.1 (no image-sha256) binds nothing: stale.
    svg = gen(project, "image-statuses.svg")
    data = svg.read_bytes()
    stamp = read_stamp(data)
    old_comment = f"<!-- statusdoc: dot-sha256={stamp.dot_sha256}; renderer={stamp.renderer} -->"
    svg.write_bytes(data.replace(svg_stamp_comment(data), old_comment.encode()))
    [drift] = check_spec(load_config(project).specs[0])
    assert drift.reason == "stale: stamp does not record the image content (older statusdoc)"
