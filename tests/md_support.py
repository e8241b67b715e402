"""Render generated Markdown with real Markdown engines and inspect the HTML they make.

Three engines stand for where a statusdoc Markdown page is read: markdown-it-py
in its ``commonmark`` preset (the reference grammar) and its ``gfm-like``
preset with linkify (GitHub's tables, strikethrough and bare-URL links), and
Python-Markdown with the ``extra`` extensions (MkDocs). markdown-it's own link
sanitiser is switched off, so the checks test what statusdoc writes, not what
one engine happens to filter. The HTML is read with :mod:`html.parser`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

#: Elements the engines make from Markdown syntax (never from raw HTML we let through).
GENERATED_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "code", "pre", "em",
    "strong", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "hr", "br", "del",
    "s", "div", "sup", "dl", "dt", "dd", "abbr",
})
#: Attributes those elements carry.
GENERATED_ATTRS = frozenset({"id", "href", "class", "title", "start", "style", "rev"})
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
# Browsers drop these from URLs before they look for the scheme.
_URL_IGNORED_RE = re.compile(r"[\x00-\x20\x7f]")


def _markdown_it(preset: str) -> Callable[[str], str]:
    from markdown_it import MarkdownIt

    md = MarkdownIt(preset)
    md.validateLink = lambda url: True  # test our escaping, not markdown-it's filter
    return md.render


def _python_markdown(text: str) -> str:
    import markdown

    return markdown.markdown(text, extensions=["extra"])


ENGINES: dict[str, Callable[[str], str]] = {
    "markdown-it commonmark": _markdown_it("commonmark"),
    "markdown-it gfm-like+linkify": _markdown_it("gfm-like"),
    "python-markdown extra": _python_markdown,
}


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in GENERATED_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif name not in GENERATED_ATTRS:
                self.problems.append(f"attribute {name}= on <{tag}>")
            elif name == "style" and not re.fullmatch(r"text-align: ?(left|right|center);?",
                                                      value or ""):
                self.problems.append(f"style {value!r} on <{tag}>")
            elif name == "href":
                url = _URL_IGNORED_RE.sub("", value or "")
                scheme = _SCHEME_RE.match(url)
                if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
                    self.problems.append(f"href {value!r}")
                elif url.startswith(("//", "\\\\", "/\\", "\\/")):
                    # another host, in the page's scheme (file://host/... is a network share)
                    self.problems.append(f"network-path href {value!r}")

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.problems.append(f"declaration {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration {decl!r}")


def html_problems(html: str) -> list[str]:
    """Everything in ``html`` a Markdown page of ours must never contain."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def unsafe_renderings(markdown_text: str) -> dict[str, list[str]]:
    """Per engine, the problems in the HTML it makes of ``markdown_text`` (empty: safe)."""
    found = {}
    for name, render in ENGINES.items():
        problems = html_problems(render(markdown_text))
        if problems:
            found[name] = problems
    return found
