"""Focus views and the group overview on the Sphinx page (see :mod:`statusdoc.emit.views`).

The ``.. statusdoc::`` and ``.. statusdoc-statuses::`` directives add, after
their RST has been parsed, a diagram node per status entry (its focus view)
and, before the full diagram, the overview of the groups. Each is an
ordinary :class:`~statusdoc.sphinxext.nodes.statusdoc_diagram` whose DOT is
the derived machine's: rendered, cached, shown live (inline SVG, status
nodes linked to their entries) or as an image exactly like the full diagram.

Settings: ``statusdoc_focus`` / ``statusdoc_overview`` in ``conf.py`` and the
``:focus:`` / ``:overview:`` options (``auto``, ``on``, ``off``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.util.nodes import set_source_info

from statusdoc.emit.escape import unique_slugs
from statusdoc.emit.layout import group_anchors
from statusdoc.emit.rst import OVERVIEW_CAPTION, focus_alt, overview_alt, status_anchors
from statusdoc.emit.views import (
    ViewSetting,
    focus_machine,
    group_nodes,
    neighbours,
    overview_machine,
    parse_setting,
    wanted,
)
from statusdoc.htmldiagram import (
    FOCUS_CLASS,
    OVERVIEW_CLASS,
    OVERVIEW_SUFFIX,
    focus_suffix,
    marks,
)
from statusdoc.spec.model import Machine
from statusdoc.sphinxext.nodes import statusdoc_diagram

__all__ = ["add_focus_views", "add_overview", "setting", "view_option"]

def view_option(argument: str | None) -> ViewSetting:
    """The ``:focus:`` / ``:overview:`` option: ``auto``, ``on`` or ``off``."""
    return parse_setting((argument or "").strip(), "option")


def setting(directive: Any, name: str) -> ViewSetting:
    """The directive's ``:<name>:`` option, else the ``statusdoc_<name>`` configuration."""
    if name in directive.options:
        value: ViewSetting = directive.options[name]
        return value
    return parse_setting(getattr(directive.config, f"statusdoc_{name}"), f"statusdoc_{name}")


def _targets(result: list[nodes.Node], names: Mapping[str, str]) -> dict[str, nodes.target]:
    """The target of each name in ``names`` (normalized target name -> key) in ``result``."""
    found: dict[str, nodes.target] = {}
    for holder in result:
        if isinstance(holder, nodes.Element):
            for target in holder.findall(nodes.target):
                for name in target["names"]:
                    if name in names and target["ids"]:
                        found.setdefault(names[name], target)
    return found


def _figure(directive: Any, view: Machine, machine: Machine, source_name: str, alt: str,
            cls: str, suffix: str, local_links: Mapping[str, str] | None = None,
            caption: str = "") -> nodes.figure:
    from statusdoc.sphinxext import specs

    diagram = statusdoc_diagram()
    set_source_info(directive, diagram)
    diagram["dot"] = specs.dot_source(view, source_name)
    diagram["alt"] = alt
    diagram["spec"] = source_name
    diagram["machine"] = machine.name
    diagram["format"] = directive.options.get("format", "")
    diagram["classes"] += ["statusdoc-diagram", cls]
    diagram["live"] = "static" not in directive.options
    if diagram["live"]:
        diagram["marks"] = marks(view, {})
    diagram["id_suffix"] = suffix
    diagram["local_links"] = dict(local_links or {})
    diagram["rows"] = []  # text builders: the entry's text says it all
    figure = nodes.figure("", diagram)
    set_source_info(directive, figure)
    figure["classes"] += ["statusdoc-figure", cls]
    if caption:
        figure += nodes.caption(caption, caption)
    return figure


def add_focus_views(directive: Any, machine: Machine, source_name: str,
                    result: list[nodes.Node]) -> None:
    """Append its focus view to each status entry in ``result`` (when the setting says so)."""
    if not wanted(setting(directive, "focus"), machine):
        return
    anchors = {nodes.fully_normalize_name(a): n for n, a in status_anchors(machine).items()}
    slugs = unique_slugs(machine.state_names)
    table = neighbours(machine)
    for status, target in _targets(result, anchors).items():
        entry = target.parent
        if entry is None:
            continue
        entry.append(_figure(directive, focus_machine(machine, status, table), machine,
                             source_name,
                             focus_alt(status), FOCUS_CLASS, focus_suffix(slugs[status])))


def add_overview(directive: Any, machine: Machine, source_name: str,
                 result: list[nodes.Node]) -> None:
    """Put the overview of the groups before the full diagram in ``result`` (when wanted)."""
    view = overview_machine(machine)
    if view is None or not wanted(setting(directive, "overview"), machine):
        return
    main = next((node for holder in result if isinstance(holder, nodes.Element)
                 for node in holder.findall(statusdoc_diagram)), None)
    if main is None or main.parent is None:
        return
    anchors = {nodes.fully_normalize_name(a): g for g, a in group_anchors(machine).items()}
    ids = {group: target["ids"][0] for group, target in _targets(result, anchors).items()}
    node_of = group_nodes(machine)
    links = {node_of[g]: f"#{ident}" for g, ident in ids.items() if g in node_of}
    figure = main.parent
    overview = _figure(directive, view, machine, source_name, overview_alt(machine),
                       OVERVIEW_CLASS, OVERVIEW_SUFFIX, links, OVERVIEW_CAPTION)
    # the figure is one of the top-level nodes (no title), or inside the page's section
    at = next((i for i, node in enumerate(result) if node is figure), None)
    if at is not None:
        result.insert(at, overview)
    elif figure.parent is not None:
        figure.parent.insert(figure.parent.index(figure), overview)
