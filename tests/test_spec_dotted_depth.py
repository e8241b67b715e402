"""Dotted TOML keys count toward the nesting cap, before any structure is built."""

from __future__ import annotations

import pytest

from statusdoc.spec.api import validate_text
from statusdoc.spec.load import MAX_DEPTH, parse_document

SPEC = """\
[machine]
name = "m"
initial = "a"

[states.a]
description = \"\"\"
A line that looks like a key: x.y.z = 1
\"\"\"
final = true
"""


def _chain(parts: int, part: str = "a") -> str:
    return ".".join([part] * parts)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"{_chain(MAX_DEPTH + 1)} = 1\n", 1),
        (f"{_chain(1_000)} = 1\n", 1),
        (f'x = 1\n\n["{_chain(MAX_DEPTH + 1)}".q.{_chain(MAX_DEPTH)}]\n', 3),  # header
        (f"x = 1\n[[{_chain(MAX_DEPTH + 1)}]]\n", 2),  # array of tables
        (f"x = {{ y = 1, {_chain(MAX_DEPTH + 1)} = 2 }}\n", 1),  # inline table
        (f"x = [\n  {{ y = 1 }},\n  {{ {_chain(MAX_DEPTH + 1)} = 2 }},\n]\n", 3),  # in an array
        (f'[{_chain(40)}]\n"b".c = 1\n{_chain(30, "b")} = 2\n', 3),  # header + key
        (f"[{_chain(40)}]\nv = {{ w = {{ {_chain(30)} = 1 }} }}\n", 2),  # header + inline
    ],
)
def test_a_key_path_deeper_than_the_cap_is_refused(text: str, line: int) -> None:
    document, problems = parse_document(text, "toml", "deep.toml")
    assert document is None
    (problem,) = problems
    assert problem.line == line
    assert problem.message == f"nesting too deep (at most {MAX_DEPTH} levels, dotted keys count)"


def test_dotted_keys_within_the_cap_load() -> None:
    text = f"[{_chain(30)}]\n{_chain(30, 'b')} = 1\n"
    document, problems = parse_document(text, "toml", "ok.toml")
    assert problems == [] and document is not None
    node = document.data
    for _ in range(30):
        node = node["a"]
    for _ in range(29):
        node = node["b"]
    assert node == {"b": 1}


def test_key_like_text_in_a_description_is_text() -> None:
    report = validate_text(SPEC + f'intro_like = "{_chain(MAX_DEPTH + 5)} = 1"\n', "toml")
    assert [p.message for p in report.errors] == [
        "unknown key 'intro_like' in a state "
        "(expected one of: description, final, tags, label, deprecated, group)"
    ]
