"""The reStructuredText reference page, rendered with sandboxed Jinja2 templates.

The default templates (``statusdoc/templates/*.rst.j2``) reproduce the shape of
the Glance "Image Statuses" page: header comment, title, intro, a bullet list
of ````status```` entries with their descriptions, the figure with generated
alt text, transition notes, and a transition table. A user ``templates``
directory overrides any template by file name.

Spec text is only ever *data* for the templates: it is escaped (names,
labels, titles) or passed through as RST (descriptions, intro) but never
compiled as template code. Descriptions and the intro are checked by
:func:`check_rst_safety` first: directives and roles that read files or run
code are refused unless ``allow_unsafe_rst=True``.

Public helpers used by the Sphinx extension: :func:`rst_context`,
:func:`render_template`, :func:`status_anchor`, :func:`status_anchors`,
:func:`alt_text`, :func:`check_rst_safety`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from statusdoc.emit.escape import (
    display_width,
    header_text,
    one_line,
    rst_escape,
    rst_literal,
    unique_slugs,
)
from statusdoc.emit.rst_aliases import DIRECTIVE_ALIASES
from statusdoc.errors import StatusdocError
from statusdoc.spec.model import Machine, TransitionRule

#: Section names the default page knows, in default order.
SECTIONS: tuple[str, ...] = ("statuses", "diagram", "transitions", "table")

#: Default heading adornment characters, outermost first (title uses index 0).
HEADING_CHARS = "=-~^\"'"

#: Characters docutils accepts as section adornments.
_ADORNMENT_CHARS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

#: Templates shipped with the package (inside the wheel).
TEMPLATE_NAMES: tuple[str, ...] = (
    "page.rst.j2",
    "statuses.rst.j2",
    "diagram.rst.j2",
    "transitions.rst.j2",
    "table.rst.j2",
)

_PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class UnsafeRstError(StatusdocError, ValueError):
    """A description or the intro uses a directive or role that reads files
    or runs code; ``findings`` lists each one, naming the state or rule."""

    def __init__(self, findings: Sequence[str]) -> None:
        self.findings = tuple(findings)
        super().__init__(
            "unsafe RST in spec (pass allow_unsafe_rst=True / configure the opt-in "
            "to allow it):\n  " + "\n  ".join(self.findings)
        )


# ---------------------------------------------------------------------------
# Safety
# ---------------------------------------------------------------------------

#: Directives refused outright: they read files, emit raw output or run code.
UNSAFE_DIRECTIVES: frozenset[str] = frozenset(
    {
        "include", "raw", "literalinclude",
        # Sphinx / common extensions that import or execute code
        "ifconfig", "automodule", "autoclass", "autofunction", "automethod",
        "autoattribute", "autodata", "autoexception", "autosummary",
        "autoprogram", "program-output", "command-output", "exec", "plot",
        "doctest", "testcode", "testsetup", "testcleanup", "testoutput",
        "jupyter-execute", "ipython", "bokeh-plot", "jinja", "datatemplate",
        # diagram directives whose source may name files or images
        "graphviz", "graph", "digraph", "inheritance-diagram", "uml", "plantuml",
        "mermaid", "kroki",
    }
)
#: Directives refused only with one of these options (they then read a file or URL).
UNSAFE_DIRECTIVE_OPTIONS: dict[str, frozenset[str]] = {
    "csv-table": frozenset({"file", "url"}),
    "list-table": frozenset({"file", "url"}),
    "table": frozenset({"file", "url"}),
}
#: Directives that read a local file named by their argument (remote http(s) is fine).
LOCAL_FILE_DIRECTIVES: frozenset[str] = frozenset({"image", "figure"})
#: Roles that copy or read a file.
UNSAFE_ROLES: frozenset[str] = frozenset({"download"})

_DIRECTIVE_RE = re.compile(
    r"\.\.[ \t]+(?:\|[^|\n]*\|[ \t]+)?(?P<name>[^\s:`|][^\s`]*?)[ \t]*::(?P<arg>[^\n]*)"
)
_ROLE_RE = re.compile(r":(?P<name>[A-Za-z0-9_.+:-]+):`")
_OPTION_RE = re.compile(r"^[ \t]+:(?P<opt>[A-Za-z0-9_-]+):", re.MULTILINE)
_ROLE_DIRECTIVE_RE = re.compile(r"\.\.[ \t]+role[ \t]*::[^\n]*\(\s*raw\s*\)", re.IGNORECASE)


def _short_name(name: str) -> str:
    """Directive/role name without a domain prefix, lower-cased (``rst:raw`` -> ``raw``)."""
    return name.lower().rsplit(":", 1)[-1]


def rst_findings(text: str) -> list[str]:
    """Unsafe constructs in one RST ``text``, as short descriptions."""
    found: list[str] = []
    for match in _DIRECTIVE_RE.finditer(text):
        name = _short_name(match.group("name"))
        name = DIRECTIVE_ALIASES.get(name, name)  # ".. einfügen::" is include
        if name in UNSAFE_DIRECTIVES:
            found.append(f"directive '{name}'")
        elif name in UNSAFE_DIRECTIVE_OPTIONS:
            block = _directive_block(text, match.end())
            opts = {o.lower() for o in _OPTION_RE.findall(block)}
            bad = sorted(opts & UNSAFE_DIRECTIVE_OPTIONS[name])
            if bad:
                found.append(f"directive '{name}' with :{bad[0]}:")
        elif name in LOCAL_FILE_DIRECTIVES:
            target = match.group("arg").strip()
            if not re.match(r"(?i)https?://", target):
                found.append(f"directive '{name}' with a local file")
    if _ROLE_DIRECTIVE_RE.search(text):
        found.append("directive 'role' based on 'raw'")
    for match in _ROLE_RE.finditer(text):
        role = _short_name(match.group("name"))
        # "raw" anywhere: projects often define raw-html roles in rst_prolog
        if role in UNSAFE_ROLES or "raw" in role:
            found.append(f"role ':{role}:'")
    return found


def _directive_block(text: str, start: int) -> str:
    """The option lines right after a directive marker (indented, until a blank line)."""
    rest = text[start:].split("\n")[1:]
    block: list[str] = []
    for line in rest:
        if not line.strip() or not line[:1].isspace():
            break
        block.append(line)
    return "\n".join(block)


def check_rst_safety(machine: Machine) -> list[str]:
    """Every unsafe construct in the machine's RST prose, located.

    Looks at the intro, each state description and each transition rule
    description. Each entry reads like ``states.queued.description: directive
    'include'``. An empty list means the page is safe to build.
    """
    found: list[str] = []
    for where, text in _prose(machine):
        found.extend(f"{where}: {item}" for item in rst_findings(text))
    return found


def _prose(machine: Machine) -> Iterable[tuple[str, str]]:
    if machine.intro:
        yield "machine.intro", machine.intro
    for state in machine.states:
        if state.description:
            yield f"states.{state.name}.description", state.description
    for rule in machine.rules:
        if rule.description:
            yield f"transitions[{rule.index}].description", rule.description


# ---------------------------------------------------------------------------
# Anchors and alt text
# ---------------------------------------------------------------------------


def status_anchors(machine: Machine) -> dict[str, str]:
    """Every status name mapped to its RST target name (see :func:`status_anchor`).

    Cached per machine (machines are immutable).
    """
    cache = machine._cache
    anchors = cache.get("rst.anchors")
    if anchors is None:
        prefix = unique_slugs([machine.name])[machine.name]
        slugs = unique_slugs(machine.state_names)
        anchors = {name: f"{prefix}-status-{slug}" for name, slug in slugs.items()}
        cache["rst.anchors"] = anchors
    return anchors  # type: ignore[return-value]


def status_anchor(machine: Machine, name: str) -> str:
    """The target name of status ``name``: ``<machine slug>-status-<status slug>``.

    Slug rule: NFKD-fold to ASCII, lower-case, runs of anything but ``a-z0-9``
    become ``-``, trimmed. Names whose slugs collide (``Active``/``active``,
    ``a.b``/``a-b``) or have an empty slug get ``-<6 hex digits of the
    SHA-256 of the name>`` appended, so every anchor is unique and stable.
    Raises ``KeyError`` for an unknown status.
    """
    return status_anchors(machine)[name]


def alt_text(machine: Machine) -> str:
    """Plain-text description of the diagram listing EVERY transition.

    ``"queued to saving (upload); saving to active (upload succeeded); ..."``
    in spec order, wildcards expanded, starting with the entry arrow
    (``"start to queued (create image)"``), ending with the final statuses.
    It is built from the same model as the DOT, so it cannot disagree with
    the diagram. One line, not escaped (callers escape for their format).
    """
    label = {s.name: one_line(s.label) for s in machine.states}
    parts = []
    entry = f"start to {label[machine.initial]}"
    if machine.initial_label:
        entry += f" ({one_line(machine.initial_label)})"
    parts.append(entry)
    for t in machine.transitions:
        part = f"{label[t.source]} to {label[t.target]}"
        if t.label:
            part += f" ({one_line(t.label)})"
        parts.append(part)
    finals = [label[s.name] for s in machine.states if s.final]
    text = f"{one_line(machine.title or machine.name)} status diagram: " + "; ".join(parts)
    if finals:
        text += "; final: " + ", ".join(finals)
    return text + "."


# ---------------------------------------------------------------------------
# Context and templates
# ---------------------------------------------------------------------------


def default_image(source_name: str) -> str:
    """The figure path used when ``image`` is not given: ``<spec stem>.png``."""
    return PurePosixPath(source_name.replace("\\", "/")).stem + ".png"


def _uri(path: str) -> str:
    # directives.uri() drops unescaped whitespace; escape it, and backslashes.
    return re.sub(r"(\s)", r"\\\1", one_line(path).replace("\\", "\\\\"))


def rst_context(
    machine: Machine,
    *,
    source_name: str,
    image: str | bool | None = None,
    sections: Sequence[str] | None = None,
    title: bool | int = True,
    heading_chars: str = HEADING_CHARS,
    allow_unsafe_rst: bool = False,
) -> dict[str, Any]:
    """The data the templates are rendered with (documented in ``docs/outputs.rst``).

    Every string meant as plain text is already RST-escaped; ``raw`` holds the
    unescaped values. ``image=None`` uses :func:`default_image`, ``False`` or
    ``""`` drops the figure. ``title`` is ``False`` (no title), ``True``
    (level 0) or the heading level (index into ``heading_chars``).
    Raises :class:`UnsafeRstError` when the prose is unsafe and
    ``allow_unsafe_rst`` is false, and ``ValueError`` for a bad option.
    """
    if not allow_unsafe_rst:
        findings = check_rst_safety(machine)
        if findings:
            raise UnsafeRstError(findings)
    chosen = tuple(SECTIONS if sections is None else sections)
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    if isinstance(title, bool):
        level: int | None = 0 if title else None
    else:
        level = int(title)
    bad_chars = [c for c in heading_chars if c not in _ADORNMENT_CHARS]
    if bad_chars:
        raise ValueError(f"heading_chars {heading_chars!r}: {bad_chars[0]!r} cannot underline "
                         "a title (use ASCII punctuation such as = - ~ ^)")
    if level is not None and not 0 <= level < len(heading_chars):
        raise ValueError(f"heading level {level} needs heading_chars longer than {heading_chars!r}")
    if image is None:
        image = default_image(source_name)
    image_path = image if isinstance(image, str) else ""

    anchors = status_anchors(machine)
    label = {s.name: s.label for s in machine.states}
    statuses = [
        {
            "name": s.name,
            "label": rst_escape(s.label),
            "literal": rst_literal(s.name),
            "anchor": anchors[s.name],
            "anchor_target": _target_name(anchors[s.name]),
            "description": s.description,
            "final": s.final,
            "initial": s.name == machine.initial,
            "tags": [rst_escape(t) for t in s.tags],
        }
        for s in machine.states
    ]
    notes = []
    for rule in machine.rules:
        if not (rule.description or rule.tags):
            continue
        notes.append(
            {
                "index": rule.index,
                "summary": _rule_summary(machine, rule),
                "description": rule.description,
                "tags": [_tag_text(machine, t) for t in rule.tags],
                "wildcard": rule.wildcard,
            }
        )
    literal = _Memo(rst_literal)  # names, labels and events repeat across rows
    escape = _Memo(rst_escape)
    rows = [
        {
            "source": literal(t.source),
            "target": literal(t.target),
            "label": escape(t.label),
            "event": literal(t.event) if t.event else "",
            "tags": [escape(x) for x in t.tags],
        }
        for t in machine.transitions
    ]
    title_text = rst_escape(machine.title or machine.name)
    chars = heading_chars
    alt = alt_text(machine)
    return {
        "header": header_text(source_name),
        "source_name": one_line(source_name),
        "machine": machine,
        "name": machine.name,
        "show_title": level is not None,
        "title": title_text,
        "title_underline": (chars[level] * display_width(title_text)) if level is not None else "",
        "heading_level": level,
        "heading_chars": chars,
        "intro": machine.intro,
        "sections": chosen,
        "statuses": statuses,
        "initial": rst_literal(machine.initial),
        "initial_label": rst_escape(machine.initial_label),
        "image": _uri(image_path) if image_path else "",
        "alt": one_line(alt).strip(),  # option values are not inline-parsed: no escaping
        "caption": rst_escape(f"Every allowed transition: {machine.title or machine.name}."),
        "notes": notes,
        "rows": rows,
        "raw": {
            "title": machine.title,
            "alt": alt,
            "image": image_path,
            "labels": label,
        },
    }


class _Memo(dict[str, str]):
    """``memo(text)``: ``func(text)``, computed once per distinct text."""

    def __init__(self, func: Any) -> None:
        super().__init__()
        self.func = func

    def __call__(self, text: str) -> str:
        try:
            return self[text]
        except KeyError:
            value = self[text] = self.func(text)
            return value


def _target_name(anchor: str) -> str:
    # Anchors are [a-z0-9-]; nothing to escape, but keep one place for the rule.
    return anchor


def _tag_text(machine: Machine, tag: str) -> str:
    style = machine.diagram.tag(tag)
    if style and style.legend:
        return f"{rst_escape(tag)} ({rst_escape(style.legend)})"
    return rst_escape(tag)


def _rule_summary(machine: Machine, rule: TransitionRule) -> str:
    if rule.wildcard:
        source = "any non-final status"
    else:
        source = ", ".join(rst_literal(s) for s in rule.sources)
    # issue 10: a return rule has no single target (the emitters' own work will draw it)
    target = "the previous status" if rule.target is None else rst_literal(rule.target)
    text = f"From {source} to {target}"
    if rule.label:
        text += f" ({rst_escape(rule.label)})"
    if rule.event:
        text += f", event {rst_literal(rule.event)}"
    return text


@functools.lru_cache(maxsize=16)
def _environment(templates: str | None) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    loaders = []
    if templates:
        loaders.append(FileSystemLoader(templates))
    loaders.append(FileSystemLoader(str(_PACKAGE_TEMPLATES)))
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,  # a long-lived Sphinx process sees edited user templates
    )
    env.filters["rst_escape"] = rst_escape
    env.filters["rst_literal"] = rst_literal
    env.filters["underline"] = lambda text, char="=": char * display_width(text)
    return env


def render_template(
    name: str, context: dict[str, Any], templates: str | Path | None = None
) -> str:
    """Render template ``name`` (e.g. ``"page.rst.j2"``) with ``context``.

    ``templates`` is a directory whose files override the packaged templates
    of the same name. Rendering is sandboxed; the result has trailing spaces
    stripped from every line and ends with exactly one newline.
    """
    env = _environment(str(templates) if templates is not None else None)
    text = env.get_template(name).render(context)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def emit_rst(
    machine: Machine,
    *,
    source_name: str,
    templates: str | Path | None = None,
    image: str | bool | None = None,
    sections: Sequence[str] | None = None,
    title: bool | int = True,
    heading_chars: str = HEADING_CHARS,
    allow_unsafe_rst: bool = False,
) -> str:
    """The RST reference page of ``machine`` (see :func:`rst_context` for options)."""
    context = rst_context(
        machine,
        source_name=source_name,
        image=image,
        sections=sections,
        title=title,
        heading_chars=heading_chars,
        allow_unsafe_rst=allow_unsafe_rst,
    )
    return render_template("page.rst.j2", context, templates)
