"""Rendered SVG -> inline SVG for an HTML page: linked, titled, keyboard-reachable.

The Sphinx HTML builders and the standalone ``html`` output kind show the
diagram as inline SVG (see ``docs/sphinx.rst``, "The live diagram"). Both
decorate the SVG the renderer wrote here, after it was rendered and checked:

- the SVG is parsed by :func:`statusdoc.svgcheck.parse_svg` (expat, no DTD,
  no entities, refused if it could run script); the XML declaration,
  DOCTYPE, comments (the stamp among them), Graphviz's own ``<title>``
  elements and its generated ids (``node1``, ``edge2``, ...) are dropped;
  the other ids get the page's suffix for this SVG (several SVGs on one
  page: :func:`focus_suffix`), and ``url(#id)`` / ``#id`` references to
  them (a gradient's) follow;
- the root keeps its ``viewBox`` and its natural width (a stylesheet scales
  it down to the column) and loses its height (the aspect ratio follows);
- each status node (``<g id="sd-s-<anchor>">``, the hook the DOT emitter
  writes) gets a ``<title>`` (label, then the description) and its shapes
  are wrapped in ``<a href="...">`` to the status's entry, focusable
  (``tabindex="0"``) and named (``aria-label``); a status without an entry
  link is focusable all the same (``role="img"``);
- each transition edge (``sd-t-<n>``; ``sd-w-<rule>`` for a wildcard or
  group rule, ``sd-r-<rule>-<k>`` into a history marker, ``sd-b-<anchor>``
  from a badge) gets a ``<title>`` (from -> to, label, event, guard,
  description) and ``data-from`` / ``data-to``: the ids of the status
  nodes it stands for, space-separated (a wildcard edge has many sources,
  a return edge many targets), which the page's script uses to highlight a
  status's transitions.

Descriptions are RST; titles give them as written in the spec (whitespace
folded, markup kept): parsing RST again for each status would cost a
docutils run per diagram and, inside Sphinx, cannot resolve Sphinx's roles.

The result holds only :data:`INLINE_ELEMENTS`, is serialised by
ElementTree (every text and attribute escaped), checked again by
:func:`statusdoc.svgcheck.check_svg`, and the same input always gives the
same string; :func:`inline_problem` tells such markup from anything else
(``statusdoc check`` reads the SVGs of a standalone page with it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from statusdoc.emit.dot import laid_out, state_svg_id
from statusdoc.emit.escape import one_line
from statusdoc.spec.model import Machine
from statusdoc.svgcheck import SVG_NAMESPACE, UnsafeSVGError, check_svg, parse_svg

__all__ = [
    "FOCUS_CLASS",
    "OVERVIEW_CLASS",
    "OVERVIEW_SUFFIX",
    "EdgeMark",
    "Marks",
    "StatusMark",
    "decorate",
    "focus_suffix",
    "inline_problem",
    "live_block",
    "live_svg",
    "marks",
]

_NS = f"{{{SVG_NAMESPACE}}}"
_TITLE = f"{_NS}title"
#: Ids Graphviz makes up (``graph0``, ``node12``, ``edge3``, ``clust1``, ``a_node1``):
#: meaningless, and they could clash with ids of the page around the SVG.
_GRAPHVIZ_ID = re.compile(r"(?:a_)?(?:graph|node|edge|clust)\d+")
#: Class of the root element; the stylesheet and script look for it.
SVG_CLASS = "statusdoc-svg"
#: The elements an inline SVG may hold: those Graphviz draws with and :func:`decorate`
#: adds, in the SVG namespace (none of them makes an HTML parser leave the SVG).
INLINE_ELEMENTS = frozenset({
    "svg", "g", "a", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle",
    "rect", "line", "text", "tspan", "textPath", "defs", "linearGradient", "radialGradient",
    "stop",
})
#: Classes of a focus view's and of the overview's live block and figure.
FOCUS_CLASS = "statusdoc-focus-view"
OVERVIEW_CLASS = "statusdoc-overview"
#: What every id of the overview's SVG ends with (see :func:`focus_suffix`).
OVERVIEW_SUFFIX = "_overview"


def focus_suffix(slug: str) -> str:
    """What every id of a focus view's SVG ends with: ``_focus-<status slug>``.

    The ``_`` keeps them apart from every other id of the page: the main
    diagram's hooks (``sd-...``), status slugs and docutils' ids have none,
    and Graphviz's gradient ids (``node1_l_0``) end in a number; so no id of
    one view can equal an id of another view or of the main diagram.
    """
    return f"_focus-{slug}"


@dataclass(frozen=True, slots=True)
class StatusMark:
    """What status ``name``'s node gets: its link (None: no entry to link to) and texts."""

    name: str
    svg_id: str
    href: str | None
    label: str
    title: str


@dataclass(frozen=True, slots=True)
class EdgeMark:
    """What one drawn edge gets: its tooltip and the node ids at its ends."""

    svg_id: str
    title: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Marks:
    """Everything :func:`decorate` adds, computed from the model alone (no SVG)."""

    name: str
    statuses: tuple[StatusMark, ...]
    edges: tuple[EdgeMark, ...]


def plain(text: str) -> str:
    """``text`` with each paragraph on one line, runs of white space folded."""
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _status_title(label: str, name: str, description: str, final: bool) -> str:
    head = label if label == name else f"{label} ({name})"
    if final:
        head += " (final)"
    return f"{head}\n\n{plain(description)}" if description.strip() else head


def _edge_title(ends: str, label: str, event: str | None, guard: str,
                description: str) -> str:
    lines = [f"{ends}: {one_line(label)}" if label else ends]
    if event:
        lines.append(f"event: {one_line(event)}")
    if guard:
        lines.append(f"guard: {one_line(guard)}")
    text = "\n".join(lines)
    return f"{text}\n\n{plain(description)}" if description.strip() else text


def marks(machine: Machine, links: Mapping[str, str]) -> Marks:
    """What to add to ``machine``'s SVG; ``links`` maps status names to their entries' URLs.

    Statuses missing from ``links`` are not links. The edges are the arrows
    the DOT draws (:func:`statusdoc.emit.dot.laid_out`): one per listed
    transition, one per wildcard or group rule, one per source of a return
    rule (into its history marker), one per badge.
    """
    node_id = {s.name: state_svg_id(machine, s.name) for s in machine.states}
    label = {s.name: one_line(s.label) for s in machine.states}
    statuses = tuple(
        StatusMark(s.name, node_id[s.name], links.get(s.name), label[s.name],
                   _status_title(label[s.name], s.name, s.description, s.final))
        for s in machine.states
    )
    edges: list[EdgeMark] = []
    for arrow in laid_out(machine).drawing.arrows:
        if arrow.svg_id is None:
            continue
        if arrow.rule is None:
            title = f"{one_line(arrow.ends)}\n{arrow.detail}" if arrow.detail else arrow.ends
        else:
            rule = machine.rules[arrow.rule]
            title = _edge_title(one_line(arrow.ends), rule.label, rule.event, rule.guard,
                                rule.description)
        # a focus view's scope note stands for sources the view does not draw
        edges.append(EdgeMark(arrow.svg_id, title,
                              tuple(node_id[s] for s in arrow.sources if s in node_id),
                              tuple(node_id[t] for t in arrow.targets if t in node_id)))
    return Marks(one_line(machine.title or machine.name), statuses, tuple(edges))


def _set_title(group: ET.Element, text: str) -> None:
    title = ET.Element(_TITLE)
    title.text = text
    group.insert(0, title)


def _strip(root: ET.Element, suffix: str) -> dict[str, ET.Element]:
    """Drop Graphviz's titles and made-up ids, suffix the others; the elements by old id.

    A suffixed id keeps its references: ``fill="url(#node1_l_0)"`` (a gradient)
    and ``href="#..."`` inside the SVG follow it.
    """
    found: dict[str, ET.Element] = {}
    for element in root.iter():
        for title in element.findall(_TITLE):
            element.remove(title)
        ident = element.get("id")
        if ident is None:
            continue
        if _GRAPHVIZ_ID.fullmatch(ident):
            del element.attrib["id"]
        else:
            element.set("id", ident + suffix)
            found[ident] = element
    if suffix:
        _follow_ids(root, found.keys(), suffix)
    return found


def _follow_ids(root: ET.Element, renamed: Iterable[str], suffix: str) -> None:
    """Point ``url(#id)`` and ``#id`` attribute values at the suffixed ``id``."""
    old = frozenset(renamed)
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            text = value.strip()
            if text.startswith("url(#") and text.endswith(")") and text[5:-1] in old:
                element.set(name, f"url(#{text[5:-1]}{suffix})")
            elif name.rpartition("}")[2] == "href" and text[1:] in old and text[:1] == "#":
                element.set(name, f"#{text[1:]}{suffix}")


def _link_status(group: ET.Element, mark: StatusMark) -> None:
    shapes = list(group)
    if mark.href is not None:
        holder = ET.SubElement(group, f"{_NS}a", {"href": mark.href})
        for shape in shapes:
            group.remove(shape)
            holder.append(shape)
    else:
        holder = group
        holder.set("role", "img")
    holder.set("tabindex", "0")
    holder.set("aria-label", mark.label)
    _set_title(group, mark.title)


def _mark_edge(group: ET.Element, mark: EdgeMark, suffix: str) -> None:
    group.set("data-from", " ".join(s + suffix for s in mark.sources))
    group.set("data-to", " ".join(t + suffix for t in mark.targets))
    _set_title(group, mark.title)


def _unqualified(root: ET.Element) -> ET.Element:
    """SVG elements without their namespace and the root declaring it as the default.

    (ElementTree's ``default_namespace`` refuses attributes without a namespace.)
    """
    for element in root.iter():
        if element.tag.startswith(_NS):
            element.tag = element.tag[len(_NS):]
    root.attrib = {"xmlns": SVG_NAMESPACE, **root.attrib}
    return root


def _prepare_root(root: ET.Element, name: str, description: str) -> None:
    root.attrib.pop("height", None)
    root.set("class", SVG_CLASS)
    root.set("role", "group")
    root.set("aria-label", f"Status diagram: {name}")
    if description:
        desc = ET.Element(f"{_NS}desc")
        desc.text = description
        root.insert(0, desc)


def decorate(svg: bytes, how: Marks, *, suffix: str = "", description: str = "",
             relative_links: bool = False) -> str:
    """The inline-SVG markup of ``svg`` with ``how``'s links, titles and data attributes.

    ``suffix`` is appended to every id (a page showing two diagrams of one
    machine keeps its ids unique); ``description`` (the diagram's alt text)
    becomes the root's ``<desc>``; ``relative_links`` allows links to other
    pages of the site (otherwise only ``#fragment`` links pass the final
    check). Raises :class:`statusdoc.svgcheck.UnsafeSVGError` for an unsafe
    SVG or link.
    """
    root = parse_svg(svg)
    hooks = _strip(root, suffix)
    for status in how.statuses:
        if status.svg_id in hooks:
            _link_status(hooks[status.svg_id], status)
    for edge in how.edges:
        if edge.svg_id in hooks:
            _mark_edge(hooks[edge.svg_id], edge, suffix)
    _prepare_root(root, how.name, one_line(description))
    foreign = _foreign(root)
    if foreign:
        raise UnsafeSVGError(f"<{foreign}> is not an element statusdoc draws with "
                             "(an HTML page could read it as HTML)")
    text = _serialised(root)
    check_svg(text.encode("utf-8"), relative_links=relative_links)
    return text


def _serialised(root: ET.Element) -> str:
    return ET.tostring(_unqualified(root), encoding="unicode")


def _foreign(root: ET.Element) -> str:
    """The first element of ``root`` that is not one of :data:`INLINE_ELEMENTS` ("": none)."""
    for element in root.iter():
        namespace, _, local = element.tag[1:].partition("}")
        if namespace != SVG_NAMESPACE or local not in INLINE_ELEMENTS:
            return local or element.tag
    return ""


def inline_problem(markup: str) -> str:
    """Why ``markup`` is not an inline SVG as :func:`decorate` writes one ("" if it is).

    It must pass :func:`statusdoc.svgcheck.check_svg`, hold only
    :data:`INLINE_ELEMENTS` and be exactly what ElementTree writes for its
    own tree (no comment, CDATA section, DOCTYPE or text around the root).
    An HTML parser reads inline SVG otherwise than XML in places: it leaves
    the SVG at elements like ``<p>`` or ``<table>``, so ``<p/><form
    action="javascript:...">`` inside an ``<svg>`` passes the XML check but
    is an HTML form to the browser.
    """
    data = markup.encode("utf-8")
    try:
        root = parse_svg(data)  # checked as check_svg does
    except UnsafeSVGError as exc:
        return f"unsafe diagram: {exc}"
    foreign = _foreign(root)
    if foreign:
        return f"unsafe diagram: <{foreign}> is not an element statusdoc draws with"
    if _serialised(root) != markup:
        return "diagram markup is not as statusdoc writes it"
    return ""


def live_svg(svg: bytes, machine: Machine, links: Mapping[str, str], *,
             suffix: str = "", description: str = "", relative_links: bool = False) -> str:
    """:func:`decorate` with :func:`marks` of ``machine`` (the one-call form)."""
    return decorate(svg, marks(machine, links), suffix=suffix, description=description,
                    relative_links=relative_links)


def live_block(svg_markup: str, *, machine: str, classes: Sequence[str] = (),
               width: str = "", after: str = "") -> str:
    """The HTML around a decorated SVG that the live diagram's script and stylesheet know.

    ``width`` (a CSS length) sets the block's width; ``after`` is HTML put
    after the viewport (the Sphinx page's ``<noscript>`` link).
    """
    names = html.escape(" ".join(["statusdoc-live", *classes]), quote=True)
    style = f' style="width: {html.escape(width, quote=True)}"' if width else ""
    return (
        f'<div class="{names}" data-statusdoc-machine="{html.escape(machine, quote=True)}"'
        f'{style}>\n<div class="statusdoc-viewport">\n{svg_markup}\n</div>\n{after}</div>\n'
    )
