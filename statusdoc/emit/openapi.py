"""The ``openapi`` output kind: the statuses as an OpenAPI 3.1 schema component.

An API document references the component (``$ref``) instead of keeping its own
copy of the enum, or ``statusdoc compare --openapi`` checks the copy it keeps
(:mod:`statusdoc.openapi_compare`). The output is a complete, minimal OpenAPI
3.1 document -- ``openapi``, ``info`` and ``components.schemas`` -- so that it
validates on its own and other documents can point into it
(``image-statuses.openapi.json#/components/schemas/ImageStatus``).

The schema, named ``<Machine>Status`` (:func:`schema_name`):

* ``type: string`` (``["string", "null"]`` when the spec has ``null``) and
  ``enum``: every status in spec order, the null status as ``null``;
* ``x-enum-descriptions``: each value's description as plain text, in the
  order of ``enum`` (the extension OpenAPI Generator reads; a deprecated
  status's starts with ``(deprecated: <reason>)``), and the same
  descriptions as a Markdown list in ``description``, which every renderer
  shows (Swagger UI, Redoc), with the pages' marks (entry, final, stored as
  NULL/None, deprecated, the group) and a list of the rules with a guard or
  a return: descriptions written as ``oneOf`` of ``const`` would be standard
  JSON Schema, but code generators turn such a ``oneOf`` into a union of
  one-value types instead of an enum;
* ``x-statusdoc-machine``, ``x-statusdoc-null`` (when set),
  ``x-statusdoc-entries``, ``x-statusdoc-final``, and when the spec has them
  ``x-statusdoc-deprecated`` (status -> reason), ``x-statusdoc-groups``
  (name -> title, description, statuses), ``x-statusdoc-guards`` (from, to,
  event, guard) and ``x-statusdoc-returns`` ([from, to] pairs of return
  rules); then ``x-statusdoc-transitions`` (each status to the statuses it
  may move to, by name, wildcards, groups and returns expanded).

Keys are written in a fixed order, statuses in spec order, targets in the
order of the spec's transitions; ``info.version`` is a hash of the schema, so
it changes exactly when the schema does. Strings are escaped by
:func:`statusdoc.emit.jstext.json_text`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from statusdoc.emit.escape import header_text, short_hash
from statusdoc.emit.jstext import json_text
from statusdoc.emit.markdown import _indent
from statusdoc.emit.mdescape import md_code, md_passthrough
from statusdoc.emit.moves import guarded_moves, return_moves, targets_in_order
from statusdoc.emit.plaintext import plain_text
from statusdoc.emit.wording import MARKDOWN, Scopes, rule_summary, status_marks, transitions_by_rule

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine, State

__all__ = ["emit_openapi", "schema_name"]

#: The OpenAPI version the document declares.
OPENAPI_VERSION = "3.1.0"


def schema_name(machine: Machine) -> str:
    """The component's name: the machine's slug in CamelCase, plus ``Status``
    (``image`` -> ``ImageStatus``, ``task-instance`` -> ``TaskInstanceStatus``)."""
    parts = re.split(r"[-_]+", machine.name)
    return "".join(part[:1].upper() + part[1:] for part in parts) + "Status"


def _bullet(state: State, machine: Machine, entries: frozenset[str],
            titles: dict[str, str]) -> str:
    marks = status_marks(machine, state, MARKDOWN, entries=entries)
    if state.group is not None:
        marks.append(f"in {MARKDOWN.title(titles[state.group])}")
    head = f"- {md_code(state.name)}" + (f" ({', '.join(marks)})" if marks else "")
    if not state.description.strip():
        return head
    return head + "\n\n" + _indent(md_passthrough(state.description))


def _rule_notes(machine: Machine) -> list[str]:
    """The rules whose moves the enum cannot show: a guard, or a return to the previous
    status, in the pages' words (:func:`~statusdoc.emit.wording.rule_summary`)."""
    by_rule = transitions_by_rule(machine)
    scopes = Scopes.of(machine)
    return [f"- {rule_summary(machine, rule, by_rule[rule.index], MARKDOWN, scopes=scopes)}."
            for rule in machine.rules
            if (rule.guard or rule.returns) and rule.index in by_rule]


def _description(machine: Machine) -> str:
    """The schema's Markdown description: the intro, every status with its own, then the
    rules with a guard or a return."""
    parts = [md_passthrough(machine.intro).strip()] if machine.intro.strip() else []
    entries = frozenset(machine.entries)
    titles = {g.name: g.title for g in machine.groups}
    parts += [_bullet(state, machine, entries, titles) for state in machine.states]
    notes = _rule_notes(machine)
    if notes:
        parts += ["Guards are conditions in words that no validator evaluates; a return "
                  "allows each status the record may have come from:", "\n".join(notes)]
    return "\n\n".join(parts)


def _enum_description(state: State, machine: Machine) -> str:
    text = plain_text(state.description, language=machine.language)
    if not state.deprecated:
        return text
    mark = f"(deprecated: {state.deprecation})" if state.deprecation else "(deprecated)"
    return f"{mark} {text}" if text else mark


def _constructs(machine: Machine) -> dict[str, Any]:
    """The ``x-statusdoc-*`` keys of the constructs a spec may have (none when it has none)."""
    out: dict[str, Any] = {}
    deprecated = {s.name: s.deprecation for s in machine.states if s.deprecated}
    if deprecated:
        out["x-statusdoc-deprecated"] = deprecated
    if machine.groups:
        out["x-statusdoc-groups"] = {
            g.name: {"title": g.title,
                     **({"description": plain_text(g.description, language=machine.language)}
                        if g.description.strip() else {}),
                     "statuses": list(machine.group_members.get(g.name, ()))}
            for g in machine.groups}
    guards = [{"from": m.source, "to": m.target, **({"event": m.event} if m.event else {}),
               "guard": m.guard} for m in guarded_moves(machine)]
    if guards:
        out["x-statusdoc-guards"] = guards
    returns = [list(pair) for pair in return_moves(machine)]
    if returns:
        out["x-statusdoc-returns"] = returns
    return out


def _schema(machine: Machine) -> dict[str, Any]:
    names = machine.state_names
    schema: dict[str, Any] = {
        "title": machine.title,
        "description": _description(machine),
        "type": "string" if machine.null is None else ["string", "null"],
        "enum": [None if name == machine.null else name for name in names],
        "x-enum-descriptions": [_enum_description(s, machine) for s in machine.states],
        "x-statusdoc-machine": machine.name,
    }
    if machine.null is not None:
        schema["x-statusdoc-null"] = machine.null
    schema["x-statusdoc-entries"] = list(machine.entries)
    schema["x-statusdoc-final"] = [s.name for s in machine.states if s.final]
    schema.update(_constructs(machine))
    schema["x-statusdoc-transitions"] = targets_in_order(machine)
    return schema


def emit_openapi(machine: Machine, *, source_name: str) -> str:
    """The OpenAPI document for ``machine`` as JSON text (see the module docstring)."""
    schema = _schema(machine)
    digest = short_hash(json.dumps(schema, sort_keys=True), 12)
    document = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": machine.title,
            "version": digest,
            "description": header_text(source_name),
        },
        "components": {"schemas": {schema_name(machine): schema}},
    }
    return json_text(document)
