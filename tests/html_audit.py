"""Read a built HTML page with html.parser and list what could script it (issue 13).

Used by the page tests: ``<script>`` elements, ``on*`` attributes, URL
attributes whose scheme is not http/https/mailto, ``<meta
http-equiv="refresh">``. The scheme is read as a browser does (tabs and
newlines dropped, leading controls and spaces stripped, anything before the
first ``:`` ahead of ``/``, ``?`` or ``#``). Every script is recorded by
:func:`script_id` (``src:<path>`` without the query, or ``inline:<sha256>``
of its text); ``allowed_scripts`` names exactly the ones a page may have
(see ``tests/injection_support.py``), and ``theme_scripts=True`` (the
looser, older mode) lets through any ``<script src="_static/...">``. Every
URL attribute is recorded in ``urls`` for the caller to compare with the
links it expects.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Collection
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


def script_id(src: str | None, text: str) -> str:
    """How a script is named in ``HtmlAudit.scripts``: by its file, or by its content."""
    if src is not None:
        return "src:" + src.partition("?")[0]
    return "inline:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


class HtmlAudit(HTMLParser):
    """Collects ``problems``, link targets (``links``: every ``href``), every URL attribute
    (``urls``: ``(tag, attribute, value)``), ``scripts`` (:func:`script_id`) and ``text``."""

    def __init__(self, *, theme_scripts: bool = False,
                 allowed_scripts: Collection[str] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.theme_scripts = theme_scripts
        self.allowed_scripts = allowed_scripts
        self.problems: list[str] = []
        self.links: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._script: tuple[str | None, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._script = (values.get("src"), [])
            src = values.get("src") or ""
            if self.allowed_scripts is None and not (self.theme_scripts
                                                     and src.startswith("_static/")):
                self.problems.append(f"<script {values}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"<meta refresh {values.get('content')!r}>")
        for name, value in values.items():
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name.lower() in URL_ATTRIBUTES and value is not None:
                if name == "href":
                    self.links.append(value)
                self.urls.append((tag, name, value))
                found = url_scheme(value)
                if found is not None and found not in ALLOWED_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag

    def _end_script(self) -> None:
        if self._script is None:
            return
        src, chunks = self._script
        self._script = None
        text = "".join(chunks)
        found = script_id(src, text)
        self.scripts.append(found)
        if self.allowed_scripts is not None:
            if found not in self.allowed_scripts:
                self.problems.append(f"script {found} {text[:60]!r}")
        elif text.strip():
            self.problems.append(f"inline script {text[:60]!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._end_script()

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)
        self.text.append(data)

    def close(self) -> None:
        super().close()
        self._end_script()  # a script left open at the end of the page


def audit(html: str, *, theme_scripts: bool = False,
          allowed_scripts: Collection[str] | None = None) -> HtmlAudit:
    parser = HtmlAudit(theme_scripts=theme_scripts, allowed_scripts=allowed_scripts)
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
