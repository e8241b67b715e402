"""The docutils parse behind :func:`statusdoc.rstsafety.rst_findings`.

A real docutils parser reads the text, with two changes that keep it from
doing anything but reading: every directive name is resolved through
:mod:`statusdoc.rstsafety.names` (a refused one is recorded and skipped, an
allowed one runs docutils' own implementation or a stand-in that parses its
content), and every interpreted-text role is resolved the same way and only
becomes plain text. Global registries are never consulted or changed, so
Sphinx's directives (which may read files) never run here, and ``.. role::``
defines roles for this one parse only. File insertion and raw output are
disabled, messages are below the report level, and no file is opened.

Option values and directive arguments are parsed as RST too, since Sphinx
parses some of them (a ``code-block`` caption, the text of
``versionadded``): a link or role hidden there is found like any other.
"""

from __future__ import annotations

import copy
import functools
import importlib
import io
import threading
import types
from collections.abc import Callable
from typing import Any, ClassVar

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Directive, Parser, directives, states
from docutils.parsers.rst.directives.misc import Role
from docutils.statemachine import StringList, string2lines
from docutils.utils import new_document, unescape

from statusdoc.rstsafety import names
from statusdoc.rstsafety.uris import image_problem, link_problem

#: docutils refuses longer lines without parsing anything; so does the check.
LINE_LENGTH_LIMIT = 10_000


class Check:
    """What one parse found, and the roles defined during it."""

    def __init__(self, language: Any, base_dir: str | None, default_role: str) -> None:
        self.language = language
        self.base_dir = base_dir
        self.default_role = default_role
        self.local_roles: dict[str, str | None] = {}
        self.findings: list[str] = []
        self.option_texts: list[tuple[str, str]] = []
        self.runs = 0
        self.detached: list[nodes.Element] = []

    def find(self, finding: str) -> None:
        if finding not in self.findings:
            self.findings.append(finding)

    def role(self, name: str) -> tuple[str, str]:
        """``(canonical name, why refused or "")``, roles defined by ``.. role::`` first."""
        key = name.lower()
        if key in self.local_roles:
            base = self.local_roles[key]
            return (base, "") if base else (key, "defined from a refused role")
        return names.role(name, self.language)


def _check(document: nodes.document) -> Check:
    check: Check = document.statusdoc_check  # type: ignore[attr-defined]
    return check


def _label(written: str, canonical: str) -> str:
    return f"'{written}'" if written.lower() == canonical else f"'{written}' ({canonical})"


def _role_label(written: str, canonical: str) -> str:
    return f"':{written}:'" if written.lower() == canonical else f"':{written}:' ({canonical})"


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
        check = _check(self.state.document)
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
                check.find(f"role ':{new}:' based on role {_role_label(base, canonical)}: "
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
        check = _check(self.state.document)
        written = self.arguments[0] if self.arguments else names.DEFAULT_ROLE
        canonical, refused = check.role(written)
        if refused:
            check.find(f"default role {_role_label(written, canonical)}: {refused}")
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
def _checked_class(canonical: str, kind: names.DirectiveKind) -> type[Directive]:
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
        check = _check(self.state.document)
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

    class_dict = {"option_spec": _AnyOptions(known, lambda: _CURRENT.stack[-1]), "run": run}
    return type(f"Checked{base.__name__}", (base,), class_dict)


class _Current(threading.local):
    """The checks of the parses running in this thread (innermost last)."""

    def __init__(self) -> None:
        self.stack: list[Check] = []


_CURRENT = _Current()


class _CheckedState:
    """Mixed into every docutils parser state: directives resolve through the allow-list."""

    # Own cache: a docutils or Sphinx parse must never reuse one of our state machines.
    nested_sm_cache: ClassVar[list[Any]] = []
    nested_sm_kwargs: dict[str, Any]
    document: nodes.document

    def __init__(self, state_machine: Any, debug: bool = False) -> None:
        super().__init__(state_machine, debug)  # type: ignore[call-arg]
        self.nested_sm_kwargs = {"state_classes": STATE_CLASSES, "initial_state": "Body"}

    def directive(self, match: Any, **option_presets: Any) -> tuple[list[nodes.Node], bool]:
        check = _check(self.document)
        written = match.group(1)
        canonical, kind, refused = names.directive(written, check.language)
        if kind is None:
            check.find(f"directive {_label(written, canonical)}: {refused}")
            return self.unknown_directive(written)  # type: ignore[attr-defined, no-any-return]
        check.option_texts = []
        runs = check.runs
        result: tuple[list[nodes.Node], bool] = self.run_directive(  # type: ignore[attr-defined]
            _checked_class(canonical, kind), match, written, option_presets)
        if check.runs == runs:
            check.find(f"directive {_label(written, canonical)}: its arguments or options "
                       "cannot be read, so it cannot be checked")
        return result


# Body calls its explicit-markup handlers as plain functions from a class-level
# table, so the table must name our directive handler, not docutils' own.
_CheckedState.explicit = states.Struct(  # type: ignore[attr-defined]
    patterns=states.Body.explicit.patterns,
    constructs=[
        (_CheckedState.directive if method is states.Body.directive else method, pattern)
        for method, pattern in states.Body.explicit.constructs
    ],
)

STATE_CLASSES: tuple[type, ...] = tuple(
    type(cls.__name__, (_CheckedState, cls), {}) for cls in states.state_classes
)


def _interpreted(inliner: states.Inliner, rawsource: str, text: str, role: str,
                 lineno: int) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """Roles resolve through the allow-list and become plain text."""
    check = _check(inliner.document)
    written = role or check.default_role
    canonical, refused = check.role(written)
    if refused:
        check.find(f"role {_role_label(written, canonical)}: {refused}")
    return [nodes.inline(rawsource, unescape(text))], []


def _inliner() -> states.Inliner:
    inliner = states.Inliner()
    # An instance attribute, not a subclass: Inliner reads its patterns from
    # vars(type(self)), which a subclass would not have.
    inliner.interpreted = types.MethodType(_interpreted, inliner)  # type: ignore[method-assign]
    return inliner


@functools.cache
def _base_settings() -> Any:
    settings = get_default_settings(Parser)
    settings.report_level = 5  # above "severe": nothing is ever written
    settings.halt_level = 5
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.syntax_highlight = "none"  # no Pygments: it loads plugins from disk
    settings.pep_references = False
    settings.rfc_references = False
    settings.line_length_limit = LINE_LENGTH_LIMIT
    return settings


def _ignore_duplicate_name(*_args: Any) -> None:
    """Stands in for ``document.set_duplicate_name_id``: docutils re-validates the
    whole document for each duplicate target name (quadratic), and names do not
    matter to the check."""


class _Machines(threading.local):
    """One top-level state machine per thread, reused: building one costs more
    than parsing a typical description."""

    def __init__(self) -> None:
        self.free: list[states.RSTStateMachine] = []


_MACHINES = _Machines()


def parse(text: str, check: Check, language_code: str) -> nodes.document | None:
    """Parse ``text`` with the checked parser; findings go to ``check``.

    Returns None, parsing nothing, when a line is longer than docutils parses.
    """
    settings = copy.copy(_base_settings())
    settings.language_code = language_code
    settings.warning_stream = io.StringIO()
    lines = string2lines(text, tab_width=settings.tab_width, convert_whitespace=True)
    if any(len(line) > LINE_LENGTH_LIMIT for line in lines):
        return None
    document = new_document("<description>", settings)
    document.statusdoc_check = check  # type: ignore[attr-defined]
    document.set_duplicate_name_id = _ignore_duplicate_name  # type: ignore[attr-defined]
    free = _MACHINES.free
    machine = free.pop() if free else states.RSTStateMachine(STATE_CLASSES, "Body")
    _CURRENT.stack.append(check)
    try:
        machine.run(lines, document, inliner=_inliner())
    finally:
        _CURRENT.stack.pop()
    free.append(machine)  # only a run that ended normally leaves it fit for reuse
    return document


def walk(root: nodes.Element, check: Check) -> None:
    """Record every node in ``root`` that carries raw output, math, a meta tag or a bad URI."""
    meta = getattr(nodes, "meta", ())
    for node in root.findall(nodes.Element):
        if isinstance(node, nodes.raw):
            check.find("raw output")
        elif isinstance(node, nodes.math | nodes.math_block):
            check.find("math: passes LaTeX through verbatim")
        elif meta and isinstance(node, meta):
            check.find("a <meta> tag")
        elif isinstance(node, nodes.image):
            problem = image_problem(str(node.get("uri", "")), check.base_dir)
            if problem:
                check.find(problem)
        refuri = node.get("refuri")
        if isinstance(refuri, str):
            problem = link_problem(refuri)
            if problem:
                check.find(problem)
