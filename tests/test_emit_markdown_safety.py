"""The Markdown page cannot carry HTML or script links (issue 13, item 5).

Every hostile text of ``tests/corpus/markdown.toml`` goes into every text field
of a spec; the generated page is rendered by markdown-it-py (CommonMark, and
GFM-like with linkify) and Python-Markdown (``extra``), and the HTML is
inspected with :mod:`html.parser` (see ``tests/md_support.py``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from emit_support import try_machine
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from md_support import ENGINES, html_problems, unsafe_renderings

from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.mdescape import md_escape, md_passthrough

CORPUS = Path(__file__).parent / "corpus" / "markdown.toml"
HOSTILE = tomllib.loads(CORPUS.read_text("utf-8"))["input"]

PROSE_FIELDS = ("intro", "description", "rule_description", "group_description")
TEXT_FIELDS = ("title", "label", "initial_label", "rule_label", "legend", "group_title",
               "guard", "deprecation")
NAME_FIELDS = ("state", "event", "tag")


def spec_with(field: str, text: str) -> dict[str, Any]:
    """A small valid spec with ``text`` in ``field`` (see the *_FIELDS tuples)."""
    state = text if field == "state" else "new"
    tag = text if field == "tag" else "v1"
    data: dict[str, Any] = {
        "machine": {"name": "job", "initial": state, "title": "Jobs", "intro": "Intro."},
        "groups": {"busy": {"title": "Busy", "description": "Working."}},
        "states": {state: {"description": "New.", "tags": [tag], "group": "busy"},
                   "old": {"deprecated": "Gone."}, "done": {"final": True}},
        "transitions": [{"from": state, "to": "done", "label": "finish", "event": "finish",
                         "tags": [tag], "description": "Finishes.", "guard": "ready"},
                        {"from": "old", "to": "done"}],
        "diagram": {"tags": {tag: {"legend": "Version 1"}}},
    }
    rule = data["transitions"][0]
    where = {
        "group_title": (data["groups"]["busy"], "title"),
        "group_description": (data["groups"]["busy"], "description"),
        "guard": (rule, "guard"), "deprecation": (data["states"]["old"], "deprecated"),
        "intro": (data["machine"], "intro"), "title": (data["machine"], "title"),
        "initial_label": (data["machine"], "initial_label"),
        "description": (data["states"][state], "description"),
        "label": (data["states"][state], "label"),
        "rule_description": (rule, "description"), "rule_label": (rule, "label"),
        "event": (rule, "event"), "legend": (data["diagram"]["tags"][tag], "legend"),
    }
    if field in where:
        table, key = where[field]
        table[key] = text
    return data


def markdown_of(field: str, text: str) -> str | None:
    """The Markdown page with ``text`` in ``field``; None when the validator refuses it."""
    m = try_machine(spec_with(field, text))
    return None if m is None else emit_markdown(m, source_name="specs/job.toml")


@pytest.mark.parametrize("case", HOSTILE, ids=[c["about"] for c in HOSTILE])
def test_hostile_markdown_in_every_field_renders_safely(case: dict[str, str]) -> None:
    accepted = []
    for field in (*PROSE_FIELDS, *TEXT_FIELDS, *NAME_FIELDS):
        md = markdown_of(field, case["text"])
        if md is None:
            continue
        accepted.append(field)
        assert unsafe_renderings(md) == {}, (field, md)
    assert set(PROSE_FIELDS) <= set(accepted), "prose accepts any text"


def test_corpus_is_big_enough() -> None:
    assert len(HOSTILE) >= 30
    assert len({c["text"] for c in HOSTILE}) == len(HOSTILE)


def test_the_checker_sees_what_raw_markdown_would_do() -> None:
    # The checks must be able to fail: the hostile inputs, rendered as they are,
    # are caught for most of the corpus by at least one engine.
    caught = sum(bool(unsafe_renderings(c["text"])) for c in HOSTILE)
    assert caught >= 40
    assert html_problems('<p><a href="JavaScript:x">x</a></p>') == ["href 'JavaScript:x'"]
    assert html_problems('<a href=" java\tscript:x">') == ["href ' java\\tscript:x'"]
    assert html_problems("<p><em>x</em><a href='https://e.org' id=y>z</a></p>") == []


# -- faithful display ---------------------------------------------------------


def _rendered(md: str) -> str:
    return ENGINES["markdown-it commonmark"](md)


@pytest.mark.parametrize("text", ["a < b & c > d", "x [1] {y} ftp:x", "https://e.org/a"])
def test_plain_text_reads_back_as_written(text: str) -> None:
    import html

    shown = _rendered(md_escape(text)).removeprefix("<p>").removesuffix("</p>\n")
    assert html.unescape(shown) == text


def test_code_spans_follow_commonmark() -> None:
    # ``a` has no closer of two backticks: CommonMark reads it as text, and so do we.
    assert md_passthrough("``a` <b>") == "\\`\\`a\\` &lt;b&gt;"
    assert md_passthrough("`x` and ``y`z`` <i>") == "`x` and ``y`z`` &lt;i&gt;"
    assert md_passthrough("a < b ``c < d`` e & f") == "a &lt; b `c < d` e &amp; f"
    # a code span does not reach over a blank line (a paragraph ends there)
    assert md_passthrough("`a\n\n<i>`") == "\\`a\n\n&lt;i&gt;\\`"
    # a backslash escapes the first backtick outside code spans
    assert md_passthrough("\\``x`") == "\\``x`"


def test_links_and_autolinks_of_other_schemes_are_text() -> None:
    assert md_passthrough("[x](javascript:alert(1))") == "\\[x\\](javascript&#58;alert(1))"
    assert md_passthrough("see https://e.org and mailto:a@e.org") == (
        "see https://e.org and mailto:a@e.org")
    assert md_passthrough("ftp://e.org") == "ftp&#58;//e.org"
    # "//host" starting a word is a link to another site for linkify; inside a word,
    # or after a scheme, it is not
    assert md_escape("see //e.org/x (.//e.org)") == "see &#47;/e.org/x (.&#47;/e.org)"
    assert md_passthrough("https://e.org//x a//b") == "https://e.org//x a//b"
    assert md_escape("Note: ok") == "Note: ok"


# -- properties ---------------------------------------------------------------

_FRAGMENTS = [
    "<", ">", "`", "``", "```", "[", "]", "(", ")", "![", "](", "<img src=x onerror=alert(1)>",
    "<script>", "javascript:", "JAVASCRIPT:", "data:", "vbscript:", "ftp://", "http://",
    "https://", "www.", "mailto:", "xmpp:", "@", "//", "\n", "\n\n", "\\", "&", "&#106;",
    "&lt;", "{:", "}", "{", "*", "_", ":", " ", "    ", "- ", "# ", "|", "~", "!", "\u2028",
    "\t", "a", "é", "x.org",
]
_texts = st.lists(
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=6)), max_size=14
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(description=_texts, label=_texts, field=st.sampled_from(TEXT_FIELDS))
def test_no_text_makes_unsafe_html(description: str, label: str, field: str) -> None:
    data = spec_with(field, label)
    data["states"]["new"]["description"] = description
    data["machine"]["intro"] = description
    m = try_machine(data)
    if m is None:  # the label broke a rule (e.g. a line break): prose alone
        m = try_machine(spec_with("description", description))
    assume(m is not None)  # control characters are refused in prose too
    md = emit_markdown(m, source_name="specs/job.toml")
    assert unsafe_renderings(md) == {}, md


_code_texts = st.text(alphabet="`a \\&*", max_size=24).map(lambda t: "a" + t)


@settings(max_examples=300, deadline=None)
@given(_code_texts)
def test_code_spans_and_escapes_render_as_commonmark_reads_the_source(text: str) -> None:
    # On text with no HTML or links, md_passthrough only re-spells code spans and
    # backticks: CommonMark must show exactly what it shows for the original.
    assert _rendered(md_passthrough(text)) == _rendered(text)
