"""Mermaid stateDiagram-v2 and the Markdown page."""

from __future__ import annotations

import re

import pytest
from emit_support import GLANCE_NAME, glance, machine

from statusdoc.emit import get_emitter
from statusdoc.emit.escape import mermaid_text, mermaid_unescape
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.mdescape import md_code, md_escape, md_passthrough
from statusdoc.emit.mermaid import emit_mermaid


def test_glance_mermaid() -> None:
    text = emit_mermaid(glance(), source_name=GLANCE_NAME)
    lines = text.splitlines()
    assert lines[0] == f"%% generated from {GLANCE_NAME} — edit the spec, not this file"
    assert lines[1:3] == ["stateDiagram-v2", "    direction TB"]
    assert '    state "pending_delete" as s5' in lines
    assert "    [*] --> s0 : create image" in lines
    assert "    s4 --> [*]" in lines
    assert "    s0 --> s2 : set data, zero size or location" in lines
    assert "    w6 --> s4 : delete" in lines  # the wildcard rule, grouped
    assert sum(1 for line in lines if line.endswith(": delete")) == 1


def test_mermaid_expand_and_notes() -> None:
    data = {
        "machine": {"name": "j", "initial": "a", "initial_label": "go: now"},
        "states": {"a": {"description": "First; then: more."}, "b": {}, "end": {"final": True}},
        "transitions": [{"from": "a", "to": "b", "label": "x; y"},
                        {"from": "*", "to": "end", "label": "abort"}],
        "diagram": {"wildcards": "expand", "rankdir": "LR"},
    }
    text = emit_mermaid(machine(data), source_name="s", notes=True)
    assert "    direction LR" in text
    assert "    [*] --> s0 : go#58; now" in text
    assert "    s0 --> s1 : x#59; y" in text
    assert text.count(": abort") == 2 and "w1" not in text
    assert "    note right of s0 : First#59; then#58; more." in text
    assert '    state "end" as s2' in text  # a Mermaid keyword is only ever a label


@pytest.mark.parametrize("text", ['a "b"', "x: y; z", "#35; literal", "<b>&amp;</b>", "[*]",
                                  "%% c", "a\nb", "{x}|`y`\\", "é 漢 ✓", "100%"])
def test_mermaid_text_round_trips_and_has_no_syntax(text: str) -> None:
    escaped = mermaid_text(text)
    assert mermaid_unescape(escaped) == text
    bare = re.sub(r"#\d+;", "", escaped)
    assert not set(bare) & set('"#:;%<>&[]{}|`\\\n')


def test_mermaid_tag_class_def() -> None:
    data = {
        "machine": {"name": "t", "initial": "a"},
        "states": {"a": {"tags": ["hot"]}, "b": {"final": True}},
        "transitions": [{"from": "a", "to": "b"}],
        "diagram": {"tags": {"hot": {"fillcolor": "#FFCCCC", "style": "dashed"}}},
    }
    text = emit_mermaid(machine(data), source_name="s")
    assert "    classDef tag0 fill: #FFCCCC, stroke-dasharray: 5 5" in text
    assert "    class s0 tag0" in text


def test_registry_kinds() -> None:
    assert get_emitter("mermaid") is emit_mermaid
    assert get_emitter("md") is emit_markdown


# -- Markdown ------------------------------------------------------------------


def test_glance_markdown_page() -> None:
    text = emit_markdown(glance(), source_name=GLANCE_NAME)
    header = f"<!-- generated from {GLANCE_NAME} — edit the spec, not this file -->\n"
    assert text.startswith(header)
    assert "\n# Image Statuses\n" in text
    assert '- <a id="image-status-pending-delete"></a>`pending_delete`\n' in text
    assert "\n```mermaid\n%% generated from" in text
    assert "| `active` | `queued` | remove last location | `remove_last_location` |" in text
    assert "Tags: v2 (API v2 only)." in text


def test_markdown_escapes_cells_and_html() -> None:
    data = {
        "machine": {"name": "m", "title": "A | B # <i>", "initial": "a|b",
                    "intro": "Intro <script>x</script> and `<kept>`."},
        "states": {"a|b": {"description": "Desc <img src=x> & ``<lit>``"},
                   "c`d": {"final": True}},
        "transitions": [{"from": "a|b", "to": "c`d", "label": "x | y *z*", "event": "e|v"}],
    }
    text = emit_markdown(machine(data), source_name="s--x")
    assert text.startswith("<!-- generated from s- -x")
    assert "# A \\| B \\# &lt;i&gt;" in text
    assert "Intro &lt;script&gt;x&lt;/script&gt; and `<kept>`." in text
    assert "Desc &lt;img src=x&gt; &amp; `<lit>`" in text
    row = next(line for line in text.splitlines() if line.startswith("| `a"))
    assert row == "| `a\\|b` | ``c`d`` | x \\| y \\*z\\* | `e\\|v` |"
    assert len(re.split(r"(?<!\\)\|", row)) == 6


@pytest.mark.parametrize(("text", "code"), [
    ("plain", "`plain`"), ("a`b", "``a`b``"), ("`x", "`` `x ``"), ("``", "``` `` ```"),
    (" a ", "`  a  `"), ("  ", "`  `"),
])
def test_md_code_fences(text: str, code: str) -> None:
    assert md_code(text) == code


def test_md_helpers() -> None:
    assert md_escape("*a* _b_ [c](d) <e> #f !g ~h &i |j") == (
        "\\*a\\* \\_b\\_ \\[c\\](d) &lt;e&gt; \\#f \\!g \\~h &amp;i \\|j")
    assert md_passthrough("a < b ``c < d`` e & f") == "a &lt; b `c < d` e &amp; f"


def test_a_directive_in_the_spec_file_name_cannot_configure_mermaid() -> None:
    m = glance()
    name = "specs/%%{init: {'securityLevel': 'loose'}}%%-statuses.toml"
    markdown = emit_markdown(m, source_name=name)
    diagram = markdown.split("```mermaid\n", 1)[1].split("```", 1)[0]
    for text in (emit_mermaid(m, source_name=name), diagram):
        assert "%%{" not in text and "}%%" not in text
    header = emit_mermaid(m, source_name=name).splitlines()[0]
    assert header.startswith("%% generated from specs/")


def test_direction_in_a_label_cannot_turn_a_line_into_a_direction_statement() -> None:
    """Mermaid's lexer reads any line holding ``direction`` + whitespace + ``TB``/``BT``/
    ``RL``/``LR`` (any case) as a direction statement, whatever comes before it."""
    data = {
        "machine": {"name": "d", "initial": "a", "initial_label": "Direction  lr"},
        "groups": {"g": {"title": "turn direction LR"}},
        "states": {"a": {"label": "DIRECTION TB", "group": "g"}, "b": {"final": True}},
        "transitions": [{"from": "a", "to": "b", "label": "go direction rl", "guard": "x"}],
    }
    m = machine(data)
    text = emit_mermaid(m, source_name="direction BT.toml")
    lexed = [line for line in text.splitlines()
             if re.search(r"(?i)direction\s+(TB|BT|RL|LR)", line)]
    assert lexed == ["    direction TB"]
    assert mermaid_unescape(mermaid_text("go direction rl")) == "go direction rl"
