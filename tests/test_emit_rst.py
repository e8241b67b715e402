"""The RST page: Glance shape, docutils/Sphinx builds, templates, sandbox, anchors, escaping."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docutils import nodes
from emit_support import GLANCE_NAME, docutils_parse, glance, machine, render

import statusdoc
from statusdoc.emit import get_emitter
from statusdoc.emit.escape import display_width, rst_escape, rst_literal
from statusdoc.emit.rst import (
    TEMPLATE_NAMES,
    alt_text,
    emit_rst,
    render_template,
    reset_templates,
    rst_context,
    status_anchor,
)


def simple(**extra) -> dict:
    data = {
        "machine": {"name": "job", "title": "Job Statuses", "initial": "new"},
        "states": {"new": {"description": "Just created."}, "done": {"final": True}},
        "transitions": [{"from": "new", "to": "done", "label": "finish", "event": "finish"}],
    }
    for key, value in extra.items():
        data[key] = value
    return data


def test_glance_page_has_the_seed_shape() -> None:
    m = glance()
    text = emit_rst(m, source_name=GLANCE_NAME, image="image-statuses.png")
    lines = text.split("\n")
    assert lines[0] == ".."
    assert lines[1] == f"   generated from {GLANCE_NAME} — edit the spec, not this file"
    assert lines[3:5] == ["Image Statuses", "=============="]
    assert lines[6] == "Images in Glance can be in one of the following statuses:"
    order = [text.index(f"\n  ``{name}``") for name in m.state_names]
    assert order == sorted(order)
    # the initial and the final statuses are marked, as in the Markdown page
    assert "\n  ``queued`` — initial\n" in text and "\n  ``deleted`` — final\n" in text
    assert "\n  ``saving``\n" in text
    # descriptions indented under their entry
    assert "\n    The image identifier has been reserved for an image in the Glance\n" in text
    figure = text.index(".. figure:: image-statuses.png")
    assert order[-1] < figure < text.index("* From ``queued`` to ``saving`` (upload)")
    assert "Tags: v2 (API v2 only)." in text
    assert text.index(".. list-table:: Transitions") > figure
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_glance_page_parses_without_warnings_and_alt_lists_every_transition() -> None:
    m = glance()
    doctree, warnings = docutils_parse(emit_rst(m, source_name=GLANCE_NAME))
    assert warnings == ""
    image = doctree.next_node(nodes.image)
    assert image["uri"] == "image-statuses.png"  # default: <spec stem>.png
    alt = image["alt"].replace("\n", " ")  # one transition per line of :alt:
    assert alt == alt_text(m)
    for t in m.transitions:
        assert f"{t.source} to {t.target} ({t.label})" in alt
    assert alt.count(" to ") == len(m.transitions) + 1  # + the entry arrow
    assert "start to queued (create image)" in alt and alt.endswith("final: deleted.")
    rows = list(doctree.next_node(nodes.table).findall(nodes.row))
    assert len(rows) == len(m.transitions) + 1
    assert [e.astext() for e in rows[1].findall(nodes.entry)] == [
        "queued", "saving", "upload", "upload"]
    items = doctree.next_node(nodes.bullet_list).children
    assert [i.next_node(nodes.literal).astext() for i in items] == list(m.state_names)


def test_glance_page_builds_with_sphinx_without_warnings(tmp_path: Path) -> None:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace

    from statusdoc.emit.dot import emit_dot

    m = glance()
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text("project = 't'\nextensions = []\n", encoding="utf-8")
    (src / "index.rst").write_text(emit_rst(m, source_name=GLANCE_NAME), encoding="utf-8")
    (src / "image-statuses.png").write_bytes(render(emit_dot(m, source_name=GLANCE_NAME), "png"))
    warnings = io.StringIO()
    with docutils_namespace():  # keep Sphinx's directives out of plain docutils afterwards
        app = Sphinx(str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"),
                     "html", status=None, warning=warnings, freshenv=True)
        app.build()
    assert warnings.getvalue() == ""
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="image-status-pending-delete"' in html
    assert "start to queued (create image)" in html


def test_registry_returns_the_rst_emitter() -> None:
    assert get_emitter("rst") is emit_rst


def test_spec_text_is_data_never_template_code() -> None:
    hostile = "Costs {{ 7*7 }} {% raw %}x{% endraw %} {# c #} {{ machine.__class__ }}."
    m = machine(simple(
        machine={"name": "job", "title": "T {{ 7*7 }}", "initial": "new", "intro": hostile},
        states={"new": {"description": hostile, "label": "{{ 7*7 }}"}, "done": {"final": True}},
    ))
    text = emit_rst(m, source_name="spec.toml")
    assert text.count(hostile) == 2
    assert "49" not in text
    assert "T {{ 7\\*7 }}" in text
    assert docutils_parse(text)[1] == ""


def test_user_templates_override_by_name(tmp_path: Path) -> None:
    (tmp_path / "statuses.rst.j2").write_text(
        "{% for s in statuses %}- {{ s.literal }} [custom]\n{% endfor %}", encoding="utf-8")
    m = machine(simple())
    text = emit_rst(m, source_name="spec.toml", templates=tmp_path)
    assert "- ``new`` [custom]\n- ``done`` [custom]" in text
    assert ".. list-table:: Transitions" in text  # other templates still the packaged ones
    assert "[custom]" not in emit_rst(m, source_name="spec.toml")


def test_user_templates_are_sandboxed(tmp_path: Path) -> None:
    from jinja2.exceptions import SecurityError

    (tmp_path / "page.rst.j2").write_text(
        "{{ machine.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(SecurityError):
        emit_rst(machine(simple()), source_name="spec.toml", templates=tmp_path)
    (tmp_path / "page.rst.j2").write_text("{{ statuses.append(1) }}", encoding="utf-8")
    with pytest.raises(SecurityError):
        emit_rst(machine(simple()), source_name="spec.toml", templates=tmp_path)


def test_packaged_templates_exist_and_render_alone() -> None:
    context = rst_context(machine(simple()), source_name="spec.toml")
    for name in TEMPLATE_NAMES:
        assert render_template(name, context).endswith("\n")


def test_sections_choose_parts_and_order() -> None:
    m = machine(simple())
    text = emit_rst(m, source_name="s.toml", sections=["table", "statuses"])
    assert ".. figure::" not in text
    assert text.index(".. list-table::") < text.index("``new``\n")
    with pytest.raises(ValueError, match="unknown section"):
        emit_rst(m, source_name="s.toml", sections=["nope"])


def test_title_off_and_heading_levels() -> None:
    m = machine(simple())
    untitled = emit_rst(m, source_name="s.toml", title=False)
    assert "Job Statuses\n" not in untitled and "===" not in untitled
    assert docutils_parse(untitled)[1] == ""
    nested = emit_rst(m, source_name="s.toml", title=1)
    assert "Job Statuses\n------------\n" in nested
    custom = emit_rst(m, source_name="s.toml", title=0, heading_chars="#*")
    assert "Job Statuses\n############\n" in custom
    with pytest.raises(ValueError):
        emit_rst(m, source_name="s.toml", title=5, heading_chars="=-")
    with pytest.raises(ValueError, match="cannot underline"):
        emit_rst(m, source_name="s.toml", heading_chars="=a")


@pytest.mark.parametrize(
    "title", ["状態一覧", "Ünïcödé ẞtatus", "e\u0301e\u0301", "Ｆｕｌｌ", "a*b_"])
def test_title_underline_is_wide_enough(title: str) -> None:
    m = machine(simple(machine={"name": "job", "title": title, "initial": "new"}))
    text = emit_rst(m, source_name="s.toml")
    doctree, warnings = docutils_parse(text)
    assert warnings == ""
    assert doctree.next_node(nodes.title).astext() == title
    escaped = rst_escape(title)
    assert f"{escaped}\n{'=' * display_width(escaped)}\n" in text


def test_no_image_means_no_figure() -> None:
    text = emit_rst(machine(simple()), source_name="s.toml", image=False)
    assert ".. figure::" not in text
    svg = emit_rst(machine(simple()), source_name="s.toml", image="img/job statuses.svg")
    doctree, warnings = docutils_parse(svg)
    assert warnings == ""
    assert doctree.next_node(nodes.image)["uri"] == "img/job statuses.svg"


def test_anchors_are_unique_for_names_differing_in_case_and_punctuation() -> None:
    names = ["Active", "active", "act-ive", "act ive", "状態", "ok"]
    states = {n: {} for n in names}
    transitions = [{"from": "ok", "to": n} for n in names if n != "ok"]
    m = machine({"machine": {"name": "my_job", "initial": "ok"}, "states": states,
                 "transitions": transitions})
    anchors = {n: status_anchor(m, n) for n in names}
    assert len(set(anchors.values())) == len(names)
    assert anchors["ok"] == "my-job-status-ok"
    assert re.fullmatch(r"my-job-status-active-[0-9a-f]{6}", anchors["Active"])
    assert re.fullmatch(r"my-job-status-s-[0-9a-f]{6}", anchors["状態"])
    assert all(re.fullmatch(r"[a-z0-9-]+", a) for a in anchors.values())
    # stable: a name's anchor does not depend on where it sits in the spec
    m2 = machine({"machine": {"name": "my_job", "initial": "ok"},
                  "states": dict(reversed(list(states.items()))), "transitions": transitions})
    assert {n: status_anchor(m2, n) for n in names} == anchors
    doctree, warnings = docutils_parse(emit_rst(m, source_name="s.toml"))
    assert warnings == ""
    assert set(anchors.values()) <= set(doctree.nameids)
    with pytest.raises(KeyError):
        status_anchor(m, "missing")


HOSTILE_TEXT = ["a*b*", "`x`", "|sub|", "name_", "[1]_", "a__", ".. note:: x", "- item",
                "1. one", "a) x", "IV. four", "2.", ":field: v", "end::", "\\",
                "back\\slash\\", "=====", "http://x.y/z_",
                "_`tgt`", "a <b> & c", "#. x", "+---+", "* bullet", "::", "\\\\"]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_rst_escape_reads_back_as_the_same_text(text: str) -> None:
    doctree, warnings = docutils_parse(f"{rst_escape(text)}\n\nAfter {rst_escape(text)}\n")
    assert warnings == ""
    paragraphs = list(doctree.findall(nodes.paragraph))
    assert [p.astext() for p in paragraphs] == [text, f"After {text}"]


@pytest.mark.parametrize("text", ["plain", "with `tick", "``", "a\\", "\\`", "`", " x ",
                                  "x`y`z"])
def test_rst_literal_reads_back_verbatim(text: str) -> None:
    doctree, warnings = docutils_parse(f"Name {rst_literal(text)} here.\n")
    assert warnings == ""
    assert doctree.next_node(nodes.literal).astext() == text.strip()


def test_importing_the_emitters_does_not_import_jinja2_or_pydot() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import statusdoc.emit.rst, statusdoc.emit.dot, statusdoc.emit.mermaid\n"
        "import statusdoc.emit.markdown\n"
        "print(sorted(m for m in ('jinja2', 'pydot', 'docutils', 'sphinx') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_user_templates_can_use_the_escaping_filters(tmp_path: Path) -> None:
    (tmp_path / "page.rst.j2").write_text(
        "{{ raw.title | rst_escape }}\n{{ raw.title | rst_escape | underline('#') }}\n\n"
        "{% for s in statuses %}{{ s.name | rst_literal }} {% endfor %}\n", encoding="utf-8")
    m = machine(simple(machine={"name": "job", "title": "A*B_ 状態", "initial": "new"}))
    text = emit_rst(m, source_name="s.toml", templates=tmp_path)
    assert text == "A\\*B\\_ 状態\n###########\n\n``new`` ``done``\n"
    doctree, warnings = docutils_parse(text)
    assert warnings == "" and doctree.next_node(nodes.title).astext() == "A*B_ 状態"


@pytest.mark.parametrize("kind", ["rst", "md", "dot", "mermaid", "python"])
def test_every_emitter_refuses_an_option_it_does_not_know(kind: str) -> None:
    spec = statusdoc.loads(
        '[machine]\nname = "m"\ntitle = "M"\ninitial = "a"\n'
        '[states.a]\ndescription = "A."\n[states.b]\ndescription = "B."\nfinal = true\n'
        '[[transitions]]\nfrom = "a"\nto = "b"\n'
    )
    with pytest.raises(TypeError, match="secton"):
        get_emitter(kind)(spec, source_name="m.toml", secton=["statuses"])


def test_reset_templates_picks_up_a_new_override(tmp_path: Path) -> None:
    """A file added to a templates folder overrides a packaged template only after
    :func:`reset_templates` (Jinja2's auto-reload watches the file it loaded)."""
    m = machine(simple())
    before = emit_rst(m, source_name="job.toml", templates=tmp_path)
    assert "Job Statuses" in before
    (tmp_path / "page.rst.j2").write_text("overridden {{ name }}\n", encoding="utf-8")
    assert emit_rst(m, source_name="job.toml", templates=tmp_path) == before  # still cached
    reset_templates()
    assert emit_rst(m, source_name="job.toml", templates=tmp_path) == "overridden job\n"
