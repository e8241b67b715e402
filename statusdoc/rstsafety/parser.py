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
import gc
import io
import threading
import types
from typing import Any, ClassVar

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, states
from docutils.statemachine import string2lines
from docutils.utils import new_document, unescape

from statusdoc.rstsafety import names
from statusdoc.rstsafety.check import Check, check_of, directive_label, role_label, running
from statusdoc.rstsafety.directives import checked_class
from statusdoc.rstsafety.uris import image_problem, link_problem

#: docutils refuses longer lines without parsing anything; so does the check.
LINE_LENGTH_LIMIT = 10_000


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
        check = check_of(self.document)
        written = match.group(1)
        canonical, kind, refused = names.directive(written, check.language)
        if kind is None:
            check.find(f"directive {directive_label(written, canonical)}: {refused}")
            return self.unknown_directive(written)  # type: ignore[attr-defined, no-any-return]
        check.option_texts = []
        runs = check.runs
        result: tuple[list[nodes.Node], bool] = self.run_directive(  # type: ignore[attr-defined]
            checked_class(canonical, kind), match, written, option_presets)
        if check.runs == runs:
            check.find(f"directive {directive_label(written, canonical)}: its arguments or options "
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
    check = check_of(inliner.document)
    written = role or check.default_role
    canonical, refused = check.role(written)
    if refused:
        check.find(f"role {role_label(written, canonical)}: {refused}")
    return [nodes.inline(rawsource, unescape(text))], []


#: Inline markup that never ends costs docutils a search of the rest of the
#: paragraph each (quadratic); past this many in one paragraph the check stops.
MAX_UNCLOSED_MARKUP = 100


class _TooCostly(Exception):
    pass


def _inliner() -> states.Inliner:
    """docutils' inliner with checked roles and a bound on unclosed inline markup.

    Instance attributes, not a subclass: Inliner reads its patterns from
    ``vars(type(self))``, which a subclass would not have.
    """
    inliner = states.Inliner()
    parse_inline = inliner.parse
    problematic = inliner.problematic
    unclosed = [0]

    def parse(text: str, lineno: int, memo: Any, parent: Any) -> tuple[list[Any], list[Any]]:
        unclosed[0] = 0
        try:
            return parse_inline(text, lineno, memo, parent)
        except _TooCostly:
            check_of(memo.document).find(
                f"more than {MAX_UNCLOSED_MARKUP} inline markup start-strings without an end "
                "in one paragraph (docutils' time grows with their number times the length)")
            return [nodes.Text(text)], []

    def counted(text: str, rawsource: str, message: Any) -> Any:
        unclosed[0] += 1
        if unclosed[0] > MAX_UNCLOSED_MARKUP:
            raise _TooCostly
        return problematic(text, rawsource, message)

    inliner.parse = parse  # type: ignore[method-assign]
    inliner.problematic = counted  # type: ignore[method-assign]
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
    collecting = gc.isenabled()
    # A parse tree is one big web of parent links: with the cyclic collector
    # running, each collection scans all of it again and the time grows
    # faster than the text. The tree is freed as usual after the check.
    gc.disable()
    try:
        with running(check):
            machine.run(lines, document, inliner=_inliner())
    finally:
        if collecting:
            gc.enable()
    _release(machine)
    free.append(machine)  # only a run that ended normally leaves it fit for reuse
    return document


#: What a run leaves on a state machine and its states until the next run.
_RUN_STATE = ("memo", "document", "reporter", "node", "input_lines", "inliner")


def _release(machine: states.RSTStateMachine) -> None:
    """Forget the finished run on the reused state machines (``machine`` and the
    nested ones docutils caches), so that the parse tree is garbage once the
    check is done instead of staying reachable until the next parse."""
    for held in (machine, *_CheckedState.nested_sm_cache):
        for owner in (held, *held.states.values()):
            for name in _RUN_STATE:
                if getattr(owner, name, None) is not None:
                    setattr(owner, name, None)


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
