"""Does an API document's status enum list the spec's statuses? (``compare --openapi``)

An API reference kept by hand drifts: OpenStack Cinder's listed two volume
statuses short for years. ``statusdoc compare SPEC --openapi FILE#POINTER``
reads the document (JSON, or YAML through statusdoc's one safe YAML loader,
size-capped like every input), follows the RFC 6901 JSON pointer after the
``#`` -- through local ``$ref`` s, a bounded number of hops -- finds the enum
there and reports every status missing from it and every value only it has.

Where the enum may stand, at the pointer (each step following ``$ref``):
``enum`` itself, ``const``, ``type: "null"`` (the value ``null``), the
members of ``oneOf``/``anyOf`` (their values together: ``oneOf`` of
``const`` s, ``anyOf`` of an enum and ``{type: null}``), ``allOf`` (the values
its members with an enum share), ``items`` (an array of statuses) and
``schema`` (a parameter, header or media type object).

``null`` in the document is the spec's null status (``[machine] null``); its
name counts too. Deprecated statuses are expected like any other: stored
records may still hold them, so the API may still return them.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS, UnreadableInput, UsageError
from statusdoc.suggest import did_you_mean

if TYPE_CHECKING:
    from statusdoc.spec.model import Machine

__all__ = ["EnumDiff", "OpenApiError", "compare_enum", "document_enum", "load_document",
           "resolve_pointer", "run_cli", "split_reference"]

#: ``$ref`` hops one comparison follows at most (a cycle ends here too).
MAX_REF_HOPS = 64
#: How deep the search for the enum goes (``anyOf`` in ``items`` in ``allOf`` ...).
MAX_SCHEMA_DEPTH = 16
_INDEX = re.compile(r"0|[1-9][0-9]*")
_BAD_ESCAPE = re.compile(r"~(?![01])")


class OpenApiError(UsageError):
    """The document cannot be read or parsed, or the pointer does not lead to an enum."""


def split_reference(reference: str) -> tuple[str, str]:
    """``("api.yaml", "/components/schemas/Status")`` from ``api.yaml#/components/...``.

    The file ends at the first ``#``; the rest is read like a ``$ref`` fragment:
    percent-escapes decoded, then the JSON pointer's ``~1`` and ``~0``. No ``#``:
    the whole document.
    """
    path, _, fragment = reference.partition("#")
    return path, unquote(fragment)


def load_document(path: str | Path) -> Any:
    """The document at ``path`` as plain data (JSON for ``.json``, YAML otherwise);
    :class:`UnreadableInput` or :class:`OpenApiError` (both exit 2) when it cannot be."""
    from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular

    name = str(path)
    try:
        raw = read_regular(path, MAX_INPUT_BYTES)
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise UnreadableInput(f"{name}: cannot read: {reason}", reason) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(f"{name}: not UTF-8: {exc}", "not UTF-8") from None
    try:
        if name.lower().endswith(".json"):
            return json.loads(text)
        from statusdoc.spec.load import parse_yaml_data

        return parse_yaml_data(text, name)
    except RecursionError:
        raise OpenApiError(f"{name}: cannot parse: nested too deeply") from None
    except ValueError as exc:
        raise OpenApiError(f"{name}: cannot parse: {exc}") from None


def _tokens(pointer: str, name: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise OpenApiError(f"{name}#{pointer}: a JSON pointer starts with '/' (or is empty)")
    parts = pointer[1:].split("/")
    for part in parts:
        if _BAD_ESCAPE.search(part):
            raise OpenApiError(f"{name}#{pointer}: '~' in a JSON pointer is '~0' or '~1'")
    return [part.replace("~1", "/").replace("~0", "~") for part in parts]


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Resolver:
    """Walks one document; every ``$ref`` it follows counts against one budget."""

    def __init__(self, document: Any, name: str) -> None:
        self.document = document
        self.name = name
        self.hops = 0

    def follow(self, node: Any, where: str) -> Any:
        """``node``, or what its ``$ref`` chain leads to."""
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref: str = node["$ref"]
            if not ref.startswith("#"):
                raise OpenApiError(f"{self.name}: {where or '/'}: $ref {ref!r} points into "
                                   "another document; only local references ('#/...') are "
                                   "followed")
            self.hops += 1
            if self.hops > MAX_REF_HOPS:
                raise OpenApiError(f"{self.name}: more than {MAX_REF_HOPS} $ref hops "
                                   f"(a cycle?) at {where or '/'}")
            node = self.resolve(unquote(ref[1:]))
        return node

    def resolve(self, pointer: str) -> Any:
        """The node ``pointer`` names; :class:`OpenApiError` when it names none."""
        node, walked = self.document, ""
        for token in _tokens(pointer, self.name):
            node = self.follow(node, walked)
            node = self._step(node, token, pointer, walked)
            walked += "/" + _escape(token)
        return node

    def _step(self, node: Any, token: str, pointer: str, walked: str) -> Any:
        where = f"{self.name}#{pointer}: {walked or 'the document'}"
        if isinstance(node, dict):
            if token in node:
                return node[token]
            for key, value in node.items():  # YAML keys may be numbers: responses: {200: ...}
                if not isinstance(key, str) and str(key) == token:
                    return value
            keys = [str(key) for key in node]
            raise OpenApiError(f"{where} has no {token!r}{did_you_mean(token, keys)}")
        if isinstance(node, list):
            if _INDEX.fullmatch(token) and int(token) < len(node):
                return node[int(token)]
            raise OpenApiError(f"{where} is a list of {len(node)}; {token!r} is no index in it")
        raise OpenApiError(f"{where} is {_kind(node)}, so it has no {token!r}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}")


def resolve_pointer(document: Any, pointer: str, *, name: str = "document") -> Any:
    """The node of ``document`` that the JSON pointer names, local ``$ref`` s followed
    on the way (RFC 6901; ``""`` is the whole document)."""
    resolver = _Resolver(document, name)
    return resolver.follow(resolver.resolve(pointer), pointer)


def document_enum(document: Any, pointer: str, *, name: str = "document") -> list[Any]:
    """The values the schema at ``pointer`` allows, in document order (see the module
    docstring for where they may stand)."""
    resolver = _Resolver(document, name)
    return _values(resolver, resolver.resolve(pointer), pointer, 0)


def _values(resolver: _Resolver, node: Any, where: str, depth: int) -> list[Any]:
    node = resolver.follow(node, where)
    if depth > MAX_SCHEMA_DEPTH:
        raise OpenApiError(f"{resolver.name}#{where}: schemas nested more than "
                           f"{MAX_SCHEMA_DEPTH} deep")
    if not isinstance(node, dict):
        raise OpenApiError(f"{resolver.name}#{where} is {_kind(node)}, not a schema")
    if isinstance(node.get("enum"), list):
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    if node.get("type") == "null" or node.get("type") == ["null"]:
        return [None]
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list) and node[key]:
            values: list[Any] = []
            for i, member in enumerate(node[key]):
                values += _values(resolver, member, f"{where}/{key}/{i}", depth + 1)
            return _unique(values)
    if isinstance(node.get("allOf"), list):
        shared = _all_of(resolver, node["allOf"], f"{where}/allOf", depth)
        if shared is not None:
            return shared
    for key in ("items", "schema"):
        if key in node:
            return _values(resolver, node[key], f"{where}/{key}", depth + 1)
    keys = ", ".join(sorted(map(str, node))) or "none"
    raise OpenApiError(f"{resolver.name}#{where}: no enum there (its keys: {keys}); point at "
                       "a schema with enum, const, oneOf/anyOf of them, items or schema")


def _all_of(resolver: _Resolver, members: list[Any], where: str, depth: int) -> list[Any] | None:
    """The values every ``allOf`` member with an enum allows, or None when none has one."""
    found: list[list[Any]] = []
    for i, member in enumerate(members):
        try:
            found.append(_values(resolver, member, f"{where}/{i}", depth + 1))
        except OpenApiError as exc:
            if "no enum there" not in str(exc):
                raise
    if not found:
        return None
    return [v for v in _unique(found[0]) if all(_contains(other, v) for other in found[1:])]


def _contains(values: list[Any], value: Any) -> bool:
    return any(type(v) is type(value) and v == value for v in values)


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not _contains(out, value):
            out.append(value)
    return out


@dataclass(frozen=True, slots=True)
class EnumDiff:
    """Statuses missing from a document's enum (spec order) and values only it has
    (document order); empty (falsy) when they agree."""

    missing: tuple[str, ...] = ()
    extra: tuple[Any, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra)

    def lines(self) -> list[str]:
        """One line per difference: ``missing from the document: status killed``."""
        from statusdoc.known import show_name

        out = [f"missing from the document: status {show_name(s)}" for s in self.missing]
        out += [f"only in the document: {_show_value(v)}" for v in self.extra]
        return out

    def report(self, spec: str, document: str) -> str:
        """A summary line, then :meth:`lines` indented (as ``compare --table`` reports)."""
        lines = self.lines()
        if not lines:
            return f"{spec}: {document} matches the spec"
        noun = "difference" if len(lines) == 1 else "differences"
        head = f"{spec}: {document} differs from the spec ({len(lines)} {noun}):"
        return "\n".join([head, *(f"  {line}" for line in lines)])


def _show_value(value: Any) -> str:
    from statusdoc.known import show_name

    if isinstance(value, str):
        return f"status {show_name(value)}"
    return f"value {json.dumps(value, ensure_ascii=False)}"


def compare_enum(machine: Machine, values: list[Any]) -> EnumDiff:
    """What ``values`` (a document's enum) lacks of ``machine``'s statuses, and has besides."""
    present: set[str] = set()
    extra: list[Any] = []
    for value in values:
        if value is None and machine.null is not None:
            present.add(machine.null)
        elif isinstance(value, str) and value in machine.state_map:
            present.add(value)
        elif not _contains(extra, value):
            extra.append(value)
    missing = tuple(s for s in machine.state_names if s not in present)
    return EnumDiff(missing=missing, extra=tuple(extra))


def run_cli(args: argparse.Namespace) -> int:
    """``statusdoc compare SPEC --openapi FILE#POINTER``: print the report; exit 0 when the
    document's enum lists exactly the spec's statuses, 1 otherwise."""
    from statusdoc.cli.inputs import load_spec_file
    from statusdoc.pathrules import check_path_text

    if not args.spec:
        raise UsageError("--openapi needs a SPEC argument")
    if args.table is not None or args.events or args.known is not None:
        raise UsageError("--openapi compares an API document; it takes no --table, --events "
                         "or --known")
    path, pointer = split_reference(args.openapi)
    if not path:
        raise UsageError(f"--openapi {args.openapi!r}: name the file before '#'")
    check_path_text(args.spec, "SPEC")
    check_path_text(path, "--openapi")
    machine = load_spec_file(args.spec)
    values = document_enum(load_document(path), pointer, name=path)
    diff = compare_enum(machine, values)
    if diff or not args.quiet:
        print(diff.report(args.spec, args.openapi))
    return EXIT_PROBLEMS if diff else EXIT_OK
