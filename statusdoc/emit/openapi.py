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
  order of ``enum`` (the extension OpenAPI Generator reads), and the same
  descriptions as a Markdown list in ``description``, which every renderer
  shows (Swagger UI, Redoc): descriptions written as ``oneOf`` of ``const``
  would be standard JSON Schema, but code generators turn such a ``oneOf``
  into a union of one-value types instead of an enum;
* ``x-statusdoc-machine``, ``x-statusdoc-null`` (when set),
  ``x-statusdoc-entries``, ``x-statusdoc-final``, ``x-statusdoc-deprecated``
  (status -> reason, when any) and ``x-statusdoc-transitions`` (each status
  to the statuses it may move to, by name, wildcards, groups and returns
  expanded).

Keys are written in a fixed order, statuses in spec order, targets in the
order of the spec's transitions; ``info.version`` is a hash of the schema, so
it changes exactly when the schema does. Strings are escaped by
:func:`statusdoc.emit.jstext.json_text`.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from statusdoc.emit.escape import header_text, md_code, md_passthrough, short_hash
from statusdoc.emit.jstext import json_text
from statusdoc.emit.markdown import _indent
from statusdoc.emit.plaintext import plain_text

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


def _bullet(state: State, machine: Machine) -> str:
    marks = []
    if state.name == machine.null:
        marks.append("`null`")
    if state.final:
        marks.append("final")
    if state.deprecated:
        marks.append("deprecated")
    head = f"- {md_code(state.name)}" + (f" ({', '.join(marks)})" if marks else "")
    if not state.description.strip():
        return head
    return head + "\n\n" + _indent(md_passthrough(state.description))


def _description(machine: Machine) -> str:
    """The schema's Markdown description: the intro, then every status with its own."""
    parts = [md_passthrough(machine.intro).strip()] if machine.intro.strip() else []
    parts += [_bullet(state, machine) for state in machine.states]
    return "\n\n".join(parts)


def _schema(machine: Machine) -> dict[str, Any]:
    names = machine.state_names
    targets: dict[str, dict[str, None]] = {name: {} for name in names}
    for t in machine.transitions:
        targets[t.source][t.target] = None
    schema: dict[str, Any] = {
        "title": machine.title,
        "description": _description(machine),
        "type": "string" if machine.null is None else ["string", "null"],
        "enum": [None if name == machine.null else name for name in names],
        "x-enum-descriptions": [plain_text(s.description, language=machine.language)
                                for s in machine.states],
        "x-statusdoc-machine": machine.name,
    }
    if machine.null is not None:
        schema["x-statusdoc-null"] = machine.null
    schema["x-statusdoc-entries"] = list(machine.entries)
    schema["x-statusdoc-final"] = [s.name for s in machine.states if s.final]
    deprecated = {s.name: s.deprecation for s in machine.states if s.deprecated}
    if deprecated:
        schema["x-statusdoc-deprecated"] = deprecated
    schema["x-statusdoc-transitions"] = {name: list(dsts) for name, dsts in targets.items()}
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
