"""The default look of the DOT diagram: Graphviz attributes for the graph,
statuses, arrows and helper nodes, before ``[diagram]`` and tag styles.

:mod:`statusdoc.emit.dot` writes them (and checks what the spec adds);
:mod:`statusdoc.emit.dotfonts` reads the default fonts from them and the DOT
importer the note it marks the null status with.
"""

from __future__ import annotations

from statusdoc.spec.model import Attrs

#: Graph defaults; ``[diagram.graph]`` / ``rankdir`` override them.
GRAPH_DEFAULTS: Attrs = (
    ("rankdir", "TB"),
    ("fontname", "Helvetica"),
    ("fontsize", "11"),
    ("bgcolor", "white"),
    ("pad", "0.3"),
    ("nodesep", "0.5"),
    ("ranksep", "0.6"),
)
#: Node defaults; ``[diagram.node]`` overrides them.
NODE_DEFAULTS: Attrs = (
    ("shape", "box"),
    ("style", "rounded,filled"),
    ("fillcolor", "#EAF2FB"),
    ("color", "#3C6E9F"),
    ("fontname", "Helvetica"),
    ("fontsize", "12"),
    ("margin", "0.2,0.08"),
)
#: Edge defaults; ``[diagram.edge]`` overrides them.
EDGE_DEFAULTS: Attrs = (
    ("fontname", "Helvetica"),
    ("fontsize", "10"),
    ("color", "#4A4A4A"),
    ("fontcolor", "#2B2B2B"),
    ("arrowsize", "0.8"),
)
#: Attributes of final statuses; ``[diagram.final]`` overrides them.
FINAL_DEFAULTS: Attrs = (("peripheries", "2"), ("fillcolor", "#F1F1F1"))
#: Attributes of deprecated statuses (after ``[diagram.final]``, before tags).
DEPRECATED_ATTRS: Attrs = (
    ("style", "dashed,rounded,filled"),
    ("fillcolor", "#F2F2F2"),
    ("color", "#8C8C8C"),
    ("fontcolor", "#6E6E6E"),
)
#: The start dot of each entry arrow.
INITIAL_ATTRS: Attrs = (
    ("shape", "point"),
    ("width", "0.18"),
    ("style", "filled"),
    ("fillcolor", "#000000"),
    ("color", "#000000"),
    ("label", ""),
)
#: The note a wildcard rule starts from, stating its scope.
WILDCARD_NODE_ATTRS: Attrs = (
    ("shape", "note"),
    ("style", "filled"),
    ("fillcolor", "#FFFDE7"),
    ("color", "#9E9E9E"),
    ("fontsize", "10"),
)
WILDCARD_EDGE_ATTRS: Attrs = (("color", "#7A7A7A"), ("style", "solid"))
#: The badge listing the arrows that come back up into one status.
BADGE_NODE_ATTRS: Attrs = (
    ("shape", "note"),
    ("style", "filled"),
    ("fillcolor", "#EEF4FA"),
    ("color", "#8FA9C6"),
    ("fontsize", "10"),
)
#: The history marker a return rule's arrows end in (UML shallow history).
HISTORY_ATTRS: Attrs = (
    ("shape", "circle"),
    ("style", "filled"),
    ("fillcolor", "#FFFFFF"),
    ("color", "#4A4A4A"),
    ("fontsize", "11"),
    ("width", "0.32"),
    ("height", "0.32"),
    ("fixedsize", "true"),
    ("margin", "0"),
)
#: The box of a group of statuses.
CLUSTER_ATTRS: Attrs = (
    ("style", "rounded,filled"),
    ("fillcolor", "#F6F9FC"),
    ("color", "#9DB4CF"),
    ("fontsize", "11"),
    ("labeljust", "l"),
    ("margin", "12"),
)
#: Second line of the null status's label: the value stored for it.
NULL_NOTE = "(NULL / None)"
#: Set by the layout on every edge / the graph; values from the spec are not used.
LAYOUT_EDGE_ATTRS = frozenset({"constraint", "minlen", "samehead"})
LAYOUT_GRAPH_ATTRS = frozenset({"newrank", "compound"})
