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
    "volume": "../examples/volume/volume-statuses.toml",
    "task": "../examples/taskinstance/task-instance-statuses.toml",
    "order": "../examples/order/order-statuses.toml",
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


def _attribute_grammar_table() -> list[object]:
    """The spec reference's table of diagram attributes and the values each accepts,
    built from ``statusdoc.spec.attrs`` (the list is never copied by hand)."""
    from docutils import nodes

    from statusdoc.spec.attrs import grammar_table

    def row(cells: tuple[str, str, str], *, header: bool = False) -> nodes.row:
        out = nodes.row()
        for i, text in enumerate(cells):
            content = nodes.literal(text, text) if i == 0 and not header else nodes.Text(text)
            out += nodes.entry("", nodes.paragraph("", "", content))
        return out

    tgroup = nodes.tgroup(cols=3)
    for width in (16, 14, 70):
        tgroup += nodes.colspec(colwidth=width)
    tgroup += nodes.thead("", row(("Attribute", "Set in", "Accepted values"), header=True))
    tgroup += nodes.tbody("", *(row(cells) for cells in grammar_table()))
    table = nodes.table("", tgroup)
    table["classes"].append("statusdoc-attribute-grammars")
    return [table]


def setup(app: object) -> None:
    from sphinx.util.docutils import SphinxDirective

    class AttributeGrammars(SphinxDirective):
        def run(self) -> list[object]:
            return _attribute_grammar_table()

    app.add_directive("statusdoc-attribute-grammars", AttributeGrammars)  # type: ignore[attr-defined]
