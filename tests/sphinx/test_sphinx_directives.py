"""The directives, the role and the config values, through real HTML builds."""

from __future__ import annotations

import html
import re
import zlib
from pathlib import Path

from docutils import nodes
from docutils.core import publish_doctree

import statusdoc
from statusdoc.emit.dot import emit_dot
from statusdoc.emit.rst import alt_text, emit_rst
from statusdoc.stamp import dot_sha256, read_stamp

pytest_plugins = ("sphinx.testing.fixtures",)


def _door(srcdir: Path) -> statusdoc.Machine:
    return statusdoc.load(srcdir / "door.toml")


def _img_tags(page: str) -> list[str]:
    return re.findall(r"<img [^>]*>", page)


SVG = "{http://www.w3.org/2000/svg}"


def _status_links(svg) -> dict[str, str | None]:
    """``{node id: href of its link, or None}`` for every status node of an inline SVG."""
    out = {}
    for group in svg.iter(f"{SVG}g"):
        if "statusdoc-state" in group.get("class", "").split():
            link = group.find(f"{SVG}a")
            out[group.get("id")] = None if link is None else link.get("href")
    return out


def _attr(tag: str, name: str) -> str:
    match = re.search(rf'{name}="([^"]*)"', tag)
    assert match, f"no {name} in {tag}"
    return html.unescape(match.group(1))


def test_full_page_has_title_statuses_diagram_notes_and_table(project, build):
    srcdir = project()
    out = build(srcdir)
    assert out.warnings == ""
    page = out.read("index.html")
    machine = _door(srcdir)
    assert "<h1>Door Statuses" in page
    assert "A door is always in one of these statuses:" in page
    for state in machine.states:
        assert f'id="door-status-{state.name}"' in page
        assert html.escape(state.description, quote=False) in page
    # the diagram: inline SVG, made from a stamped SVG rendered from the spec's DOT
    assert _img_tags(page) == []
    (svg,) = out.live_svgs("index.html")
    assert _status_links(svg) == {
        f"sd-s-door-status-{s.name}": f"#door-status-{s.name}" for s in machine.states
    }
    assert svg.find(f"{SVG}desc").text == alt_text(machine)
    # its script and stylesheet, from _static; the rendered file is the no-script link
    assert '<script defer="defer" src="_static/statusdoc-live.js' in page
    assert 'href="_static/statusdoc-live.css' in page
    for name in ("statusdoc-live.js", "statusdoc-live.css"):
        shipped = Path(statusdoc.__file__).parent / "static" / name
        assert (out.outdir / "_static" / name).read_bytes() == shipped.read_bytes()
    src = re.search(r'<noscript><p class="statusdoc-fullsize"><a href="([^"]+)"', page).group(1)
    assert re.fullmatch(r"_images/statusdoc-[0-9a-f]{20}\.svg", src)
    data = (out.outdir / src).read_bytes()
    assert (out.outdir / src).stat().st_mode & 0o044 == 0o044  # readable by a web server
    # this page's SVG and the PNG of parts.rst; no temporary files left behind
    assert sorted(p.suffix for p in (out.outdir / "_images").iterdir()) == [".png", ".svg"]
    assert all(p.name.startswith("statusdoc-") for p in (out.outdir / "_images").iterdir())
    assert data.lstrip().startswith(b"<?xml") and b"</svg>" in data
    dot = emit_dot(machine, source_name="door.toml")
    stamp = read_stamp(data)
    assert stamp is not None and stamp.dot_sha256 == dot_sha256(dot)
    for state in machine.states:
        assert f"<title>{state.name}</title>" in data.decode()
    assert "Every allowed transition: Door Statuses." in page  # the emitter's caption
    assert "Only with the right key." in page  # a transition note
    assert "<th" in page and "upload" not in page
    assert page.count("<tr") == 1 + len(machine.transitions)  # header + one row each


def test_page_content_equals_the_cli_rst_output(project, build):
    """What Sphinx shows is exactly the committed .rst's content (the figure aside)."""
    srcdir = project()
    out = build(srcdir)
    machine = _door(srcdir)
    committed = emit_rst(machine, source_name="door.toml", image="door.svg")
    expected = publish_doctree(committed, settings_overrides={"report_level": 5})

    def text(tree: nodes.Node) -> str:
        for node in list(tree.findall(lambda n: isinstance(n, (nodes.figure, nodes.comment)))):
            node.parent.remove(node)
        return " ".join(tree.astext().split())

    built = out.app.env.get_doctree("index")
    assert len(list(built.findall(nodes.figure))) == 1
    assert text(built) == text(expected)


def test_status_role_links_to_the_entries(project, build):
    out = build(project())
    page = out.read("refs.html")
    assert 'href="index.html#door-status-open"' in page
    assert 'href="index.html#door-status-locked"' in page
    assert 'href="index.html#door-status-broken"' in page
    assert '<span class="pre">kicked</span> <span class="pre">in</span>' in page
    # link text is the status name as a literal, like the entries themselves
    assert re.search(r'<code class="[^"]*">\s*<span class="pre">locked</span>', page)


def test_status_entries_are_in_the_general_index(project, build):
    out = build(project())
    index = out.read("genindex.html")
    for name in ("closed", "open", "locked", "broken"):
        assert f"{name} (door status)" in index
        assert f'href="index.html#door-status-{name}"' in index
    assert "Door Statuses" in index
    # and in the inventory, for intersphinx users of this project
    raw = (out.outdir / "objects.inv").read_bytes()
    body = zlib.decompress(raw.split(b"\n", 4)[4]).decode()
    assert "door:open statusdoc:status 1 index.html#door-status-open open" in body.splitlines()


def test_unknown_status_warns_with_document_and_line(project, build):
    srcdir = project(**{"typo.rst": "Typo\n====\n\nThe door is :status:`opne`.\n"})
    with (srcdir / "index.rst").open("a") as fh:
        fh.write("   typo\n")
    out = build(srcdir)
    assert re.search(
        r"typo\.rst:4: WARNING: statusdoc: unknown status 'opne' \(did you mean 'open'\?\)",
        out.warnings,
    ), out.warnings
    assert "<code" in out.read("typo.html")  # the text stays, unlinked


def test_unknown_machine_and_undocumented_status_warn(project, build):
    srcdir = project(
        only=True,
        **{
            "bad.rst": "Bad\n===\n\n:status:`window:open`\n",
            "index.rst": ".. statusdoc:: door\n   :sections: diagram\n\n"
            ".. toctree::\n\n   bad\n",
        }
    )
    out = build(srcdir)
    assert "bad.rst:4: WARNING: statusdoc: unknown machine 'window'" in out.warnings
    assert "(machines: door)" in out.warnings
    srcdir2 = project(
        only=True, **{"index.rst": ".. statusdoc:: door\n   :sections: table\n\n:status:`open`\n"}
    )
    out2 = build(srcdir2)
    assert "status 'open' exists but no page shows its entry" in out2.warnings


def test_diagram_directive_options(project, build):
    out = build(project())
    page = out.read("parts.html")
    (tag,) = _img_tags(page)
    assert _attr(tag, "alt") == "A door diagram"
    assert "door-picture" in _attr(tag, "class")
    src = _attr(tag, "src")
    assert src.endswith(".png")
    assert (out.outdir / src).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    figure = re.search(r'<figure class="([^"]*)" id="door-figure"', page)
    assert figure and "align-left" in figure.group(1)
    assert "The door, drawn." in page
    # :name: makes the figure a target for :numref: and :ref: (numbered after index's figure)
    assert re.search(r'href="#door-figure"><span class="std std-numref">Fig\. 2</span>', page)


def test_transitions_directive_with_notes(project, build):
    out = build(project())
    page = out.read("parts.html")
    assert re.search(r'<div class="[^"]*\bdoor-table\b', page)
    assert "Only with the right key." in page
    assert "<table" in page
    assert 'id="door-status-' not in page  # no second set of entries


def test_statuses_directive_only_entries(project, build):
    srcdir = project(
        only=True,
        **{"index.rst": "Doors\n=====\n\n.. statusdoc-statuses:: door\n   :class: entries\n"},
    )
    out = build(srcdir)
    assert out.warnings == ""
    page = out.read("index.html")
    assert 'id="door-status-locked"' in page
    assert "<img" not in page and "<table" not in page
    assert "Door Statuses" not in page  # no title of its own


def test_full_directive_options(project, build):
    srcdir = project(
        only=True,
        **{
            "index.rst": "Doors\n=====\n\n"
            ".. statusdoc:: door\n"
            "   :sections: diagram, table\n"
            "   :no-title:\n"
            "   :caption: Our doors.\n"
            "   :alt: Door picture\n"
            "   :align: right\n"
            "   :format: png\n"
            "   :class: wide\n"
            "   :name: all-doors\n\n"
            "See :ref:`all-doors`.\n"
        }
    )
    out = build(srcdir)
    assert out.warnings == ""
    page = out.read("index.html")
    assert "<h1>Door Statuses" not in page and "<h2>Door Statuses" not in page
    assert page.count("A door is always") == 1  # the intro stays (as with title=False)
    (tag,) = _img_tags(page)
    assert _attr(tag, "alt") == "Door picture"
    assert _attr(tag, "src").endswith(".png")
    assert "wide" in _attr(tag, "class")
    assert re.search(r'<figure class="[^"]*align-right[^"]*" id="all-doors"', page)
    assert "Our doors." in page and "Every allowed transition" not in page
    assert 'href="#all-doors"' in page
    assert 'id="door-status-' not in page
    assert page.index("<img") < page.index("<table")  # sections in the order given


def test_title_nests_under_the_enclosing_section(project, build):
    srcdir = project(
        only=True,
        **{"index.rst": "Manual\n======\n\nReference\n---------\n\n.. statusdoc:: door\n"},
    )
    out = build(srcdir)
    assert out.warnings == ""
    page = out.read("index.html")
    assert "<h1>Manual" in page and "<h2>Reference" in page and "<h3>Door Statuses" in page


def test_spec_given_as_a_path_relative_to_the_document(project, build):
    srcdir = project()
    (srcdir / "sub").mkdir()
    (srcdir / "sub" / "page.rst").write_text(
        "Sub\n===\n\n.. statusdoc-diagram:: ../door.toml\n\n.. statusdoc-diagram:: /door.toml\n"
    )
    with (srcdir / "index.rst").open("a") as fh:
        fh.write("   sub/page\n")
    out = build(srcdir)
    assert out.warnings == ""
    # two live diagrams; their nodes link to the entries on index.html, ids kept unique
    first, second = out.live_svgs("sub/page.html")
    assert _status_links(first) == {
        f"sd-s-door-status-{s}": f"../index.html#door-status-{s}"
        for s in ("closed", "open", "locked", "broken")
    }
    assert _status_links(second) == {
        f"{node}_2": href for node, href in _status_links(first).items()
    }
    page = out.read("sub/page.html")
    assert page.count('src="../_static/statusdoc-live.js') == 1  # once per page
    # the no-script links name the same rendered file as index.html's diagram
    fullsize = re.findall(r'class="statusdoc-fullsize"><a href="([^"]+)"', page)
    index_src = re.findall(r'class="statusdoc-fullsize"><a href="([^"]+)"',
                           out.read("index.html"))
    assert fullsize == ["../" + index_src[0]] * 2


def test_two_diagrams_of_a_machine_with_a_status_named_like_a_suffix_keep_ids_unique(
        project, build):
    spec = ('[machine]\nname = "ids"\ninitial = "x"\n[states.x]\n[states."x-2"]\n'
            'final = true\n[[transitions]]\nfrom = "x"\nto = "x-2"\n')
    page = ("Ids\n===\n\n.. statusdoc:: ids.toml\n\n.. statusdoc-diagram:: ids.toml\n")
    srcdir = project(**{"ids.toml": spec, "index.rst": page}, only=True)
    out = build(srcdir)
    assert out.warnings == ""
    svgs = out.live_svgs("index.html")
    assert len(svgs) == 2
    ids = [e.get("id") for svg in svgs for e in svg.iter() if e.get("id")]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_output_format_png_config(project, build):
    out = build(project(), confoverrides={"statusdoc_output_format": "png"})
    (tag,) = _img_tags(out.read("index.html"))
    assert _attr(tag, "src").endswith(".png")


def test_bad_output_format_is_a_config_error(project, make_app):
    import pytest
    from sphinx.errors import ConfigError

    with pytest.raises(ConfigError, match="statusdoc_output_format must be 'png' or 'svg'"):
        make_app("html", srcdir=project(), confoverrides={"statusdoc_output_format": "pdf"})


def test_user_templates_override_by_name(project, build):
    srcdir = project()
    (srcdir / "_tpl").mkdir()
    (srcdir / "_tpl" / "statuses.rst.j2").write_text(
        "{% for s in statuses %}\n"
        "* .. _{{ s.anchor_target }}:\n\n"
        "  CUSTOM {{ s.literal }}\n\n"
        "{% endfor %}\n"
    )
    out = build(srcdir, confoverrides={"statusdoc_templates": "_tpl"})
    page = out.read("index.html")
    assert page.count("CUSTOM") == 4
    assert 'id="door-status-open"' in page
    assert 'href="index.html#door-status-open"' in out.read("refs.html")


def test_diagram_content_is_caption_and_legend(project, build):
    srcdir = project(
        only=True,
        **{
            "index.rst": "Doors\n=====\n\n.. statusdoc-statuses:: door\n\n"
            ".. statusdoc-diagram:: door\n"
            "   :figclass: boxed\n"
            "   :figwidth: 60%\n"
            "   :width: 400px\n\n"
            "   The *whole* door.\n\n"
            "   Dashed arrows are operator actions.\n"
        },
    )
    out = build(srcdir)
    assert out.warnings == ""
    page = out.read("index.html")
    figure = re.search(r'<figure class="([^"]*)"[^>]*style="width: 60%"', page)
    assert figure and "boxed" in figure.group(1)
    assert re.search(r'<div class="statusdoc-live statusdoc-diagram" [^>]*'
                     r'style="width: 400px">', page)
    assert re.search(
        r'<figcaption>\s*<p>(<span class="caption-number">Fig. 1 </span>)?'
        r'<span class="caption-text">The <em>whole</em> door.', page
    )
    assert re.search(r'<div class="legend">\s*<p>Dashed arrows are operator actions.</p>', page)


def test_bad_options_are_reported_at_the_directive(project, build):
    srcdir = project(
        only=True,
        **{
            "index.rst": "Doors\n=====\n\n"
            ".. statusdoc:: door\n   :sections: statuses, legend\n\n"
            ".. statusdoc-diagram:: door\n   :format: pdf\n\n"
            ".. statusdoc:: door\n   :sections: table table\n"
        },
    )
    out = build(srcdir)
    assert 'index.rst:4: ERROR: Error in "statusdoc" directive' in out.warnings
    assert "unknown section 'legend' (choose from statuses, diagram" in out.warnings
    assert 'index.rst:7: ERROR: Error in "statusdoc-diagram" directive' in out.warnings
    assert '"pdf" unknown; choose from "png", or "svg"' in out.warnings
    assert "index.rst:10: ERROR" in out.warnings
    assert "a section is listed twice in 'table table'" in out.warnings


def test_status_names_with_spaces_hyphens_and_colons(project, build):
    srcdir = project(only=True)
    spec = srcdir / "door.toml"
    text = spec.read_text().replace("[states.broken]", '[states."off: hinges"]')
    spec.write_text(text.replace('to = "broken"', 'to = "off: hinges"'))
    (srcdir / "index.rst").write_text(
        ".. statusdoc:: door\n\n"
        ":status:`off: hinges`, :status:`door:off: hinges` and :status:`gone <off: hinges>`\n"
    )
    out = build(srcdir)
    assert out.warnings == ""
    page = out.read("index.html")
    # 3 roles, the diagram's node, and the "Leads to" of closed, open and locked
    assert page.count('href="#door-status-off-hinges"') == 7
    link_texts = re.findall(r'href="#door-status-off-hinges"[^>]*><code[^>]*>(.*?)</code>', page)
    texts = [re.sub(r"<[^>]+>", "", t) for t in link_texts]
    assert texts == ["off: hinges", "off: hinges", "gone"]


def test_entries_shown_twice_are_reported(project, build):
    srcdir = project(
        only=True,
        **{
            "index.rst": ".. statusdoc:: door\n\n.. toctree::\n\n   again\n",
            "again.rst": "Again\n=====\n\n.. statusdoc-statuses:: door\n",
        },
    )
    out = build(srcdir)
    # documents are read in name order: "again" first, so index.rst gets the warning
    assert re.search(
        r"index\.rst:1: WARNING: statusdoc: status 'open' of 'door' already has an entry "
        r"in again; show each status's entries once",
        out.warnings,
    ), out.warnings


def test_a_template_without_the_figure_gives_no_diagram(project, build):
    srcdir = project()
    (srcdir / "_tpl").mkdir()
    (srcdir / "_tpl" / "diagram.rst.j2").write_text("(no picture here)\n")
    out = build(srcdir, confoverrides={"statusdoc_templates": "_tpl"})
    assert out.warnings == ""
    page = out.read("index.html")
    assert "(no picture here)" in page and "<img" not in page
