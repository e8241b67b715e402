"""Every supported builder, and a parallel build."""

from __future__ import annotations

import re

from statusdoc.stamp import read_stamp

pytest_plugins = ("sphinx.testing.fixtures",)


def test_dirhtml(project, build):
    out = build(project(), "dirhtml")
    assert out.warnings == ""
    page = out.read("parts/index.html")
    src = re.search(r'<img src="([^"]+)"', page).group(1)
    assert src.startswith("../_images/statusdoc-")
    assert (out.outdir / "parts" / src).resolve().is_file()
    assert 'href="../#door-status-open"' in out.read("refs/index.html")
    # the live diagram of the index page links to its entries, loads ../_static
    (svg,) = out.live_svgs("index.html")
    links = [a.get("href") for a in svg.iter("{http://www.w3.org/2000/svg}a")]
    assert sorted(links) == [f"#door-status-{s}" for s in ("broken", "closed", "locked", "open")]
    assert 'src="_static/statusdoc-live.js' in out.read("index.html")
    assert "statusdoc-live" not in out.read("refs/index.html")


def test_singlehtml(project, build):
    out = build(project(), "singlehtml")
    assert out.warnings == ""
    page = out.read("index.html")
    srcs = re.findall(r'<img src="([^"]+)"', page)  # parts.rst's PNG
    assert len(srcs) == 1 and all((out.outdir / s).is_file() for s in srcs)
    assert 'href="#door-status-locked"' in page
    (svg,) = out.live_svgs("index.html")  # index.rst's SVG, live, linking within the page
    links = [a.get("href") for a in svg.iter("{http://www.w3.org/2000/svg}a")]
    assert sorted(links) == [f"#door-status-{s}" for s in ("broken", "closed", "locked", "open")]


def test_latex_uses_png(project, build):
    out = build(project(), "latex")
    assert out.warnings == ""
    tex = next(out.outdir.glob("*.tex")).read_text()
    names = re.findall(r"\\sphinxincludegraphics\{(statusdoc-[0-9a-f]+\.png)\}", tex)
    assert len(names) == 2
    for name in names:
        assert (out.outdir / name).read_bytes().startswith(b"\x89PNG")
    assert "The door, drawn." in tex
    assert "door-status-open" in tex  # entries are hyper targets


def test_text_builder_shows_the_transition_table(project, build):
    out = build(project(), "text")
    assert out.warnings == ""
    page = out.read("index.txt")
    assert "Door Statuses" in page
    # the page's own table lists every transition, once: the diagram, which
    # falls back to the same table elsewhere, shows nothing more here
    rows = re.findall(r'\|\s*"closed"\s*\|\s*"locked"\s*\|\s*lock\s*\|', page)
    assert len(rows) == 1, page
    assert "Every allowed transition: Door Statuses." in page
    assert "The door came off its hinges." in page
    assert page.count("A door is always in one of these statuses:") == 1
    assert out.images() == []
    # the diagram-only directive: caption, then the fallback table, columns as wide as needed
    parts = out.read("parts.txt")
    assert "The door, drawn." in parts
    assert re.search(r'^\s*\| "locked" +\| "closed" +\| unlock +\| "unlock" +\|$', parts, re.M)
    assert "| F |" not in parts


def test_man_builder(project, build):
    out = build(project(), "man", confoverrides={"man_pages": [("index", "doors", "Doors", [], 1)]})
    assert out.warnings == ""
    page = out.read("doors.1")
    assert "Door Statuses" in page.replace("\\", "")
    assert "locked" in page and ".TS" in page  # a tbl table


def test_parallel_build_with_two_specs(project, build):
    srcdir = project()
    window = (srcdir / "door.toml").read_text().replace('name = "door"', 'name = "window"')
    (srcdir / "window.toml").write_text(window.replace("Door Statuses", "Window Statuses"))
    refs = ":status:`door:open` :status:`window:closed`\n"
    pages = {f"p{i}": f"P{i}\n==\n\n{refs}" for i in range(6)}
    pages["win"] = "Windows\n=======\n\n.. statusdoc:: window.toml\n"
    pages["refs"] = "Refs\n====\n\n:status:`door:open` and :status:`door:locked`\n"
    for name, text in pages.items():
        (srcdir / f"{name}.rst").write_text(text)
    with (srcdir / "index.rst").open("a") as fh:
        fh.write("".join(f"   {name}\n" for name in pages if name != "refs"))
    (srcdir / "pidlog.py").write_text(
        "import os\n"
        "def _log(app, doctree):\n"
        "    with open(os.path.join(app.srcdir, 'pids.log'), 'a') as fh:\n"
        "        fh.write(f'{os.getpid()}\\n')\n"
        "def setup(app):\n"
        "    app.connect('doctree-read', _log)\n"
        "    return {'parallel_read_safe': True, 'parallel_write_safe': True}\n"
    )
    with (srcdir / "conf.py").open("a") as fh:
        fh.write("import os, sys\nsys.path.insert(0, os.path.dirname(__file__))\n")
        fh.write("extensions.append('pidlog')\n")
    out = build(srcdir, parallel=2)
    assert out.warnings == ""
    assert out.app.parallel == 2
    # really read in several processes: each logged its pid while reading
    pids = set((srcdir / "pids.log").read_text().split())
    assert len(pids) >= 2, pids
    for i in range(6):
        page = out.read(f"p{i}.html")
        assert 'href="index.html#door-status-open"' in page
        assert 'href="win.html#window-status-closed"' in page
    assert len(out.images()) == 3  # door svg, door png (parts), window svg
    for image in out.images():  # every image complete: stamped by the render layer
        assert read_stamp(image.read_bytes()) is not None, image
    assert not list(out.outdir.rglob(".statusdoc-tmp-*"))
    genindex = out.read("genindex.html")
    assert "closed (door status)" in genindex and "(window status)" in genindex
