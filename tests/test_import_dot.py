"""`statusdoc import` from a hand-kept Graphviz file (the Glance-style migration path)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from statusdoc.importers import render_spec
from statusdoc.importers.dot import find_comments, import_dot, import_dot_text, label_text
from statusdoc.spec.api import loads

DATA = Path(__file__).parent / "data"
LEGACY = DATA / "legacy-glance.dot"
STATUSDOC = [sys.executable, "-m", "statusdoc"]

EXPECTED_STATES = {
    "queued", "saving", "active", "killed", "deleted",
    "pending_delete", "deactivated", "uploading", "importing",
}  # fmt: skip


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STATUSDOC, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def edges_of(dot_path: Path) -> tuple[set[str], Counter[tuple[str, str, str]]]:
    """Statuses and the (source, target, label) multiset of a DOT file."""
    parsed = import_dot(str(dot_path), tags=False)
    return set(parsed.states), Counter((e.source, e.target, e.label) for e in parsed.edges)


def test_acceptance_glance_dot_import_generate_and_compare(tmp_path: Path) -> None:
    shutil.copy(LEGACY, tmp_path / "image_status_transition.dot")
    imported = run("import", "image_status_transition.dot", "-o", "image.toml", "--name", "image",
                   cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == ""
    # The license comment is reported, not silently lost.
    assert "note: comment on lines 1-6 not imported: Copyright 2024" in imported.stderr
    assert "note: comment on line 8 not imported: Regenerate the picture" in imported.stderr
    assert "wrote image.toml: 9 statuses, 21 transitions" in imported.stderr

    spec = tomllib.loads((tmp_path / "image.toml").read_text(encoding="utf-8"))
    assert spec["machine"]["initial"] == "queued"
    assert spec["machine"]["initial_label"] == "create image"
    assert set(spec["states"]) == EXPECTED_STATES
    assert [s for s, body in spec["states"].items() if body.get("final")] == ["deleted"]
    labels = {(t["from"], t["to"]): t["label"] for t in spec["transitions"]}
    assert labels["saving", "killed"] == "[v1] upload fail"  # text kept as written
    assert labels["saving", "queued"] == "[v2] upload fail"
    assert labels["queued", "active"] == "add location*"
    tagged = {(t["from"], t["to"]): t.get("tags") for t in spec["transitions"]}
    assert tagged["saving", "killed"] == ["v1"]
    assert tagged["saving", "queued"] == ["v2"]
    assert tagged["queued", "saving"] is None
    assert spec["diagram"]["rankdir"] == "TB"
    assert spec["diagram"]["node"] == {
        "shape": "doublecircle", "color": "#006699", "style": "filled",
        "fillcolor": "#33CCFF", "fixedsize": "True", "width": "1.5", "height": "1.5",
    }  # fmt: skip
    assert spec["diagram"]["edge"] == {"fontsize": "10"}

    generated = run("generate", "image.toml", "--output-dir", "out", "--format", "dot",
                    cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    states, edges = edges_of(tmp_path / "out" / "image.dot")
    old_states, old_edges = edges_of(LEGACY)
    assert states == old_states == EXPECTED_STATES
    assert sum(edges.values()) == 21
    assert edges == old_edges

    # The code-side table has the two edges Glance's diagram never showed.
    (tmp_path / "glance_domain.py").write_text(
        textwrap.dedent(
            """\
            valid_state_targets = {
                "queued": ("saving", "active", "deleted", "uploading", "importing"),
                "saving": ("active", "killed", "deleted", "queued"),
                "uploading": ("importing", "queued", "deleted"),
                "importing": ("active", "deleted", "queued"),
                "active": ("pending_delete", "deleted", "deactivated"),
                "killed": ("deleted",),
                "pending_delete": ("deleted", "active"),
                "deleted": (),
                "deactivated": ("active", "deleted"),
            }
            """
        ),
        encoding="utf-8",
    )
    compared = run("compare", "image.toml", "--table", "glance_domain:valid_state_targets",
                   cwd=tmp_path)
    assert compared.returncode == 1, compared.stderr
    report = compared.stdout + compared.stderr
    assert "(2 differences)" in report
    assert "queued -> importing" in report
    assert "pending_delete -> active" in report
    diff_lines = [ln for ln in report.splitlines() if "->" in ln]
    assert len(diff_lines) == 2


def test_imported_spec_is_visibly_unfinished(tmp_path: Path) -> None:
    out = run("import", str(LEGACY), "-o", str(tmp_path / "s.toml"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "s.toml").read_text(encoding="utf-8")
    assert 'description = "TODO: describe pending_delete"' in text
    assert run("validate", "s.toml", cwd=tmp_path).returncode == 0
    strict = run("validate", "--strict", "s.toml", cwd=tmp_path)
    assert strict.returncode == 1
    assert "TODO" in strict.stdout + strict.stderr


def test_stdout_yaml_and_refusing_to_overwrite(tmp_path: Path) -> None:
    to_stdout = run("import", str(LEGACY), "--format", "yaml", cwd=tmp_path)
    assert to_stdout.returncode == 0, to_stdout.stderr
    assert to_stdout.stdout.startswith("# Imported from ")
    machine = loads(to_stdout.stdout, "yaml")
    assert len(machine.states) == 9 and len(machine.transitions) == 21
    assert machine.name == "legacy-glance"

    target = tmp_path / "spec.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    refused = run("import", str(LEGACY), "-o", str(target), cwd=tmp_path)
    assert refused.returncode == 2
    assert "exists; use --force" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = run("import", str(LEGACY), "-o", str(target), "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert loads(target.read_text(encoding="utf-8"), "yaml").initial == "queued"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]  # no temp files left


def test_output_must_be_a_spec_file_name(tmp_path: Path) -> None:
    source = tmp_path / "legacy.dot"
    shutil.copy(LEGACY, source)
    out = run("import", str(source), "-o", str(source), "--force", cwd=tmp_path)
    assert out.returncode == 2
    assert "must end in .toml, .yaml or .yml" in out.stderr
    assert source.read_bytes() == LEGACY.read_bytes()
    clash = run("import", str(source), "-o", "s.yaml", "--format", "toml", cwd=tmp_path)
    assert clash.returncode == 2
    assert "--format toml does not match s.yaml" in clash.stderr
    assert not (tmp_path / "s.yaml").exists()


def test_unwritable_output_fails_cleanly(tmp_path: Path) -> None:
    out = run("import", str(LEGACY), "-o", str(tmp_path / "no" / "such" / "dir.toml"),
              cwd=tmp_path)
    assert out.returncode == 1
    assert "cannot write" in out.stderr and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_unparsable_and_unknown_sources_fail_cleanly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.dot"
    bad.write_text("digraph { a -> ", encoding="utf-8")
    out = run("import", str(bad), cwd=tmp_path)
    assert out.returncode == 1
    assert ("bad.dot: cannot parse DOT: expected an ID, found the end of the file "
            "(line 1, column 16)") in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    missing = run("import", "nope.gv", cwd=tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    neither = run("import", "whatever.txt", cwd=tmp_path)
    assert neither.returncode == 2
    assert "not a .dot/.gv file, a Mermaid .mmd/.mermaid or Markdown .md file, a .json/.yaml" \
        " table, nor a module:attribute" in neither.stderr


def test_comments_are_found_outside_strings_only() -> None:
    text = textwrap.dedent(
        """\
        # preprocessor line
        digraph { // trailing
          a -> b [label="not // a comment /* either */"];
          /* block
             over lines */
          b [label=<<b>html # not a comment</b>>];
        }
        """
    )
    assert find_comments(text) == [
        (1, 1, "preprocessor line"),
        (2, 2, "trailing"),
        (4, 5, "block\n     over lines"),
    ]


def test_entry_labels_finals_and_attribute_reports() -> None:
    text = textwrap.dedent(
        """\
        digraph legacy {
          graph [splines=ortho, URL="http://example.com"];
          start [shape=point];
          start -> "wait call-back" [label="boot"];
          "wait call-back" [label="Wait for\\ncall-back", color=red, tooltip="x"];
          "wait call-back" -> done [label="say \\"hi\\"", style=dashed, foo=bar];
          "wait call-back" -> "wait call-back" [label="[v1] [beta] retry", style=dotted];
          done [color=blue];
        }
        """
    )
    result = import_dot_text(text, source="legacy.dot")
    assert result.name == "legacy"
    assert result.states == ["wait call-back", "done"]  # entry node is no status
    assert result.initial == "wait call-back" and result.initial_label == "boot"
    assert result.labels == {"wait call-back": "Wait for call-back"}
    assert result.finals == {"done"}
    assert [(e.label, e.tags) for e in result.edges] == [
        ('say "hi"', ()),
        ("[v1] [beta] retry", ("v1", "beta")),
    ]
    notes = "\n".join(result.notes)
    assert "point-shaped node 'start' read as the entry arrow's start" in notes
    assert "node attribute 'color' not imported: differs between nodes" in notes
    assert "wait call-back=red" in notes and "done=blue" in notes
    assert "node attribute 'tooltip' not imported" in notes
    assert "edge attribute foo=bar not imported" in notes
    assert "graph attribute URL=http://example.com not imported" in notes
    # style differs, but is uniform per tag: it becomes the v1 tag's style
    data = result.to_data()
    assert data["diagram"] == {
        "graph": {"splines": "ortho"},
        "edge": {"style": "dashed"},
        "tags": {"v1": {"style": "dotted"}},
    }
    text_spec, problems = render_spec(result, "toml")
    machine = loads(text_spec, "toml")
    assert machine.state_map["wait call-back"].label == "Wait for call-back"
    assert problems == []


def test_varying_edge_attribute_without_tags_is_reported() -> None:
    result = import_dot_text(
        'digraph { "" -> a; a -> b [color=red]; a -> c [color=blue]; b -> c; }', source="x.dot"
    )
    notes = "\n".join(result.notes)
    assert "edge attribute 'color' not imported: differs between edges" in notes
    assert "a->b: red" in notes and "a->c: blue" in notes
    assert "diagram" not in result.to_data()


def test_no_entry_arrow_and_duplicates_are_noted() -> None:
    result = import_dot_text("digraph { x -> y; x -> y; y -> x [label=back] }", source="g.gv")
    data = result.to_data()
    assert data["machine"]["initial"] == "x"
    assert len(data["transitions"]) == 2
    notes = "\n".join(result.notes)
    assert "no entry arrow in the source: initial status set to the first one, 'x'" in notes
    assert "duplicate transition 'x' -> 'y' (no label) imported once" in notes


def test_ports_and_rank_groups_are_reported() -> None:
    result = import_dot_text('digraph { {rank=same; a; b} "" -> a; a -> b; "x:y":p -> a:q:n }',
                             source="p.dot")
    assert result.states == ["a", "b", "x:y"]
    notes = "\n".join(result.notes)
    assert "subgraph '' attributes not imported: rank=same" in notes
    assert "port in node reference '\"x:y\":p' not imported" in notes
    assert "port in node reference 'a:q:n' not imported" in notes


def test_groups_subgraphs_and_undirected_graphs_are_reported() -> None:
    result = import_dot_text(
        'graph { "" -- a; a -- {b c}; subgraph cluster_0 { label="x"; b -- c } }',
        source="u.dot",
    )
    notes = "\n".join(result.notes)
    assert "undirected graph" in notes
    assert "{...} group is not imported" in notes
    assert "cluster_0" not in notes  # a cluster is a group now: see test_import_constructs
    assert [(e.source, e.target) for e in result.edges] == [("b", "c")]
    assert (result.state_group, result.groups["0"].title) == ({"b": "0", "c": "0"}, "x")


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ('"plain"', "plain"),
        ('"two\\nlines\\l"', "two lines"),
        ('"a  b"', "a  b"),
        ('"back\\\\slash"', "back\\slash"),
        ('"quote \\" inside"', 'quote " inside'),
        ('"keeps \\N"', "keeps \\N"),
        ("bare", "bare"),
    ],
)
def test_label_text(raw: str, text: str) -> None:
    assert label_text(raw) == text


def test_diagram_attribute_the_validator_rejects_is_dropped_with_a_note() -> None:
    result = import_dot_text('digraph { node [width=100000]; "" -> a; a -> b }', source="w.dot")
    text_spec, problems = render_spec(result, "toml")
    assert "width" not in text_spec
    assert any("diagram attribute diagram.node.width not imported" in n for n in result.notes)
    assert problems == []


def test_long_attribute_reports_are_shortened() -> None:
    nodes = "; ".join(f"n{i} [color=c{i}]" for i in range(10))
    result = import_dot_text(f'digraph {{ "" -> n0; {nodes}; n0 -> n1 }}', source="big.dot")
    note = next(n for n in result.notes if "node attribute 'color'" in n)
    assert note.endswith("(n0=c0, n1=c1, n2=c2, n3=c3, n4=c4, n5=c5, ... 4 more)")


def test_problems_in_the_imported_spec_are_listed_but_todo_warnings_are_not(
    tmp_path: Path,
) -> None:
    source = tmp_path / "orphan.dot"
    source.write_text('digraph { "" -> a; a -> TODO; lonely }\n', encoding="utf-8")
    out = run("import", str(source), "-o", str(tmp_path / "orphan.toml"), cwd=tmp_path)
    assert out.returncode == 1  # written, but it has an error to fix
    assert (tmp_path / "orphan.toml").is_file()
    assert (
        "statusdoc import: error: states.lonely: status 'lonely' is unreachable" in out.stderr
    )
    assert "TODO placeholder; write" not in out.stderr


def test_html_like_labels_are_kept_as_one_line_text_with_a_note() -> None:
    result = import_dot_text(
        'digraph { "" -> a; a [label=<<b>A</b>\n <i>x</i>>]; a -> b [label=<<b>go</b>>] }',
        source="h.dot",
    )
    assert result.labels == {"a": "<b>A</b> <i>x</i>"}
    assert [e.label for e in result.edges] == ["<b>go</b>"]
    notes = "\n".join(result.notes)
    assert "HTML-like label of status 'a' kept as plain text: <b>A</b> <i>x</i>" in notes
    assert "HTML-like label of edge 'a' -> 'b' kept as plain text" in notes
    assert render_spec(result)[1] == []
