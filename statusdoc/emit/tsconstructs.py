"""The TypeScript module's JSDoc bullets and the constants for the spec's constructs.

Besides the transition map (:mod:`statusdoc.emit.typescript`), the module says
what the map alone cannot:

* ``STATUS`` -- each status by name, typed by the ``StatusConstants`` interface
  whose members carry the description and, for a deprecated status, a JSDoc
  ``@deprecated`` tag with the reason, so that an editor strikes a use through;
* ``DEPRECATED`` -- each deprecated status and its reason (a ``ReadonlyMap``);
* ``GroupName`` and ``GROUPS`` -- each group and its statuses;
* ``GUARDS`` -- the transitions that carry a guard (the condition in words; like
  the Python runtime, ``canTransition`` does not evaluate it);
* ``RETURNS`` -- the moves expanded from ``return = true`` rules: the map allows
  each of them whatever the record's history; only code that knows the previous
  status can tell which one applies.

Rules with a guard or a return are also summarised, in the words of the
generated pages (:func:`statusdoc.emit.wording.rule_summary`), in the JSDoc
of ``GUARDS`` and ``RETURNS``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from statusdoc.emit.jstext import comment_lines, comment_text, js_string
from statusdoc.emit.moves import guarded_moves, return_moves
from statusdoc.emit.plaintext import plain_text
from statusdoc.emit.wording import PLAIN, Inline, Scopes, rule_summary, transitions_by_rule

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["TYPESCRIPT", "bullet_lines", "constructs", "list_lines", "object_key"]

#: Longest line the emitter writes before it wraps a comment.
WIDTH = 99
#: How the JSDoc sentences write a status (a TypeScript string literal) and plain text.
TYPESCRIPT = Inline(code=js_string, text=PLAIN.text, title=PLAIN.title, guard=PLAIN.guard)


def list_lines(head: str, names: Sequence[str], tail: str = ");") -> list[str]:
    """``head`` + ``list(...)`` of ``names`` + ``tail`` (``list`` freezes its arguments): on
    one line when it fits, else one name a line, indented one step past ``head``'s indent."""
    items = [js_string(n) for n in names]
    flat = f"{head}list({', '.join(items)}{tail}"
    if len(flat) <= WIDTH or not items:
        return [flat]
    indent = head[: len(head) - len(head.lstrip(" "))]
    return [f"{head}list(", *(f"{indent}  {item}," for item in items), indent + tail]


def object_key(name: str) -> str:
    """``name`` as an object literal's key: a ``"__proto__"`` written plainly would set the
    object's prototype instead, so that one is a computed key."""
    return f"[{js_string(name)}]" if name == "__proto__" else js_string(name)


def bullet_lines(head: str, text: str, indent: str = "") -> list[str]:
    """A JSDoc bullet ``- head: text`` (just ``- head`` without text), wrapped at
    :data:`WIDTH`, continuation lines indented; each paragraph of ``text`` after a
    blank comment line. Every line goes through :func:`~statusdoc.emit.jstext.comment_lines`."""
    first, rest = f"{indent} * ", f"{indent} *   "
    lines: list[str] = []
    for i, paragraph in enumerate(text.split("\n") if text else [""]):
        if not paragraph and i:  # the blank line between two paragraphs
            lines += comment_lines("", f"{indent} * ")
            continue
        body = (f"- {head}: {paragraph}" if paragraph else f"- {head}") if i == 0 else paragraph
        wrapped = textwrap.wrap(body, width=WIDTH - len(rest), break_long_words=False,
                                break_on_hyphens=False) or [body]
        lines += comment_lines(wrapped[0], first if i == 0 else rest)
        lines += [line for part in wrapped[1:] for line in comment_lines(part, rest)]
    return lines


def _paragraph_lines(text: str, indent: str) -> list[str]:
    """Plain ``text`` as the wrapped lines of a JSDoc block (no bullet)."""
    prefix = f"{indent} * "
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, width=WIDTH - len(prefix), break_long_words=False,
                                break_on_hyphens=False) or [""]
        lines += [line for part in wrapped for line in comment_lines(part, prefix)]
    return lines


def _status_constants(machine: Machine) -> list[str]:
    out = ["/** Each status by name, as STATUS holds it; an editor strikes the deprecated ones",
           " * through (JSDoc @deprecated). */",
           "export interface StatusConstants {"]
    for state in machine.states:
        text = plain_text(state.description, language=machine.language)
        doc = _paragraph_lines(text, "  ") if text else []
        if state.deprecated:
            reason = comment_text(state.deprecation) or "the spec marks this status deprecated"
            doc.append(f"   * @deprecated {reason}")
        if len(doc) == 1 and len(doc[0]) + 3 <= WIDTH:
            out.append(f"  /** {doc[0][5:]} */")
        elif doc:
            out += ["  /**", *doc, "   */"]
        out.append(f"  readonly {js_string(state.name)}: {js_string(state.name)};")
    out += ["}", "",
            "/** Each status by name: STATUS[\"x\"] is \"x\", checked by the compiler. */",
            "export const STATUS: StatusConstants = Object.freeze<StatusConstants>({"]
    out += [f"  {object_key(s.name)}: {js_string(s.name)}," for s in machine.states]
    out += ["});", "",
            "/** Each deprecated status and the reason given (\"\" when none), in spec order:",
            " * stored records may still hold it, the code no longer sets it. */",
            "export const DEPRECATED: ReadonlyMap<StatusName, string> = "
            "new Map<StatusName, string>(["]
    out += [f"  [{js_string(s.name)}, {js_string(s.deprecation)}],"
            for s in machine.states if s.deprecated]
    out += ["]);", ""]
    return out


def _groups(machine: Machine) -> list[str]:
    out = ["/**", " * The name of a group of statuses, in spec order"
           + (":" if machine.groups else " (the spec has none)."), " *"]
    for group in machine.groups:
        text = plain_text(group.description, language=machine.language)
        title = comment_text(group.title)
        out += bullet_lines(f"{js_string(group.name)} ({title})", text)
    if not machine.groups:
        out.pop()
    out += [" */", "export type GroupName ="]
    out += [f"  | {js_string(g.name)}" for g in machine.groups] or ["  never"]
    out[-1] += ";"
    out += ["", "/** Each group and its statuses. */",
            "export type GroupMap = { readonly [G in GroupName]: readonly StatusName[] };", "",
            "/** Each group and its statuses, in spec order. */",
            "export const GROUPS: GroupMap = Object.freeze<GroupMap>({"]
    for group in machine.groups:
        out += list_lines(f"  {object_key(group.name)}: ",
                          machine.group_members.get(group.name, ()), "),")
    out += ["});", ""]
    return out


def _rule_notes(machine: Machine, which: str) -> list[str]:
    """JSDoc bullets summarising the rules with a guard (``which="guard"``) or a return."""
    by_rule = transitions_by_rule(machine)
    scopes = Scopes.of(machine)
    out: list[str] = []
    for rule in machine.rules:
        if (rule.guard if which == "guard" else rule.returns) and rule.index in by_rule:
            out += bullet_lines(rule_summary(machine, rule, by_rule[rule.index], TYPESCRIPT,
                                             scopes=scopes), "")
    return out


def _guards_and_returns(machine: Machine) -> list[str]:
    out = ["/** A transition with a guard: the condition, in words, under which it is taken. */",
           "export interface GuardedMove {",
           "  readonly from: StatusName;",
           "  readonly to: StatusName;",
           "  /** The event of the transition, or null when it names none. */",
           "  readonly event: string | null;",
           "  readonly guard: string;",
           "}", "",
           "/**",
           " * The transitions that carry a guard, in spec order. canTransition and",
           " * assertTransition do not evaluate guards (nor does the Python runtime): each move",
           " * is in TRANSITIONS; the guard says when the backend takes it.",
           *([" *", *_rule_notes(machine, "guard")] if machine.rules else []),
           " */",
           "export const GUARDS: readonly GuardedMove[] = Object.freeze<GuardedMove[]>(["]
    for move in guarded_moves(machine):
        event = "null" if move.event is None else js_string(move.event)
        out += ["  Object.freeze<GuardedMove>({", f"    from: {js_string(move.source)},",
                f"    to: {js_string(move.target)},", f"    event: {event},",
                f"    guard: {js_string(move.guard)},", "  }),"]
    out += ["]);", "",
            "/** A move, as a [from, to] pair. */",
            "export type Move = readonly [from: StatusName, to: StatusName];", "",
            "/**",
            " * The moves back to the status a record had before (return rules), as",
            " * [from, to] pairs in spec order. TRANSITIONS allows each of them whatever the",
            " * record's history: only code that knows the previous status can tell which",
            " * one applies.",
            *([" *", *_rule_notes(machine, "return")] if machine.rules else []),
            " */",
            "export const RETURNS: readonly Move[] = Object.freeze<Move[]>(["]
    out += [f"  Object.freeze<Move>([{js_string(a)}, {js_string(b)}]),"
            for a, b in return_moves(machine)]
    out += ["]);", ""]
    return [line.rstrip() for line in _drop_empty_lists(out)]


def _drop_empty_lists(lines: list[str]) -> list[str]:
    """Lines without a ``" *"`` separator left before ``" */"`` by an empty note list."""
    return [line for i, line in enumerate(lines)
            if not (line == " *" and i + 1 < len(lines) and lines[i + 1] == " */")]


def constructs(machine: Machine) -> list[str]:
    """The module's lines after the transition map (see the module docstring)."""
    return [*_status_constants(machine), *_groups(machine), *_guards_and_returns(machine)]
