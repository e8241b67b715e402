"""The "Results" table of docs/robustness.rst states what the tests try; keep it true.

Each figure is recomputed from the corpus or the test it names: the spec
corpus (``test_spec_corpus.corpus_counts``), the hostile RST cases, the
Markdown corpus in every field (refusals counted by the real validator), the
Hypothesis example counts (read from the tests' settings). The per-page
browser counts are checked by ``tests/test_browser_hostile.py`` against what
it really exercised; here, that they add up to the stated total.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import test_emit_markdown_safety as markdown_safety
import test_injection_property as injection
from emit_support import try_machine
from test_spec_corpus import corpus_counts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from rst_cases import hostile_rst_cases  # noqa: E402


def _results() -> str:
    """The Results section of docs/robustness.rst, white space folded."""
    text = (ROOT / "docs" / "robustness.rst").read_text("utf-8")
    section = text[text.index("\nResults\n-------\n"):text.index("\nNo traceback, whatever")]
    return re.sub(r"\s+", " ", section)


def _number(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    assert match, pattern
    return int(match.group(1).replace(",", ""))


def _examples(test: Any) -> int:
    return int(test._hypothesis_internal_use_settings.max_examples)


def test_results_table_matches_the_corpora_and_the_tests() -> None:
    text = _results()
    corpus = corpus_counts()
    hostile = markdown_safety.HOSTILE
    fields = (*markdown_safety.PROSE_FIELDS, *markdown_safety.TEXT_FIELDS,
              *markdown_safety.NAME_FIELDS)
    markdown_specs = len(hostile) * len(fields)
    markdown_refused = sum(try_machine(markdown_safety.spec_with(field, case["text"])) is None
                           for case in hostile for field in fields)
    stated = {
        r"\*\*([\d,]+)\*\* specs of the hostile corpus": corpus["inputs tried"],
        r"among them \*\*([\d,]+)\*\* hostile RST": len(hostile_rst_cases()),
        r"rst_cases.py``\) - \*\*([\d,]+)\*\*": corpus["rejected cleanly"],
        r"\*\*([\d,]+)\*\* specs carrying the": markdown_specs,
        r"carrying the \*\*([\d,]+)\*\* hostile Markdown": len(hostile),
        r"in all \*\*([\d,]+)\*\* text fields": len(fields),
        r"text fields - \*\*([\d,]+)\*\*": markdown_refused,
        r"\*\*([\d,]+)\*\* Hypothesis texts": _examples(
            markdown_safety.test_no_text_makes_unsafe_html),
        r"\*\*([\d,]+)\*\* Hypothesis specs per run": _examples(
            injection.test_no_output_of_a_hostile_spec_can_script_or_navigate),
    }
    for pattern, expected in stated.items():
        assert _number(pattern, text) == expected, pattern


def test_results_totals_add_up() -> None:
    text = _results()
    pages = [_number(rf"\*\*([\d,]+)\*\* on {page}", text)
             for page in ("the Sphinx page", "the SVG", "the html page")]
    elements = _number(r"\*\*([\d,]+)\*\* elements of a hostile", text)
    assert sum(pages) == elements
    tried = [_number(pattern, text) for pattern in (
        r"\*\*([\d,]+)\*\* specs of the hostile corpus", r"\*\*([\d,]+)\*\* specs carrying the",
        r"\*\*([\d,]+)\*\* Hypothesis texts", r"\*\*([\d,]+)\*\* Hypothesis specs per run")]
    assert _number(r"\*\*([\d,]+) inputs tried\*\*", text) == sum(tried) + elements
    rejected = [_number(pattern, text) for pattern in (
        r"rst_cases.py``\) - \*\*([\d,]+)\*\*", r"text fields - \*\*([\d,]+)\*\*")]
    assert _number(r"\*\*([\d,]+) rejected cleanly\*\*", text) == sum(rejected)
    for zero in ("**0 tracebacks**", "**0 injections**",
                 "**0 files read or changed outside the project**"):
        assert zero in text
