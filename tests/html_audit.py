"""Read a built HTML page with html.parser and list what could script it (issue 13).

Used by the RST page tests: ``<script>`` elements, ``on*`` attributes, URL
attributes whose scheme is not http/https/mailto, ``<meta
http-equiv="refresh">``. The scheme is read as a browser does (tabs and
newlines dropped, leading controls and spaces stripped, anything before the
first ``:`` ahead of ``/``, ``?`` or ``#``). ``theme_scripts=True`` lets
through the empty ``<script src="_static/...">`` elements a Sphinx theme
loads; anything else is reported.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "background", "srcset"})
_SCHEME_RE = re.compile(r"([^:/?#]*):")
_EDGE = "".join(chr(c) for c in range(0x21))


def url_scheme(url: str) -> str | None:
    cleaned = url.replace("\t", "").replace("\n", "").replace("\r", "").strip(_EDGE)
    match = _SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else None


class HtmlAudit(HTMLParser):
    """Collects problems in ``problems``, link targets in ``links``, text in ``text``."""

    def __init__(self, *, theme_scripts: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.theme_scripts = theme_scripts
        self.problems: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            src = values.get("src") or ""
            self.in_script = True
            if not (self.theme_scripts and src.startswith("_static/")):
                self.problems.append(f"<script {values}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"<meta refresh {values.get('content')!r}>")
        for name, value in values.items():
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name.lower() in URL_ATTRIBUTES and value is not None:
                if name == "href":
                    self.links.append(value)
                found = url_scheme(value)
                if found is not None and found not in ALLOWED_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data[:60]!r}")
        self.text.append(data)


def audit(html: str, *, theme_scripts: bool = False) -> HtmlAudit:
    parser = HtmlAudit(theme_scripts=theme_scripts)
    parser.feed(html)
    parser.close()
    return parser


def docutils_html(rst: str) -> str:
    """``rst`` through docutils' HTML5 writer, quietly (what a docutils-built page shows)."""
    from docutils.core import publish_string

    out: str = publish_string(rst, writer="html5", settings_overrides={
        "report_level": 5, "halt_level": 5, "_disable_config": True,
        "output_encoding": "unicode", "warning_stream": io.StringIO(),
    })
    return out
