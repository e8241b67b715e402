"""Check parsed spec data and build the immutable Machine.

:func:`build_machine` walks the parsed document once, collects *every*
problem (errors and warnings, each located by line and key path), and builds
the :class:`~statusdoc.spec.model.Machine` only when there is no error.
All checks are linear in the size of the spec.
"""

from __future__ import annotations

import datetime
import difflib
import re
import textwrap
from collections import deque
from collections.abc import Iterable
from typing import Any

from statusdoc.errors import Problem
from statusdoc.spec import attrs as A
from statusdoc.spec import keys as K
from statusdoc.spec.load import Document, KeyPath, format_path
from statusdoc.spec.model import (
    Attrs,
    DiagramStyle,
    Machine,
    State,
    TagStyle,
    Transition,
    TransitionRule,
)
from statusdoc.spec.rules import check_allow, make_problem

WILDCARD = K.WILDCARD
#: A table (mapping) of the parsed spec; keys are usually strings, but YAML allows others.
Table = dict[Any, Any]
#: The keys the fast path of ``_transitions`` reads, and the kind it checks each as;
#: an entry with any other key takes the full path.
_FAST_KINDS = {"from": "sources", "to": "status", "label": "line", "event": "line",
               "description": "prose"}
assert all(K.TRANSITION[key].kind == kind for key, kind in _FAST_KINDS.items())
_FAST_KEYS = frozenset(_FAST_KINDS)
#: A label or event that passes every ``line`` rule at once (the fast path of big specs).
_CLEAN_LINE_RE = re.compile(K.line_regex(K.MAX_NAME))
#: One-line prose that needs no check beyond this: no control character (so no line
#: break), not a placeholder, no ':' (every unsafe RST construct needs one).
_PLAIN_PROSE_RE = re.compile(rf"(?!{K.TODO_RE.pattern})[^{K.CONTROL}:]*", re.IGNORECASE)
#: RST that reads files or injects raw output; generated pages refuse it by default.
_UNSAFE_RST_RE = re.compile(
    r"^[ \t]*\.\.[ \t]+(include|raw|literalinclude|csv-table)[ \t]*::|^[ \t]*:(file|url):",
    re.MULTILINE,
)

_TYPE_WORDS = {
    "toml": {"dict": "table", "list": "array"},
    "yaml": {"dict": "mapping", "list": "list"},
    "json": {"dict": "object", "list": "array"},
}


def _short(value: Any, limit: int = 60) -> str:
    """A bounded, recursion-free preview of ``value`` for messages."""
    if isinstance(value, dict):
        text = "{...}" if value else "{}"
    elif isinstance(value, list):
        text = "[...]" if value else "[]"
    else:
        text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    """Collects problems while reading one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.words = _TYPE_WORDS.get(doc.format, _TYPE_WORDS["toml"])

    # -- reporting -----------------------------------------------------------

    def report(self, path: KeyPath, message: str, rule: str) -> None:
        """Record a problem of ``rule`` (a name in :mod:`statusdoc.spec.rules`) at ``path``."""
        line = self.doc.locate(path) if path else (self.doc.positions.line(()) or 1)
        self.problems.append(
            make_problem(rule, self.doc.filename, line, format_path(path), message)
        )

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    # -- types ---------------------------------------------------------------

    def type_name(self, value: Any) -> str:
        if value is None:
            return "null"
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int):
            return "integer"
        if isinstance(value, float):
            return "float"
        if isinstance(value, str):
            return "string"
        if isinstance(value, dict):
            return self.words["dict"]
        if isinstance(value, list):
            return self.words["list"]
        if isinstance(value, datetime.date | datetime.time):
            return "date/time"
        return type(value).__name__

    def wrong_type(self, path: KeyPath, expected: str, value: Any) -> None:
        self.report(path, f"expected {expected}, got {self.type_name(value)} {_short(value)}",
                    "wrong-type")

    def table(self, value: Any, path: KeyPath, *, required: bool = False,
              missing: str = "") -> Table | None:
        if value is None and not required:
            return None
        if isinstance(value, dict):
            return value
        if value is None:
            self.report(path, missing or f"missing {format_path(path)}", "missing-key")
        else:
            word = self.words["dict"]
            self.wrong_type(path, f"{'an' if word[0] in 'aeiou' else 'a'} {word}", value)
        return None

    def keys(self, table: Table, section: K.Section, path: KeyPath) -> None:
        allowed = section.allowed
        if len(table) <= len(allowed) and table.keys() <= allowed:
            return
        for key in table:
            if key in allowed:
                continue
            shown = key if isinstance(key, str) else repr(key)
            hint = _suggest(shown, section.names) or (
                f" (expected one of: {', '.join(section.names)})")
            self.report((*path, key), f"unknown key {shown!r} in {section.title}{hint}",
                        "unknown-key")

    def section(self, table: Table, section: K.Section, path: KeyPath) -> dict[str, Any]:
        """Check ``table`` as ``section``: unknown and missing keys, and the value of
        each key :meth:`value` knows; returns those values, defaults filled in."""
        if section.attributes is None:  # else the attribute allow-list judges other keys
            self.keys(table, section, path)
        values: dict[str, Any] = {}
        for key in section.keys:
            if key.name not in table:
                if key.required:
                    self.report((*path, key.name), key.missing, "missing-key")
                if key.default is not None:
                    values[key.name] = key.default
                continue
            value = self.value(table, key, path)
            if value is not None:
                values[key.name] = value
        return values

    def value(self, table: Table, key: K.Key, path: KeyPath) -> Any:
        """The checked value of ``table[key.name]``; None when it is wrong, or when its
        kind (a nested table, ``sources``, ``attrs``) is read by the section's own code."""
        kind, name = key.kind, key.name
        if kind == "line":
            if not key.empty_ok:
                return self.label(table, name, path, name)
            text = self.string(table, name, path)
            if text:
                self.name_ok(text, (*path, name), name)
            return text
        if kind == "prose":
            return self.prose(table, name, path)
        if kind in ("string", "status"):
            return self.string(table, name, path)
        if kind == "boolean":
            return self.boolean(table, name, path, bool(key.default))
        if kind == "tags":
            return self.tags(table, path)
        if kind == "slug":
            return self.slug(table, name, path)
        if kind == "choice":
            return self.choice(table, key, path)
        if kind == "attribute":
            return self.attribute(table, name, path)
        if kind == "rules":
            return self.allow(table, name, path)
        return None

    def string(self, table: Table, key: str, path: KeyPath) -> str | None:
        """The string at ``table[key]``; None (after reporting) when absent or not a string."""
        value = table.get(key)
        if value is None:
            if key in table:
                self.wrong_type((*path, key), "a string", value)
            return None
        if not isinstance(value, str):
            self.wrong_type((*path, key), "a string", value)
            return None
        return value

    def boolean(self, table: Table, key: str, path: KeyPath, default: bool = False) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.wrong_type((*path, key), "a boolean (true or false)", value)
            return default
        return value

    def slug(self, table: Table, key: str, path: KeyPath) -> str | None:
        value = self.string(table, key, path)
        if value is None or (K.SLUG_RE.fullmatch(value) and len(value) <= K.MAX_SLUG):
            return value
        self.report((*path, key),
                    f"{format_path((*path, key))} must be a slug of lowercase letters, digits, "
                    f"'_' and '-', starting with a letter or digit, at most {K.MAX_SLUG} "
                    f"characters (got {_short(value)})", "invalid-slug")
        return None

    def choice(self, table: Table, key: K.Key, path: KeyPath) -> str | None:
        value = self.string(table, key.name, path)
        if value is None or value in key.choices:
            return value
        *most, last = (repr(c) for c in key.choices)
        options = f"{', '.join(most)} or {last}" if most else last
        self.report((*path, key.name), f"{key.name} must be {options} (got {_short(value)})"
                    f"{_suggest(value, key.choices)}", "invalid-choice")
        return None

    def attribute(self, table: Table, key: str, path: KeyPath) -> str | None:
        """One Graphviz attribute given as its own key (``[diagram] rankdir``)."""
        value = self.string(table, key, path)
        if value is None:
            return None
        problem = A.check_value(key, value)
        if problem:
            self.report((*path, key), problem, "invalid-attribute-value")
            return None
        return value

    def allow(self, table: Table, key: str, path: KeyPath) -> frozenset[str]:
        """``[lint] allow``: the warning rules named (by name or code) to leave unreported."""
        value = table.get(key)
        if not isinstance(value, list):
            self.wrong_type((*path, key), "a list of rule names or codes", value)
            return frozenset()
        names: set[str] = set()
        for i, entry in enumerate(value):
            item_path = (*path, key, i)
            if not isinstance(entry, str):
                self.wrong_type(item_path, "a rule name or code (string)", entry)
                continue
            rule, problem = check_allow(entry)
            if problem is not None:
                self.report(item_path, problem, rule)
            else:
                names.add(rule)
        return frozenset(names)

    # -- text rules ----------------------------------------------------------

    def name_ok(self, value: str, path: KeyPath, what: str, limit: int = K.MAX_NAME) -> bool:
        """Names, events, tags, labels: non-empty, one line, bounded, no control chars."""
        if (value and len(value) <= limit and value == value.strip()
                and not K.CONTROL_RE.search(value)):
            return True
        if not value.strip():
            self.report(path, f"{what} must not be empty", "empty-text")
            return False
        ok = True
        if len(value) > limit:
            self.report(path, f"{what} too long ({len(value):,} characters, at most {limit})",
                        "text-too-long")
            ok = False
        bad = K.CONTROL_RE.search(value)
        if bad:
            self.report(path, f"{what} contains a control character "
                        f"({bad.group(0)!r}); {what}s must be one line of text",
                        "control-character")
            ok = False
        if value != value.strip():
            self.report(path, f"{what} {_short(value)} has leading or trailing whitespace",
                        "surrounding-whitespace")
            ok = False
        return ok

    def prose(self, table: Table, key: str, path: KeyPath) -> str:
        """Description / intro text: control characters refused, TODO warned."""
        value = self.string(table, key, path)
        if value is None:
            return ""
        bad = K.PROSE_CONTROL_RE.search(value)
        if bad:
            self.report((*path, key), f"{key} contains a control character ({bad.group(0)!r})",
                        "control-character")
        if K.TODO_RE.match(value):
            self.report((*path, key), f"{key} is a TODO placeholder; write the real text",
                        "todo-placeholder")
        if ".." in value or ":" in value:
            unsafe = _UNSAFE_RST_RE.search(value)
            if unsafe:
                if unsafe.group(1):
                    what = f"the '{unsafe.group(1)}' directive"
                else:
                    what = f"the ':{unsafe.group(2)}:' option"
                self.report((*path, key), f"{key} uses {what}, which reads files or injects "
                            "raw output; generated pages refuse it unless the project opts in",
                            "unsafe-rst")
        if "\n" in value:
            return textwrap.dedent(value).strip()
        return value.strip()

    def label(self, table: Table, key: str, path: KeyPath, what: str = "label") -> str | None:
        value = self.string(table, key, path)
        if value is None:
            return None
        return value if self.name_ok(value, (*path, key), what) else None

    def tags(self, table: Table, path: KeyPath) -> tuple[str, ...]:
        value = table.get("tags")
        if value is None:
            if "tags" in table:
                self.wrong_type((*path, "tags"), "a list of strings", value)
            return ()
        if not isinstance(value, list):
            self.wrong_type((*path, "tags"), "a list of strings", value)
            return ()
        out: list[str] = []
        for i, tag in enumerate(value):
            tag_path = (*path, "tags", i)
            if not isinstance(tag, str):
                self.wrong_type(tag_path, "a string", tag)
            elif self.name_ok(tag, tag_path, "tag", K.MAX_TAG):
                if tag in out:
                    self.report(tag_path, f"tag {tag!r} listed twice", "duplicate-tag")
                else:
                    out.append(tag)
        return tuple(out)


class _Spec:
    """The checked pieces, ready to build the model from."""

    def __init__(self) -> None:
        self.name = ""
        self.title = ""
        self.intro = ""
        self.initial: str | None = None
        self.initial_label = ""
        self.states: list[State] = []
        self.rules: list[TransitionRule] = []
        self.diagram = DiagramStyle()
        #: names of states that exist but were rejected (no cascade of "unknown status")
        self.bad_names: set[str] = set()
        self.transitions_broken = False


def build_machine(doc: Document) -> tuple[Machine | None, list[Problem]]:
    """Check ``doc`` and build its Machine; the Machine is None when any error was found.

    Warnings of the rules the spec's ``[lint] allow`` names are left out.
    """
    check = _Checker(doc)
    spec = _Spec()
    data = doc.data
    if data is None or data == {} or data == [] or data == "":
        check.report((), "empty spec: expected [machine], [states.*] and [[transitions]]",
                     "empty-spec")
        return None, check.problems
    root = check.table(data, ())
    if root is None:
        return None, check.problems
    check.section(root, K.SPEC, ())
    _machine(check, spec, root)
    _states(check, spec, root)
    raw_rules = _transitions(check, spec, root)
    _diagram(check, spec, root)
    allowed = _lint(check, root)
    _semantics(check, spec, raw_rules)
    problems = [p for p in check.problems if p.rule not in allowed]
    if check.has_errors:
        return None, problems
    transitions = tuple(
        Transition(src, rule.target, rule.label, rule.event, rule.tags, rule.description,
                   rule.index)
        for rule in spec.rules
        for src in rule.sources
    )
    assert spec.initial is not None
    machine = Machine(
        name=spec.name,
        title=spec.title,
        initial=spec.initial,
        states=tuple(spec.states),
        rules=tuple(spec.rules),
        transitions=transitions,
        intro=spec.intro,
        initial_label=spec.initial_label,
        diagram=spec.diagram,
        source=doc.filename,
    )
    return machine, problems


# ------------------------------------------------------------------ sections


def _required_table(check: _Checker, root: Table, name: str) -> Table | None:
    """The top-level table ``name`` (its absence is reported by ``check.section``)."""
    if name not in root:
        return None
    return check.table(root[name], (name,), required=True, missing=K.SPEC[name].missing)


def _machine(check: _Checker, spec: _Spec, root: Table) -> None:
    path: KeyPath = ("machine",)
    table = _required_table(check, root, "machine")
    if table is None:
        return
    values = check.section(table, K.MACHINE, path)
    spec.name = values.get("name", "")
    title = values.get("title")
    spec.title = title if title is not None else spec.name
    spec.intro = values.get("intro", "")
    spec.initial = values.get("initial")
    spec.initial_label = values.get("initial_label") or ""


def _states(check: _Checker, spec: _Spec, root: Table) -> None:
    path: KeyPath = ("states",)
    table = _required_table(check, root, "states")
    if table is None:
        return
    if not table:
        check.report(path, K.SPEC["states"].empty, "no-states")
        return
    labels: dict[str, str] = {}
    for name, body in table.items():
        state_path = (*path, name)
        if not isinstance(name, str):
            check.report(state_path, f"status name must be a string, got "
                         f"{check.type_name(name)} {_short(name)}; quote it", "wrong-type")
            continue
        ok = check.name_ok(name, state_path, "status name")
        if name == WILDCARD:
            check.report(state_path, "'*' is reserved for wildcard sources; rename the status",
                         "reserved-name")
            ok = False
        if body is None and check.doc.format != "toml":
            body = {}
        body = check.table(body, state_path, required=True)
        if body is None:
            spec.bad_names.add(name)
            continue
        values = check.section(body, K.STATE, state_path)
        label = values.get("label")
        shown = label if label is not None else name
        if shown in labels and labels[shown] != name:
            check.report(state_path, f"label {shown!r} is also the label of status "
                         f"{labels[shown]!r}; readers cannot tell them apart", "duplicate-label")
        labels.setdefault(shown, name)
        if not ok:
            spec.bad_names.add(name)
        else:
            spec.states.append(State(
                name, shown, values.get("description", ""), values["final"],
                values.get("tags", ()), check.doc.positions.quick(state_path),
            ))


class _RawRule:
    """A transitions entry after type checks, before semantic checks."""

    __slots__ = ("description", "event", "index", "label", "line", "source_items", "tags",
                 "target", "wildcard")

    def __init__(self, index: int, line: int) -> None:
        self.index = index
        self.line = line
        self.source_items: list[tuple[str, KeyPath]] = []
        self.wildcard = False
        self.target: str | None = None
        self.label = ""
        self.event: str | None = None
        self.tags: tuple[str, ...] = ()
        self.description = ""


def _transitions(check: _Checker, spec: _Spec, root: Table) -> list[_RawRule]:
    path: KeyPath = ("transitions",)
    value = root.get("transitions")
    if value is None:
        if "transitions" in root:
            check.wrong_type(path, "an array of tables ([[transitions]])", value)
            spec.transitions_broken = True
        return []
    if not isinstance(value, list):
        check.wrong_type(path, "an array of tables ([[transitions]])", value)
        spec.transitions_broken = True
        return []
    rules: list[_RawRule] = []
    quick = check.doc.positions.quick
    clean = _CLEAN_LINE_RE.fullmatch
    plain = _PLAIN_PROSE_RE.fullmatch
    fast_keys = _FAST_KEYS
    for i, entry in enumerate(value):
        # Fast path: the common entry (plain strings, only _FAST_KEYS) in a few C calls.
        if type(entry) is dict and entry.keys() <= fast_keys:
            src = entry.get("from")
            dst = entry.get("to")
            label = entry.get("label")
            event = entry.get("event")
            text = entry.get("description")
            if (type(src) is str and type(dst) is str and src != WILDCARD and dst != WILDCARD
                    and (label is None or (type(label) is str and clean(label)))
                    and (event is None or (type(event) is str and clean(event)))
                    and (text is None or (type(text) is str and plain(text)))):
                rule = _RawRule(i, quick((*path, i)))
                rule.source_items.append((src, (*path, i, "from")))
                rule.target = dst
                rule.label = label or ""
                rule.event = event
                rule.description = text.strip() if text else ""
                rules.append(rule)
                continue
        rule_path = (*path, i)
        body = check.table(entry, rule_path, required=True)
        if body is None:
            spec.transitions_broken = True
            continue
        rules.append(_transition(check, body, rule_path, i))
    return rules


def _transition(check: _Checker, body: Table, rule_path: KeyPath, index: int) -> _RawRule:
    """One ``[[transitions]]`` entry, the full way."""
    values = check.section(body, K.TRANSITION, rule_path)
    rule = _RawRule(index, check.doc.positions.quick(rule_path))
    _sources(check, body, rule_path, rule)
    target = values.get("to")
    if target == WILDCARD:
        check.report((*rule_path, "to"), "'to' cannot be a wildcard; name one status",
                     "wildcard-target")
    elif target is not None:
        rule.target = target
    rule.label = values.get("label") or ""
    rule.event = values.get("event")
    rule.tags = values.get("tags", ())
    rule.description = values.get("description", "")
    return rule


def _sources(check: _Checker, body: Table, rule_path: KeyPath, rule: _RawRule) -> None:
    from_path = (*rule_path, "from")
    if "from" not in body:
        return  # reported as missing
    value = body["from"]
    if value == WILDCARD:
        rule.wildcard = True
        return
    if isinstance(value, str):
        rule.source_items.append((value, from_path))
        return
    if not isinstance(value, list):
        check.wrong_type(from_path, 'a status, a list of statuses, or "*"', value)
        return
    if not value:
        check.report(from_path, "'from' is an empty list; name at least one status",
                     "empty-sources")
        return
    seen: set[str] = set()
    for j, item in enumerate(value):
        item_path = (*from_path, j)
        if not isinstance(item, str):
            check.wrong_type(item_path, "a status name (string)", item)
        elif item == WILDCARD:
            check.report(item_path, "'*' must stand alone: write from = \"*\"",
                         "wildcard-in-list")
        elif item in seen:
            check.report(item_path, f"status {item!r} is listed twice in 'from'",
                         "duplicate-source")
        else:
            seen.add(item)
            rule.source_items.append((item, item_path))


def _attr_table(check: _Checker, value: Any, path: KeyPath, allowed: frozenset[str],
                what: str, extra: tuple[str, ...] = ()) -> Attrs:
    table = check.table(value, path)
    if table is None:
        return ()
    out: list[tuple[str, str]] = []
    for key, val in table.items():
        key_path = (*path, key)
        if key in extra:
            continue
        if not isinstance(key, str) or key not in allowed:
            shown = key if isinstance(key, str) else repr(key)
            reason = A.FORBIDDEN.get(shown) if isinstance(key, str) else None
            if reason:
                check.report(key_path, f"attribute {shown!r} is not allowed: it {reason}",
                             "forbidden-attribute")
            else:
                hint = _suggest(shown, sorted(allowed))
                check.report(key_path, f"attribute {shown!r} is not an allowed {what} "
                             f"attribute{hint} (see the allow-list in the spec reference)",
                             "unknown-attribute")
            continue
        if isinstance(val, bool | int | float | str) and val is not None:
            problem = A.check_value(key, val)
            if problem:
                check.report(key_path, problem, "invalid-attribute-value")
            else:
                out.append((key, A.format_value(val)))
        else:
            check.wrong_type(key_path, "a string, number or boolean", val)
    return tuple(out)


def _diagram(check: _Checker, spec: _Spec, root: Table) -> None:
    path: KeyPath = ("diagram",)
    table = check.table(root.get("diagram"), path)
    if table is None:
        return
    values = check.section(table, K.DIAGRAM, path)
    keys = K.DIAGRAM
    graph = _attr_table(check, table.get("graph"), (*path, "graph"), keys["graph"].attrs,
                        "graph")
    rankdir = values.get("rankdir")
    if rankdir is not None:
        if any(k == "rankdir" for k, _ in graph):
            check.report((*path, "rankdir"),
                         "rankdir is set twice (here and in [diagram.graph]); keep one",
                         "conflicting-rankdir")
        else:
            graph = (*graph, ("rankdir", rankdir))
    node = _attr_table(check, table.get("node"), (*path, "node"), keys["node"].attrs, "node")
    edge = _attr_table(check, table.get("edge"), (*path, "edge"), keys["edge"].attrs, "edge")
    final = _attr_table(check, table.get("final"), (*path, "final"), keys["final"].attrs,
                        "node")
    tag_styles = _tag_styles(check, table.get("tags"), (*path, "tags"))
    spec.diagram = DiagramStyle(graph=graph, node=node, edge=edge, final=final,
                                tags=tag_styles, wildcards=values.get("wildcards", "group"))


def _tag_styles(check: _Checker, value: Any, path: KeyPath) -> tuple[TagStyle, ...]:
    """``[diagram.tags.<tag>]``: the keys of ``TAG_STYLE`` plus allow-listed attributes."""
    section = K.TAG_STYLE
    assert section.attributes is not None
    tag_styles: list[TagStyle] = []
    for tag, body in (check.table(value, path) or {}).items():
        tag_path = (*path, tag)
        if not isinstance(tag, str):
            check.report(tag_path, f"tag name must be a string, got {_short(tag)}",
                         "wrong-type")
            continue
        check.name_ok(tag, tag_path, "tag", K.MAX_TAG)
        if check.table(body, tag_path, required=True) is None:
            continue
        style = _attr_table(check, body, tag_path, section.attributes, "tag style",
                            section.names)
        values = check.section(body, section, tag_path)
        tag_styles.append(TagStyle(tag, style, values.get("legend") or ""))
    return tuple(tag_styles)


def _lint(check: _Checker, root: Table) -> frozenset[str]:
    """``[lint]``: the warning rules this spec allows."""
    table = check.table(root.get("lint"), ("lint",))
    if table is None:
        return frozenset()
    allowed: frozenset[str] = check.section(table, K.LINT, ("lint",)).get("allow", frozenset())
    return allowed


# ---------------------------------------------------------------- semantics


def _unknown(check: _Checker, path: KeyPath, name: str, known: dict[str, State],
             bad: set[str]) -> None:
    if name in bad:
        return  # the state itself was reported already
    check.report(path, f"unknown status {name!r}{_suggest(name, known)}", "unknown-status")


def _semantics(check: _Checker, spec: _Spec, raw_rules: list[_RawRule]) -> None:
    known = {s.name: s for s in spec.states}
    if spec.initial is not None and spec.initial not in known:
        _unknown(check, ("machine", "initial"), spec.initial, known, spec.bad_names)
    non_final = [s.name for s in spec.states if not s.final]
    seen: dict[tuple[str, str, str | None, str], int] = {}
    event_targets: dict[tuple[str, str], tuple[str, int]] = {}
    for raw in raw_rules:
        rule_path: KeyPath = ("transitions", raw.index)
        target = raw.target
        if target is not None and target not in known:
            _unknown(check, (*rule_path, "to"), target, known, spec.bad_names)
            target = None
        if raw.wildcard:
            sources = [s for s in non_final if s != raw.target]
            if not sources and known:
                check.report((*rule_path, "from"),
                             f"wildcard '*' matches no status (every status other than "
                             f"{raw.target!r} is final)", "empty-wildcard")
        else:
            sources = []
            for name, item_path in raw.source_items:
                state = known.get(name)
                if state is None:
                    _unknown(check, item_path, name, known, spec.bad_names)
                elif state.final:
                    check.report(item_path, f"status {name!r} is final: a final status cannot "
                                 "have outgoing transitions (remove 'final = true' or this "
                                 "transition)", "transition-from-final")
                else:
                    sources.append(name)
        if target is None:
            continue
        for src in sources:
            key = (src, target, raw.event, raw.label)
            earlier = seen.get(key)
            if earlier is not None:
                check.report(rule_path, f"duplicate transition {src!r} -> {target!r} "
                             f"(same event and label as transitions[{earlier}])",
                             "duplicate-transition")
                continue
            seen[key] = raw.index
            if raw.event is not None:
                other = event_targets.get((src, raw.event))
                if other is None:
                    event_targets[(src, raw.event)] = (target, raw.index)
                elif other[0] != target:
                    check.report((*rule_path, "event"),
                                 f"event {raw.event!r} from {src!r} already leads to "
                                 f"{other[0]!r} (transitions[{other[1]}]); fire() cannot "
                                 "choose", "ambiguous-event")
        # positional: measurably faster for 20,000 rules (field order of TransitionRule)
        spec.rules.append(TransitionRule(
            raw.index, tuple(sources), target, raw.wildcard, raw.label, raw.event, raw.tags,
            raw.description, raw.line,
        ))
    if not spec.transitions_broken and not spec.bad_names:
        _graph_checks(check, spec, known)
    tags_used = {t for s in spec.states for t in s.tags} | {t for r in spec.rules for t in r.tags}
    for style in spec.diagram.tags:
        if style.name not in tags_used:
            check.report(("diagram", "tags", style.name),
                         f"style for tag {style.name!r}, which no status or transition uses"
                         f"{_suggest(style.name, sorted(tags_used))}", "unused-tag-style")


def _graph_checks(check: _Checker, spec: _Spec, known: dict[str, State]) -> None:
    outgoing: dict[str, list[str]] = {name: [] for name in known}
    for rule in spec.rules:
        for src in rule.sources:
            outgoing[src].append(rule.target)
    if spec.initial in known:
        reached = {spec.initial}
        todo = deque([spec.initial])
        while todo:
            for nxt in outgoing[todo.popleft()]:
                if nxt not in reached:
                    reached.add(nxt)
                    todo.append(nxt)
        for state in spec.states:
            if state.name not in reached:
                check.report(("states", state.name),
                             f"status {state.name!r} is unreachable from the initial status "
                             f"{spec.initial!r} (add a transition into it)",
                             "unreachable-status")
    for state in spec.states:
        if not state.final and not outgoing[state.name]:
            check.report(("states", state.name),
                         f"status {state.name!r} is not final but has no way out (add a "
                         "transition from it, or mark it final = true)", "no-way-out")
