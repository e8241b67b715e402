"""The generated RST page as a reader and a reviewer see it (issue 12 items 6 and 7).

The figure's alt text has one transition per line (a label change is a
one-line diff) and points to the table on big machines; the status list marks
the initial and final statuses; a tag can stay out of the text; the header
names the spec the same way from any working directory.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from cli_support import run
from docutils import nodes
from emit_support import docutils_parse, machine

from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.rst import ALT_TEXT_MAX_TRANSITIONS, alt_lines, alt_text, emit_rst
from statusdoc.spec.api import validate_text
from statusdoc.sphinxext.specs import split_figure


def chain(n: int, **extra: object) -> dict:
    """A machine of ``n`` statuses s0 -> s1 -> ... -> s<n-1> (final), labels "go <i>"."""
    states = {f"s{i}": {} for i in range(n)}
    states[f"s{n - 1}"] = {"final": True}
    transitions = [{"from": f"s{i}", "to": f"s{i + 1}", "label": f"go {i}"} for i in range(n - 1)]
    data = {"machine": {"name": "m", "title": "Chain", "initial": "s0"},
            "states": states, "transitions": transitions}
    data.update(extra)
    return data


def _figure_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(".. figure::"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    return lines[start:end]


def test_alt_text_has_one_transition_per_line_and_a_label_change_is_one_line() -> None:
    data = chain(6)
    before = emit_rst(machine(data), source_name="m.toml")
    figure = _figure_lines(before)
    assert figure[2] == "   :alt: Chain status diagram:"
    assert figure[3:] == ["      start to s0;", "      s0 to s1 (go 0);", "      s1 to s2 (go 1);",
                          "      s2 to s3 (go 2);", "      s3 to s4 (go 3);",
                          "      s4 to s5 (go 4);", "      final: s5."]
    data["transitions"][2]["label"] = "leap"
    after = emit_rst(machine(data), source_name="m.toml")
    changed = [line for line in difflib.unified_diff(_figure_lines(before), _figure_lines(after),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-      s2 to s3 (go 2);", "+      s2 to s3 (leap);"]
    image = docutils_parse(after)[0].next_node(nodes.image)
    assert image["alt"].replace("\n", " ") == alt_text(machine(data))


def test_a_big_machine_points_to_the_table_instead_of_listing_every_transition() -> None:
    small = machine(chain(ALT_TEXT_MAX_TRANSITIONS + 1))  # exactly the limit: listed
    # title, entry arrow, every transition, finals
    assert len(alt_lines(small, table=True)) == 1 + 1 + ALT_TEXT_MAX_TRANSITIONS + 1
    big = machine(chain(ALT_TEXT_MAX_TRANSITIONS + 2))
    assert alt_lines(big, table=True) == [
        "Chain status diagram: 32 statuses and 31 transitions, starting at s0, ending at s31;",
        "every transition is listed in the transition table.",
    ]
    page = emit_rst(big, source_name="m.toml")
    doctree, warnings = docutils_parse(page)
    assert warnings == ""
    assert "transition table" in doctree.next_node(nodes.image)["alt"]
    # without the table on the page, the alt text is the only list: every transition
    no_table = emit_rst(big, source_name="m.toml", sections=["statuses", "diagram"])
    alt = docutils_parse(no_table)[0].next_node(nodes.image)["alt"]
    assert "s30 to s31 (go 30)" in alt and "transition table" not in alt


def test_status_list_marks_initial_and_final() -> None:
    data = chain(3)
    text = emit_rst(machine(data), source_name="m.toml")
    assert "\n  ``s0`` — initial\n" in text and "\n  ``s1``\n" in text
    assert "\n  ``s2`` — final\n" in text
    lone = {"machine": {"name": "m", "initial": "only"}, "states": {"only": {"final": True}}}
    assert "\n  ``only`` — initial, final\n" in emit_rst(machine(lone), source_name="m.toml")
    items = docutils_parse(text)[0].next_node(nodes.bullet_list).children
    assert [i.next_node(nodes.paragraph).astext() for i in items] == [
        "s0 — initial", "s1", "s2 — final"]


def _tagged(in_text: bool | None) -> dict:
    style: dict = {"color": "red"}
    if in_text is not None:
        style["in_text"] = in_text
    data = chain(3, diagram={"tags": {"hot": style, "v2": {"legend": "API v2"}}})
    data["transitions"][0]["tags"] = ["hot"]
    data["transitions"][1]["tags"] = ["hot", "v2"]
    return data


def test_a_tag_can_stay_out_of_the_text() -> None:
    shown = emit_rst(machine(_tagged(None)), source_name="m.toml")
    assert "Tags: hot." in shown and "Tags: hot, v2 (API v2)." in shown
    hidden_rst = emit_rst(machine(_tagged(False)), source_name="m.toml")
    assert "hot" not in hidden_rst and "Tags: v2 (API v2)." in hidden_rst
    assert "From ``s0``" not in hidden_rst  # no note left for a colour-only tag
    hidden_md = emit_markdown(machine(_tagged(False)), source_name="m.toml")
    assert "hot" not in hidden_md and "Tags: v2 (API v2)." in hidden_md
    assert "Tags: hot" in emit_markdown(machine(_tagged(True)), source_name="m.toml")


def test_in_text_must_be_a_boolean() -> None:
    data = _tagged(None)
    data["diagram"]["tags"]["hot"]["in_text"] = "no"
    report = validate_text(json.dumps(data), "json", filename="t.json")
    assert [str(p) for p in report.errors] == [
        "t.json:1: diagram.tags.hot.in_text: expected a boolean (true or false), "
        "got string 'no' [SD104 wrong-type]"]


@pytest.mark.parametrize(("value", "problem"), [
    ("de", None), ("pt-BR", None), ("zh_CN", None),
    ("tlh", "warning: docutils has no RST names for language 'tlh'"),
    ("Deutsch!", "language must be a language code"),
    (5, "expected a string, got integer 5"),
])
def test_machine_language_is_checked(value: object, problem: str | None) -> None:
    data = chain(2)
    data["machine"]["language"] = value
    report = validate_text(json.dumps(data), "json", filename="t.json")
    found = [str(p) for p in report.problems]
    assert (found == []) if problem is None else any(problem in p for p in found), found


def test_sphinx_split_figure_reads_alt_continuation_lines() -> None:
    labels = {"s0": {"label": ":colon"}, "s1": {"final": True, "label": "-dash"}}
    data = {"machine": {"name": "m", "initial": "s0"}, "states": labels,
            "transitions": [{"from": "s0", "to": "s1", "label": ":x: y"}]}
    m = machine(data)
    text = emit_rst(m, source_name="m.toml", image="statusdoc-diagram-placeholder.svg")
    cut = split_figure(text)
    assert cut is not None
    options = dict(cut[1])
    assert options["alt"] == alt_text(m) and set(options) == {"align", "alt"}


# -- item 7: the header names the spec the same way from anywhere ----------------


SPEC = '[machine]\nname = "o"\ninitial = "a"\n[states.a]\n[states.b]\nfinal = true\n' \
       '[[transitions]]\nfrom = "a"\nto = "b"\n'


def _header(path: Path) -> str:
    return path.read_text("utf-8").splitlines()[1].strip()


def test_header_without_configuration_is_relative_to_the_output_directory(tmp_path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "order.toml").write_text(SPEC)
    (tmp_path / "elsewhere").mkdir()
    first = run(["generate", "specs/order.toml", "--output-dir", "docs", "--format", "rst"],
                cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert _header(tmp_path / "docs" / "order.rst") == (
        "generated from ../specs/order.toml — edit the spec, not this file")
    # the same command from another directory writes the same bytes
    again = run(["check", "../specs/order.toml", "--output-dir", "../docs", "--format", "rst"],
                cwd=tmp_path / "elsewhere")
    assert again.returncode == 0, again.stdout + again.stderr
    beside = run(["generate", "order.toml", "--format", "rst"], cwd=tmp_path / "specs")
    assert beside.returncode == 0, beside.stderr
    assert _header(tmp_path / "specs" / "order.rst") == (
        "generated from order.toml — edit the spec, not this file")


def test_header_with_configuration_is_relative_to_the_project_root(tmp_path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "order.toml").write_text(SPEC)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.statusdoc]\n[[tool.statusdoc.specs]]\nspec = "specs/order.toml"\n'
        'output-dir = "docs/ref"\noutputs = ["rst"]\n')
    proc = run(["generate"], cwd=tmp_path / "specs")
    assert proc.returncode == 0, proc.stderr
    assert _header(tmp_path / "docs" / "ref" / "order.rst") == (
        "generated from specs/order.toml — edit the spec, not this file")
