"""Is an SVG safe to publish? Decided on the parsed XML, whatever made it.

:func:`check_svg` parses the bytes with expat and raises
:class:`UnsafeSVGError` unless the document is well-formed XML whose root is
an SVG ``<svg>`` element and which contains:

- no element that runs script or embeds another document: ``script``,
  ``foreignObject``, ``iframe``, ``embed``, ``object``, SVG Tiny's
  ``handler``/``listener``;
- no animation element (``set``, ``animate``, ...): they can rewrite a
  link's target to ``javascript:`` after the document is checked;
- no attribute whose name starts with ``on`` (event handlers), in any
  namespace;
- no ``href`` (plain or ``xlink:``) other than an ``http``, ``https`` or
  ``mailto`` URL or a ``#fragment``, judged after the normalisation a
  browser applies (entities decoded, tabs and newlines dropped, leading
  spaces and control characters stripped, scheme case folded);
- no DTD internal subset, entity declaration, undefined entity or
  processing instruction: nothing is expanded and nothing is fetched, so a
  "billion laughs" or an external entity cannot cost memory or read a
  file. (Graphviz writes a ``<!DOCTYPE>`` naming the SVG 1.1 DTD by public
  identifier; expat does not load it.)

Element names are compared by local name, case-insensitively, so a prefix
or an HTML namespace does not hide a ``script``. Parsing is expat's: linear
in the input. The render layer runs this on every SVG a renderer writes,
and ``check``/``generate`` run it on every committed SVG.

:func:`parse_svg` is the same check building an ElementTree on the way (for
:mod:`statusdoc.htmldiagram`, which decorates rendered SVG for HTML pages):
one parser configuration decides what is safe and what is read. Inline SVG
on a web page may also link to other pages of the same site
(``relative_links=True``: a URL without a scheme, such as
``other.html#status``); it still may not name any scheme but the safe ones.
"""

from __future__ import annotations

import re
from typing import NoReturn
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from statusdoc.errors import StatusdocError

__all__ = ["SAFE_SCHEMES", "UnsafeSVGError", "check_svg", "parse_svg"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
#: URL schemes a link in a published SVG may use (besides ``#fragment``).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
#: Elements that run script, embed documents or change the document after loading.
REFUSED_ELEMENTS = frozenset({
    "script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
    "set", "animate", "animatemotion", "animatetransform", "animatecolor", "discard",
})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_STRIP = "".join(chr(c) for c in range(33))  # what browsers strip around a URL


class UnsafeSVGError(StatusdocError, ValueError):
    """An SVG that is ill-formed or could run script or navigate when published."""


def _refuse(reason: str) -> NoReturn:
    raise UnsafeSVGError(reason)


def _local(name: str) -> str:
    """The local part of an expat name (``"<namespace> <local>"`` or ``"<local>"``)."""
    return name.rpartition(" ")[2]


def link_is_safe(value: str, *, relative: bool = False) -> bool:
    """True when ``value`` is a ``#fragment`` or an http(s)/mailto URL, as a browser reads it.

    ``relative=True`` also accepts a URL with no scheme (a path on the same site).
    """
    url = value.replace("\t", "").replace("\n", "").replace("\r", "").strip(_STRIP)
    if url.startswith("#"):
        return True
    match = _SCHEME.match(url)
    if match is None:
        # No scheme, but "//host" (and "\\host", "/\\host": browsers read "\\" as
        # "/") is another site: only a path on this one counts as relative.
        return relative and bool(url) and not url.startswith(("//", "/\\", "\\"))
    return match.group(1).lower() in SAFE_SCHEMES


def _tag(name: str) -> str:
    """An expat name (``"<namespace> <local>"``) as ElementTree spells it (``{ns}local``)."""
    namespace, sep, local = name.rpartition(" ")
    return f"{{{namespace}}}{local}" if sep else local


class _Checker:
    def __init__(self, *, relative_links: bool = False, builder: TreeBuilder | None = None
                 ) -> None:
        self.depth = 0
        self.relative_links = relative_links
        self.builder = builder

    def end(self, name: str) -> None:
        if self.builder is not None:
            self.builder.end(_tag(name))

    def data(self, text: str) -> None:
        if self.builder is not None:
            self.builder.data(text)

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if self.depth == 0 and name != f"{SVG_NAMESPACE} svg":
            _refuse(f"root element <{local}> is not an <svg> in the SVG namespace")
        self.depth += 1
        if local.lower() in REFUSED_ELEMENTS:
            _refuse(f"<{local}> element (it can run script, embed a document or rewrite links)")
        for attr, value in attrs.items():
            attr_local = _local(attr)
            if attr_local.lower().startswith("on"):
                _refuse(f"event handler attribute {attr_local!r} on <{local}>")
            if attr_local.lower() == "href" and not link_is_safe(
                value, relative=self.relative_links
            ):
                _refuse(f"link scheme not allowed in <{local} href={value[:60]!r}> "
                        "(only http, https, mailto and #fragment)")
        if self.builder is not None:
            self.builder.start(_tag(name), {_tag(k): v for k, v in attrs.items()})

    def doctype(self, name: str, system: str | None, public: str | None,
                internal: int) -> None:
        if internal:
            _refuse("DTD internal subset (entity declarations are not allowed)")

    def entity(self, *args: object) -> None:
        _refuse("DTD entity declaration")

    def skipped(self, name: str, is_parameter: int) -> None:
        _refuse(f"undefined entity reference &{name};")

    def instruction(self, target: str, data: str) -> None:
        _refuse(f"processing instruction <?{target} ...?>")


def check_svg(data: bytes, *, relative_links: bool = False) -> None:
    """Raise :class:`UnsafeSVGError` unless ``data`` is a safe, well-formed SVG."""
    _parse(data, _Checker(relative_links=relative_links))


def parse_svg(data: bytes) -> Element:
    """The root ``<svg>`` element of ``data``, checked as :func:`check_svg` does.

    Comments, the XML declaration and the DOCTYPE are not part of the tree.
    Raises :class:`UnsafeSVGError`.
    """
    builder = TreeBuilder()
    _parse(data, _Checker(builder=builder))
    return builder.close()


def _parse(data: bytes, checker: _Checker) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = checker.start
    if checker.builder is not None:
        parser.EndElementHandler = checker.end
        parser.CharacterDataHandler = checker.data
        parser.buffer_text = True
    parser.StartDoctypeDeclHandler = checker.doctype
    parser.EntityDeclHandler = checker.entity
    parser.UnparsedEntityDeclHandler = checker.entity
    parser.SkippedEntityHandler = checker.skipped
    parser.ProcessingInstructionHandler = checker.instruction
    parser.ExternalEntityRefHandler = lambda *args: _refuse("external entity reference")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UnsafeSVGError(f"not well-formed XML ({expat.ErrorString(exc.code)}, "
                             f"line {exc.lineno})") from None
    if checker.depth == 0:
        _refuse("no <svg> element")
