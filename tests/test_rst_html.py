"""Plain-text fields reach the published page as text (issue 13 items 2 and 12).

Names, labels, events, titles, tag names and legends are plain text: whatever
they contain, the RST page built by docutils' HTML writer and by a real
Sphinx build shows them as text and makes no link, script, event handler or
refresh out of them. Pages are read back with html.parser (tests/html_audit.py).
The property over every plain-text field and every output (Hypothesis) is
``tests/test_injection_property.py``.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from emit_support import machine
from html_audit import audit, docutils_html

from statusdoc.emit.escape import rst_escape
from statusdoc.emit.rst import emit_rst

URLISH = [
    "javascript:alert(document.domain)//x",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "livescript:alert(1)",
    "vbscript:msgbox(1)",
    "ops@example.com",
    "mailto:ops@example.com",
    "https://evil.example/x",
    "see `x <javascript:alert(1)>`_ now",
    "file:///etc/passwd",
]


def _spec(value: str) -> dict[str, Any]:
    """A valid spec carrying ``value`` in every plain-text field."""
    return {
        "machine": {"name": "m", "title": value, "initial": [f"{value} a", f"{value} c"],
                    "initial_label": {f"{value} a": value, f"{value} c": f"{value} entry"}},
        "groups": {"g": {"title": f"{value} group"}},
        "states": {
            f"{value} a": {"label": f"{value} (label)", "tags": [value], "group": "g"},
            f"{value} c": {},
            f"{value} old": {"deprecated": f"{value} reason"},
            f"{value} b": {"final": True},
        },
        "transitions": [{"from": f"{value} a", "to": f"{value} b", "label": value,
                         "event": f"{value} ev", "tags": [f"{value} t"],
                         "description": "Text.", "guard": f"{value} guard"},
                        {"from": [f"{value} c", f"{value} old"], "to": f"{value} b"},
                        {"from": {"group": "g"}, "to": f"{value} c"},
                        {"from": f"{value} c", "to": f"{value} a"},
                        {"from": f"{value} a", "return": True, "label": "back"}],
        "diagram": {"tags": {f"{value} t": {"style": "dashed", "legend": value},
                             value: {"fillcolor": "#FFCCCC", "legend": value}}},
    }


def _visible(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("value", URLISH)
def test_plain_text_fields_make_no_link_in_the_docutils_page(value: str) -> None:
    m = machine(_spec(value))
    page = audit(docutils_html(emit_rst(m, source_name="spec.json")))
    assert page.problems == []
    assert [link for link in page.links if not link.startswith("#")] == []
    text = _visible("".join(page.text))
    assert value in text and f"{value} ev" in text
    for shown in ("group", "guard", "reason", "entry"):
        assert f"{value} {shown}" in text, shown


@pytest.mark.parametrize("value", ["javascript:x", "a@b.example", "x:y", "http://h", "::"])
def test_rst_escape_escapes_every_colon_and_at_sign(value: str) -> None:
    escaped = rst_escape(value)
    assert ":" not in escaped.replace("\\:", "") and "@" not in escaped.replace("\\@", "")


# -- Sphinx ------------------------------------------------------------------


def sphinx_pages(specs: list[dict[str, Any]], tmp: Path) -> dict[str, str]:
    """Build one Sphinx project showing each spec on its own page; page name -> HTML."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp / "src"
    src.mkdir()
    # no sidebar: its search box is the theme's only inline script
    (src / "conf.py").write_text(
        'extensions = ["statusdoc.sphinxext"]\nhtml_sidebars = {"**": []}\n')
    names = [f"s{i}" for i in range(len(specs))]
    for name, data in zip(names, specs, strict=True):
        (src / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
        (src / f"{name}.rst").write_text(f".. statusdoc:: {name}.json\n", encoding="utf-8")
    (src / "index.rst").write_text("Index\n=====\n\n.. toctree::\n\n" + "".join(
        f"   {name}\n" for name in names))
    app = SphinxTestApp("html", srcdir=src, status=io.StringIO(), warning=io.StringIO())
    try:
        app.build()
        warnings = app._warning.getvalue()  # type: ignore[attr-defined]
        assert "ERROR" not in warnings, warnings
        return {name: (Path(app.outdir) / f"{name}.html").read_text("utf-8") for name in names}
    finally:
        app.cleanup()


def test_plain_text_fields_make_no_link_in_the_sphinx_page(tmp_path: Path) -> None:
    pages = sphinx_pages([_spec(value) for value in URLISH], tmp_path)
    for value, html in zip(URLISH, pages.values(), strict=True):
        page = audit(html, theme_scripts=True)
        assert page.problems == [], value
        # (the theme links to sphinx-doc.org; no link may carry a payload of ours)
        payloads = ("alert", "msgbox", "base64", "ops@", "evil.example", "etc/passwd")
        assert not [link for link in page.links
                    if not link.startswith("#") and any(p in link for p in payloads)], value
        assert value in _visible("".join(page.text)), value
