"""Every rule a spec is checked against, with its stable code and name.

Each problem statusdoc reports about a spec (:class:`statusdoc.errors.Problem`)
names the rule it broke, like a linter: ``[SD201 ambiguous-event]``. Codes
are stable: a rule that goes away leaves its code unused, a new rule takes a
new one. The ranges say what kind of rule it is:

* ``SD0xx`` — the file cannot be read as a spec (encoding, syntax);
* ``SD1xx`` — errors in what the spec says: ``SD10x`` structure, ``SD11x``
  text, ``SD12x`` statuses, ``SD13x`` transitions, ``SD14x`` diagram,
  ``SD19x`` the ``[lint]`` table itself;
* ``SD2xx`` — warnings: the spec loads, but probably says something it does
  not mean.

Warnings can be *allowed* (``[lint] allow`` in the spec, ``lint.allow`` in
the project configuration, ``statusdoc validate --ignore``); errors cannot.
Adding a rule is one row in :data:`RULES` (and a test that triggers it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from statusdoc.errors import Problem, Severity
from statusdoc.suggest import did_you_mean

__all__ = ["RULES", "Rule", "allowed_rules", "check_allow", "make_problem", "rule", "rules_rst"]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: ``code`` (``SD201``), ``name`` (``ambiguous-event``), severity, summary."""

    code: str
    name: str
    severity: Severity
    summary: str

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


_E: Severity = "error"
_W: Severity = "warning"

#: Every rule, in code order. One row per rule.
RULES: tuple[Rule, ...] = (
    Rule("SD001", "unreadable-spec", _E,
         "The file cannot be read as a spec: missing, too large, not UTF-8, binary."),
    Rule("SD002", "syntax-error", _E, "TOML, YAML or JSON syntax error."),
    Rule("SD003", "unsupported-syntax", _E,
         "Legal syntax a spec refuses: YAML anchors, merge keys and tags, JSON NaN, "
         "deep nesting."),
    Rule("SD004", "duplicate-key", _E, "A key (or a status) defined twice in one table."),
    Rule("SD101", "empty-spec", _E, "The file holds no spec at all."),
    Rule("SD102", "unknown-key", _E, "A key the spec format does not define."),
    Rule("SD103", "missing-key", _E, "A required key or table is missing."),
    Rule("SD104", "wrong-type", _E, "A value of the wrong type (a number for a string, ...)."),
    Rule("SD105", "invalid-choice", _E, "A value that is not one of the allowed choices."),
    Rule("SD111", "empty-text", _E, "An empty name, label, event, tag or title."),
    Rule("SD112", "text-too-long", _E, "A name, label, event, tag or title over its length limit."),
    Rule("SD113", "control-character", _E,
         "A control character in text (in names and labels: any line break too)."),
    Rule("SD114", "surrounding-whitespace", _E,
         "A name, label, event, tag or title with leading or trailing whitespace."),
    Rule("SD115", "invalid-slug", _E, "``machine.name`` is not a slug."),
    Rule("SD116", "lone-surrogate", _E,
         "Text holding half of a UTF-16 surrogate pair (a JSON ``\\ud800`` escape alone)."),
    Rule("SD117", "invalid-language", _E, "``machine.language`` is not a language code."),
    Rule("SD121", "no-states", _E, "The spec defines no status."),
    Rule("SD122", "reserved-name", _E, "A status named ``*`` (reserved for wildcards)."),
    Rule("SD123", "unknown-status", _E, "A status that the spec does not define."),
    Rule("SD124", "unreachable-status", _E,
         "A status (not deprecated) that no path leads to from an entry status."),
    Rule("SD125", "deprecated-entry", _E, "An entry status (``machine.initial``) is deprecated."),
    Rule("SD126", "duplicate-entry", _E, "A status listed twice in ``machine.initial``."),
    Rule("SD127", "unknown-entry", _E,
         "``machine.initial_label`` labels a status that is not an entry status."),
    Rule("SD128", "null-collision", _E,
         "With ``machine.null`` set, another status is called ``None`` or ``null`` (any case)."),
    Rule("SD129", "unknown-group", _E,
         "A status or a ``from`` names a group no ``[groups.<name>]`` table declares."),
    Rule("SD131", "transition-from-final", _E,
         "A transition leaves a final status without ``include_final = true``."),
    Rule("SD132", "duplicate-transition", _E,
         "Two transitions with the same source, target, event and label."),
    Rule("SD133", "wildcard-target", _E, "``to`` is the wildcard ``*``."),
    Rule("SD134", "wildcard-in-list", _E, "``*`` inside a ``from`` list instead of alone."),
    Rule("SD135", "empty-sources", _E, "``from`` is an empty list."),
    Rule("SD136", "duplicate-source", _E,
         "A status listed twice in one ``from`` or ``except`` list."),
    Rule("SD137", "too-many-transitions", _E,
         "The rules expand (wildcards included) to more than 200,000 transitions."),
    Rule("SD138", "except-without-wildcard", _E,
         "``except`` on a transition whose ``from`` is neither ``*`` nor a group."),
    Rule("SD139", "return-with-to", _E, "A transition has both ``return = true`` and ``to``."),
    Rule("SD141", "forbidden-attribute", _E,
         "A Graphviz attribute refused on purpose (reads files, links, layout internals)."),
    Rule("SD142", "unknown-attribute", _E, "A Graphviz attribute not on the allow-list."),
    Rule("SD143", "invalid-attribute-value", _E,
         "An attribute value out of range, too long, or naming a file."),
    Rule("SD144", "conflicting-rankdir", _E,
         "``rankdir`` set both in ``[diagram]`` and in ``[diagram.graph]``."),
    Rule("SD191", "unknown-rule", _E, "``[lint] allow`` names a rule that does not exist."),
    Rule("SD192", "not-allowable", _E,
         "``[lint] allow`` names an error rule; only warnings can be allowed."),
    Rule("SD201", "ambiguous-event", _W,
         "One event from one status leads to two targets that no distinct guards tell apart: "
         "``fire()`` cannot choose."),
    Rule("SD202", "no-way-out", _W,
         "A status that is neither final nor deprecated has no outgoing transition."),
    Rule("SD203", "empty-wildcard", _W, "A wildcard or group ``from`` matches no status."),
    Rule("SD204", "duplicate-label", _W, "Two statuses show the same label."),
    Rule("SD205", "duplicate-tag", _W, "A tag listed twice on one status or transition."),
    Rule("SD206", "unused-tag-style", _W, "A tag style for a tag nothing carries."),
    Rule("SD207", "todo-placeholder", _W, "A description or intro that starts with ``TODO``."),
    Rule("SD208", "unsafe-rst", _W,
         "Prose uses RST that reads files, links to other schemes or injects raw output; "
         "generated pages refuse it."),
    Rule("SD209", "unknown-language", _W,
         "``machine.language`` names a language docutils has no RST names for."),
    Rule("SD210", "transition-to-deprecated", _W,
         "A transition leads into a deprecated status, which the code no longer sets."),
    Rule("SD211", "empty-group", _W, "A declared group that no status belongs to."),
    Rule("SD212", "except-not-covered", _W,
         "``except`` names a status that the wildcard or group would not cover anyway."),
    Rule("SD213", "return-without-predecessor", _W,
         "A source of a ``return`` transition that no other transition enters."),
)

_BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}
_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
_LONGEST = 2 * max(len(r.name) for r in RULES)


def rule(name: str) -> Rule:
    """The rule called ``name`` (``KeyError`` for a name not in :data:`RULES`)."""
    return _BY_NAME[name]


def make_problem(name: str, file: str, line: int, path: str, message: str) -> Problem:
    """A :class:`Problem` of rule ``name``: its severity, code and name filled in."""
    found = _BY_NAME[name]
    return Problem(file, line, path, message, found.severity, found.code, found.name)


def lookup(entry: str) -> Rule | None:
    """The rule a name (``ambiguous-event``) or code (``SD201``) stands for, or None."""
    return _BY_NAME.get(entry) or _BY_CODE.get(entry)


def check_allow(entry: str) -> tuple[str, str | None]:
    """``(rule name, None)`` when ``entry`` may be allowed; else ``(rule, why not)``.

    ``why not`` is a full message: an unknown rule (with a did-you-mean) or an
    error rule. ``rule`` is then the problem's own rule name: ``unknown-rule``
    or ``not-allowable``.
    """
    found = lookup(entry)
    if found is None:
        hint = (did_you_mean(entry, [*_BY_NAME, *_BY_CODE])
                or " (see the rule table in the spec reference)")
        shown = entry if len(entry) <= _LONGEST else entry[: _LONGEST - 3] + "..."
        return "unknown-rule", f"unknown rule {shown!r}{hint}"
    if found.severity == "error":
        return "not-allowable", (
            f"rule {found} is an error; only warnings can be allowed (fix the spec instead)"
        )
    return found.name, None


def allowed_rules(entries: Iterable[str], where: str) -> frozenset[str]:
    """The rule names ``entries`` (names or codes) allow; ``ValueError`` naming the first
    entry that is unknown or an error rule, prefixed with ``where``."""
    names: set[str] = set()
    for entry in entries:
        if not isinstance(entry, str):
            raise ValueError(f"{where}: expected rule names or codes, got {entry!r}")
        name, problem = check_allow(entry)
        if problem is not None:
            raise ValueError(f"{where}: {problem}")
        names.add(name)
    return frozenset(names)


def rules_rst() -> str:
    """The rule table as an RST list-table (docs/spec.rst embeds it; a test compares)."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 9 27 10 54",
        "",
        "   * - code",
        "     - name",
        "     - severity",
        "     - what it finds",
    ]
    for item in RULES:
        lines += [
            f"   * - ``{item.code}``",
            f"     - ``{item.name}``",
            f"     - {item.severity}",
            f"     - {item.summary}",
        ]
    return "\n".join(lines) + "\n"
