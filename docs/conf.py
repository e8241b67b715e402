"""Sphinx configuration of statusdoc's own documentation (built by ``make docs``)."""

from __future__ import annotations

import statusdoc

project = "statusdoc"
author = "statusdoc developers"
copyright = "statusdoc developers"
release = version = statusdoc.__version__

extensions = [
    "sphinx.ext.autodoc",
    "statusdoc.sphinxext",  # the extension documents its own examples
]

# Named specs: pages say ``.. statusdoc:: image`` instead of a path.
# Paths are relative to this directory.
statusdoc_specs = {
    "image": "../examples/glance/image-statuses.toml",
    "node": "../examples/baremetal/node-states.toml",
}
statusdoc_output_format = "svg"

root_doc = "index"
exclude_patterns = ["_build"]
nitpicky = False
autodoc_member_order = "bysource"
autodoc_typehints = "description"

html_theme = "furo"
html_title = f"statusdoc {release}"
html_static_path: list[str] = []
