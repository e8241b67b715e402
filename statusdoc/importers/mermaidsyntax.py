"""Mermaid ``stateDiagram`` / ``stateDiagram-v2`` text to a plain parse tree.

Knows Mermaid's syntax, not the spec: :mod:`statusdoc.importers.mermaid`
decides what each piece becomes. Line-oriented, as diagrams are written: one
statement a line; ``{`` ending a ``state`` line opens a composite state and a
``}`` line closes it; a ``note ... of X`` without ``:`` runs to ``end note``.
Keywords are case-insensitive, as in Mermaid. Text comes back raw (entity
codes such as ``#34;`` still encoded). A line that is no statement raises
:class:`ImportFailure` naming the file and line. Each line is read once and
every pattern is anchored, so the cost is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

from statusdoc.importers.common import ImportFailure

__all__ = ["START", "Arrow", "Diagram", "State", "is_state_diagram", "parse_mermaid"]

#: The start/end pseudo-state.
START = "[*]"
_HEADERS = ("statediagram", "statediagram-v2")
#: A state reference: ``[*]`` or an id, each with optional ``:::class`` suffixes.
_END_RE = re.compile(r'(\[\*\]|[^\s:{}"]+)((?::::[\w-]+)*)')
_PSEUDO_RE = re.compile(r"(.*?)(<<|\[\[)(fork|join|choice)(>>|\]\])", re.IGNORECASE)
_NOTE_RE = re.compile(r"note\s+(left|right)\s+of\s+", re.IGNORECASE)
_FLOATING_NOTE_RE = re.compile(r'note\s+"([^"]*)"\s*as\s+(\S+)', re.IGNORECASE)
_STATE_AS_RE = re.compile(r'"([^"]*)"\s*as\s+(.*)', re.IGNORECASE)
_ACC_RE = re.compile(r"acc(title|descr)\s*([:{])\s*(.*)", re.IGNORECASE)
_DIRECTIONS = ("TB", "BT", "LR", "RL")


@dataclass
class State:
    """A state as the diagram names it (``id``), with what the diagram says of it."""

    id: str
    line: int
    parent: str | None  # the composite state it is in (see ``_Parser.touch``)
    texts: list[str] = field(default_factory=list)  # ``state "t" as id`` and ``id : t``
    notes: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    kind: str = ""  # "fork", "join" or "choice" for Mermaid's pseudo-states
    composite: bool = False
    body_line: int = 0  # where its first ``state X {`` is
    regions: int = 1  # concurrent regions: ``--`` dividers in the body, plus one


@dataclass
class Arrow:
    """``source --> target : label``; ``[*]`` ends are :data:`START`."""

    source: str
    target: str
    label: str
    scope: str | None  # the composite state whose body holds the arrow
    line: int


@dataclass
class Diagram:
    """Everything :func:`parse_mermaid` read, in file order."""

    states: dict[str, State] = field(default_factory=dict)
    arrows: list[Arrow] = field(default_factory=list)
    composites: list[str] = field(default_factory=list)  # in the order their bodies open
    class_defs: dict[str, tuple[str, int]] = field(default_factory=dict)  # name: (css, line)
    direction: str = ""
    title: str = ""
    remarks: list[str] = field(default_factory=list)  # what is not carried over, located


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first_word(text: str) -> str:
    parts = text.split(None, 1)
    return parts[0].lower() if parts else ""


def is_state_diagram(text: str) -> bool:
    """Whether Mermaid ``text`` declares a state diagram (after front matter,
    ``%%`` comments and directives)."""
    in_front = False
    for number, raw in enumerate(text.split("\n")):
        line = raw.strip()
        if number == 0 and line == "---":
            in_front = True
        elif in_front:
            in_front = line != "---"
        elif line and not line.startswith("%%"):
            return _first_word(line) in _HEADERS
    return False


class _Parser:
    def __init__(self, text: str, source: str, first_line: int) -> None:
        self.lines = text.split("\n")
        self.source = source
        self.first = first_line
        self.i = 0  # index of the next line to read
        self.diagram = Diagram()
        self.stack: list[tuple[str, int]] = []  # open composite states: (id, line)

    def fail(self, line: int, message: str) -> NoReturn:
        raise ImportFailure(f"{self.source}:{line}: {message}")

    def remark(self, line: int, message: str) -> None:
        self.diagram.remarks.append(f"line {line}: {message}")

    def next_line(self) -> tuple[int, str]:
        line = self.first + self.i
        raw = self.lines[self.i].rstrip("\r")
        self.i += 1
        return line, raw

    def parse(self) -> Diagram:
        self.front_matter()
        header = False
        while self.i < len(self.lines):
            line, raw = self.next_line()
            text = raw.strip()
            if not text:
                continue
            if text.startswith("%%{"):
                self.directive(line, text)
            elif text.startswith("%%"):
                self.remark(line, f"comment not imported: {_excerpt(text[2:])}")
            elif not header:
                self.header(line, text)
                header = True
            else:
                self.statement(line, self.strip_comment(line, text))
        if not header:
            self.fail(self.first, "no 'stateDiagram-v2' (or 'stateDiagram') line: "
                      "not a Mermaid state diagram")
        if self.stack:
            name, line = self.stack[-1]
            self.fail(line, f"state {name!r} opened with '{{' is never closed with '}}'")
        return self.diagram

    def front_matter(self) -> None:
        if not self.lines or self.lines[0].strip() != "---":
            return
        start, _ = self.next_line()
        while self.i < len(self.lines):
            line, raw = self.next_line()
            if raw.strip() == "---":
                return
            key, colon, value = raw.partition(":")
            if colon and key.strip() == "title" and not raw[:1].isspace():
                self.diagram.title = value.strip().strip("\"'")
            elif colon and key.strip() and not raw[:1].isspace():
                self.remark(line, f"front matter {key.strip()!r} not imported")
        self.fail(start, "front matter '---' is never closed")

    def directive(self, line: int, text: str) -> None:
        parts = [text]
        while "}%%" not in parts[-1]:
            if self.i == len(self.lines):
                self.fail(line, "directive '%%{' is never closed with '}%%'")
            parts.append(self.next_line()[1].strip())
        self.remark(line, f"directive not imported: {_excerpt(' '.join(parts))}")

    def header(self, line: int, text: str) -> None:
        word = _first_word(text)
        if word not in _HEADERS:
            self.fail(line, f"expected 'stateDiagram-v2' or 'stateDiagram', found "
                      f"{_excerpt(text, 40)!r}: not a Mermaid state diagram")
        rest = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
        if rest.strip():
            self.statement(line, rest.strip())

    def strip_comment(self, line: int, text: str) -> str:
        """A trailing ``%% ...`` comment (before any ``:`` text) is dropped, with a remark."""
        at = text.find("%%")
        colon = text.find(":")
        if at > 0 and (colon == -1 or at < colon):
            self.remark(line, f"comment not imported: {_excerpt(text[at + 2 :])}")
            return text[:at].rstrip()
        return text

    @property
    def scope(self) -> str | None:
        return self.stack[-1][0] if self.stack else None

    def touch(self, state_id: str, line: int) -> State:
        """The state ``state_id``, created on first sight.

        A state is in the first composite whose body names it (named only
        outside any body, it is at the top); a composite is where its body first
        opens. So a parent's body always opens before its children's: no cycles.
        """
        state = self.diagram.states.get(state_id)
        if state is None:
            state = self.diagram.states[state_id] = State(state_id, line, self.scope)
        elif state.parent is None and not state.composite:
            state.parent = self.scope
        return state

    def reference(self, line: int, text: str, what: str) -> tuple[str, list[str]]:
        """``id`` or ``[*]`` with ``:::class`` suffixes; anything else fails."""
        match = _END_RE.fullmatch(text)
        if not match or "-->" in text:
            self.fail(line, f"{what}: {_excerpt(text, 40)!r} is not a state id")
        classes = [c for c in match.group(2).split(":::") if c]
        return match.group(1), classes

    def declare(self, line: int, text: str, what: str = "state") -> State | None:
        state_id, classes = self.reference(line, text, what)
        if state_id == START:
            if classes:
                self.remark(line, f"class of [*] not imported: {', '.join(classes)}")
            return None
        state = self.touch(state_id, line)
        state.classes.extend(c for c in classes if c not in state.classes)
        return state

    def statement(self, line: int, text: str) -> None:
        word = _first_word(text)
        if text == "}":
            if not self.stack:
                self.fail(line, "'}' without an open 'state X {'")
            self.stack.pop()
        elif text == "--":
            if not self.stack:
                self.fail(line, "'--' (concurrent regions) outside a composite state")
            self.diagram.states[self.stack[-1][0]].regions += 1
        elif word in ("state", "note", "classdef", "class", "style", "direction", "scale"):
            getattr(self, f"stmt_{word}")(line, text.split(None, 1)[1:])
        elif _ACC_RE.match(text):
            self.accessibility(line, text)
        elif text.lower() == "hide empty description":
            self.remark(line, "'hide empty description' not imported")
        elif text.startswith("#"):
            self.remark(line, f"comment not imported: {_excerpt(text[1:])}")
        elif "-->" in text:
            self.arrow(line, text)
        else:
            self.state_text(line, text)

    def arrow(self, line: int, text: str) -> None:
        left, _, right = text.partition("-->")
        right = right.strip()
        match = _END_RE.match(right)
        if not match:
            self.fail(line, f"arrow without a target: {_excerpt(text, 40)!r}")
        rest = right[match.end() :].strip()
        if rest and not rest.startswith(":"):
            self.fail(line, f"unexpected {_excerpt(rest, 30)!r} after the arrow's target "
                      "(one arrow a line; a label follows ':')")
        source = self.declare(line, left.strip(), "arrow source")
        target = self.declare(line, match.group(0), "arrow target")
        self.diagram.arrows.append(Arrow(
            source.id if source else START, target.id if target else START,
            rest[1:].strip(), self.scope, line,
        ))

    def state_text(self, line: int, text: str) -> None:
        """``id``, ``id:::class`` or ``id : text``."""
        match = _END_RE.match(text)
        rest = text[match.end() :].strip() if match else text
        if not match or (rest and not rest.startswith(":")):
            self.fail(line, f"unknown Mermaid syntax: {_excerpt(text, 50)!r}")
        state = self.declare(line, match.group(0))
        if state is None:
            self.remark(line, f"'[*]' statement not imported: {_excerpt(text)}")
        elif rest[1:].strip():
            state.texts.append(rest[1:].strip())

    def stmt_state(self, line: int, args: list[str]) -> None:
        rest = args[0].strip() if args else ""
        opens = rest.endswith("{")
        if opens:
            rest = rest[:-1].rstrip()
        label = ""
        if rest.startswith('"'):
            match = _STATE_AS_RE.fullmatch(rest)
            if not match:
                self.fail(line, 'expected state "label" as id')
            label, rest = match.group(1).strip(), match.group(2).strip()
        pseudo = _PSEUDO_RE.fullmatch(rest)
        if pseudo:
            rest = pseudo.group(1).strip()
        ref, colon, text = rest.replace(":::", "\0").partition(":")
        state = self.declare(line, ref.replace("\0", ":::"))
        if state is None:
            self.fail(line, "'[*]' cannot be declared as a state")
        if label:
            state.texts.append(label)
        if colon and text.strip():
            state.texts.append(text.replace("\0", ":::").strip())
        if pseudo:
            state.kind = pseudo.group(3).lower()
        if opens:
            if not state.composite:
                state.composite, state.body_line, state.parent = True, line, self.scope
                self.diagram.composites.append(state.id)
            self.stack.append((state.id, line))

    def stmt_note(self, line: int, args: list[str]) -> None:
        text = "note " + (args[0] if args else "")
        floating = _FLOATING_NOTE_RE.fullmatch(text)
        if floating:
            self.remark(line, f"floating note {floating.group(2)!r} not imported: "
                        f"{_excerpt(floating.group(1))}")
            return
        match = _NOTE_RE.match(text)
        if not match:
            self.fail(line, "expected 'note left of ID' or 'note right of ID'")
        ref, colon, body = text[match.end() :].partition(":")
        if not colon:
            body = self.note_body(line)
        state = self.declare(line, ref.strip(), "note")
        if state is None:
            self.remark(line, f"note on [*] not imported: {_excerpt(body)}")
        elif body.strip():
            state.notes.append(body.strip())

    def note_body(self, line: int) -> str:
        """The lines up to ``end note`` (Mermaid ends the note at its first ``end note``)."""
        parts: list[str] = []
        while self.i < len(self.lines):
            end_line, raw = self.next_line()
            at = raw.lower().find("end note")
            if at == -1:
                parts.append(raw)
                continue
            if raw[at + 8 :].strip():
                self.fail(end_line, "text after 'end note'")
            parts.append(raw[:at])
            return "\n".join(p.strip() for p in parts)
        self.fail(line, "note is never closed with 'end note'")

    def stmt_classdef(self, line: int, args: list[str]) -> None:
        parts = args[0].split(None, 1) if args else []
        if len(parts) < 2 or not re.fullmatch(r"\w+", parts[0]):
            self.fail(line, "expected 'classDef NAME styles'")
        if parts[0] in self.diagram.class_defs:
            self.remark(line, f"classDef {parts[0]} given again: the last one is imported")
        self.diagram.class_defs[parts[0]] = (parts[1].strip(), line)

    def stmt_class(self, line: int, args: list[str]) -> None:
        parts = args[0].rsplit(None, 1) if args else []
        if len(parts) < 2:
            self.fail(line, "expected 'class ID[,ID...] CLASSNAME'")
        for ref in parts[0].split(","):
            state = self.declare(line, ref.strip(), "class")
            if state is not None and parts[1] not in state.classes:
                state.classes.append(parts[1])

    def stmt_style(self, line: int, args: list[str]) -> None:
        self.remark(line, f"style not imported (use classDef and class): "
                    f"{_excerpt(args[0] if args else '')}")

    def stmt_scale(self, line: int, args: list[str]) -> None:
        self.remark(line, "'scale' not imported")

    def stmt_direction(self, line: int, args: list[str]) -> None:
        value = args[0].strip().upper() if args else ""
        if value not in _DIRECTIONS:
            self.fail(line, f"direction must be one of {', '.join(_DIRECTIONS)}")
        if self.stack:
            self.remark(line, f"direction {value} inside {self.stack[-1][0]!r} not imported "
                        "(the spec has one direction)")
        else:
            self.diagram.direction = value

    def accessibility(self, line: int, text: str) -> None:
        match = _ACC_RE.match(text)
        assert match is not None
        kind, opener, value = match.group(1).lower(), match.group(2), match.group(3)
        if opener == "{":
            parts = [value]
            while "}" not in parts[-1]:
                if self.i == len(self.lines):
                    self.fail(line, "accDescr { is never closed with '}'")
                parts.append(self.next_line()[1])
            value = "\n".join(parts)
            value = value[: value.index("}")]
        if kind == "title" and not self.diagram.title:
            self.diagram.title = value.strip()
        else:
            self.remark(line, f"acc{kind.capitalize()} not imported: {_excerpt(value)}")


def parse_mermaid(text: str, *, source: str = "<mermaid>", first_line: int = 1) -> Diagram:
    """Parse Mermaid state diagram ``text``; line numbers count from ``first_line``."""
    return _Parser(text, source, first_line).parse()
