"""The ``openapi`` output kind and ``statusdoc compare SPEC --openapi FILE#POINTER``
(issue 14, item 4): the generated document passes openapi-spec-validator, a round trip
is clean, and a hand-kept API document's enum cannot drift unnoticed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator import validate

import statusdoc
from statusdoc import kinds
from statusdoc.cli import main
from statusdoc.emit import get_emitter
from statusdoc.emit.openapi import emit_openapi, schema_name
from statusdoc.emit.plaintext import plain_text
from statusdoc.openapi_compare import (
    MAX_REF_HOPS,
    OpenApiError,
    compare_enum,
    document_enum,
    resolve_pointer,
    split_reference,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "glance": "examples/glance/image-statuses.toml",
    "baremetal": "examples/baremetal/node-states.toml",
    "volume": "examples/volume/volume-statuses.toml",
    "taskinstance": "examples/taskinstance/task-instance-statuses.toml",
    "order": "examples/order/order-statuses.toml",
    "hostile": "tests/corpus/legal/code-hostile.toml",
}
SPECS = [*(ROOT / p for p in EXAMPLES.values()),
         *sorted((ROOT / "tests" / "corpus" / "legal").glob("*.*"))]
GLANCE = ROOT / EXAMPLES["glance"]


def document(path: Path) -> dict:
    return json.loads(emit_openapi(statusdoc.load(path), source_name=path.name))


def test_the_registry_names_this_emitter() -> None:
    assert get_emitter("openapi") is emit_openapi
    assert kinds.get("openapi").file_name("image-statuses") == "image-statuses.openapi.json"
    assert "openapi" not in kinds.defaults()


@pytest.mark.parametrize("path", SPECS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_document_passes_openapi_spec_validator(path: Path) -> None:
    text = emit_openapi(statusdoc.load(path), source_name=str(path.relative_to(ROOT)))
    validate(json.loads(text))  # raises on any violation of the OpenAPI 3.1 schema
    # nothing invisible or line-breaking inside a string, and no "<" for a page to misread
    assert text.endswith("}\n") and all(ch.isprintable() or ch == "\n" for ch in text)
    assert "<" not in text


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_the_schema_says_what_the_spec_says(key: str) -> None:
    machine = statusdoc.load(ROOT / EXAMPLES[key])
    doc = document(ROOT / EXAMPLES[key])
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["description"] == (
        f"generated from {Path(EXAMPLES[key]).name} — edit the spec, not this file")
    (name, schema), = doc["components"]["schemas"].items()
    assert name == schema_name(machine)
    null = machine.null
    assert schema["enum"] == [None if s == null else s for s in machine.state_names]
    assert schema["type"] == ("string" if null is None else ["string", "null"])
    assert schema["x-enum-descriptions"] == [
        (f"(deprecated: {s.deprecation}) " if s.deprecated else "") + plain_text(s.description)
        for s in machine.states]
    assert schema["x-statusdoc-entries"] == list(machine.entries)
    assert schema["x-statusdoc-final"] == [s.name for s in machine.states if s.final]
    assert schema.get("x-statusdoc-null") == null
    assert schema.get("x-statusdoc-deprecated", {}) == {
        s.name: s.deprecation for s in machine.states if s.deprecated}
    assert schema.get("x-statusdoc-groups", {}) == {
        g.name: {"title": g.title, "description": plain_text(g.description),
                 "statuses": [s.name for s in machine.states if s.group == g.name]}
        for g in machine.groups}
    assert schema.get("x-statusdoc-guards", []) == [
        {"from": t.source, "to": t.target, **({"event": t.event} if t.event else {}),
         "guard": t.guard} for t in machine.transitions if t.guard]
    returns = [[t.source, t.target] for t in machine.transitions if t.returning]
    assert schema.get("x-statusdoc-returns", []) == [
        pair for i, pair in enumerate(returns) if pair not in returns[:i]]
    assert list(schema)[-1] == "x-statusdoc-transitions"
    transitions = schema["x-statusdoc-transitions"]
    assert list(transitions) == list(machine.state_names)
    assert {k: set(v) for k, v in transitions.items()} == {
        k: set(v) for k, v in machine.targets_by_state.items()}
    assert all(len(v) == len(set(v)) for v in transitions.values())


def test_names_and_versions() -> None:
    taskinstance = statusdoc.load(ROOT / EXAMPLES["taskinstance"])
    assert schema_name(taskinstance) == "TaskInstanceStatus"
    assert schema_name(statusdoc.load(GLANCE)) == "ImageStatus"
    # the version is the schema's hash: the same schema, the same bytes ...
    a = emit_openapi(statusdoc.load(GLANCE), source_name="a.toml")
    assert a == emit_openapi(statusdoc.load(GLANCE), source_name="a.toml")
    b = document(GLANCE)
    assert json.loads(a)["info"]["version"] == b["info"]["version"]
    # ... and a new transition, a new version
    text = GLANCE.read_text(encoding="utf-8")
    text += '\n[[transitions]]\nfrom = "killed"\nto = "queued"\n'
    changed = json.loads(emit_openapi(statusdoc.loads(text, "toml"), source_name="a.toml"))
    assert changed["info"]["version"] != b["info"]["version"]


def test_the_description_lists_every_status_in_markdown() -> None:
    schema = document(ROOT / EXAMPLES["taskinstance"])["components"]["schemas"][
        "TaskInstanceStatus"]
    text = schema["description"]
    assert "- `none` (initial, stored as NULL/None)\n\n  No status yet (`NULL` in the" in text
    assert "- `shutdown` (deprecated: no longer set; older rows may still hold it)" in text
    # several entries, groups, guards and returns, in the words of the generated pages
    volume = document(ROOT / EXAMPLES["volume"])["components"]["schemas"]["VolumeStatus"]
    text = volume["description"]
    assert "- `managing` (entry)" in text and "- `creating` (entry)" in text
    assert "- `error` (in *Error statuses*)" in text
    assert ("- `downloading` (deprecated: no longer set since 2023.1; rows created before may "
            "still hold it, in *Operations in progress*)") in text
    assert ("- From `detaching` to `in-use`, event `detach_succeeded`, guard \\[other "
            "attachments remain\\].") in text
    assert ("- From `attaching`, `detaching` back to the previous status (failed), event "
            "`fail`; the previous status is one of `reserved` or `in-use`.") in text
    glance = document(GLANCE)["components"]["schemas"]["ImageStatus"]["description"]
    assert "Guards are conditions" not in glance  # nothing to say without guards or returns


def test_hostile_names_survive_the_json_round_trip() -> None:
    machine = statusdoc.load(ROOT / EXAMPLES["hostile"])
    text = emit_openapi(machine, source_name="h\u2028.toml")
    schema = json.loads(text)["components"]["schemas"]["HostileCodeStatus"]
    assert [v for v in schema["enum"] if v is not None] == [
        s for s in machine.state_names if s != machine.null]
    assert "\\u2028" in text and "\u2028" not in text and "\\u202e" in text
    assert "\\u003c/script>" in text


# --- compare --openapi -------------------------------------------------------------------

API = """\
openapi: 3.1.0
info: {title: Images, version: "2"}
paths:
  /images/{id}:
    get:
      parameters:
        - name: status
          in: query
          schema:
            $ref: '#/components/schemas/ImageStatus'
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/ImageStatus'}
components:
  schemas:
    ImageStatus:
      type: string
      enum: [queued, saving, active, deleted]
    a/b~c:
      $ref: '#/components/schemas/ImageStatus'
    Loop:
      $ref: '#/components/schemas/Loop'
    External:
      $ref: 'other.yaml#/components/schemas/ImageStatus'
"""


@pytest.fixture
def api(tmp_path: Path) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(API, encoding="utf-8")
    return path


def compare(spec: Path | str, ref: str, capsys: pytest.CaptureFixture[str],
            *extra: str) -> tuple[int, str, str]:
    code = main(["compare", str(spec), "--openapi", ref, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_enum_lacking_two_statuses_reports_exactly_those_two(
        api: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = compare(GLANCE, f"{api}#/components/schemas/ImageStatus", capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{GLANCE}: {api}#/components/schemas/ImageStatus differs from the spec "
        "(2 differences):",
        "  missing from the document: status killed",
        "  missing from the document: status pending_delete",
    ]


@pytest.mark.parametrize("pointer", [
    "/components/schemas/ImageStatus",
    "/components/schemas/a~1b~0c",  # RFC 6901 escapes, then a $ref
    "/components/schemas/a%7E1b%7E0c",  # percent escapes decoded first, as in a $ref
    "/paths/~1images~1{id}/get/parameters/0",  # a parameter: its schema's $ref
    "/paths/~1images~1%7Bid%7D/get/parameters/0/schema",
    "/paths/~1images~1{id}/get/responses/200/content/application~1json/schema",  # items
])
def test_pointers_find_the_enum_through_escapes_refs_and_items(
        api: Path, pointer: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = compare(GLANCE, f"{api}#{pointer}", capsys)
    assert code == 1 and out.count("missing from the document") == 2, out


@pytest.mark.parametrize("pointer, message", [
    ("/components/schemas/ImageStatsu",
     "/components/schemas has no 'ImageStatsu' (did you mean 'ImageStatus'?)"),
    ("/paths/~1images~1{id}/get/parameters/3", "is a list of 1; '3' is no index in it"),
    ("/paths/~1images~1{id}/get/parameters/01", "'01' is no index in it"),
    ("/info/title/x", "is a string, so it has no 'x'"),
    ("/paths/~1images~1{id}/get/responses/200", "no enum there (its keys: content, description)"),
    ("/components/schemas/Loop", f"more than {MAX_REF_HOPS} $ref hops (a cycle?)"),
    ("/components/schemas/External", "points into another document"),
    ("components", "a JSON pointer starts with '/'"),
    ("/a~2", "'~' in a JSON pointer is '~0' or '~1'"),
])
def test_a_pointer_that_does_not_resolve_is_a_usage_error(
        api: Path, pointer: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = compare(GLANCE, f"{api}#{pointer}", capsys)
    assert code == 2 and out == ""
    assert message in err and err.startswith("statusdoc compare: ")


def test_unreadable_documents_are_usage_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "alias.yaml").write_text("a: &x [queued]\nb: *x\n", encoding="utf-8")
    (tmp_path / "tag.yaml").write_text("a: !!python/object/apply:os.system ['touch pwned']\n",
                                       encoding="utf-8")
    (tmp_path / "latin1.json").write_bytes(b'{"enum": ["d\xe9j\xe0"]}')
    (tmp_path / "broken.json").write_text('{"enum": [', encoding="utf-8")
    (tmp_path / "big.json").write_bytes(b" " * (5 * 1024 * 1024 + 1))
    cases = {
        "missing.yaml#/": "cannot read: No such file or directory",
        f"{tmp_path}#/": "cannot read",  # a directory
        "/dev/zero#/": "cannot read",
        f"{tmp_path / 'alias.yaml'}#/b": "anchors and aliases are not supported",
        f"{tmp_path / 'tag.yaml'}#/a": "cannot parse",
        f"{tmp_path / 'latin1.json'}#/": "not UTF-8",
        f"{tmp_path / 'broken.json'}#/": "cannot parse",
        f"{tmp_path / 'big.json'}#/": "cannot read",
        "#/components": "name the file before '#'",
    }
    for ref, message in cases.items():
        code, out, err = compare(GLANCE, ref, capsys)
        assert (code, out) == (2, ""), ref
        assert message in err, (ref, err)
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_option_conflicts_are_usage_errors(api: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = f"{api}#/components/schemas/ImageStatus"
    assert compare(GLANCE, ref, capsys, "--table", "x.json")[0] == 2
    assert compare(GLANCE, ref, capsys, "--events")[0] == 2
    # known differences describe a table, not an API document
    code, _out, err = compare(GLANCE, ref, capsys, "--known", "known.toml")
    assert code == 2 and "takes no --table, --events or --known" in err
    assert main(["compare", "--openapi", ref]) == 2
    assert "--openapi needs a SPEC argument" in capsys.readouterr().err


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_round_trip_generate_then_compare_is_clean(
        key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    spec = ROOT / EXAMPLES[key]
    monkeypatch.chdir(tmp_path)
    assert main(["generate", str(spec), "--format", "openapi", "--output-dir", "out"]) == 0
    written = tmp_path / "out" / (spec.stem + ".openapi.json")
    name = schema_name(statusdoc.load(spec))
    capsys.readouterr()
    code, out, _ = compare(spec, f"{written}#/components/schemas/{name}", capsys)
    assert code == 0 and out.endswith("matches the spec\n")
    assert compare(spec, f"{written}#/components/schemas/{name}", capsys, "--quiet")[1] == ""


def test_enum_forms_null_and_values_only_the_document_has() -> None:
    task = statusdoc.load(ROOT / EXAMPLES["taskinstance"])
    names = [s for s in task.state_names if s != "none"]
    doc = {"s": {"anyOf": [{"$ref": "#/e"}, {"type": "null"}]}, "e": {"enum": names},
           "o": {"oneOf": [{"const": n, "description": "x"} for n in names]},
           "a": {"allOf": [{"$ref": "#/e"}, {"description": "the status"}]},
           "n": {"type": ["string", "null"], "enum": [*names, None, 3, "frozen"]}}
    assert not compare_enum(task, document_enum(doc, "/s"))
    assert compare_enum(task, document_enum(doc, "/o")).missing == ("none",)  # no null
    assert compare_enum(task, document_enum(doc, "/a")).missing == ("none",)
    diff = compare_enum(task, document_enum(doc, "/n"))
    assert (diff.missing, diff.extra) == ((), (3, "frozen"))
    assert diff.lines() == ["only in the document: value 3", "only in the document: status frozen"]
    # the null status's name counts as well as null
    assert not compare_enum(task, ["none", *names])
    glance = statusdoc.load(GLANCE)
    diff = compare_enum(glance, [*glance.state_names, None])
    assert diff.lines() == ["only in the document: value null"]


def test_pointer_helpers() -> None:
    assert split_reference("a#b.yaml#/x%20y") == ("a", "b.yaml#/x y")
    assert split_reference("api.yaml") == ("api.yaml", "")
    doc = {"": {"~": [0, {"$ref": "#/t"}]}, "t": {"enum": ["x"]}, "200": "str key", 404: "int"}
    assert resolve_pointer(doc, "//~0/1") == {"enum": ["x"]}
    assert resolve_pointer(doc, "/404") == "int"
    assert resolve_pointer(doc, "") is doc
    with pytest.raises(OpenApiError, match="no '40'"):
        resolve_pointer(doc, "/40")


# --- the docs page says what the command does --------------------------------------------

PAGE = ROOT / "docs" / "typescript-openapi.rst"


def test_the_console_session_of_the_docs_is_what_the_cli_prints(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import shlex

    text = PAGE.read_text(encoding="utf-8")
    start = text.index("   $ statusdoc compare examples/volume")
    block = text[start:text.index("\n\n", start)].splitlines()
    args = shlex.split(block[0].strip()[2:])
    monkeypatch.chdir(ROOT)
    assert main(args[1:]) == 1
    assert capsys.readouterr().out.splitlines() == [line[3:] for line in block[1:]]
    # the usage error the page shows, for the same document
    shown = next(line.strip() for line in text.splitlines() if "VolumeStatsu" in line)
    code = main(["compare", "examples/volume/volume-statuses.toml", "--openapi",
                 "docs/examples/volume-api.yaml#/components/schemas/VolumeStatsu"])
    assert code == 2
    assert capsys.readouterr().err.strip() == shown.replace(
        "api.yaml#", "docs/examples/volume-api.yaml#")
