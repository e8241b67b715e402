"""The inline SVGs of the standalone ``html`` page: the diagram, the focus views, the overview.

:mod:`statusdoc.htmlpage` makes the page from the ``rst`` output. When the
spec's ``focus`` / ``overview`` settings show views
(:func:`statusdoc.emit.views.wanted`, the rule of the RST page), the RST
is emitted with a made-up image name per view (:func:`planned`), and each
view's image becomes a placeholder in the page's skeleton
(:func:`swap_views`), where the view's SVG goes, inline like the main
diagram. A view's SVG is rendered from the DOT the RST page's view image
is drawn from (:func:`statusdoc.emit.views.focus_machine` or
:func:`~statusdoc.emit.views.overview_machine` through
:func:`statusdoc.emit.dot.emit_dot`), and decorated by
:func:`statusdoc.htmldiagram.decorate` with ids of its own
(:func:`statusdoc.htmldiagram.focus_suffix`) and its statuses (the
overview's groups) linked to their entries on the page.

A :class:`Slot` is the place of one SVG; :func:`fill` puts the SVGs in and
:func:`problem` tells whether a page is the skeleton around safe SVGs: the
text around every SVG compared byte for byte, every SVG read by
:func:`statusdoc.htmldiagram.inline_problem`. Both cut the skeleton in one
pass (linear in the page, however many views).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docutils import nodes

from statusdoc.emit.escape import unique_slugs
from statusdoc.emit.layout import group_anchors
from statusdoc.emit.views import (
    ViewImages,
    ViewSetting,
    focus_machine,
    group_nodes,
    neighbours,
    overview_machine,
    wanted,
)
from statusdoc.htmldiagram import (
    FOCUS_CLASS,
    OVERVIEW_CLASS,
    OVERVIEW_SUFFIX,
    Marks,
    decorate,
    focus_suffix,
    inline_problem,
    live_block,
    marks,
)
from statusdoc.spec.model import Machine

__all__ = ["Slot", "cut", "fill", "planned", "problem", "slots_of", "swap_views"]

#: How every placeholder of the skeleton starts (the main diagram's too).
PLACEHOLDER_START = "<!-- statusdoc"
#: What a page that is not its skeleton around safe SVGs gets from :func:`problem`.
NOT_THE_SPECS = "page content is not what the spec makes (edited, or stamped by hand)"
_MARK = "<!-- statusdoc--svg -->"  # where the SVG goes in a block (the machine name is escaped)


@dataclass(frozen=True, slots=True)
class Slot:
    """One inline SVG of the page: its placeholder in the skeleton, what decorates the
    SVG, and (a view) the DOT it is rendered from (``""``: the spec's own DOT)."""

    placeholder: str
    marks: Marks
    description: str
    machine: str
    suffix: str = ""
    classes: tuple[str, ...] = ()
    dot: str = ""

    def block(self, svg_markup: str) -> str:
        """The live diagram's HTML around ``svg_markup``."""
        return live_block(svg_markup, machine=self.machine, classes=self.classes)

    def inline(self, svg: bytes) -> str:
        """The block of the rendered ``svg``, decorated (raises UnsafeSVGError)."""
        return self.block(decorate(svg, self.marks, suffix=self.suffix,
                                   description=self.description))


@dataclass(frozen=True, slots=True)
class View:
    """A view the page asks the RST for: the image name it gets there, what it draws."""

    image: str
    view: Machine
    suffix: str
    cls: str
    placeholder: str


def planned(machine: Machine, *, focus: ViewSetting, overview: ViewSetting
            ) -> tuple[ViewImages, tuple[View, ...]]:
    """The views the page shows (the RST page's rule) and the image names to ask for.

    A view's placeholder cannot come from spec text: docutils writes ``--``
    in a comment as ``- -``, and every other ``<`` as ``&lt;``.
    """
    views: list[View] = []
    over = overview_machine(machine) if wanted(overview, machine) else None
    if over is not None:
        views.append(View("statusdoc-overview.svg", over, OVERVIEW_SUFFIX, OVERVIEW_CLASS,
                          "<!-- statusdoc--overview -->"))
    focus_images: dict[str, str] = {}
    if wanted(focus, machine):
        table = neighbours(machine)
        slugs = unique_slugs(machine.state_names)
        for index, state in enumerate(machine.states):
            image = f"statusdoc-focus-{index}.svg"
            focus_images[state.name] = image
            views.append(View(image, focus_machine(machine, state.name, table),
                              focus_suffix(slugs[state.name]), FOCUS_CLASS,
                              f"<!-- statusdoc--focus--{index} -->"))
    return ViewImages(views[0].image if over is not None else "", focus_images), tuple(views)


def swap_views(doctree: nodes.document, views: Sequence[View]) -> list[tuple[View, str]]:
    """Put each view's placeholder where its image is (the first image of that name);
    the views found, with their alt texts. The figure around gets the view's class."""
    by_image = {view.image: view for view in views}
    found: list[tuple[View, str]] = []
    for image in list(doctree.findall(nodes.image)):
        view = by_image.pop(image["uri"], None)
        if view is None:
            continue
        if isinstance(image.parent, nodes.figure):
            image.parent["classes"].append(view.cls)
        image.replace_self(nodes.raw("", view.placeholder, format="html"))
        found.append((view, str(image.get("alt", ""))))
    return found


def slots_of(machine: Machine, doctree: nodes.document, found: Sequence[tuple[View, str]],
             links: Mapping[str, str], source_name: str) -> tuple[Slot, ...]:
    """The :class:`Slot` of each view found; ``links``: status name -> ``#id`` of its entry."""
    from statusdoc.emit.dot import emit_dot

    node_of = group_nodes(machine)
    groups = {node_of[group]: f"#{ident}" for group, anchor in group_anchors(machine).items()
              if group in node_of
              and (ident := doctree.nameids.get(nodes.fully_normalize_name(anchor)))}
    return tuple(
        Slot(view.placeholder,
             marks(view.view, {**links, **groups} if view.cls == OVERVIEW_CLASS else links),
             alt, machine.name, view.suffix, (view.cls,),
             emit_dot(view.view, source_name=source_name))
        for view, alt in found)


def cut(skeleton: str, slots: Sequence[Slot]) -> tuple[list[str], list[Slot]]:
    """The skeleton's text around the placeholders (one piece more than slots) and the
    slots in page order. ValueError unless every placeholder is there exactly once."""
    by_placeholder = {slot.placeholder: slot for slot in slots}
    pieces: list[str] = []
    ordered: list[Slot] = []
    seen: set[str] = set()
    start = pos = 0
    while (pos := skeleton.find(PLACEHOLDER_START, pos)) >= 0:
        end = skeleton.find("-->", pos) + len("-->")
        comment = skeleton[pos:end]
        slot = by_placeholder.pop(comment, None)
        if slot is None:
            if comment in seen:
                raise ValueError(f"the page has more than one {comment}")
            pos += len(PLACEHOLDER_START)
            continue
        seen.add(comment)
        pieces.append(skeleton[start:pos])
        ordered.append(slot)
        start = pos = end
    if by_placeholder:
        raise ValueError(f"the page has no {next(iter(by_placeholder))}")
    pieces.append(skeleton[start:])
    return pieces, ordered


def fill(skeleton: str, svgs: Sequence[tuple[Slot, bytes]]) -> str:
    """The page: ``skeleton`` with each slot's decorated SVG in place of its placeholder."""
    pieces, ordered = cut(skeleton, [slot for slot, _svg in svgs])
    inline = {slot.placeholder: slot.inline(svg) for slot, svg in svgs}
    out = [pieces[0]]
    for slot, piece in zip(ordered, pieces[1:], strict=True):
        out += [inline[slot.placeholder], piece]
    return "".join(out)


def problem(skeleton: str, slots: Sequence[Slot], text: str) -> str:
    """Why ``text`` is not ``skeleton`` with a safe SVG in each slot ("" if it is)."""
    pieces, ordered = cut(skeleton, slots)
    if not ordered:
        return "" if text == skeleton else NOT_THE_SPECS
    # the fixed text before, between and after the SVGs: the blocks' own HTML included
    around = [slot.block(_MARK).partition(_MARK) for slot in ordered]
    fixed = [pieces[0] + around[0][0]]
    fixed += [around[i][2] + pieces[i + 1] + around[i + 1][0] for i in range(len(around) - 1)]
    fixed.append(around[-1][2] + pieces[-1])
    if not text.startswith(fixed[0]) or not text.endswith(fixed[-1]):
        return NOT_THE_SPECS
    pos, last = len(fixed[0]), len(text) - len(fixed[-1])
    for i, after in enumerate(fixed[1:], start=1):
        end = last if i == len(fixed) - 1 else text.find(after, pos, last)
        if end < pos:
            return NOT_THE_SPECS
        found = inline_problem(text[pos:end])
        if found:
            return found
        pos = end + len(after)
    return ""
