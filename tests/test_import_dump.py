"""The spec writers: TOML (hand-written) and YAML text parse back to the same data."""

from __future__ import annotations

import tomllib

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.spec.dump import YamlParts, dump, dump_toml, dump_yaml, toml_key, toml_string

# Any text a Python str can hold in a UTF-8 file (no lone surrogates).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
SCALAR = st.one_of(TEXT, st.booleans(), st.integers(-(2**63), 2**63 - 1))


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_any_string_round_trips_as_toml_value(value: str) -> None:
    assert tomllib.loads(f"v = {toml_string(value)}\n") == {"v": value}


@settings(max_examples=200, deadline=None)
@given(TEXT.filter(bool))
def test_any_key_round_trips(key: str) -> None:
    assert tomllib.loads(f"{toml_key(key)} = 1\n") == {key: 1}


SPEC_LIKE = st.fixed_dictionaries(
    {
        "machine": st.dictionaries(TEXT.filter(bool), SCALAR, max_size=4),
        "states": st.dictionaries(
            TEXT.filter(bool),
            st.dictionaries(
                TEXT.filter(bool), st.one_of(SCALAR, st.lists(TEXT, max_size=3)), max_size=3
            ),
            max_size=4,
        ),
        "transitions": st.lists(
            st.dictionaries(TEXT.filter(bool), SCALAR, min_size=1, max_size=4),
            min_size=1,
            max_size=4,
        ),
        "diagram": st.fixed_dictionaries(
            {"node": st.dictionaries(TEXT.filter(bool), TEXT, max_size=3)}
        ),
    }
)


@settings(max_examples=100, deadline=None)
@given(SPEC_LIKE)
def test_spec_shaped_data_round_trips_through_toml_and_yaml(data: dict) -> None:
    assert tomllib.loads(dump_toml(data, header="a\nheader")) == data
    assert yaml.safe_load(dump_yaml(data, header="a header")) == data


def test_multiline_descriptions_are_readable_blocks() -> None:
    data = {"states": {"queued": {"description": 'First line,\nsecond "quoted" line\\'}}}
    text = dump_toml(data)
    assert '"""\nFirst line,\nsecond \\"quoted\\" line\\\\"""' in text
    assert tomllib.loads(text) == data
    ytext = dump_yaml(data)
    assert "description: |-\n      First line," in ytext
    assert yaml.safe_load(ytext) == data


def test_layout_is_the_hand_written_one() -> None:
    data = {
        "machine": {"name": "m", "initial": "a"},
        "states": {"a": {"description": "A"}, "wait call-back": {"final": True}},
        "transitions": [{"from": "a", "to": "wait call-back", "tags": ["v1"]}],
        "diagram": {"rankdir": "LR", "node": {"shape": "box"}, "tags": {"v1": {"style": "dashed"}}},
    }
    assert dump(data, "toml", header="generated") == (
        "# generated\n\n"
        '[machine]\nname = "m"\ninitial = "a"\n\n'
        '[states.a]\ndescription = "A"\n\n'
        '[states."wait call-back"]\nfinal = true\n\n'
        '[[transitions]]\nfrom = "a"\nto = "wait call-back"\ntags = ["v1"]\n\n'
        '[diagram]\nrankdir = "LR"\nnode = { shape = "box" }\n\n'
        '[diagram.tags.v1]\nstyle = "dashed"\n'
    )


def test_control_characters_are_escaped() -> None:
    assert toml_string("a\x00b\x7f\tc") == '"a\\u0000b\\u007F\\tc"'
    assert toml_string("x\r\ny") == '"""\nx\\r\ny"""'


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown spec format 'ini'"):
        dump({}, "ini")


def test_yaml_written_in_parts_is_the_whole_dump() -> None:
    """YamlParts writes the bytes dump_yaml writes for the whole: a piece continuing
    an entry is dumped at its depth (long strings fold alike), and a value whose
    line breaks are kept (``|+``, which PyYAML ends with ``...`` when it ends the
    text) leaves no ``...`` inside the text."""
    long = " ".join(f"word{i}" for i in range(40))
    states = {f"s{i}": {"description": long if i % 3 else "kept\n\n"} for i in range(7)}
    rules = [{"from": f"s{i}", "to": f"s{i + 1}", "label": "ends\n\n" if i % 2 else long}
             for i in range(6)]
    data = {"machine": {"name": "m", "initial": "s0"}, "states": states, "transitions": rules}
    parts = YamlParts("a header")
    parts.entry("machine", data["machine"])
    names = list(states)
    parts.entry("states", {n: states[n] for n in names[:3]})
    parts.more({n: states[n] for n in names[3:]})
    parts.part()
    parts.entry("transitions", rules[:2])
    for start in (2, 4):
        parts.part()
        parts.more(rules[start:start + 2])
    text, starts = parts.finish()
    assert "|+" in text and "\n...\n" not in text[:-4]
    assert text == dump_yaml(data, header="a header")
    assert yaml.safe_load(text) == data
    assert [text[s:].split("\n")[0] for s in starts] == [
        "transitions:", "- from: s2", "- from: s4"]
