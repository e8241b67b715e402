"""The TOML fast path returns exactly what tomllib returns, or declines."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statusdoc.spec.fasttoml import fast_loads
from statusdoc.spec.load import _prepare
from statusdoc.spec.positions import toml_full_positions

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted(
    [*ROOT.glob("tests/corpus/*/*.toml"), *ROOT.glob("examples/*/*.toml"),
     ROOT / "pyproject.toml"]
)


def _same(a, b) -> bool:
    """Equality that treats NaN as equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _check(text: str) -> bool:
    """Assert the contract on ``text``; True when the fast path took it."""
    try:
        expected = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        assert fast_loads(text) is None, "fast path accepted invalid TOML"
        return False
    got = fast_loads(text)
    if got is None:
        return False
    data, positions = got
    assert _same(data, expected)
    full = toml_full_positions(text)
    for path, line in full._lines.items():
        assert positions.exact(path) == line, path
    return True


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_real_files(path):
    try:
        text = _prepare(path.read_bytes())
    except Exception:  # binary corpus cases never reach a TOML parser
        return
    _check(text)


def test_fast_path_is_taken_for_ordinary_specs():
    assert _check((ROOT / "examples" / "glance" / "image-statuses.toml").read_text("utf-8"))
    assert _check('[machine]\nname = "x"  # c\n\n[states."a b"]\nfinal = true\n'
                  "[[transitions]]\nfrom = 'a b'\nto = \"a b\"\n")


@pytest.mark.parametrize("text", [
    'a = 1\na = 2\n',                       # duplicate key
    '[a]\n[a]\n',                           # table defined twice
    'a = 1\n[a]\n',                         # header through a value
    '[[a]]\n[a]\n',                         # table over an array of tables
    '[a]\n[[a]]\n',
    'a = {b = 1}\n[a.c]\n',                 # extending an inline table
    'a = [1,\n2\n',                         # unterminated array
    'a = """x\n',                           # unterminated string
    'a = "x" y\n',                          # garbage after a value
    'a = {b = 1,\n c = 2}\n',               # newline in an inline table
    '[a]\nb.c = 1\n[a.b]\n',                # dotted keys: left to tomllib
    'a = "\x01"\n',                         # control character
    '# comment \x7f\n',                     # control character in a comment
    '[a.b]\n[a]\nb = 1\n',                  # key over an implicit table
])
def test_invalid_or_tricky_documents_are_declined_or_match(text):
    _check(text)


def test_valid_tricky_documents_match():
    for text in (
        '[a.b]\n[a]\nc = 1\n',                      # implicit table defined later
        '[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n',
        'a = [\n  "x",\n  # note\n  "y",\n]\nb = 2\n',
        'a = """\nline \\\n   joined"""\nb = \'\'\'\nraw \\ text\'\'\'\n',
        'a = """ends with quotes"\'""""\n',
        'k = "tab\there"\n"quoted key" = \'lit\'\n\'lit key\' = true\n',
        'd = 2024-01-01\nf = 1.5\ni = -3\nh = 0xff\n',
    ):
        assert _check(text), text


KEYS = st.sampled_from(["a", "b", "c", '"q k"', "'l'", "a.b", "ä"])
VALUES = st.sampled_from([
    '"s"', "'lit'", "true", "false", "1", "-2.5", "[1, 2]", '["x",\n "y"]', "{x = 1}",
    '"""m\nl"""', "'''r\\n'''", '"esc\\n"', "1979-05-27", "nan", '"bad', "[1,", "x",
    '["x", "y",]', "[]", '[ "" ]', '["a" "b"]', "[,]", '["q\\"x"]', "['l', \"b\"]",
])
LINES = st.one_of(
    st.tuples(KEYS, VALUES).map(lambda kv: f"{kv[0]} = {kv[1]}"),
    KEYS.map(lambda k: f"[{k}]"),
    KEYS.map(lambda k: f"[[{k}]]"),
    st.sampled_from(["", "# c", "  ", "[a.b.c]", "[[a.b]]"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_generated_documents(lines):
    _check("\n".join(lines) + "\n")


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
SCALAR = st.one_of(TEXT, st.booleans(), st.integers(-(2**63), 2**63 - 1))
SPEC_LIKE = st.fixed_dictionaries({
    "machine": st.dictionaries(TEXT.filter(bool), SCALAR, max_size=4),
    "states": st.dictionaries(
        TEXT.filter(bool),
        st.dictionaries(TEXT.filter(bool), st.one_of(SCALAR, st.lists(TEXT, max_size=3)),
                        max_size=3),
        max_size=4,
    ),
    "transitions": st.lists(st.dictionaries(TEXT.filter(bool), SCALAR, min_size=1, max_size=4),
                            min_size=1, max_size=4),
})


@settings(max_examples=150, deadline=None)
@given(SPEC_LIKE)
def test_documents_written_by_the_spec_writer(data):
    """What ``statusdoc import`` writes (escapes, multi-line strings) reads back exactly."""
    from statusdoc.spec.dump import dump_toml

    _check(dump_toml(data, header="generated"))
