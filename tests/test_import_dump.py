"""The spec writers: TOML (hand-written) and YAML text parse back to the same data."""

from __future__ import annotations

import tomllib

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.spec.dump import dump, dump_toml, dump_yaml, toml_key, toml_string

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
