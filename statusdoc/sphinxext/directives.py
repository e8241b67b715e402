"""Directives: they only build nodes (all rendering happens at write time).

What they share (finding, loading and checking the spec, emitting and parsing
RST, registering statuses) is :class:`statusdoc.sphinxext.specdirective.SpecDirective`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.nodes import set_source_info

from statusdoc.htmldiagram import marks
from statusdoc.spec.model import Machine
from statusdoc.sphinxext import specs
from statusdoc.sphinxext.nodes import statusdoc_diagram
from statusdoc.sphinxext.specdirective import SpecDirective
from statusdoc.sphinxext.views import add_focus_views, add_overview, view_option

if TYPE_CHECKING:
    from sphinx.util.typing import OptionSpec


#: Sections of the full page, in the emitter's default order.
ALL_SECTIONS = ("statuses", "diagram", "transitions", "table")
ALIGN = ("left", "center", "right")


def _sections(argument: str) -> list[str]:
    chosen = [part.strip() for part in argument.replace(",", " ").split() if part.strip()]
    for part in chosen:
        if part not in ALL_SECTIONS:
            raise ValueError(f"unknown section {part!r} (choose from {', '.join(ALL_SECTIONS)})")
    if not chosen:
        raise ValueError("give at least one section")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"a section is listed twice in {argument!r}")
    return chosen


def _align(argument: str) -> str:
    return directives.choice(argument, ALIGN)


def _format(argument: str) -> str:
    from statusdoc import kinds

    return str(directives.choice(argument, kinds.rendered()))


class DiagramDirective(SpecDirective):
    """``.. statusdoc-diagram:: spec`` — the diagram as a figure; content = caption."""

    has_content = True
    option_spec: ClassVar[OptionSpec] = {
        "alt": directives.unchanged,
        "align": _align,
        "caption": directives.unchanged,
        "format": _format,
        "class": directives.class_option,
        "figclass": directives.class_option,
        "figwidth": directives.unchanged,
        "width": directives.unchanged,
        "name": directives.unchanged,
        "static": directives.flag,
    }

    def build(self, machine: Machine, path: Path) -> list[nodes.Node]:
        return [self.figure(machine, path)]

    def figure(self, machine: Machine, path: Path) -> nodes.Node:
        source_name = self.source_name(path)
        diagram = statusdoc_diagram()
        set_source_info(self, diagram)
        diagram["dot"] = specs.dot_source(machine, source_name)
        diagram["alt"] = self.options.get("alt") or specs.alt_text(machine)
        diagram["spec"] = source_name
        diagram["machine"] = machine.name
        diagram["format"] = self.options.get("format", "")
        diagram["classes"] += ["statusdoc-diagram", *self.options.get("class", [])]
        if "width" in self.options:
            diagram["width"] = self.options["width"]
        # The live HTML diagram (statusdoc.sphinxext.live): what its SVG gets,
        # links aside (they are known once every page has been read).
        diagram["live"] = "static" not in self.options
        if diagram["live"]:
            diagram["marks"] = marks(machine, {})
        # The text fallback (text, man, texinfo builders) is the transition
        # table; it is built from these rows at write time, only for them.
        diagram["rows"] = [
            (t.source, t.target, t.label, t.event or "", t.guard, t.returning)
            for t in machine.transitions
        ]

        figure = nodes.figure("", diagram)
        set_source_info(self, figure)
        figure["classes"] += ["statusdoc-figure", *self.options.get("figclass", [])]
        if "align" in self.options:
            figure["align"] = self.options["align"]
        if "figwidth" in self.options:
            figure["width"] = self.options["figwidth"]
        caption_text = self.options.get("caption")
        caption_lines = [caption_text] if caption_text is not None else list(self.content)
        if caption_lines:
            parsed = nodes.Element()
            source, _line = self.get_source_info()
            self.state.nested_parse(
                StringList(caption_lines, items=[(source, self.lineno)] * len(caption_lines)),
                self.content_offset, parsed,
            )
            first = parsed.children[0] if parsed.children else None
            if isinstance(first, nodes.paragraph):
                caption = nodes.caption(first.rawsource, "", *first.children)
                caption.source, caption.line = first.source, first.line
                figure += caption
                rest = parsed.children[1:]
            else:
                rest = parsed.children
            if rest:
                figure += nodes.legend("", *rest)
        self.add_name(figure)
        return figure


class StatusdocDirective(SpecDirective):
    """``.. statusdoc:: spec`` — the whole reference page, from the emitter."""

    has_content = False
    option_spec: ClassVar[OptionSpec] = {
        "sections": _sections,
        "no-title": directives.flag,
        "caption": directives.unchanged,
        "alt": directives.unchanged,
        "align": _align,
        "format": _format,
        "class": directives.class_option,
        "name": directives.unchanged,
        "static": directives.flag,
        "focus": view_option,
        "overview": view_option,
    }
    default_sections: ClassVar[list[str] | None] = None
    #: Part directives wrap their nodes in a container carrying :class: and :name:.
    wrap_parts = False

    def build(self, machine: Machine, path: Path) -> list[nodes.Node]:
        sections: list[str] | None = self.options.get("sections", self.default_sections)
        if self.wrap_parts:  # a part directive: its sections, or (none given) all of them
            text = self.emit_sections(machine, path, sections or list(ALL_SECTIONS))
        else:
            text = self.emit(machine, path, sections, "no-title" not in self.options)
        text = self.swap_figure(text)
        result = self.parse_rst(text)
        self.register(machine, result)
        add_overview(self, machine, self.source_name(path), result)
        add_focus_views(self, machine, self.source_name(path), result)
        if sections is None or "table" in sections:
            # The page lists every transition in its table already: text
            # builders show no second copy in place of the diagram.
            for holder in result:
                for diagram in holder.findall(statusdoc_diagram):
                    diagram["rows"] = []
        if self.wrap_parts and not any(isinstance(n, nodes.section) for n in result):
            wrapper = nodes.container("", *result)
            wrapper["classes"] += ["statusdoc", *self.options.get("class", [])]
            set_source_info(self, wrapper)
            self.add_name(wrapper)
            return [wrapper]
        return result

    def swap_figure(self, text: str) -> str:
        """Replace the emitter's figure by our ``statusdoc-diagram`` directive."""
        cut = specs.split_figure(text)
        if cut is None:
            return text
        before, options, caption, after = cut
        known = set(DiagramDirective.option_spec)
        # The emitter's alt text (not escaped: option values are not parsed)
        # knows whether the page has the transition table, so it is kept.
        merged = {name: value for name, value in options if name in known and name != "name"}
        for name in ("alt", "align", "format", "caption", "name"):
            if name in self.options:
                merged[name] = self.options[name]
        if "class" in self.options:
            merged["class"] = " ".join(self.options["class"])
        if "static" in self.options:
            merged["static"] = ""
        block = [f".. statusdoc-diagram:: {self.arguments[0]}"]
        block += [f"   :{name}: {value}".rstrip() for name, value in merged.items()]
        if "caption" not in merged and caption:
            block.append("")
            block += [f"   {line}".rstrip() for line in caption]
        return "\n".join([*before, *block, "", *after])


class StatusesDirective(StatusdocDirective):
    """``.. statusdoc-statuses:: spec`` — the status entries only."""

    option_spec: ClassVar[OptionSpec] = {
        "class": directives.class_option,
        "name": directives.unchanged,
        "focus": view_option,
        "format": _format,
        "static": directives.flag,
    }
    default_sections: ClassVar[list[str] | None] = ["statuses"]
    wrap_parts = True


class TransitionsDirective(StatusdocDirective):
    """``.. statusdoc-transitions:: spec`` — the transition table (``:notes:`` adds notes)."""

    option_spec: ClassVar[OptionSpec] = {
        "notes": directives.flag,
        "class": directives.class_option,
        "name": directives.unchanged,
    }
    wrap_parts = True

    def build(self, machine: Machine, path: Path) -> list[nodes.Node]:
        self.options["sections"] = (
            ["transitions", "table"] if "notes" in self.options else ["table"]
        )
        return super().build(machine, path)
