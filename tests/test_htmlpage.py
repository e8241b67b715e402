"""The standalone ``html`` output: one self-contained page, generated and checked.

The page is the ``rst`` output written by docutils' HTML5 writer, with the
live diagram inline; ``check`` knows whether it is current without running
a renderer (its stamp), and ``generate`` writes the same bytes every time.
The browser side is in ``tests/test_browser_live.py``.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from cli_support import run
from emit_support import machine, render

import statusdoc
from statusdoc.artifacts import check_spec, generate_spec, plan_spec
from statusdoc.config import load_config
from statusdoc.emit.dot import emit_dot
from statusdoc.emit.rst import status_anchors
from statusdoc.errors import StatusdocError
from statusdoc.htmlpage import PLACEHOLDER, html_page, page_source
from statusdoc.render import ENV_COMMAND
from statusdoc.stamp import read_stamp

REPO = Path(__file__).resolve().parent.parent
NODE = REPO / "examples" / "baremetal" / "node-states.toml"


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


def _page(m, **options) -> str:
    source = page_source(m, source_name="spec.toml", **options)
    return html_page(source, render(emit_dot(m, source_name="spec.toml")))


def _inline_svg(page: str) -> ET.Element:
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg"')
    return ET.fromstring(page[start:page.index("</svg>", start) + len("</svg>")])


def test_page_has_title_intro_live_diagram_entries_and_table() -> None:
    m = statusdoc.load(NODE)
    page = _page(m)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Bare-Metal Node Statuses</title>" in page
    assert '<h1 class="title">Bare-Metal Node Statuses</h1>' in page
    assert "A physical machine (&quot;node&quot;) moves through these statuses" in page
    assert "<!-- generated from spec.toml — edit the spec, not this file -->" in page
    # every status entry is an anchor, and the diagram's node links to it
    anchors = status_anchors(m)
    svg = _inline_svg(page)
    ns = "{http://www.w3.org/2000/svg}"
    links = {a.get("href") for a in svg.iter(f"{ns}a")}
    assert links == {f"#{anchors[s.name]}" for s in m.states}
    for state in m.states:
        assert f'id="{anchors[state.name]}"' in page
    # the figure keeps its caption; the transitions table has a row per transition
    assert "Every allowed transition: Bare-Metal Node Statuses." in page
    table = page[page.index("<table"):page.index("</table>")]
    assert table.count("<tr") == 1 + len(m.transitions)
    # self-contained: nothing to fetch, the script and stylesheet inline
    assert not re.search(r"<(?:link|script|img|iframe)\b[^>]*\b(?:src|href)=", page)
    assert page.count("<script>") == 1 and "statusdoc-live" in page
    assert "<style>" in page and ".statusdoc-focusing" in page
    assert PLACEHOLDER not in page


def test_page_without_a_figure_has_no_script(tmp_path: Path) -> None:
    (tmp_path / "diagram.rst.j2").write_text("(no picture)\n")
    page = _page(statusdoc.load(NODE), templates=tmp_path)
    assert "(no picture)" in page and "<svg" not in page and "<script" not in page


HOSTILE = {
    "machine": {"name": "h", "title": "T <script>alert(1)</script>", "initial": "a",
                "intro": "See `this <javascript:alert(1)>`_ and `that <https://example.org/>`_."},
    "states": {
        "a": {"description": "``</code><script>alert(2)</script>``\n\n"
                             "`x <data:text/html,hello>`_ "
                             "<img src=x onerror=alert(4)>"},
        "b": {"label": "<b onmouseover=alert(5)>b</b>"},
    },
    "transitions": [{"from": "a", "to": "b", "label": "</figure><script>alert(6)</script>"}],
}


def test_spec_text_stays_text_and_unsafe_links_become_text() -> None:
    with pytest.raises(StatusdocError, match="unsafe RST"):  # refused unless opted in ...
        _page(machine(HOSTILE))
    page = _page(machine(HOSTILE), allow_unsafe_rst=True)  # ... and then made text
    assert "<script>alert" not in page and "<img" not in page and "<b " not in page
    assert not re.search(r'(?:href|src)="\s*(?:javascript|data):', page, re.IGNORECASE)
    assert "<p>See <span>this</span> and" in page  # the links' texts are kept
    assert "<p><span>x</span> &lt;img" in page
    assert '<a class="reference external" href="https://example.org/">that</a>' in page
    assert html.escape("<b onmouseover=alert(5)>b</b>", quote=False) in page
    assert page.count("<script>") == 1  # ours


def test_raw_and_include_stay_off_even_when_unsafe_rst_is_allowed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    data = {
        "machine": {"name": "r", "initial": "a"},
        "states": {"a": {"description": ".. raw:: html\n\n   <script>alert(1)</script>\n\n"
                                        f".. include:: {secret}\n"}},
        "transitions": [],
    }
    with pytest.raises(Exception, match="unsafe RST"):
        page_source(machine(data), source_name="s.toml")
    page = _page(machine(data), allow_unsafe_rst=True)
    assert "<script>alert(1)" not in page and "TOP SECRET" not in page
    assert "&lt;script&gt;alert(1)" in page  # in the status's tooltip, as text


def _project(root: Path) -> Path:
    (root / "specs").mkdir(parents=True)
    shutil.copy(NODE, root / "specs" / "node.toml")
    (root / "pyproject.toml").write_text(
        '[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = "specs/node.toml"\n'
        'output-dir = "out"\noutputs = ["html"]\n'
    )
    return root


def test_generate_then_check_then_drift(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (config,) = load_config(root).specs
    assert [d.reason for d in check_spec(config)] == ["missing"]
    generate_spec(config)
    page = root / "out" / "node.html"
    data = page.read_bytes()
    assert check_spec(config) == []
    stamp = read_stamp(data)
    assert stamp is not None and stamp.renderer.startswith("graphviz-pure")
    (planned,) = plan_spec(config)
    assert stamp.dot_sha256 == planned.dot_sha256
    # same bytes from a second run, into another directory
    page.unlink()
    generate_spec(config)
    assert page.read_bytes() == data
    # a description changed in the spec: stale, without rendering anything
    spec = root / "specs" / "node.toml"
    spec.write_text(spec.read_text().replace("credentials have not", "credentials had not"))
    (drift,) = check_spec(config)
    assert drift.reason == "stale: made from an older spec, template or statusdoc"
    generate_spec(config)
    assert "credentials had not" in page.read_text()
    assert check_spec(config) == []
    # edited by hand: stale
    page.write_text(page.read_text().replace("Bare-Metal", "Bear-Metal"))
    (drift,) = check_spec(config)
    assert drift.reason == "stale: image content does not match its stamp"


@pytest.mark.parametrize(("where", "forged"), [
    ("</body>", "<script>alert(document.domain)</script></body>"),
    ('<svg xmlns="http://www.w3.org/2000/svg"',
     '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"'),
    ("<title>", "<title>x</title><meta http-equiv=refresh content=0;url=https://e.example><title>"),
])
def test_a_page_stamped_by_a_forger_is_not_current(tmp_path: Path, where: str,
                                                   forged: str) -> None:
    """The stamp proves the page was not edited after stamping, and anyone can stamp: check
    also compares the page with what the spec makes around a safe inline SVG (issue 13.7)."""
    from statusdoc.stamp import Stamp, stamp_image
    from statusdoc.stamp import unstamped as without_stamp

    root = _project(tmp_path / "p")
    (config,) = load_config(root).specs
    generate_spec(config)
    page = root / "out" / "node.html"
    data = page.read_bytes()
    stamp = read_stamp(data)
    assert stamp is not None
    text = without_stamp(data).decode("utf-8")
    assert where in text
    edited = text.replace(where, forged, 1).encode("utf-8")
    page.write_bytes(stamp_image(edited, "html", Stamp(stamp.dot_sha256, stamp.renderer)))
    (drift,) = check_spec(config)
    assert drift.reason.startswith("stale: "), drift.reason
    generate_spec(config)
    assert page.read_bytes() == data


def test_check_runs_no_renderer(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    assert run(["generate"], root).returncode == 0
    broken = tmp_path / "no-renderer"
    broken.write_text("#!/bin/sh\nexit 9\n")
    broken.chmod(0o755)
    done = run(["check"], root, **{ENV_COMMAND: str(broken)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all 1 artifacts current" in done.stdout


def test_html_is_an_output_kind_but_not_a_default(tmp_path: Path) -> None:
    spec = tmp_path / "node.toml"
    shutil.copy(NODE, spec)
    done = run(["generate", str(spec), "--format", "html"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".html"] == ["node.html"]
    other = tmp_path / "defaults"
    other.mkdir()
    shutil.copy(NODE, other / "node.toml")
    assert run(["generate", str(other / "node.toml")], other).returncode == 0
    assert not list(other.glob("*.html"))


def test_unsafe_rst_is_refused_with_a_message(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    spec = root / "specs" / "node.toml"
    raw = 'description = ".. raw:: html\\n\\n   x\\n\\nThe node is known'
    spec.write_text(spec.read_text().replace('description = "The node is known', raw))
    (config,) = load_config(root).specs
    with pytest.raises(StatusdocError, match="unsafe RST"):
        check_spec(config)
