"""Check parsed spec data and build the immutable Machine.

:func:`build_machine` walks the parsed document once, collects *every*
problem (errors and warnings, each located by line and key path), and builds
the :class:`~statusdoc.spec.model.Machine` only when there is no error.
All checks are linear in the size of the spec.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import textwrap
from collections import deque
from collections.abc import Iterable
from typing import Any

from statusdoc.errors import Problem, Severity
from statusdoc.rstsafety import is_known_language, rst_findings
from statusdoc.spec import attrs as A
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

TOP_KEYS = ("machine", "states", "transitions", "diagram", "$schema")
MACHINE_KEYS = ("name", "title", "intro", "initial", "initial_label", "language")
STATE_KEYS = ("description", "final", "tags", "label")
TRANSITION_KEYS = ("from", "to", "label", "event", "tags", "description")
DIAGRAM_KEYS = ("rankdir", "graph", "node", "edge", "final", "tags", "wildcards")
WILDCARD_MODES = ("group", "expand")
WILDCARD = "*"
_ALLOWED_SETS = {
    keys: frozenset(keys) for keys in (TOP_KEYS, MACHINE_KEYS, STATE_KEYS, TRANSITION_KEYS,
                                       DIAGRAM_KEYS)
}

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: A language code (BCP 47 shape, as docutils and Sphinx take it: "de", "pt_BR", "zh-Hant").
LANGUAGE_RE = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}")
#: Longest state name, event, label or title (longer ones blow up the diagram).
MAX_NAME = 200
#: Longest machine name (it becomes anchors, enum and file names).
MAX_SLUG = 64
#: Longest tag name.
MAX_TAG = 100
#: Control characters: C0, DEL and C1 (Unicode category Cc).
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_PROSE_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # newline and tab allowed
#: A name/label/event that passes every rule at once (the fast path of big specs).
_CLEAN_LINE_RE = re.compile(
    rf"[^\x00-\x1f\x7f-\x9f\s](?:[^\x00-\x1f\x7f-\x9f]{{0,{MAX_NAME - 2}}}[^\x00-\x1f\x7f-\x9f\s])?"
)
#: A one-line description that needs no check beyond this (no TODO, no directive).
_PLAIN_PROSE_RE = re.compile(r"(?![ \t]*TODO)[^\x00-\x1f\x7f-\x9f:]*", re.IGNORECASE)
_TODO_RE = re.compile(r"\s*TODO\b", re.IGNORECASE)

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
        #: RST prose is parsed in this docutils language (machine.language).
        self.language = "en"
        #: Images in the prose must stay in this directory.
        self.spec_dir = os.path.dirname(os.path.abspath(doc.filename))

    # -- reporting -----------------------------------------------------------

    def report(self, path: KeyPath, message: str, severity: Severity = "error") -> None:
        line = self.doc.locate(path) if path else (self.doc.positions.line(()) or 1)
        self.problems.append(Problem(self.doc.filename, line, format_path(path), message,
                                     severity))

    def warn(self, path: KeyPath, message: str) -> None:
        self.report(path, message, "warning")

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
        self.report(path, f"expected {expected}, got {self.type_name(value)} {_short(value)}")

    def table(self, value: Any, path: KeyPath, *, required: bool = False,
              what: str = "") -> dict | None:
        if value is None and not required:
            return None
        if isinstance(value, dict):
            return value
        if value is None:
            self.report(path, f"missing {what or format_path(path)}")
        else:
            word = self.words["dict"]
            self.wrong_type(path, f"{'an' if word[0] in 'aeiou' else 'a'} {word}", value)
        return None

    def keys(self, table: dict, allowed: tuple[str, ...], path: KeyPath, what: str) -> None:
        if len(table) <= len(allowed) and table.keys() <= _ALLOWED_SETS[allowed]:
            return
        for key in table:
            if key in allowed:
                continue
            shown = key if isinstance(key, str) else repr(key)
            hint = _suggest(shown, allowed) or f" (expected one of: {', '.join(allowed)})"
            self.report((*path, key), f"unknown key {shown!r} in {what}{hint}")

    def string(self, table: dict, key: str, path: KeyPath) -> str | None:
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

    def boolean(self, table: dict, key: str, path: KeyPath) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.wrong_type((*path, key), "a boolean (true or false)", value)
            return False
        return value

    # -- text rules ----------------------------------------------------------

    def name_ok(self, value: str, path: KeyPath, what: str, limit: int = MAX_NAME) -> bool:
        """Names, events, tags, labels: non-empty, one line, bounded, no control chars."""
        if (value and len(value) <= limit and value == value.strip()
                and not _CONTROL_RE.search(value)):
            return True
        if not value.strip():
            self.report(path, f"{what} must not be empty")
            return False
        ok = True
        if len(value) > limit:
            self.report(path, f"{what} too long ({len(value):,} characters, at most {limit})")
            ok = False
        bad = _CONTROL_RE.search(value)
        if bad:
            self.report(path, f"{what} contains a control character "
                        f"({bad.group(0)!r}); {what}s must be one line of text")
            ok = False
        if value != value.strip():
            self.report(path, f"{what} {_short(value)} has leading or trailing whitespace")
            ok = False
        return ok

    def prose(self, table: dict, key: str, path: KeyPath) -> str:
        """Description / intro text: control characters refused, TODO warned."""
        value = self.string(table, key, path)
        if value is None:
            return ""
        bad = _CONTROL_PROSE_RE.search(value)
        if bad:
            self.report((*path, key), f"{key} contains a control character ({bad.group(0)!r})")
        if _TODO_RE.match(value):
            self.warn((*path, key), f"{key} is a TODO placeholder; write the real text")
        for finding in rst_findings(value, language=self.language, base_dir=self.spec_dir):
            self.warn((*path, key), f"{key} uses unsafe RST: {finding}; generated pages "
                      "refuse it unless the project opts in (allow-unsafe-rst)")
        if "\n" in value:
            return textwrap.dedent(value).strip()
        return value.strip()

    def label(self, table: dict, key: str, path: KeyPath, what: str = "label") -> str | None:
        value = self.string(table, key, path)
        if value is None:
            return None
        return value if self.name_ok(value, (*path, key), what) else None

    def tags(self, table: dict, path: KeyPath) -> tuple[str, ...]:
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
            elif self.name_ok(tag, tag_path, "tag", MAX_TAG):
                if tag in out:
                    self.warn(tag_path, f"tag {tag!r} listed twice")
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
        self.language = ""
        self.states: list[State] = []
        self.rules: list[TransitionRule] = []
        self.diagram = DiagramStyle()
        #: names of states that exist but were rejected (no cascade of "unknown status")
        self.bad_names: set[str] = set()
        self.transitions_broken = False


def build_machine(doc: Document) -> tuple[Machine | None, list[Problem]]:
    """Check ``doc`` and build its Machine; the Machine is None when any error was found."""
    check = _Checker(doc)
    spec = _Spec()
    data = doc.data
    if data is None or data == {} or data == [] or data == "":
        check.report((), "empty spec: expected [machine], [states.*] and [[transitions]]")
        return None, check.problems
    root = check.table(data, ())
    if root is None:
        return None, check.problems
    check.keys(root, TOP_KEYS, (), "the spec")
    if "$schema" in root and not isinstance(root["$schema"], str):
        check.wrong_type(("$schema",), "a string", root["$schema"])
    _machine(check, spec, root)
    _states(check, spec, root)
    raw_rules = _transitions(check, spec, root)
    _diagram(check, spec, root)
    _semantics(check, spec, raw_rules)
    if check.has_errors:
        return None, check.problems
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
        language=spec.language,
        source=doc.filename,
    )
    return machine, check.problems


# ------------------------------------------------------------------ sections


def _machine(check: _Checker, spec: _Spec, root: dict) -> None:
    path: KeyPath = ("machine",)
    table = check.table(root.get("machine"), path, required=True,
                        what="[machine] table (with name and initial)")
    if table is None:
        return
    check.keys(table, MACHINE_KEYS, path, "[machine]")
    name = check.string(table, "name", path)
    if name is None:
        if "name" not in table:
            check.report((*path, "name"), "missing machine.name (a slug such as 'image')")
    elif not SLUG_RE.fullmatch(name) or len(name) > MAX_SLUG:
        check.report((*path, "name"),
                     f"machine.name must be a slug of lowercase letters, digits, '_' and '-', "
                     f"starting with a letter or digit, at most {MAX_SLUG} characters "
                     f"(got {_short(name)})")
    else:
        spec.name = name
    title = check.label(table, "title", path, "title")
    spec.title = title if title is not None else spec.name
    _language(check, spec, table, path)
    spec.intro = check.prose(table, "intro", path)
    initial = check.string(table, "initial", path)
    if initial is None and "initial" not in table:
        check.report((*path, "initial"), "missing machine.initial (the status a new object "
                     "starts in)")
    spec.initial = initial
    if "initial_label" in table:
        value = check.string(table, "initial_label", path)
        if value:
            check.name_ok(value, (*path, "initial_label"), "initial_label")
            spec.initial_label = value


def _language(check: _Checker, spec: _Spec, table: dict, path: KeyPath) -> None:
    language = check.string(table, "language", path) if "language" in table else None
    if language is None:
        return
    if not LANGUAGE_RE.fullmatch(language):
        check.report((*path, "language"), f"language must be a language code such as 'de' or "
                     f"'pt-BR' (got {_short(language)})")
        return
    if not is_known_language(language):
        check.warn((*path, "language"), f"docutils has no RST names for language "
                   f"{language!r}; descriptions are read with the English names")
    spec.language = check.language = language


def _states(check: _Checker, spec: _Spec, root: dict) -> None:
    path: KeyPath = ("states",)
    table = check.table(root.get("states"), path, required=True,
                        what="states (at least one [states.<name>] table)")
    if table is None:
        return
    if not table:
        check.report(path, "no states defined: add at least one [states.<name>] table")
        return
    labels: dict[str, str] = {}
    for name, body in table.items():
        state_path = (*path, name)
        if not isinstance(name, str):
            check.report(state_path, f"status name must be a string, got "
                         f"{check.type_name(name)} {_short(name)}; quote it")
            continue
        ok = check.name_ok(name, state_path, "status name")
        if name == WILDCARD:
            check.report(state_path, "'*' is reserved for wildcard sources; rename the status")
            ok = False
        if body is None and check.doc.format != "toml":
            body = {}
        body = check.table(body, state_path, required=True)
        if body is None:
            spec.bad_names.add(name)
            continue
        check.keys(body, STATE_KEYS, state_path, "a state")
        label = check.label(body, "label", state_path)
        description = check.prose(body, "description", state_path)
        final = check.boolean(body, "final", state_path)
        tags = check.tags(body, state_path)
        shown = label if label is not None else name
        if shown in labels and labels[shown] != name:
            check.warn(state_path, f"label {shown!r} is also the label of status "
                       f"{labels[shown]!r}; readers cannot tell them apart")
        labels.setdefault(shown, name)
        if not ok:
            spec.bad_names.add(name)
        else:
            spec.states.append(State(
                name, shown, description, final, tags, check.doc.positions.quick(state_path),
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


def _transitions(check: _Checker, spec: _Spec, root: dict) -> list[_RawRule]:
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
    fast_keys = _ALLOWED_SETS[TRANSITION_KEYS]
    for i, entry in enumerate(value):
        # Fast path: the common entry (plain strings, no tags, known keys) in a few C calls.
        if type(entry) is dict and entry.keys() <= fast_keys and "tags" not in entry:
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
        check.keys(body, TRANSITION_KEYS, rule_path, "a transition")
        rule = _RawRule(i, check.doc.positions.quick(rule_path))
        _sources(check, body, rule_path, rule)
        if "to" not in body:
            check.report((*rule_path, "to"), "missing 'to' (the target status)")
        else:
            target = check.string(body, "to", rule_path)
            if target == WILDCARD:
                check.report((*rule_path, "to"), "'to' cannot be a wildcard; name one status")
            elif target is not None:
                rule.target = target
        label = check.label(body, "label", rule_path)
        rule.label = label or ""
        if "event" in body:
            event = check.string(body, "event", rule_path)
            if event is not None and check.name_ok(event, (*rule_path, "event"), "event"):
                rule.event = event
        rule.tags = check.tags(body, rule_path)
        rule.description = check.prose(body, "description", rule_path)
        rules.append(rule)
    return rules


def _sources(check: _Checker, body: dict, rule_path: KeyPath, rule: _RawRule) -> None:
    from_path = (*rule_path, "from")
    if "from" not in body:
        check.report(from_path, "missing 'from' (a status, a list of statuses, or \"*\")")
        return
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
        check.report(from_path, "'from' is an empty list; name at least one status")
        return
    seen: set[str] = set()
    for j, item in enumerate(value):
        item_path = (*from_path, j)
        if not isinstance(item, str):
            check.wrong_type(item_path, "a status name (string)", item)
        elif item == WILDCARD:
            check.report(item_path, "'*' must stand alone: write from = \"*\"")
        elif item in seen:
            check.report(item_path, f"status {item!r} is listed twice in 'from'")
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
                check.report(key_path, f"attribute {shown!r} is not allowed: it {reason}")
            else:
                hint = _suggest(shown, sorted(allowed))
                check.report(key_path, f"attribute {shown!r} is not an allowed {what} "
                             f"attribute{hint} (see the allow-list in the spec reference)")
            continue
        if isinstance(val, bool | int | float | str) and val is not None:
            problem = A.check_value(key, val)
            if problem:
                check.report(key_path, problem)
            else:
                out.append((key, A.format_value(val)))
        else:
            check.wrong_type(key_path, "a string, number or boolean", val)
    return tuple(out)


def _diagram(check: _Checker, spec: _Spec, root: dict) -> None:
    path: KeyPath = ("diagram",)
    table = check.table(root.get("diagram"), path)
    if table is None:
        return
    check.keys(table, DIAGRAM_KEYS, path, "[diagram]")
    graph = _attr_table(check, table.get("graph"), (*path, "graph"), A.GRAPH_ATTRS, "graph")
    if "rankdir" in table:
        rankdir = check.string(table, "rankdir", path)
        if rankdir is not None:
            problem = A.check_value("rankdir", rankdir)
            if problem:
                check.report((*path, "rankdir"), problem)
            elif any(k == "rankdir" for k, _ in graph):
                check.report((*path, "rankdir"),
                             "rankdir is set twice (here and in [diagram.graph]); keep one")
            else:
                graph = (*graph, ("rankdir", rankdir))
    node = _attr_table(check, table.get("node"), (*path, "node"), A.NODE_ATTRS, "node")
    edge = _attr_table(check, table.get("edge"), (*path, "edge"), A.EDGE_ATTRS, "edge")
    final = _attr_table(check, table.get("final"), (*path, "final"), A.NODE_ATTRS, "node")
    tag_styles: list[TagStyle] = []
    tags_table = check.table(table.get("tags"), (*path, "tags"))
    for tag, body in (tags_table or {}).items():
        tag_path = (*path, "tags", tag)
        if not isinstance(tag, str):
            check.report(tag_path, f"tag name must be a string, got {_short(tag)}")
            continue
        check.name_ok(tag, tag_path, "tag", MAX_TAG)
        if check.table(body, tag_path, required=True) is None:
            continue
        style = _attr_table(check, body, tag_path, A.TAG_ATTRS, "tag style",
                            ("legend", "in_text"))
        legend = ""
        if "legend" in body:
            value = check.label(body, "legend", tag_path, "legend")
            legend = value or ""
        in_text = check.boolean(body, "in_text", tag_path) if "in_text" in body else True
        tag_styles.append(TagStyle(tag, style, legend, in_text))
    mode = "group"
    if "wildcards" in table:
        value = check.string(table, "wildcards", path)
        if value is not None and value not in WILDCARD_MODES:
            check.report((*path, "wildcards"),
                         f"wildcards must be 'group' or 'expand' (got {_short(value)})"
                         f"{_suggest(value, WILDCARD_MODES)}")
        elif value is not None:
            mode = value
    spec.diagram = DiagramStyle(graph=graph, node=node, edge=edge, final=final,
                                tags=tuple(tag_styles), wildcards=mode)  # type: ignore[arg-type]


# ---------------------------------------------------------------- semantics


def _unknown(check: _Checker, path: KeyPath, name: str, known: dict[str, State],
             bad: set[str]) -> None:
    if name in bad:
        return  # the state itself was reported already
    check.report(path, f"unknown status {name!r}{_suggest(name, known)}")


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
                check.warn((*rule_path, "from"),
                           f"wildcard '*' matches no status (every status other than "
                           f"{raw.target!r} is final)")
        else:
            sources = []
            for name, item_path in raw.source_items:
                state = known.get(name)
                if state is None:
                    _unknown(check, item_path, name, known, spec.bad_names)
                elif state.final:
                    check.report(item_path, f"status {name!r} is final: a final status cannot "
                                 "have outgoing transitions (remove 'final = true' or this "
                                 "transition)")
                else:
                    sources.append(name)
        if target is None:
            continue
        for src in sources:
            key = (src, target, raw.event, raw.label)
            earlier = seen.get(key)
            if earlier is not None:
                check.report(rule_path, f"duplicate transition {src!r} -> {target!r} "
                             f"(same event and label as transitions[{earlier}])")
                continue
            seen[key] = raw.index
            if raw.event is not None:
                other = event_targets.get((src, raw.event))
                if other is None:
                    event_targets[(src, raw.event)] = (target, raw.index)
                elif other[0] != target:
                    check.warn((*rule_path, "event"),
                               f"event {raw.event!r} from {src!r} already leads to "
                               f"{other[0]!r} (transitions[{other[1]}]); fire() cannot choose")
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
            check.warn(("diagram", "tags", style.name),
                       f"style for tag {style.name!r}, which no status or transition uses"
                       f"{_suggest(style.name, sorted(tags_used))}")


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
                             f"{spec.initial!r} (add a transition into it)")
    for state in spec.states:
        if not state.final and not outgoing[state.name]:
            check.warn(("states", state.name),
                       f"status {state.name!r} is not final but has no way out (add a "
                       "transition from it, or mark it final = true)")
