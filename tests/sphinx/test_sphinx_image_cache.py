"""The image cache of a build: one place for its path, its state on the application
(issue 12, item 15)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from statusdoc.spec.api import load
from statusdoc.sphinxext import specs
from statusdoc.sphinxext.images import image_cache

pytest_plugins = ("sphinx.testing.fixtures",)


def test_the_page_shows_the_file_the_cache_looks_up(project, build):
    srcdir = project()
    out = build(srcdir)
    page = out.read("index.html")
    # the live diagram is inline; its full-size link names the cached file
    shown = re.search(r'<a href="_images/(statusdoc-[0-9a-f]{20}\.svg)"', page)
    assert shown, page
    dot = specs.dot_source(load(srcdir / "door.toml"), "door.toml")
    path, exists = image_cache(out.app).lookup(dot, "svg")
    assert exists and path == out.outdir / "_images" / shown.group(1)
    assert image_cache(out.app).lookup(dot + "\n", "svg")[1] is False


def test_two_builds_in_one_process_keep_their_own_state(project, make_app, recording_renderer,
                                                         renderer_calls):
    """Rendering ahead started by one build is collected by that build only: each
    image is rendered once even while a second application exists (module globals
    would hand the first build's renders to the second's image directory)."""
    renderer, log = recording_renderer
    apps = [
        make_app("html", srcdir=project(), status=io.StringIO(), warning=io.StringIO(),
                 confoverrides={"statusdoc_renderer": renderer})
        for _ in range(2)
    ]
    first, second = apps
    assert image_cache(first) is not image_cache(second)
    assert image_cache(first).imagedir != image_cache(second).imagedir
    first.build()
    # door as SVG (one run) and as PNG (the SVG is laid out first: two runs)
    assert sorted(renderer_calls(log)) == ["-Tpng", "-Tsvg", "-Tsvg"]
    assert image_cache(first).pending == {} and image_cache(first).pool is None
    second.build()
    assert len(renderer_calls(log)) == 6  # its own images, in its own directory
    for app in apps:
        assert len(list((Path(app.outdir) / "_images").glob("statusdoc-*"))) == 2


def test_an_empty_cache_file_is_rendered_again(project, build):
    """Cache files are written atomically but not flushed to disk (a build output, as
    Sphinx's own): what a power cut can leave of one, an empty file, is no cache hit."""
    srcdir = project()
    out = build(srcdir)
    dot = specs.dot_source(load(srcdir / "door.toml"), "door.toml")
    path, exists = image_cache(out.app).lookup(dot, "svg")
    assert exists and path.stat().st_size > 0
    path.write_bytes(b"")
    assert image_cache(out.app).lookup(dot, "svg") == (path, False)
    again = build(srcdir, freshenv=True)  # the page read again, its image looked up
    assert (again.outdir / "_images" / path.name).read_bytes().startswith(b"<?xml")
