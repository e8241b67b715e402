"""The shipped JSON Schema: current, well-formed, accepting every example, rejecting bad specs."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from statusdoc.spec import attrs
from statusdoc.spec.api import validate_file
from statusdoc.spec.schema import build_schema, render_schema, schema_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "statusdoc" / "spec" / "schema.json").read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def _read(path: Path):
    text = path.read_text("utf-8-sig")
    if path.suffix == ".toml":
        return tomllib.loads(text)
    if path.suffix == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def _example_specs() -> list[Path]:
    """Every spec under examples/ (any file with a machine table), found by glob."""
    found = []
    for path in sorted((ROOT / "examples").rglob("*")):
        if path.suffix not in (".toml", ".yaml", ".yml", ".json") or not path.is_file():
            continue
        try:
            data = _read(path)
        except (ValueError, yaml.YAMLError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and isinstance(data.get("machine"), dict):
            found.append(path)
    return found


EXAMPLES = _example_specs()


def test_schema_file_is_generated_and_well_formed():
    assert schema_text() == render_schema(), "run: python -c 'from statusdoc.spec.schema " \
        "import render_schema; open(\"statusdoc/spec/schema.json\",\"w\").write(render_schema())'"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_attribute_lists_match_the_allow_list():
    diagram = SCHEMA["properties"]["diagram"]["properties"]
    assert set(diagram["graph"]["properties"]) == attrs.GRAPH_ATTRS
    assert set(diagram["node"]["properties"]) == attrs.NODE_ATTRS
    assert set(diagram["edge"]["properties"]) == attrs.EDGE_ATTRS
    assert diagram["tags"]["additionalProperties"] == {"$ref": "#/$defs/tagStyle"}
    tag = SCHEMA["$defs"]["tagStyle"]["properties"]
    assert set(tag) == attrs.TAG_ATTRS | {"legend", "in_text"}
    assert build_schema() == SCHEMA


def test_examples_found():
    assert any(p.name == "image-statuses.toml" for p in EXAMPLES)


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_every_example_spec_matches_the_schema(path):
    VALIDATOR.validate(_read(path))
    assert validate_file(path).ok(), "and statusdoc accepts it too"


LEGAL = sorted((ROOT / "tests" / "corpus" / "legal").iterdir())


@pytest.mark.parametrize("path", LEGAL, ids=[p.name for p in LEGAL])
def test_legal_corpus_matches_the_schema(path):
    data = _read(path)
    # null bodies are a YAML convenience that the model treats as {}
    for name, body in list(data["states"].items()):
        if body is None:
            data["states"][name] = {}
    VALIDATOR.validate(data)


GLANCE = tomllib.loads((ROOT / "examples" / "glance" / "image-statuses.toml").read_text())


def _mutate(change):
    data = json.loads(json.dumps(GLANCE))
    change(data)
    return data


BAD = {
    "unknown top key": lambda d: d.update(machin={}),
    "missing initial": lambda d: d["machine"].pop("initial"),
    "name not a slug": lambda d: d["machine"].update(name="Image Statuses"),
    "final not bool": lambda d: d["states"]["deleted"].update(final="yes"),
    "unknown state key": lambda d: d["states"]["queued"].update(colour="red"),
    "empty from list": lambda d: d["transitions"][0].update({"from": []}),
    "missing to": lambda d: d["transitions"][0].pop("to"),
    "label with newline": lambda d: d["transitions"][0].update(label="a\nb"),
    "forbidden attribute": lambda d: d["diagram"].update(node={"image": "/etc/passwd"}),
    "bad rankdir": lambda d: d["diagram"].update(rankdir="XY"),
    "bad wildcards": lambda d: d["diagram"].update(wildcards="all"),
    "star state": lambda d: d["states"].update({"*": {}}),
    "list attribute value": lambda d: d["diagram"].update(edge={"color": ["red"]}),
    "no states": lambda d: d.update(states={}),
    "empty entry list": lambda d: d["machine"].update(initial=[]),
    "repeated entry": lambda d: d["machine"].update(initial=["queued", "queued"]),
    "entry label not a string": lambda d: d["machine"].update(initial_label={"queued": 1}),
    "null not a status": lambda d: d["machine"].update(null="*"),
    "deprecated number": lambda d: d["states"]["queued"].update(deprecated=1),
    "deprecated reason with newline": lambda d: d["states"]["queued"].update(
        deprecated="a\nb"),
    "group not a string": lambda d: d["states"]["queued"].update(group=["g"]),
    "unknown group key": lambda d: d.update(groups={"g": {"colour": "red"}}),
    "group source without group": lambda d: d["transitions"][0].update({"from": {}}),
    "group source with another key": lambda d: d["transitions"][0].update(
        {"from": {"group": "g", "except": []}}),
    "except not a list": lambda d: d["transitions"][0].update({"except": "queued"}),
    "include_final not bool": lambda d: d["transitions"][0].update(include_final="yes"),
    "return not bool": lambda d: d["transitions"][0].update({"return": "yes"}),
    "neither to nor return": lambda d: d["transitions"][0].pop("to"),
    "guard with newline": lambda d: d["transitions"][0].update(guard="a\nb"),
}


GOOD = {
    "entries with labels": lambda d: d["machine"].update(
        initial=["queued", "active"], initial_label={"active": "import"}),
    "deprecated with a reason": lambda d: d["states"]["killed"].update(deprecated="old"),
    "a group source": lambda d: (d.update(groups={"g": {"title": "G"}}),
                                 d["states"]["killed"].update(group="g"),
                                 d["transitions"][0].update({"from": {"group": "g"}})),
    "a return": lambda d: (d["transitions"][0].pop("to"),
                           d["transitions"][0].update({"return": True})),
    "a scoped wildcard with a guard": lambda d: d["transitions"][0].update(
        {"from": "*", "except": ["saving"], "include_final": True, "guard": "g"}),
    "null": lambda d: d["machine"].update(null="queued"),
}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_schema_accepts_the_new_constructs(name):
    VALIDATOR.validate(_mutate(GOOD[name]))


@pytest.mark.parametrize("name", sorted(BAD))
def test_schema_rejects_bad_specs(name):
    data = _mutate(BAD[name])
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
