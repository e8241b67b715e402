"""Directives: they only build nodes (all rendering happens at write time)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles, set_source_info

from statusdoc.htmldiagram import marks
from statusdoc.spec.model import Machine
from statusdoc.sphinxext import specs
from statusdoc.sphinxext.nodes import statusdoc_diagram
from statusdoc.sphinxext.reporting import NESTED, fail, warn_spec
from statusdoc.sphinxext.views import add_focus_views, add_overview, view_option

if TYPE_CHECKING:
    from sphinx.util.typing import OptionSpec


def confdir(env: Any) -> Path:
    """The directory of conf.py (stored by :func:`remember_confdir`)."""
    return Path(getattr(env, "_statusdoc_confdir", env.srcdir))


def remember_confdir(app: Any) -> None:
    """``builder-inited``: paths in ``statusdoc_*`` settings are relative to confdir."""
    app.env._statusdoc_confdir = str(app.confdir)


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


class _SpecDirective(SphinxDirective):
    """Shared part: resolve, load and validate the spec; report problems at our line."""

    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = False

    def run(self) -> list[nodes.Node]:
        """Load the spec, then :meth:`build`; template and emitter errors are reported here."""
        from jinja2 import TemplateError

        from statusdoc.errors import StatusdocError

        loaded = self.load_machine()
        if loaded is None:
            return []
        machine, path = loaded
        try:
            return self.build(machine, path)
        except (TemplateError, StatusdocError, ValueError) as exc:
            where = ""
            name, line = getattr(exc, "name", None), getattr(exc, "lineno", None)
            if name:
                where = f" (template {name}" + (f", line {line}" if line else "") + ")"
            fail(
                self.env, self.get_location(), f"cannot build the reference of {path.name}",
                "statusdoc: cannot build the reference of %s: %s: %s%s",
                self.source_name(path), type(exc).__name__, exc, where,
            )
            return []

    def build(self, machine: Machine, path: Path) -> list[nodes.Node]:
        """The nodes for ``machine`` (subclasses)."""
        raise NotImplementedError

    def spec_path(self) -> Path:
        config = self.config
        docdir = Path(self.env.doc2path(self.env.docname)).parent
        return specs.resolve_spec(
            self.arguments[0],
            specs=dict(config.statusdoc_specs or {}),
            confdir=confdir(self.env),
            docdir=docdir,
            srcdir=Path(self.env.srcdir),
        )

    def load_machine(self) -> tuple[Machine, Path] | None:
        """The machine, or None after reporting why not (at the directive's line)."""
        path = self.spec_path()
        self.env.note_dependency(str(path))
        loaded = specs.load_spec(path)
        location = self.get_location()
        if not self.env.temp_data.get(NESTED):
            warn_spec(loaded.warnings, location)
        if loaded.machine is None:
            detail = "; ".join(str(p) for p in loaded.errors) or f"{path}: invalid spec"
            hint = ""
            if not path.exists() and self.arguments[0] not in (self.config.statusdoc_specs or {}):
                known = ", ".join(sorted(self.config.statusdoc_specs or {})) or "none"
                hint = f" (not a file, nor a name in statusdoc_specs: {known})"
            fail(
                self.env, location, f"invalid spec {self.arguments[0]!r}",
                "statusdoc: invalid spec %r%s: %s", self.arguments[0], hint, detail,
            )
            return None
        if not self.config.statusdoc_allow_unsafe_rst:
            unsafe = specs.unsafe_rst(loaded.machine, self.config)
            if unsafe:
                fail(
                    self.env, location, f"unsafe RST in {path.name}",
                    "statusdoc: %s: unsafe RST in the spec (set statusdoc_allow_unsafe_rst "
                    "= True to allow it): %s", self.source_name(path), "; ".join(unsafe),
                )
                return None
        return loaded.machine, path

    def source_name(self, path: Path) -> str:
        return specs.display_name(path, confdir(self.env))

    def templates(self) -> Path | None:
        value = self.config.statusdoc_templates
        if not value:
            return None
        folder: Path = (confdir(self.env) / value).resolve()
        if folder.is_dir():
            for template in sorted(folder.rglob("*")):
                if template.is_file():
                    self.env.note_dependency(str(template))
            specs.refresh_user_templates(folder)
        return folder

    def parse_rst(self, text: str) -> list[nodes.Node]:
        """Parse generated RST; messages point at this directive's line.

        The spec's warnings were reported by this directive already: the
        ``statusdoc-diagram`` inside the generated text does not repeat them.
        """
        source, _line = self.get_source_info()
        lines = text.splitlines()
        content = StringList(lines, items=[(source, self.lineno - 1)] * len(lines))
        holder = nodes.Element()
        holder.document = self.state.document
        self.env.temp_data[NESTED] = True
        try:
            nested_parse_with_titles(self.state, content, holder)
        finally:
            del self.env.temp_data[NESTED]
        return list(holder.children)

    def emit_sections(self, machine: Machine, path: Path, sections: list[str]) -> str:
        return specs.sections_rst(
            machine,
            source_name=self.source_name(path),
            sections=sections,
            templates=self.templates(),
            allow_unsafe_rst=bool(self.config.statusdoc_allow_unsafe_rst),
            language=self.config.language,
        )

    def emit(
        self, machine: Machine, path: Path, sections: list[str] | None, title: bool
    ) -> str:
        return specs.page_rst(
            machine,
            source_name=self.source_name(path),
            sections=sections,
            title=title,
            templates=self.templates(),
            allow_unsafe_rst=bool(self.config.statusdoc_allow_unsafe_rst),
            language=self.config.language,
        )

    def register(self, machine: Machine, result: list[nodes.Node]) -> None:
        """Index the status entries in ``result`` and record them in the domain."""
        domain = self.env.domains["statusdoc"]
        labels = {
            nodes.fully_normalize_name(anchor): name
            for name, anchor in specs.status_anchors(machine).items()
        }
        found: dict[str, str] = {}
        for holder in result:
            if not isinstance(holder, nodes.Element):
                continue
            for target in list(holder.findall(nodes.target)):
                names = [n for n in target["names"] if n in labels]
                if not names or not target["ids"]:
                    continue
                status = labels[names[0]]
                anchor = target["ids"][0]
                found[status] = anchor
                index = addnodes.index(
                    entries=[
                        ("single", f"{status} ({machine.name} status)", anchor, "", None),
                        ("single", f"{machine.title}; {status}", anchor, "", None),
                    ]
                )
                set_source_info(self, index)
                target.parent.insert(target.parent.index(target), index)
        domain.note_machine(machine.name, self.env.docname, machine.state_names)  # type: ignore[attr-defined]
        for status, anchor in found.items():
            domain.note_status(  # type: ignore[attr-defined]
                machine.name, status, self.env.docname, anchor, self.lineno
            )


class DiagramDirective(_SpecDirective):
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


class StatusdocDirective(_SpecDirective):
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
