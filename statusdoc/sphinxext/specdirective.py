"""The base of the statusdoc directives: find, load and validate the spec,
report problems at the directive's line, emit and parse the generated RST,
and index and record the status entries it holds.

The directives themselves (:mod:`statusdoc.sphinxext.directives`) only add
their options and the nodes they build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles, set_source_info

from statusdoc.spec.model import Machine
from statusdoc.sphinxext import specs
from statusdoc.sphinxext.reporting import NESTED, fail, warn_spec


def confdir(env: Any) -> Path:
    """The directory of conf.py (stored by :func:`remember_confdir`)."""
    return Path(getattr(env, "_statusdoc_confdir", env.srcdir))


def remember_confdir(app: Any) -> None:
    """``builder-inited``: paths in ``statusdoc_*`` settings are relative to confdir."""
    app.env._statusdoc_confdir = str(app.confdir)


class SpecDirective(SphinxDirective):
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
