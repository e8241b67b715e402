"""`statusdoc import` carries issue 10's constructs where the source can say them:
several entry points, DOT clusters and Mermaid composites as groups, None in a table
as the null status; each imported spec loads to the model the source describes."""

from __future__ import annotations

import textwrap
import tomllib

import statusdoc
from statusdoc.compare import compare_table
from statusdoc.importers import render_spec
from statusdoc.importers.dot import import_dot_text
from statusdoc.importers.mermaid import import_mermaid_text
from statusdoc.importers.table import import_object
from statusdoc.spec.api import loads
from statusdoc.spec.dump import dump_toml
from statusdoc.spec.model import Machine

#: The machine the hand-written DOT and Mermaid below draw.
EXPECTED = """\
[machine]
name = "vol"
title = "Vol Statuses"
initial = ["creating", "managing"]
initial_label = { creating = "create", managing = "manage existing" }

[groups.errors]
title = "Error statuses"

[states.creating]
description = "TODO: describe creating"

[states.managing]
description = "TODO: describe managing"

[states.available]
description = "TODO: describe available"

[states.error]
description = "TODO: describe error"
group = "errors"

[states.error_restoring]
description = "TODO: describe error_restoring"
group = "errors"

[states.deleted]
description = "TODO: describe deleted"
final = true

[[transitions]]
from = "creating"
to = "available"
label = "created"

[[transitions]]
from = "creating"
to = "error"
label = "fail"

[[transitions]]
from = "managing"
to = "available"

[[transitions]]
from = "available"
to = "error_restoring"
label = "restore"

[[transitions]]
from = "error_restoring"
to = "error"

[[transitions]]
from = "error"
to = "deleted"
label = "delete"

[[transitions]]
from = "error_restoring"
to = "available"
"""

#: The shape a DOT emitter draws it in: one start point per entry, a cluster per group.
DOT = """\
digraph "vol" {
  "creating" [label="creating"];
  "managing" [label="managing"];
  "available" [label="available"];
  subgraph "cluster_errors" {
    graph [label="Error statuses", style="rounded,dashed"];
    "error" [label="error"];
    "error_restoring" [label="error_restoring"];
  }
  "deleted" [label="deleted", peripheries="2"];
  "__statusdoc_start__" [shape="point", label=""];
  "__statusdoc_start__" -> "creating" [label="create"];
  "__statusdoc_start_2__" [shape="point", label=""];
  "__statusdoc_start_2__" -> "managing" [label="manage existing"];
  "creating" -> "available" [label="created"];
  "creating" -> "error" [label="fail"];
  "managing" -> "available";
  "available" -> "error_restoring" [label="restore"];
  "error_restoring" -> "error";
  "error" -> "deleted" [label="delete"];
  "error_restoring" -> "available";
}
"""

#: The shape statusdoc's Mermaid draws it in: ids s0, s1, ... in spec order, a composite
#: per group (declared where its first member is), each entry arrow with its label.
MERMAID = """\
stateDiagram-v2
    state "creating" as s0
    state "managing" as s1
    state "available" as s2
    state "Error statuses" as g0 {
        state "error" as s3
        state "error_restoring" as s4
    }
    state "deleted" as s5
    [*] --> s0 : create
    [*] --> s1 : manage existing
    s0 --> s2 : created
    s0 --> s3 : fail
    s1 --> s2
    s2 --> s4 : restore
    s4 --> s3
    s3 --> s5 : delete
    s4 --> s2
    s5 --> [*]
"""


def model(machine: Machine) -> dict[str, object]:
    """What the round trips compare: everything the sources can say."""
    return {
        "states": machine.state_names,
        "entries": machine.entries,
        "entry_labels": dict(machine.entry_labels),
        "groups": [(g.name, g.title) for g in machine.groups],
        "members": {s.name: s.group for s in machine.states},
        "finals": [s.name for s in machine.states if s.final],
        "null": machine.null,
        "transitions": [(t.source, t.target, t.label) for t in machine.transitions],
    }


def spec_text(imported) -> str:
    text, problems = render_spec(imported, "toml")
    assert not [p for p in problems if p.startswith("error")], problems
    return text


def test_dot_with_several_entries_and_a_cluster_imports_to_the_machine() -> None:
    imported = import_dot_text(DOT, source="vol.dot")
    assert model(loads(spec_text(imported))) == model(loads(EXPECTED))
    notes = "\n".join(imported.notes)
    assert "cluster" not in notes.replace("attributes not imported: style", "")
    assert "subgraph graph attributes not imported: style=" in notes


def test_mermaid_with_several_entries_and_a_composite_imports_to_the_machine() -> None:
    """Mermaid statusdoc wrote names a composite g0: the group is named by its title."""
    imported = import_mermaid_text(MERMAID, source="vol.mmd")
    by_title = EXPECTED.replace('[groups.errors]\ntitle = "Error statuses"',
                                '[groups."Error statuses"]')
    by_title = by_title.replace('group = "errors"', 'group = "Error statuses"')
    assert model(loads(spec_text(imported))) == model(loads(by_title))
    for names_from in (None, "id"):  # an id that is no g0, g1, ... is the group's name
        written = import_mermaid_text(MERMAID.replace("as g0", "as errors"), source="v.mmd",
                                      names_from=names_from)
        assert written.groups["errors"].title == "Error statuses"


def test_the_written_spec_has_the_new_keys_readably() -> None:
    text = spec_text(import_dot_text(DOT, source="vol.dot"))
    assert 'initial = ["creating", "managing"]\n' in text
    assert 'initial_label = { creating = "create", managing = "manage existing" }\n' in text
    assert '[groups.errors]\ntitle = "Error statuses"\n\n[states.creating]' in text
    assert '[states.error]\ndescription = "TODO: describe error"\ngroup = "errors"\n' in text
    yaml_text, _problems = render_spec(import_dot_text(DOT, source="vol.dot"), "yaml")
    assert model(loads(yaml_text, "yaml")) == model(loads(EXPECTED))


def test_a_spec_dumped_from_imported_data_parses_back_to_the_same_data() -> None:
    data = import_mermaid_text(MERMAID, source="vol.mmd").to_data()
    assert tomllib.loads(dump_toml(data)) == data
    data["transitions"].append({"from": {"group": "errors"}, "to": "deleted"})
    text = dump_toml(data)
    assert 'from = { group = "errors" }\n' in text
    assert tomllib.loads(text) == data


# --- DOT details --------------------------------------------------------------------------


def dot(body: str, **options) -> tuple[dict, str]:
    imported = import_dot_text("digraph {\n" + textwrap.dedent(body) + "}\n", source="d.dot",
                               **options)
    return tomllib.loads(spec_text(imported)), "\n".join(imported.notes)


def test_dot_entry_labels_one_string_for_all_or_a_table_or_none() -> None:
    same, _ = dot('s1 [shape=point]; s2 [shape=point]; s1 -> a [label=go]; '
                  's2 -> b [label=go]; a -> b;')
    assert (same["machine"]["initial"], same["machine"]["initial_label"]) == (["a", "b"], "go")
    some, _ = dot('"" -> a; "" -> b [label=adopt]; a -> b;')
    assert some["machine"]["initial_label"] == {"b": "adopt"}
    plain, notes = dot('"" -> a; "" -> b; "" -> b [label=x]; a -> b;')
    assert plain["machine"]["initial"] == ["a", "b"]
    assert "initial_label" not in plain["machine"]
    assert "second entry arrow to 'b' imported once (its label 'x' is not)" in notes


def test_dot_cluster_names_titles_nesting_and_empty_clusters() -> None:
    spec, notes = dot('''\
        "" -> a;
        subgraph "Cluster_Busy" { label = "Busy"; a; b;
          subgraph cluster_inner { c } }
        subgraph busy2 { cluster = true; d }
        subgraph cluster_empty { label = "nothing" }
        subgraph cluster_more { graph [label = <<b>More</b>>]; e }
        subgraph cluster_late { a }
        a -> b -> c -> d -> e;
    ''')
    assert spec["groups"] == {"Busy": {}, "busy2": {}, "more": {"title": "<b>More</b>"}}
    assert {s: body.get("group") for s, body in spec["states"].items()} == {
        "a": "Busy", "b": "Busy", "c": "Busy", "d": "busy2", "e": "more"}
    assert ("cluster 'cluster_inner' inside cluster 'Busy': its statuses join group 'Busy' "
            "(groups are one level deep)") in notes
    assert "cluster 'empty' holds no status: not imported" in notes
    assert "cluster 'late' holds no status: not imported" in notes  # a is in Busy already
    assert "HTML-like label of cluster" in notes


def test_dot_clusters_follow_names_from_label() -> None:
    spec, _ = dot('n1 [label="Ready"]; subgraph cluster_x { n2 [label="Busy"] } '
                  '"" -> n1; n1 -> n2;', names_from="label")
    assert spec["states"]["Busy"]["group"] == "x"


def test_statusdoc_legend_cluster_is_no_group() -> None:
    machine = statusdoc.load("examples/glance/image-statuses.toml")
    from statusdoc.emit.dot import emit_dot

    text = emit_dot(machine, source_name="image-statuses.toml")
    assert "cluster_statusdoc_legend" in text
    imported = import_dot_text(text, source="image.dot")
    assert imported.groups == {}
    assert "holds no status" not in "\n".join(imported.notes)


# --- Mermaid details ----------------------------------------------------------------------


def mermaid(text: str, **options) -> tuple[dict, str]:
    imported = import_mermaid_text(textwrap.dedent(text), source="d.mmd", **options)
    return tomllib.loads(spec_text(imported)), "\n".join(imported.notes)


def test_mermaid_composites_become_one_level_groups_with_titles_and_descriptions() -> None:
    spec, notes = mermaid('''\
        stateDiagram-v2
            [*] --> a
            state "Outer part" as Outer {
                a --> b
                state "Inner part" as Inner {
                    b --> c
                }
            }
            note right of Outer : Where the work is.
            state Empty {
            }
            c --> [*]
    ''')
    assert spec["groups"] == {"Outer": {"title": "Outer part",
                                        "description": "Where the work is."}}
    assert {s: body.get("group") for s, body in spec["states"].items()} == {
        "a": "Outer", "b": "Outer", "c": "Outer"}
    assert ("line 5: composite state 'Inner' is inside 'Outer': its statuses join group "
            "'Outer' (groups are one level deep)") in notes


def test_mermaid_groups_are_named_by_title_when_statuses_are_named_by_label() -> None:
    spec, _ = mermaid('''\
        stateDiagram-v2
            state "Ready" as r
            state "Waiting" as g1 {
                state "Queued" as q
            }
            [*] --> r
            r --> q
    ''', names_from="label")
    assert spec["groups"] == {"Waiting": {}}
    assert spec["states"]["Queued"]["group"] == "Waiting"
    ids, _ = mermaid('''\
        stateDiagram-v2
            state "Waiting" as g1 {
                state "Queued" as q
            }
            [*] --> q
    ''')
    assert ids["groups"] == {"g1": {"title": "Waiting"}}


def test_mermaid_statusdoc_ids_restore_spec_order_around_group_bodies() -> None:
    imported = import_mermaid_text(MERMAID.replace(
        '    state "available" as s2\n', "").replace(
        '    state "deleted" as s5\n', '    state "deleted" as s5\n    state "available" as s2\n'),
        source="vol.mmd")
    assert imported.states == ["creating", "managing", "available", "error",
                               "error_restoring", "deleted"]


# --- tables with None ---------------------------------------------------------------------


def test_a_table_with_none_imports_the_null_status_and_compares_clean() -> None:
    from test_compare_known import TASK_TABLE  # the scheduler-style table

    imported = import_object(TASK_TABLE, name="task", source="T")
    assert imported.null == "none" and imported.initial == "none"
    assert "None is a status in the table: imported as 'none', the null status" in (
        "\n".join(imported.notes))
    text, problems = render_spec(imported, "toml")
    assert 'null = "none"\n' in text
    # A table cannot say that shutdown is deprecated: the user marks it, then it loads.
    assert problems == ["error: states.shutdown: status 'shutdown' is unreachable from the "
                        "initial status 'none' (add a transition into it, or mark it "
                        "deprecated)"]
    machine = loads(text.replace("[states.shutdown]\n", "[states.shutdown]\ndeprecated = true\n"))
    assert machine.null == "none"
    assert compare_table(machine, TASK_TABLE).ok


def test_the_null_status_takes_a_free_name() -> None:
    imported = import_object({None: ["none"], "none": ["no_status"], "no_status": []},
                             name="t", source="T")
    assert imported.null == "null_status"
    assert imported.states == ["null_status", "none", "no_status"]
    assert import_object({"a": {None, "b"}}, name="t", source="T").states == ["a", "none", "b"]
