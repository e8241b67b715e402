"""Hostile plain text, and what the injection tests check in every page (issue 13).

Shared by ``tests/test_rst_html.py`` (the RST page), ``tests/test_injection_property.py``
(one spec through every output) and ``tests/test_browser_hostile.py`` (the
pages in Chromium):

- :data:`FIELD`: a Hypothesis strategy for one plain-text field (a status
  name, label, event, title, legend, guard, group title, deprecation reason,
  entry label): arbitrary Unicode with URL-like strings, markup and link
  syntax over-represented, and now and then a control character (which
  validation must refuse, cleanly);
- :func:`hostile_specs`: a spec with such text in every plain-text field;
- :func:`statusdoc_scripts`: statusdoc's own live-diagram script, exactly
  (the Sphinx page loads it from ``_static/``, the ``html`` page inlines it);
- :func:`svg_problems`: an SVG read with statusdoc's safe XML parser, walked
  for scripts, handlers and links;
- :func:`foreign_urls`: the URL attributes of a page that are neither a
  fragment nor one of the links the page is expected to carry;
- :class:`SphinxProject`: one Sphinx project rebuilt, incrementally, for each
  spec it is given.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from html_audit import ALLOWED_SCHEMES, url_scheme
from hypothesis import strategies as st

from statusdoc.spec.keys import CONTROL_RE, MAX_TAG
from statusdoc.svgcheck import SVG_NAMESPACE, UnsafeSVGError, link_is_safe, parse_svg

STATIC = Path(__file__).resolve().parent.parent / "statusdoc" / "static"
LIVE_SCRIPT = "statusdoc-live.js"

SCHEMES = ["javascript", "JavaScript", "data", "vbscript", "livescript", "file", "ftp",
           "http", "https", "mailto", "x-evil", "java\u200bscript", "jar"]
#: Shapes that make links, elements, handlers or redirects somewhere.
SHAPES = [
    "javascript:alert(document.domain)//x", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "livescript:alert(1)",
    "mailto:ops@example.com", "ops@example.com", "http://evil.example/x", "https://evil.example",
    "//evil.example/x", "\\\\evil.example\\x", "/\\evil.example", "www.evil.example",
    "<script>alert(1)</script>", "</script><script>alert(1)//", "<img src=x onerror=alert(1)>",
    '" onerror="alert(1)', "' onmouseover='alert(1)", "onerror=alert(1)", "onload=",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "meta http-equiv=refresh content=0;url=https://evil.example",
    "<svg onload=alert(1)>", "<a href=javascript:alert(1)>x</a>", "]]><script>x</script>",
    "`x <javascript:alert(1)>`_", "`x`_", "x_", "__x", "|x|", ":raw:`<b>x</b>`",
    ".. raw:: html", ".. _x: javascript:alert(1)", "[x](javascript:alert(1))",
    "![x](javascript:alert(1))", "[x]: javascript:alert(1)", "<javascript:alert(1)>",
    "<https://evil.example>", "&#106;avascript:alert(1)", "&#x3C;script&#x3E;", "&lt;b&gt;",
    "%3Cscript%3E", "{{ 7*7 }}", "{% raw %}", "*x*", "**", "``", "`", "\\", "\\:", ":", "@",
    '"', "'", "<", ">", "&", "#", "?", "%%{init: {}}%%", "{:.x onclick=alert(1)}",
    "\u202ealert", "\u200b", "\ufeff", "\u2028", "\u00a0",
]
#: Control characters (no NUL): validation refuses them in every plain-text field.
CONTROLS = ["\x07", "\x1b[31m", "\x7f", "\x85", "\x9b", "\x0b", "\n", "\r"]

_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12)
_URL_LIKE = st.builds(
    lambda scheme, sep, body: f"{scheme}{sep}{body}",
    st.sampled_from(SCHEMES), st.sampled_from([":", "://", ":/", ":\\", "&#58;", "%3A"]), _TEXT,
)
_EMAIL = st.builds(lambda a, b: f"{a}@{b}.example",
                   st.from_regex(r"[\w.+-]{1,8}", fullmatch=True),
                   st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True))
_PIECE = st.one_of(st.sampled_from(SHAPES), _URL_LIKE, _TEXT, _EMAIL,
                   st.sampled_from(SHAPES), _URL_LIKE)
#: One plain-text field: one to three pieces, mostly hostile; one in 25 ends in a
#: control character (so about half of the specs hold one).
FIELD = (
    st.tuples(st.lists(_PIECE, min_size=1, max_size=3),
              st.sampled_from(CONTROLS + [""] * (24 * len(CONTROLS))))
    .map(lambda parts: " ".join(parts[0]) + parts[1] + "x" * bool(parts[1]))
    .map(str.strip)
    .filter(lambda s: bool(s) and s != "*" and len(s) <= 200)
)
TAG = FIELD.filter(lambda s: len(s) <= MAX_TAG)


@st.composite
def hostile_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A spec with hostile text in every plain-text field.

    Statuses: two entries (labelled one by one), a deprecated one with a
    reason, a grouped one, a final one; transitions with labels, events,
    guards and tags, a group source and a ``*`` wildcard; a tag with a legend.
    """
    names = draw(st.lists(FIELD, min_size=4, max_size=5, unique_by=str.casefold))
    first, second, old, *rest = names
    final = rest[-1]
    tag, group = draw(TAG), draw(TAG)
    states: dict[str, Any] = {name: {"label": draw(FIELD)} for name in names}
    states[first].update(tags=[tag], group=group)
    states[old]["deprecated"] = draw(FIELD)
    states[final]["final"] = True
    events = draw(st.lists(FIELD, min_size=4, max_size=4, unique=True))
    transitions = [
        {"from": first, "to": final, "label": draw(FIELD), "event": events[0],
         "guard": draw(FIELD), "tags": [tag]},
        {"from": second, "to": first, "label": draw(FIELD), "event": events[1],
         "guard": draw(FIELD)},
        {"from": {"group": group}, "to": final, "label": draw(FIELD), "event": events[2]},
        {"from": "*", "to": second, "label": draw(FIELD), "event": events[3]},
    ]
    for extra in rest[:-1]:
        transitions += [{"from": second, "to": extra, "label": draw(FIELD)},
                        {"from": extra, "to": final}]
    return {
        "machine": {"name": "m", "title": draw(FIELD), "initial": [first, second],
                    "initial_label": {first: draw(FIELD), second: draw(FIELD)},
                    "intro": "Intro."},
        "groups": {group: {"title": draw(FIELD)}},
        "states": states,
        "transitions": transitions,
        "diagram": {"tags": {tag: {"style": "dashed", "legend": draw(FIELD)}}},
    }


def without_controls(data: Any) -> Any:
    """``data`` with every control character taken out of its keys and strings."""
    if isinstance(data, str):
        return CONTROL_RE.sub("", data)
    if isinstance(data, list):
        return [without_controls(item) for item in data]
    if isinstance(data, dict):
        return {without_controls(k): without_controls(v) for k, v in data.items()}
    return data


def has_controls(data: Any) -> bool:
    return without_controls(data) != data


# -- what a page may carry ------------------------------------------------------


def statusdoc_scripts() -> frozenset[str]:
    """:func:`html_audit.script_id` of statusdoc's live-diagram script, in both forms.

    The ``html`` page inlines the file as ``<script>\\n{file}</script>``; a Sphinx
    page loads ``_static/statusdoc-live.js`` (see :func:`check_shipped_script`).
    """
    text = (STATIC / LIVE_SCRIPT).read_text("utf-8")
    inline = hashlib.sha256(("\n" + text).encode("utf-8")).hexdigest()
    return frozenset({f"src:_static/{LIVE_SCRIPT}", f"inline:{inline}"})


def check_shipped_script(outdir: Path) -> None:
    """The ``_static`` copy a Sphinx page loads is statusdoc's file, byte for byte."""
    shipped = (Path(outdir) / "_static" / LIVE_SCRIPT).read_bytes()
    assert shipped == (STATIC / LIVE_SCRIPT).read_bytes()


def foreign_urls(urls: Iterable[tuple[str, str, str]], expected: Collection[str], *,
                 web_links: bool = False) -> list[str]:
    """URL attributes that are neither a ``#fragment`` nor in ``expected``.

    ``web_links=True`` also accepts http, https and mailto URLs (a Markdown
    engine with linkify makes them from text, as GitHub does).
    """
    return [f"<{tag} {name}={value!r}>" for tag, name, value in urls
            if not value.startswith("#") and value not in expected
            and not (web_links and url_scheme(value) in ALLOWED_SCHEMES)]


_XLINK = "{http://www.w3.org/1999/xlink}href"


def svg_problems(svg: bytes, expected_links: Collection[str] = ()) -> list[str]:
    """What in ``svg`` could script or navigate, read with statusdoc's safe XML parser.

    The parser itself refuses scripts, handlers and bad links (its message is
    the problem then); the walk checks the tree it built once more, and also
    refuses any link but a fragment or one of ``expected_links``.
    """
    try:
        root = parse_svg(svg)
    except UnsafeSVGError as exc:
        return [str(exc)]
    problems = []
    for element in root.iter():
        local = element.tag.rpartition("}")[2]
        if local.lower() == "script" or not element.tag.startswith(f"{{{SVG_NAMESPACE}}}"):
            problems.append(f"element {element.tag}")
        for name, value in element.attrib.items():
            attr = name.rpartition("}")[2]
            if attr.lower().startswith("on"):
                problems.append(f"<{local} {attr}={value!r}>")
            if name in ("href", _XLINK) and not (
                    (value.startswith("#") and link_is_safe(value)) or value in expected_links):
                problems.append(f"<{local} {attr}={value!r}>")
    return problems


# -- one Sphinx project, rebuilt ----------------------------------------------------

_CONF = 'extensions = ["statusdoc.sphinxext"]\nhtml_theme = {theme!r}\n'


class SphinxProject:
    """A Sphinx project showing one spec on ``index.html``, rebuilt for each new spec.

    Set up once (extensions, theme, the first build); :meth:`page` rewrites the
    spec and rebuilds incrementally, which costs a fraction of a fresh build.
    """

    def __init__(self, srcdir: Path, *, theme: str = "furo") -> None:
        from sphinx.testing.util import SphinxTestApp

        self.srcdir = srcdir
        srcdir.mkdir(parents=True, exist_ok=True)
        (srcdir / "conf.py").write_text(_CONF.format(theme=theme), encoding="utf-8")
        (srcdir / "index.rst").write_text(".. statusdoc:: spec.json\n", encoding="utf-8")
        self.spec = srcdir / "spec.json"
        self.builds = 0
        self.warnings = io.StringIO()
        self.app = SphinxTestApp("html", srcdir=srcdir, status=io.StringIO(),
                                 warning=self.warnings)
        self.outdir = Path(self.app.outdir)

    def page(self, data: dict[str, Any]) -> str:
        """``index.html`` built from spec ``data`` (no warning but the spec's own)."""
        self.builds += 1
        read_before = self.app.env.all_docs.get("index")
        self.spec.write_text(json.dumps(data), encoding="utf-8")
        self.warnings.seek(0)
        self.warnings.truncate()
        self.app.build()
        # the spec is newer than the last read: the page was read again
        assert self.app.env.all_docs["index"] != read_before
        others = [line for line in self.warnings.getvalue().splitlines()
                  if "statusdoc: spec warning:" not in line]
        assert others == [], others
        return (self.outdir / "index.html").read_text("utf-8")

    def images(self) -> frozenset[str]:
        """``_images/<name>`` of every file statusdoc rendered into the build."""
        made = (self.outdir / "_images").glob("statusdoc-*")
        return frozenset(f"_images/{p.name}" for p in made if re.fullmatch(
            r"statusdoc-[0-9a-f]+\.(svg|png)", p.name))

    def cleanup(self) -> None:
        self.app.cleanup()
