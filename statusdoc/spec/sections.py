"""Reading each table of a spec into checked pieces (:class:`Spec`), with a
:class:`~statusdoc.spec.checker.Checker` reporting what is wrong.

``[[transitions]]`` has a fast path: an entry of plain strings under the
keys it knows is checked with two regular expressions derived from
:mod:`statusdoc.spec.keys`, and anything else takes the full path (a test
keeps the two in agreement).
"""

from __future__ import annotations

import re
from typing import Any

from statusdoc.spec import keys as K
from statusdoc.spec.checker import Checker, Table, short
from statusdoc.spec.load import KeyPath
from statusdoc.spec.model import DiagramStyle, Group, State, TransitionRule

WILDCARD = K.WILDCARD
#: The keys the fast path of :func:`read_transitions` reads, and the kind it checks each as;
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


class Spec:
    """The checked pieces, ready to build the model from."""

    def __init__(self) -> None:
        self.name = ""
        self.title = ""
        self.intro = ""
        #: the entry statuses as written, each with its key path
        self.entries: list[tuple[str, KeyPath]] = []
        #: ``initial_label``: one label for every entry (a string) ...
        self.entry_label = ""
        #: ... or labels by entry status (a table), each with its key path
        self.entry_label_items: list[tuple[str, str, KeyPath]] = []
        self.null: str | None = None
        self.language = ""
        self.states: list[State] = []
        self.groups: list[Group] = []
        self.rules: list[TransitionRule] = []
        self.diagram = DiagramStyle()
        #: names of states that exist but were rejected (no cascade of "unknown status")
        self.bad_names: set[str] = set()
        self.transitions_broken = False


def _required_table(check: Checker, root: Table, name: str) -> Table | None:
    """The top-level table ``name`` (its absence is reported by ``check.section``)."""
    if name not in root:
        return None
    return check.table(root[name], (name,), required=True, missing=K.SPEC[name].missing)


def read_machine(check: Checker, spec: Spec, root: Table) -> None:
    """``[machine]``: name, title, intro, entry statuses and labels, null status."""
    path: KeyPath = ("machine",)
    table = _required_table(check, root, "machine")
    if table is None:
        return
    values = check.section(table, K.MACHINE, path)
    spec.name = values.get("name", "")
    title = values.get("title")
    spec.title = title if title is not None else spec.name
    spec.language = values.get("language") or ""
    spec.intro = values.get("intro", "")
    spec.null = values.get("null")
    _entries(check, spec, table.get("initial"), (*path, "initial"))
    _entry_labels(check, spec, table.get("initial_label"), (*path, "initial_label"))


def _entries(check: Checker, spec: Spec, value: Any, path: KeyPath) -> None:
    """``initial``: one status or a non-empty list of distinct statuses."""
    if value is None:
        return  # reported as missing
    if isinstance(value, str):
        spec.entries.append((value, path))
        return
    if not isinstance(value, list) or not value:
        check.wrong_type(path, "a status or a non-empty list of statuses", value)
        return
    seen: set[str] = set()
    for i, item in enumerate(value):
        if not isinstance(item, str):
            check.wrong_type((*path, i), "a status name (string)", item)
        elif item in seen:
            check.report((*path, i), f"entry status {item!r} is listed twice",
                         "duplicate-entry")
        else:
            seen.add(item)
            spec.entries.append((item, (*path, i)))


def _entry_labels(check: Checker, spec: Spec, value: Any, path: KeyPath) -> None:
    """``initial_label``: a label for every entry, or a table of labels by entry."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        if check.name_ok(value, path, "initial_label"):
            spec.entry_label = value
        return
    if not isinstance(value, dict):
        check.wrong_type(path, "a string or a table of labels by entry status", value)
        return
    for status, label in value.items():
        item_path = (*path, status)
        if not isinstance(status, str):
            check.report(item_path, f"entry status must be a string, got {short(status)}",
                         "wrong-type")
        elif not isinstance(label, str):
            check.wrong_type(item_path, "a string", label)
        elif check.name_ok(label, item_path, "initial_label"):
            spec.entry_label_items.append((status, label, item_path))


def read_states(check: Checker, spec: Spec, root: Table) -> None:
    """``[states.<name>]``: each status, in spec order."""
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
                         f"{check.type_name(name)} {short(name)}; quote it", "wrong-type")
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
            deprecated = values["deprecated"]
            spec.states.append(State(
                name, shown, values.get("description", ""), values["final"],
                values.get("tags", ()), check.doc.positions.quick(state_path),
                deprecated is not False, deprecated if isinstance(deprecated, str) else "",
                values.get("group"),
            ))


def read_groups(check: Checker, spec: Spec, root: Table) -> None:
    """``[groups.<name>]``: each group, in spec order."""
    path: KeyPath = ("groups",)
    for name, body in (check.table(root.get("groups"), path) or {}).items():
        group_path = (*path, name)
        if not isinstance(name, str):
            check.report(group_path, f"group name must be a string, got {short(name)}",
                         "wrong-type")
            continue
        ok = check.name_ok(name, group_path, "group name", K.MAX_TAG)
        if body is None and check.doc.format != "toml":
            body = {}
        body = check.table(body, group_path, required=True)
        if body is None:
            continue
        values = check.section(body, K.GROUP, group_path)
        if ok:
            title = values.get("title")
            spec.groups.append(Group(name, title if title is not None else name,
                                     values.get("description", ""),
                                     check.doc.positions.quick(group_path)))


class RawRule:
    """A transitions entry after type checks, before semantic checks."""

    __slots__ = ("description", "event", "excluded", "from_list", "group", "guard",
                 "include_final", "index", "label", "line", "returns", "sources", "tags",
                 "target", "wildcard")

    def __init__(self, index: int, line: int) -> None:
        self.index = index
        self.line = line
        #: the statuses ``from`` names (not ``"*"`` nor a group); see :meth:`source_path`
        self.sources: tuple[str, ...] = ()
        #: for ``from`` given as a list: the position in it of each of ``sources``
        self.from_list: tuple[int, ...] | None = None
        self.wildcard = False
        #: ``from = { group = ... }``: the group's name and its key path
        self.group: tuple[str, KeyPath] | None = None
        #: ``except``: each status and its key path
        self.excluded: tuple[tuple[str, KeyPath], ...] = ()
        self.include_final = False
        self.target: str | None = None
        self.returns = False
        self.label = ""
        self.event: str | None = None
        self.guard = ""
        self.tags: tuple[str, ...] = ()
        self.description = ""

    def source_path(self, number: int) -> KeyPath:
        """The key path of ``sources[number]`` (made when a problem needs it: a path
        per source of every rule would take more memory than the rule)."""
        path: KeyPath = ("transitions", self.index, "from")
        return path if self.from_list is None else (*path, self.from_list[number])


def read_transitions(check: Checker, spec: Spec, root: Table, first: int = 0) -> list[RawRule]:
    """``[[transitions]]``: each entry, types and text checked, statuses not yet.

    Each entry of the parsed list is let go (set to None) once read: the
    caller owns the data (:meth:`~statusdoc.spec.load.Document.take_data`), and
    the parsed and the read form of every rule are never all held together.
    The entries are numbered from ``first`` (a spec read in parts,
    :mod:`statusdoc.spec.parts`, gives the number of the entries before).
    """
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
    rules: list[RawRule] = []
    quick = check.doc.positions.quick
    clean = _CLEAN_LINE_RE.fullmatch
    plain = _PLAIN_PROSE_RE.fullmatch
    fast_keys = _FAST_KEYS
    for index, entry in enumerate(value, first):
        i = index - first
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
                rule = RawRule(index, quick((*path, index)))
                rule.sources = (src,)
                rule.target = dst
                rule.label = label or ""
                rule.event = event
                rule.description = text.strip() if text else ""
                rules.append(rule)
                value[i] = None
                continue
        rule_path = (*path, index)
        body = check.table(entry, rule_path, required=True)
        if body is None:
            spec.transitions_broken = True
            continue
        rules.append(_transition(check, body, rule_path, index))
        value[i] = None
    return rules


def _transition(check: Checker, body: Table, rule_path: KeyPath, index: int) -> RawRule:
    """One ``[[transitions]]`` entry, the full way."""
    values = check.section(body, K.TRANSITION, rule_path)
    rule = RawRule(index, check.doc.positions.quick(rule_path))
    _sources(check, body, rule_path, rule)
    _excluded(check, body, rule_path, rule)
    rule.include_final = values["include_final"]
    rule.returns = values["return"]
    target = values.get("to")
    if rule.returns and "to" in body:
        check.report((*rule_path, "return"), "a transition with return = true goes back to "
                     "the previous status: remove 'to' (or 'return')", "return-with-to")
    elif "to" not in body and not rule.returns:
        check.report((*rule_path, "to"), K.TRANSITION["to"].missing, "missing-key")
    elif target == WILDCARD:
        check.report((*rule_path, "to"), "'to' cannot be a wildcard; name one status",
                     "wildcard-target")
    elif target is not None:
        rule.target = target
    rule.label = values.get("label") or ""
    rule.event = values.get("event")
    rule.guard = values.get("guard") or ""
    rule.tags = values.get("tags", ())
    rule.description = values.get("description", "")
    return rule


def _excluded(check: Checker, body: Table, rule_path: KeyPath, rule: RawRule) -> None:
    """``except``: a list of distinct statuses, only after ``"*"`` or a group."""
    if "except" not in body:
        return
    path = (*rule_path, "except")
    value = body["except"]
    if not isinstance(value, list):
        check.wrong_type(path, "a list of statuses", value)
        return
    if rule.sources:
        check.report(path, "'except' only narrows from = \"*\" or from = { group = ... }; "
                     "list the sources you mean in 'from' instead", "except-without-wildcard")
        return
    seen: dict[str, KeyPath] = {}
    for i, item in enumerate(value):
        if not isinstance(item, str):
            check.wrong_type((*path, i), "a status name (string)", item)
        elif item in seen:
            check.report((*path, i), f"status {item!r} is listed twice in 'except'",
                         "duplicate-source")
        else:
            seen[item] = (*path, i)
    rule.excluded = tuple(seen.items())


def _sources(check: Checker, body: Table, rule_path: KeyPath, rule: RawRule) -> None:
    from_path = (*rule_path, "from")
    if "from" not in body:
        return  # reported as missing
    value = body["from"]
    if value == WILDCARD:
        rule.wildcard = True
        return
    if isinstance(value, str):
        rule.sources = (value,)
        return
    if isinstance(value, dict):
        name = check.section(value, K.FROM_GROUP, from_path).get("group")
        if name is not None:
            rule.group = (name, (*from_path, "group"))
        return
    if not isinstance(value, list):
        check.wrong_type(from_path, 'a status, a list of statuses, "*" or { group = ... }',
                         value)
        return
    if not value:
        check.report(from_path, "'from' is an empty list; name at least one status",
                     "empty-sources")
        return
    seen: dict[str, int] = {}  # each source -> its position in the list
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
            seen[item] = j
    rule.sources = tuple(seen)
    rule.from_list = tuple(seen.values())


def read_lint(check: Checker, root: Table) -> frozenset[str]:
    """``[lint]``: the warning rules this spec allows."""
    table = check.table(root.get("lint"), ("lint",))
    if table is None:
        return frozenset()
    allowed: frozenset[str] = check.section(table, K.LINT, ("lint",)).get("allow", frozenset())
    return allowed
