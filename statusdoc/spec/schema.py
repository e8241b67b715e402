"""The JSON Schema (draft 2020-12) of a spec, for editors and other tools.

:func:`build_schema` walks the key tables of :mod:`statusdoc.spec.keys`, the
same tables the validator reads, so the schema cannot fall behind the
validator. ``schema.json`` next to this module is its output (a test keeps
them equal) and is shipped in the package; ``statusdoc schema`` prints it.
The schema describes the shape of a spec (keys, types, text rules, the
attribute allow-list); :mod:`statusdoc.spec.validate` checks more (unknown
states, reachability, numeric caps), so a spec can pass the schema and still
fail ``statusdoc validate``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from statusdoc.spec import keys as K
from statusdoc.spec.rules import RULES

SCHEMA_ID = "https://statusdoc.readthedocs.io/schema/spec.schema.json"

Schema = dict[str, Any]


def _text_defs() -> Schema:
    line = {"type": "string", "minLength": 1, "maxLength": K.MAX_NAME,
            "pattern": f"^{K.line_regex()}$"}
    return {
        "line": line,
        "prose": {"type": "string", "pattern": f"^{K.prose_regex()}$"},
        "status": {**line, "not": {"const": K.WILDCARD}},
        "tag": {**line, "maxLength": K.MAX_TAG},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}, "uniqueItems": True},
        "attrValue": {"type": ["string", "number", "boolean"]},
    }


def _attrs(names: frozenset[str]) -> Schema:
    return {name: {"$ref": "#/$defs/attrValue"} for name in sorted(names)}


def _section(section: K.Section, defs: Schema) -> Schema:
    props = _attrs(section.attributes) if section.attributes is not None else {}
    props.update({key.name: _key(key, defs) for key in section.keys})
    out: Schema = {"type": "object"}
    required = [key.name for key in section.keys if key.required]
    if required:
        out["required"] = required
    if section.any_of:
        out["anyOf"] = [{"required": [name]} for name in section.any_of]
    out["additionalProperties"] = False
    out["properties"] = props
    return out


def _allowable() -> list[str]:
    warnings = [r for r in RULES if r.severity == "warning"]
    return [r.name for r in warnings] + [r.code for r in warnings]


def _kind(key: K.Key, defs: Schema) -> Schema:
    kind = key.kind
    if kind in ("line", "prose", "status", "tag", "tags"):
        ref: Schema = {"$ref": f"#/$defs/{kind}"}
        return {"anyOf": [{"const": ""}, ref]} if key.empty_ok else ref
    if kind == "slug":
        return {"type": "string", "pattern": f"^{K.SLUG}$", "maxLength": K.MAX_SLUG}
    if kind == "language":
        return {"type": "string", "pattern": f"^{K.LANGUAGE}$"}
    status: Schema = {"$ref": "#/$defs/status"}
    if kind in ("statuses", "entries", "sources"):
        array = {"type": "array", "minItems": 1, "uniqueItems": True, "items": status}
        if kind == "statuses":
            return {**array, "minItems": 0}
        if kind == "entries":
            return {"anyOf": [status, array]}
        assert key.section is not None, key.name
        return {"anyOf": [{"const": K.WILDCARD}, status, array, _section(key.section, defs)]}
    if kind == "labels":
        line = {"$ref": "#/$defs/line"}
        return {"anyOf": [{"const": ""}, line, {"type": "object", "additionalProperties": line,
                                                "propertyNames": status}]}
    if kind == "flag":
        return {"anyOf": [{"type": "boolean"}, {"$ref": "#/$defs/line"}]}
    if kind == "number":
        return {"type": "number", "minimum": key.limits[0], "maximum": key.limits[1]}
    if kind in ("choice", "attribute"):
        return {"enum": list(key.choices)} if key.choices else {"$ref": "#/$defs/attrValue"}
    if kind == "attrs":
        return {"type": "object", "properties": _attrs(key.attrs), "additionalProperties": False}
    if kind == "rules":
        return {"type": "array", "items": {"enum": _allowable()}}
    if kind in ("table", "map", "array"):
        return _nested(key, defs)
    return {"type": "boolean" if kind == "boolean" else "string"}


def _nested(key: K.Key, defs: Schema) -> Schema:
    assert key.section is not None, key.name
    if key.kind == "table":
        return _section(key.section, defs)
    defs[key.section.name] = _section(key.section, defs)
    item = {"$ref": f"#/$defs/{key.section.name}"}
    if key.kind == "array":
        return {"type": "array", "items": item}
    out: Schema = {"type": "object"}
    if key.empty:
        out["minProperties"] = 1
    out.update(propertyNames={"$ref": f"#/$defs/{key.names}"}, additionalProperties=item)
    return out


def _key(key: K.Key, defs: Schema) -> Schema:
    out = _kind(key, defs)
    if key.default is not None:
        out["default"] = key.default
    return {**out, "description": K.plain(key.doc)} if key.doc else out


def build_schema() -> Schema:
    """The JSON Schema of a spec, as a plain dict."""
    defs = _text_defs()
    root = _section(K.SPEC, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "statusdoc spec",
        "description": f"{K.plain(K.SPEC.doc)} See the statusdoc spec reference.",
        **root,
        "$defs": defs,
    }


def render_schema() -> str:
    """``schema.json``'s exact text."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_text() -> str:
    """The shipped ``schema.json`` (package data)."""
    return resources.files("statusdoc.spec").joinpath("schema.json").read_text("utf-8")
