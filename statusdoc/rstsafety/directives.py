"""What the safety parse runs for an allowed directive.

docutils' own class for the directives docutils implements; a stand-in for
the Sphinx directives plain docutils does not know (its content parsed as
RST, or kept as code); the check's own reading of ``role`` and
``default-role``. Each is wrapped so that it accepts every option (Sphinx's
version of a directive may take more than docutils') and parses the text of
the options docutils' class does not read, so a link or role hidden in a
``code-block`` caption is found too; ``:file:`` and ``:url:`` options are
findings whatever the directive.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.parsers.rst.directives.misc import Role
from docutils.statemachine import StringList

from statusdoc.rstsafety import names
from statusdoc.rstsafety.check import Check, check_of, current, role_label


def _parse_into(state: Any, text: str, offset: int, holder: nodes.Element) -> None:
    state.nested_parse(StringList(text.splitlines(), "<option>"), offset, holder)


class _AnyOptions(dict[str, Callable[[str], Any]]):
    """An option spec that accepts every option and records its text for the check.

    Sphinx's version of a directive may take options docutils' does not (a
    ``code-block`` caption); refusing them would hide their text from the check.
    """

    def __init__(self, known: dict[str, Callable[[str], Any]], check: Callable[[], Check]):
        super().__init__(known)
        self.check = check

    def __bool__(self) -> bool:
        return True

    def __missing__(self, name: str) -> Callable[[str], Any]:
        return directives.unchanged

    def __getitem__(self, name: str) -> Callable[[str], Any]:
        convert = super().__getitem__(name)

        def recorded(value: str) -> Any:
            self.check().option_texts.append((name, value or ""))
            return convert(value)

        return recorded


class _SphinxStandIn(Directive):
    """A Sphinx directive plain docutils does not know: content is RST (or code)."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    literal: ClassVar[bool] = False

    def run(self) -> list[nodes.Node]:
        holder = nodes.container()
        if self.arguments:
            _parse_into(self.state, self.arguments[0], self.lineno, holder)
        if self.content and self.literal:
            text = "\n".join(self.content)
            holder += nodes.literal_block(text, text)
        elif self.content:
            self.state.nested_parse(self.content, self.content_offset, holder)
        return [holder]


class _LiteralStandIn(_SphinxStandIn):
    literal = True


class _RoleStandIn(Directive):
    """``.. role:: new(base)``: refused when ``base`` is; defined for this parse only."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        check = check_of(self.state.document)
        match = Role.argument_pattern.match(self.content[0]) if self.content else None
        if match is None:
            check.find(f"directive '{self.name}' with an unreadable role name")
            return []
        new, base = match.group(1), match.group(3)
        defined: str | None = "generic"
        if base:
            canonical, refused = check.role(base)
            defined = None if refused else canonical
            if refused:
                check.find(f"role ':{new}:' based on role {role_label(base, canonical)}: "
                           f"{refused}")
        check.local_roles[new.lower()] = defined
        holder = nodes.container()
        if len(self.content) > 1:
            self.state.nested_parse(self.content[1:], self.content_offset + 1, holder)
        return [holder]


class _DefaultRoleStandIn(Directive):
    """``.. default-role:: name``: what `text` in single backquotes means from here on."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        check = check_of(self.state.document)
        written = self.arguments[0] if self.arguments else names.DEFAULT_ROLE
        canonical, refused = check.role(written)
        if refused:
            check.find(f"default role {role_label(written, canonical)}: {refused}")
        else:
            check.default_role = written
        return []


_STAND_INS: dict[str, type[Directive]] = {
    "rst": _SphinxStandIn,
    "literal": _LiteralStandIn,
    "role": _RoleStandIn,
    "default-role": _DefaultRoleStandIn,
}


@functools.cache
def checked_class(canonical: str, kind: names.DirectiveKind) -> type[Directive]:
    """The class run for an allowed directive: it records its options and checks them."""
    if kind == "docutils":
        registry = directives._directive_registry  # type: ignore[attr-defined]
        module_name, class_name = registry[canonical]
        module = importlib.import_module(f"docutils.parsers.rst.directives.{module_name}")
        base: type[Directive] = getattr(module, class_name)
    else:
        base = _STAND_INS[kind]
    known = dict(base.option_spec or {})

    def run(self: Directive) -> list[nodes.Node]:
        check = check_of(self.state.document)
        check.runs += 1
        texts, check.option_texts = check.option_texts, []
        holder = nodes.container()
        for option, text in texts:
            if option in ("file", "url"):
                check.find(f"directive '{self.name}' with :{option}:: reads a file or URL")
            if option not in known:  # docutils' class reads the ones it knows
                _parse_into(self.state, text, self.content_offset, holder)
        check.detached.append(holder)
        self.options = {k: v for k, v in self.options.items() if k in known}
        result: list[nodes.Node] = list(base.run(self))
        return result

    class_dict = {"option_spec": _AnyOptions(known, current), "run": run}
    return type(f"Checked{base.__name__}", (base,), class_dict)
