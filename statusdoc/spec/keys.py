"""The spec's keys, written once: per table, per key, its kind, whether it is
required, its limits and its description.

:mod:`statusdoc.spec.validate` reads these tables to check a spec (allowed
and required keys, types, text rules, the patterns of its fast path),
:mod:`statusdoc.spec.schema` turns them into the JSON Schema, and
:func:`keys_rst` into the key tables of the spec reference (a test keeps
both generated files current). Adding a key is one :class:`Key` row here,
plus whatever the model does with the value.

A key's *kind* says how its value is checked:

=============  ==============================================================
``string``     any string
``line``       one line of text: non-empty, no control characters, no
               leading or trailing whitespace, at most :data:`MAX_NAME`
               characters (``empty_ok``: ``""`` means "not set")
``prose``      RST text: several lines allowed, no control characters but
               newline and tab
``slug``       :data:`SLUG` at most :data:`MAX_SLUG` characters
``language``   a language code (:data:`LANGUAGE`); sets the language the RST
               safety check reads the prose in
``status``     the name of a status (``*`` is not one)
``statuses``   a list of distinct statuses
``entries``    a status or a non-empty list of distinct statuses
``labels``     a ``line``, or a table of statuses to ``line``
``sources``    a status, a non-empty list of statuses, :data:`WILDCARD`, or a
               table holding ``section`` (``{ group = "<name>" }``)
``tag``        a tag or group name: a line of at most :data:`MAX_TAG` characters
``tags``       a list of distinct tags
``boolean``    true or false
``number``     a number (integer or decimal) within ``limits``
``flag``       true or false, or a ``line`` (true, with a reason)
``choice``     one of ``choices``
``attribute``  one Graphviz attribute value (checked by :mod:`.attrs`)
``attrs``      a table of Graphviz attributes from the ``attrs`` allow-list
``rules``      a list of rule names or codes (:mod:`statusdoc.spec.rules`)
``table``      a table holding ``section``
``map``        a table of names (``names``: ``status`` or ``tag``) to ``section``
``array``      an array of ``section`` tables
=============  ==============================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from statusdoc.spec import attrs as A

Kind = Literal[
    "string", "line", "prose", "slug", "language", "status", "statuses", "entries", "labels",
    "tag", "sources", "tags", "boolean", "number", "flag", "choice", "attribute", "attrs",
    "rules", "table", "map", "array",
]

#: Longest state name, event, label or title (longer ones blow up the diagram).
MAX_NAME = 200
#: Longest machine name (it becomes anchors, enum and file names).
MAX_SLUG = 64
#: Longest tag name.
MAX_TAG = 100
#: ``from = "*"``: every non-final status except the target.
WILDCARD = "*"
#: Status names that YAML, JSON and tables read as null: no other status may use
#: them (any case) when ``machine.null`` is set.
NULL_WORDS = ("none", "null")
#: How a wildcard transition is drawn.
WILDCARD_MODES = ("group", "expand")
#: ``[diagram] aspect`` when not set: a diagram at most 1.6 times broader than deep.
DEFAULT_ASPECT = 1.6
#: A description starting with this word (any case) is a placeholder.
TODO = "TODO"

#: Control characters (Unicode category Cc: C0, DEL, C1) as a regex class body.
CONTROL = r"\x00-\x1f\x7f-\x9f"
#: The control characters prose may not hold: all but newline and tab.
PROSE_CONTROL = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
#: A machine name.
SLUG = r"[a-z0-9][a-z0-9_-]*"
#: A language code, BCP 47 shaped as docutils and Sphinx take it ("de", "pt_BR", "zh-Hant").
LANGUAGE = r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}"

CONTROL_RE = re.compile(f"[{CONTROL}]")
PROSE_CONTROL_RE = re.compile(f"[{PROSE_CONTROL}]")
SLUG_RE = re.compile(SLUG)
LANGUAGE_RE = re.compile(LANGUAGE)
TODO_RE = re.compile(rf"\s*{TODO}\b", re.IGNORECASE)

_LINE_EDGE = rf"[^\s{CONTROL}]"
_LINE_CHAR = f"[^{CONTROL}]"


def line_regex(limit: int | None = None) -> str:
    """A line of text as a regex (for ``fullmatch``); with ``limit``, also its length."""
    middle = f"{_LINE_CHAR}*" if limit is None else f"{_LINE_CHAR}{{0,{limit - 2}}}"
    return f"{_LINE_EDGE}(?:{middle}{_LINE_EDGE})?"


def prose_regex() -> str:
    """Prose as a regex (for ``fullmatch``)."""
    return f"[^{PROSE_CONTROL}]*"


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a spec table. ``doc`` is RST (the schema gets it as plain text)."""

    name: str
    kind: Kind
    doc: str
    required: bool = False
    #: The message when a required key is missing.
    missing: str = ""
    #: ``choice`` and ``attribute``: the allowed values.
    choices: tuple[str, ...] = ()
    #: ``attrs``: the allowed attribute names.
    attrs: frozenset[str] = frozenset()
    #: ``table``, ``map`` and ``array``: the table(s) inside.
    section: Section | None = None
    #: ``map``: the kind of the names (``status`` or ``tag``).
    names: Kind = "line"
    #: ``line``: an empty string means "not set".
    empty_ok: bool = False
    #: ``map``: the message when it is empty (it must have an entry).
    empty: str = ""
    default: bool | str | float | None = None
    #: ``number``: the smallest and largest value accepted.
    limits: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Section:
    """One table of a spec; ``title`` names it in messages ("unknown key 'x' in a state").

    With ``attributes``, keys other than ``keys`` are Graphviz attributes from
    that allow-list (a tag style: ``legend`` plus node and edge attributes).
    """

    name: str
    title: str
    keys: tuple[Key, ...]
    doc: str = ""
    attributes: frozenset[str] | None = None
    #: Keys of which at least one must be present (the first key's ``missing`` says so).
    any_of: tuple[str, ...] = ()
    names: tuple[str, ...] = field(init=False)
    allowed: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        names = tuple(key.name for key in self.keys)
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "allowed", frozenset(names))

    def __getitem__(self, name: str) -> Key:
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)


MACHINE = Section("machine", "[machine]", (
    Key("name", "slug", required=True,
        missing="missing machine.name (a slug such as 'image')",
        doc=f"A slug — lowercase letters, digits, ``_`` and ``-``, starting with a letter or "
        f"digit, at most {MAX_SLUG} characters (``{SLUG}``). Used for anchors, enum names "
        "and file names."),
    Key("title", "line", doc=f"Page title. Default: the ``name``. One line, at most {MAX_NAME} "
        "characters."),
    Key("language", "language",
        doc="Language of the RST prose, as docutils names it (``de``, ``pt-BR``): the "
        "localised directive and role names the safety check resolves. Default: English. "
        "Sphinx builds use the project's ``language`` instead."),
    Key("intro", "prose", doc="RST prose shown before the status list. Default: empty."),
    Key("initial", "entries", required=True,
        missing="missing machine.initial (the status a new object starts in)",
        doc="The entry status a new object starts in, or a non-empty list of entry statuses "
        "when objects start in several ways (``[\"creating\", \"managing\"]``). Each must "
        "be a defined status that is not deprecated. ``Machine.initial`` is the first "
        "entry."),
    Key("initial_label", "labels", empty_ok=True,
        doc="Label of the entry arrows in the diagram: one string for every entry, or a "
        "table by entry status (``{ creating = \"create\" }``; entries it leaves out get "
        "no label). Default: empty (unlabelled arrows)."),
    Key("null", "status",
        doc="The status stored as Python ``None`` (SQL ``NULL``): the runtime and the "
        "generated module accept ``None`` for it. No other status may then be called "
        "``None`` or ``null`` (any case). Default: none."),
), doc="The machine as a whole.")

STATE = Section("state", "a state", (
    Key("description", "prose", doc="RST prose describing the status. Default: empty."),
    Key("final", "boolean", default=False,
        doc="``true`` for a terminal status: only a reset (``include_final = true``) may "
        "leave it, and other wildcards skip it. Default: ``false``."),
    Key("tags", "tags", doc="Free-form tags; ``[diagram.tags.<tag>]`` styles them. "
        "Default: none."),
    Key("label", "line", doc="Display name when it differs from the key. Default: the status "
        "name."),
    Key("deprecated", "flag", default=False,
        doc="``true``, or a one-line reason (plain text), for a status the code no longer "
        "sets but stored rows may still hold: it need not be reachable nor have a way out, "
        "a transition into it is a warning, and it cannot be an entry. Default: "
        "``false``."),
    Key("group", "tag", doc="The group (``[groups.<name>]``) the status belongs to. "
        "Default: none."),
), doc="One status.")

GROUP = Section("group", "a group", (
    Key("title", "line", doc=f"Heading of the group in pages and diagrams. Default: the "
        f"group's name. One line, at most {MAX_NAME} characters."),
    Key("description", "prose", doc="RST prose describing the group. Default: empty."),
), doc="A named set of statuses: shown together, usable as a transition source.")

FROM_GROUP = Section("fromGroup", "a group source", (
    Key("group", "tag", required=True,
        missing="missing 'group' (the name of a [groups.<name>] table)",
        doc="The group whose statuses are the sources."),
), doc="Every status of a group as the source of a transition.")

TRANSITION = Section("transition", "a transition", (
    Key("from", "sources", required=True, section=FROM_GROUP,
        missing="missing 'from' (a status, a list of statuses, \"*\" or { group = ... })",
        doc='The source status, a non-empty list of sources, the wildcard ``"*"`` (every '
        "non-final status except the target), or ``{ group = \"<name>\" }`` (every "
        "non-final status of the group except the target)."),
    Key("except", "statuses", doc='Statuses a ``"*"`` or group source leaves out. '
        "Default: none."),
    Key("include_final", "boolean", default=False,
        doc="``true``: this rule may leave final statuses (a reset); a wildcard or group "
        "source then covers them too. Default: ``false``."),
    Key("to", "status", missing="missing 'to' (the target status, or return = true)",
        doc="*Required unless* ``return = true``. The target status."),
    Key("return", "boolean", default=False,
        doc="``true`` instead of ``to``: back to the status the object came from; expanded "
        "to one transition to each status with a transition into the source. Default: "
        "``false``."),
    Key("label", "line", doc="Edge label in the diagram. Default: empty."),
    Key("event", "line", doc="Name of the trigger (``machine.fire(src, event)``). "
        "Default: none."),
    Key("guard", "line", doc="The condition under which the transition is taken, as one "
        "line of plain text (documentation: shown as ``event [guard]``). Distinct guards "
        "make one event with several targets a choice. Default: none."),
    Key("tags", "tags", doc="Tags, styled like state tags. Default: none."),
    Key("description", "prose", doc="Long-form RST text for the transition notes of the "
        "page. Default: empty."),
), doc="One allowed move (or, with a wildcard, a group or a list, several).",
    any_of=("to", "return"))

TAG_STYLE = Section("tagStyle", "a tag style", (
    Key("legend", "line", doc="The legend text for the tag. Default: none."),
    Key("in_text", "boolean", default=True,
        doc="Whether the page names this tag in text. Default: ``true``."),
), doc="Node and edge attributes for statuses and transitions carrying the tag.",
    attributes=A.TAG_ATTRS)

DIAGRAM = Section("diagram", "[diagram]", (
    Key("rankdir", "attribute", choices=A.RANKDIRS,
        doc="``TB`` (default layout), ``LR``, ``BT`` or ``RL``. Shorthand for "
        "``[diagram.graph] rankdir``; set it in one place only."),
    Key("graph", "attrs", attrs=A.GRAPH_ATTRS, doc="Graph attributes (allow-listed, see "
        "below)."),
    Key("node", "attrs", attrs=A.NODE_ATTRS, doc="Attributes of every status node."),
    Key("edge", "attrs", attrs=A.EDGE_ATTRS, doc="Attributes of every transition edge."),
    Key("final", "attrs", attrs=A.NODE_ATTRS, doc="Node attributes added to final statuses."),
    Key("tags", "map", section=TAG_STYLE, names="tag",
        doc="One table per tag: node and edge attributes for statuses and transitions "
        "carrying the tag, plus the keys of ``[diagram.tags.<tag>]`` below."),
    Key("wildcards", "choice", choices=WILDCARD_MODES, default="group",
        doc='``"group"`` (default): a wildcard or group transition is drawn as one arrow, '
        'a return transition as arrows into a history marker; ``"expand"``: one arrow per '
        'transition.'),
    Key("aspect", "number", limits=(0.5, 5.0), default=DEFAULT_ASPECT,
        doc="How much broader than deep the diagram may be (width:height top to bottom, "
        "height:width left to right): levels broader than this are wrapped over several "
        f"rows. From 0.5 to 5; default ``{DEFAULT_ASPECT}``."),
), doc="Presentational Graphviz attributes (allow-listed).")

LINT = Section("lint", "[lint]", (
    Key("allow", "rules",
        doc="Warning rules, by name or code, not to report for this spec. Error rules "
        "cannot be allowed."),
), doc="What to check in this spec.")

SPEC = Section("spec", "the spec", (
    Key("machine", "table", section=MACHINE, required=True,
        missing="missing [machine] table (with name and initial)", doc=MACHINE.doc),
    Key("states", "map", section=STATE, names="status", required=True,
        missing="missing states (at least one [states.<name>] table)",
        empty="no states defined: add at least one [states.<name>] table",
        doc="The statuses, in display order; keys are status names."),
    Key("groups", "map", section=GROUP, names="tag",
        doc="Named groups of statuses, in display order; keys are group names."),
    Key("transitions", "array", section=TRANSITION, doc="Allowed moves between statuses."),
    Key("diagram", "table", section=DIAGRAM, doc=DIAGRAM.doc),
    Key("lint", "table", section=LINT, doc=LINT.doc),
    Key("$schema", "string", doc="Editor hint; ignored."),
), doc="One status machine: its statuses, transitions and diagram style.")

#: The tables whose keys the spec reference lists, by the name its markers use.
DOCUMENTED: dict[str, Section] = {
    "machine": MACHINE, "state": STATE, "group": GROUP, "transition": TRANSITION,
    "diagram": DIAGRAM, "tag-style": TAG_STYLE, "lint": LINT,
}

_TYPE_WORDS: dict[str, str] = {
    "sources": 'string, list, ``"*"`` or table', "tags": "list of strings",
    "statuses": "list of strings", "entries": "string or list", "labels": "string or table",
    "flag": "boolean or string", "boolean": "boolean", "number": "number",
    "attrs": "table", "table": "table", "map": "table", "array": "array of tables",
    "rules": "list of strings",
}


def keys_rst(section: Section) -> str:
    """The key table of ``section`` for the spec reference (an RST list-table)."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 18 18 64",
        "",
        "   * - key",
        "     - type",
        "     - meaning",
    ]
    for key in section.keys:
        meaning = ("*Required.* " if key.required else "") + key.doc
        lines += [
            f"   * - ``{key.name}``",
            f"     - {_TYPE_WORDS.get(key.kind, 'string')}",
            f"     - {meaning}",
        ]
    return "\n".join(lines) + "\n"


def plain(doc: str) -> str:
    """``doc`` without its RST markup (for the schema's descriptions)."""
    return doc.replace("``", "")
