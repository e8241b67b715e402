"""How a spec's values are checked: :class:`Checker` collects located problems.

It reads one table at a time against its :class:`~statusdoc.spec.keys.Section`
(unknown and missing keys, the value of each key by its kind) and holds the
text rules (names, labels, prose); every problem names its rule
(:mod:`statusdoc.spec.rules`). :mod:`statusdoc.spec.sections` reads each
table of a spec with it, :mod:`statusdoc.spec.validate` the whole.
"""

from __future__ import annotations

import datetime
import os
import textwrap
from collections.abc import Callable, Iterable
from typing import Any

from statusdoc.errors import Problem, preview
from statusdoc.rstsafety import is_known_language, rst_findings
from statusdoc.spec import attrs as A
from statusdoc.spec import keys as K
from statusdoc.spec.load import Document, KeyPath, format_path
from statusdoc.spec.rules import check_allow, make_problem
from statusdoc.suggest import did_you_mean

#: A table (mapping) of the parsed spec; keys are usually strings, but YAML allows others.
Table = dict[Any, Any]

#: RST that reads files or injects raw output; generated pages refuse it by default.

_TYPE_WORDS = {
    "toml": {"dict": "table", "list": "array"},
    "yaml": {"dict": "mapping", "list": "list"},
    "json": {"dict": "object", "list": "array"},
}


#: A bounded, recursion-free preview of a value for messages.
short = preview


def suggest(word: str, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` or ``""``: bounded, see :mod:`statusdoc.suggest`."""
    return did_you_mean(word, options)


#: Says of a warning that the caller does not want it (:class:`Checker`).
Unwanted = Callable[[Problem], bool]


class Checker:
    """Collects problems while reading one document.

    ``unwanted`` says of a warning that the caller would drop it: such a
    warning is not kept (an import does not hold a TODO warning per status).
    It is asked before the warning is located (its ``line`` is 0 then), so a
    dropped warning never makes the positions of a YAML or JSON spec be read.
    """

    def __init__(self, doc: Document, unwanted: Unwanted | None = None) -> None:
        self.doc = doc
        self.unwanted = unwanted
        self.problems: list[Problem] = []
        self.words = _TYPE_WORDS.get(doc.format, _TYPE_WORDS["toml"])
        #: RST prose is parsed in this docutils language (``machine.language``).
        self.language = "en"
        #: Images in the prose must stay in this directory.
        self.spec_dir = os.path.dirname(os.path.abspath(doc.filename))

    # -- reporting -----------------------------------------------------------

    def report(self, path: KeyPath, message: str, rule: str) -> None:
        """Record a problem of ``rule`` (a name in :mod:`statusdoc.spec.rules`) at ``path``."""
        shown = format_path(path)
        if self.unwanted is not None:
            # Asked before the problem is located: finding a line can read the
            # whole text again (YAML, JSON), for a warning the caller drops.
            unlocated = make_problem(rule, self.doc.filename, 0, shown, message)
            if unlocated.severity != "error" and self.unwanted(unlocated):
                return
        line = self.doc.locate(path) if path else (self.doc.positions.line(()) or 1)
        self.problems.append(make_problem(rule, self.doc.filename, line, shown, message))

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
        self.report(path, f"expected {expected}, got {self.type_name(value)} {short(value)}",
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
            hint = suggest(shown, section.names) or (
                f" (expected one of: {', '.join(section.names)})")
            self.report((*path, key), f"unknown key {short(shown)} in {section.title}{hint}",
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
        if kind == "number":
            return self.number(table, key, path)
        if kind == "flag":
            return self.flag(table, name, path)
        if kind == "tag":
            text = self.string(table, name, path)
            return text if text is not None and self.name_ok(
                text, (*path, name), name, K.MAX_TAG) else None
        if kind == "tags":
            return self.tags(table, path)
        if kind == "slug":
            return self.slug(table, name, path)
        if kind == "language":
            return self.language_code(table, name, path)
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

    def number(self, table: Table, key: K.Key, path: KeyPath) -> float | None:
        """A number within ``key.limits`` (an integer is taken as a float)."""
        value = table.get(key.name)
        lo, hi = key.limits
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.wrong_type((*path, key.name), "a number", value)
            return None
        if not lo <= value <= hi:
            self.report((*path, key.name), f"{key.name} must be a number from {lo:g} to "
                        f"{hi:g} (got {short(value)})", "invalid-attribute-value")
            return None
        return float(value)

    def flag(self, table: Table, key: str, path: KeyPath) -> bool | str:
        """``true``/``false``, or a one-line reason (which means ``true``)."""
        value = table.get(key, False)
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return value if self.name_ok(value, (*path, key), f"{key} reason") else True
        self.wrong_type((*path, key), "true, false or a one-line reason", value)
        return True  # set, if badly: no cascade of problems it would have silenced

    def slug(self, table: Table, key: str, path: KeyPath) -> str | None:
        value = self.string(table, key, path)
        if value is None or (K.SLUG_RE.fullmatch(value) and len(value) <= K.MAX_SLUG):
            return value
        self.report((*path, key),
                    f"{format_path((*path, key))} must be a slug of lowercase letters, digits, "
                    f"'_' and '-', starting with a letter or digit, at most {K.MAX_SLUG} "
                    f"characters (got {short(value)})", "invalid-slug")
        return None

    def language_code(self, table: Table, key: str, path: KeyPath) -> str | None:
        """``machine.language``: a language code; prose read after it uses that language."""
        value = self.string(table, key, path)
        if value is None:
            return None
        if not K.LANGUAGE_RE.fullmatch(value):
            self.report((*path, key), f"language must be a language code such as 'de' or "
                        f"'pt-BR' (got {short(value)})", "invalid-language")
            return None
        if not is_known_language(value):
            self.report((*path, key), f"docutils has no RST names for language {value!r}; "
                        "descriptions are read with the English names", "unknown-language")
        self.language = value
        return value

    def choice(self, table: Table, key: K.Key, path: KeyPath) -> str | None:
        value = self.string(table, key.name, path)
        if value is None or value in key.choices:
            return value
        *most, last = (repr(c) for c in key.choices)
        options = f"{', '.join(most)} or {last}" if most else last
        self.report((*path, key.name), f"{key.name} must be {options} (got {short(value)})"
                    f"{suggest(value, key.choices)}", "invalid-choice")
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
            self.report(path, f"{what} {short(value)} has leading or trailing whitespace",
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
        for finding in rst_findings(value, language=self.language, base_dir=self.spec_dir):
            self.report((*path, key), f"{key} uses unsafe RST: {finding}; generated pages "
                        "refuse it unless the project opts in (allow-unsafe-rst)", "unsafe-rst")
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
