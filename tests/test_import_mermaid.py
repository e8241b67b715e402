"""`statusdoc import` from Mermaid: a ``.mmd`` file or a ```mermaid block of a README."""

from __future__ import annotations

import shutil
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cli_support import run

from statusdoc.importers import Imported, ImportFailure, import_source, render_spec
from statusdoc.importers.mermaid import import_mermaid_text, mermaid_blocks
from statusdoc.spec.api import loads

DATA = Path(__file__).parent / "data"
README = DATA / "readme-orders.md"


def imp(text: str, **options: Any) -> Imported:
    return import_mermaid_text(textwrap.dedent(text), source="d.mmd", **options)


def spec_of(text: str, **options: Any) -> dict:
    imported = imp(text, **options)
    spec, problems = render_spec(imported, "toml")
    assert not [p for p in problems if p.startswith("error")], problems
    return tomllib.loads(spec)


def notes(text: str) -> str:
    return "\n".join(imp(text).notes)


def edges(spec: dict) -> list[tuple[str, str, str]]:
    return [(t["from"], t["to"], t.get("label", "")) for t in spec.get("transitions", [])]


def test_states_labels_transitions_entry_and_finals() -> None:
    spec = spec_of("""\
        stateDiagram-v2
            state "Awaiting payment" as pending
            [*] --> draft : create
            draft --> pending : checkout
            pending --> paid: payment received
            paid : Paid in full
            paid --> [*]
            pending-->draft
    """)
    assert list(spec["states"]) == ["pending", "draft", "paid"]
    assert spec["states"]["pending"]["label"] == "Awaiting payment"
    assert spec["states"]["paid"]["label"] == "Paid in full"  # `id : text` is what Mermaid draws
    assert "label" not in spec["states"]["draft"]
    assert spec["machine"]["initial"] == "draft"
    assert spec["machine"]["initial_label"] == "create"
    assert [s for s, body in spec["states"].items() if body.get("final")] == ["paid"]
    assert edges(spec) == [("draft", "pending", "checkout"),
                           ("pending", "paid", "payment received"), ("pending", "draft", "")]
    # A label is the transition's label only: no event is invented (as for DOT).
    assert all("event" not in t for t in spec["transitions"])


def test_keywords_are_case_insensitive_and_stateDiagram_v1_works() -> None:
    spec = spec_of("""\
        stateDiagram
            STATE "A a" AS a
            [*] --> a
            a --> b
            Note Right Of b : the end
            b --> [*]
    """)
    assert spec["states"]["a"]["label"] == "A a"
    assert spec["states"]["b"]["description"] == "the end"


def test_notes_and_extra_texts_become_descriptions() -> None:
    spec = spec_of("""\
        stateDiagram-v2
            [*] --> a
            a : Active
            a : Serving requests.
            note right of a : Reached after #quot;start#quot;.
            note left of a
                Two lines
                of note.
            end note
            a --> [*]
    """)
    body = spec["states"]["a"]
    assert body["label"] == "Active"
    assert body["description"] == (
        'Serving requests.\n\nReached after "start".\n\nTwo lines\nof note.'
    )


def test_entity_codes_and_line_breaks_are_decoded() -> None:
    spec = spec_of("""\
        stateDiagram-v2
            state "x#58; #34;y#34; #59; #amp; #99999999999;<br/>z" as a
            [*] --> a
            a --> b : go#59; now #35;1
            b --> [*]
    """)
    assert spec["states"]["a"]["label"] == 'x: "y" ; & \ufffd z'
    assert edges(spec) == [("a", "b", "go; now #1")]


SEVERAL_ENTRIES = """\
    stateDiagram-v2
        [*] --> creating : create
        [*] --> managing : adopt
        [*] --> managing
        creating --> ready
        managing --> ready
        ready --> [*]
"""


def test_several_entries_become_the_entry_list_with_their_labels() -> None:
    imported = imp(SEVERAL_ENTRIES)
    assert imported.initial == "creating" and imported.initial_label == "create"
    assert imported.more_initials == ["managing"]
    assert imported.entry_labels == {"managing": "adopt"}
    text = "\n".join(imported.notes)
    assert "line 4: second entry arrow [*] --> 'managing' imported once" in text
    spec = spec_of(SEVERAL_ENTRIES)
    assert spec["machine"]["initial"] == ["creating", "managing"]
    assert spec["machine"]["initial_label"] == {"creating": "create", "managing": "adopt"}
    same = spec_of(SEVERAL_ENTRIES.replace(": adopt", ": create"))
    assert same["machine"]["initial_label"] == "create"
    unlabelled = spec_of(SEVERAL_ENTRIES.replace(" : create", "").replace(" : adopt", ""))
    assert "initial_label" not in unlabelled["machine"]
    machine = loads(render_spec(imp(SEVERAL_ENTRIES), "toml")[0])
    assert machine.entries == ("creating", "managing")
    assert dict(machine.entry_labels) == {"creating": "create", "managing": "adopt"}


def test_an_end_arrow_from_a_status_with_a_way_out_is_not_final() -> None:
    imported = imp("""\
        stateDiagram-v2
            [*] --> running
            running --> [*] : stop
            running --> paused
            paused --> running
            paused --> [*] : abandon
    """)
    assert imported.finals == set()  # paused has a way out too
    text = "\n".join(imported.notes)
    assert "line 3: 'running' --> [*] not imported: transitions leave 'running'" in text
    assert "line 6: 'paused' --> [*] not imported" in text


def test_an_end_arrow_label_is_reported() -> None:
    imported = imp("""\
        stateDiagram-v2
            [*] --> a
            a --> [*] : done
    """)
    assert imported.finals == {"a"}
    assert "line 3: label 'done' of 'a' --> [*] not imported" in "\n".join(imported.notes)


FRAME = """\
    stateDiagram-v2
        state Active {
            [*] --> running
            running --> paused : pause
            paused --> running : resume
            paused --> [*] : stop
        }
"""


def test_a_composite_no_arrow_names_is_a_frame_its_arrows_those_around_it() -> None:
    imported = imp(FRAME)
    assert imported.states == ["running", "paused"]
    assert imported.initial == "running" and imported.finals == set()
    assert imported.state_group == {"running": "Active", "paused": "Active"}
    assert imported.groups["Active"].parent is None
    assert "composite" not in "\n".join(imported.notes)  # carried over whole: nothing to note
    spec = spec_of(FRAME)
    assert spec["groups"] == {"Active": {}}
    assert {s: body.get("group") for s, body in spec["states"].items()} == {
        "running": "Active", "paused": "Active"}


def test_a_composite_with_arrows_of_its_own_is_a_status_entered_and_left_through() -> None:
    spec = spec_of("""\
        stateDiagram-v2
            [*] --> idle
            idle --> Busy : submit
            state "Busy working" as Busy {
                [*] --> checking
                checking --> charging : valid
                charging --> [*] : charged
            }
            Busy --> done : complete
            done --> [*]
    """)
    assert list(spec["states"]) == ["idle", "Busy", "checking", "charging", "done"]
    assert spec["states"]["Busy"]["label"] == "Busy working"
    assert edges(spec) == [
        ("idle", "Busy", "submit"), ("Busy", "checking", ""), ("checking", "charging", "valid"),
        ("charging", "Busy", "charged"), ("Busy", "done", "complete"),
    ]


def test_a_composite_only_entered_ends_where_its_inner_states_end() -> None:
    imported = imp("""\
        stateDiagram-v2
            [*] --> Job
            state Job {
                [*] --> run
                run --> [*]
            }
    """)
    assert imported.states == ["Job", "run"]
    assert [(e.source, e.target) for e in imported.edges] == [("Job", "run")]
    assert imported.finals == {"run"}


def test_nested_groups_keep_their_structure_and_regions_are_reported() -> None:
    imported = imp("""\
        stateDiagram-v2
            [*] --> a
            state Outer {
                a --> b
                state "Inner part" as Inner {
                    b --> c
                    --
                    d --> e
                }
                note right of Inner : The inner part.
            }
            c --> [*]
            e --> [*]
            d --> [*]
    """)
    assert imported.state_group == {"a": "Outer", "b": "Outer", "c": "Inner", "d": "Inner",
                                    "e": "Inner"}
    inner = imported.groups["Inner"]
    assert (inner.title, inner.description, inner.parent) == ("Inner part", "The inner part.",
                                                               "Outer")
    text = "\n".join(imported.notes)
    assert "line 5: the 2 concurrent regions of 'Inner' flattened" in text


def test_classes_become_tags_and_class_defs_their_style() -> None:
    spec = spec_of("""\
        stateDiagram-v2
            [*] --> a
            a --> b
            b:::done --> [*]
            class a,b hot
            classDef hot fill:#f00,stroke:#00FF00,stroke-width:3px,color:white
            classDef done stroke-dasharray: 5 5;
            classDef default fill:#eeeeee,font-style:italic
            classDef unused fill:red
            classDef weird fill:rgb(1,2,3)
    """)
    assert spec["states"]["a"]["tags"] == ["hot"]
    assert spec["states"]["b"]["tags"] == ["done", "hot"]
    assert spec["diagram"]["tags"] == {
        "done": {"style": "dashed"},
        "hot": {"fillcolor": "#ff0000", "color": "#00FF00", "penwidth": "3",
                "fontcolor": "white"},
    }
    assert spec["diagram"]["node"] == {"fillcolor": "#eeeeee"}
    text = notes("""\
        stateDiagram-v2
            classDef default fill:#eeeeee,font-style:italic
            classDef unused fill:red
            style a fill:#f00
            a --> b
    """)
    assert "line 2: classDef default: 'font-style:italic' not imported" in text
    assert "line 3: classDef unused not imported: no state has the class" in text
    assert "line 4: style not imported (use classDef and class): a fill:#f00" in text


def test_direction_comments_directives_and_titles() -> None:
    imported = imp("""\
        ---
        title: Volume lifecycle
        config:
          theme: dark
        ---
        %%{init: {"theme": "forest",
                  "look": "handDrawn"}}%%
        stateDiagram-v2
            direction LR
            accTitle: ignored, front matter wins
            accDescr { Two
            lines }
            %% a comment
            [*] --> a %% trailing comment
            a --> b : 100%% sure
            state Box {
                direction TB
                b
            }
    """)
    assert imported.diagram["rankdir"] == "LR"
    assert imported.title == "Volume lifecycle" and imported.name == "volume-lifecycle"
    assert imported.edges[0].label == "100%% sure"
    text = "\n".join(imported.notes)
    for expected in (
        "line 3: front matter 'config' not imported",
        'line 6: directive not imported: %%{init: {"theme": "forest", "look": "handDrawn"}}%%',
        "line 10: accTitle not imported: ignored, front matter wins",
        "line 11: accDescr not imported: Two lines",
        "line 13: comment not imported: a comment",
        "line 14: comment not imported: trailing comment",
        "line 17: direction TB inside 'Box' not imported",
    ):
        assert expected in text
    assert imp("stateDiagram-v2\n  accTitle: Jobs\n  [*] --> a\n").title == "Jobs"


def test_pseudo_states_are_statuses_with_a_note() -> None:
    imported = imp("""\
        stateDiagram-v2
            state check <<choice>>
            state split [[fork]]
            [*] --> check
            check --> split : big
            check --> small
            split --> small
    """)
    assert imported.states == ["check", "split", "small"]
    text = "\n".join(imported.notes)
    assert "line 2: 'check' is a <<choice>> pseudo-state in Mermaid, imported as a status" in text
    assert "line 3: 'split' is a <<fork>> pseudo-state" in text


def test_names_from_label_and_id() -> None:
    text = 'stateDiagram-v2\n  state "Open" as s0\n  state "Closed" as x\n  [*] --> s0\n' \
           "  s0 --> x\n"
    assert imp(text).states == ["s0", "x"]
    assert imp(text, names_from="label").states == ["Open", "Closed"]
    ours = text.replace(" as x", " as s1").replace("--> x", "--> s1")
    assert imp(ours).states == ["Open", "Closed"]
    assert imp(ours, names_from="id").states == ["s0", "s1"]
    clash = imp(ours.replace('"Closed"', '"Open"'))
    assert clash.states == ["s0", "s1"]
    assert "labels are missing or not unique" in "\n".join(clash.notes)
    huge = f"s{'9' * 5000}"  # an id no int() may read
    assert imp(f'stateDiagram-v2\n  state "x" as {huge}\n').states == [huge]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("flowchart LR\n  a --> b\n", 1, "expected 'stateDiagram-v2' or 'stateDiagram', found "
                                      "'flowchart LR'"),
    ("", 1, "no 'stateDiagram-v2'"),
    ("%% only a comment\n", 1, "no 'stateDiagram-v2'"),
    ("stateDiagram-v2\n  a --> b\n  a -> b\n", 3, "unknown Mermaid syntax: 'a -> b'"),
    ("stateDiagram-v2\n  a --> b c\n", 2, "unexpected 'c' after the arrow's target"),
    ("stateDiagram-v2\n  a --> b --> c\n", 2, "unexpected '--> c'"),
    ("stateDiagram-v2\n  state X {\n  a --> b\n", 2, "state 'X' opened with '{' is never closed"),
    ("stateDiagram-v2\n  a --> b\n  }\n", 3, "'}' without an open 'state X {'"),
    ("stateDiagram-v2\n  --\n", 2, "'--' (concurrent regions) outside a composite state"),
    ("stateDiagram-v2\n  note left of a\n  text\n", 2, "note is never closed with 'end note'"),
    ("stateDiagram-v2\n  direction up\n", 2, "direction must be one of TB, BT, LR, RL"),
    ("stateDiagram-v2\n  state \"x\" a\n", 2, 'expected state "label" as id'),
    ("stateDiagram-v2\n  class a\n", 2, "expected 'class ID[,ID...] CLASSNAME'"),
    ("---\ntitle: x\nstateDiagram-v2\n", 1, "front matter '---' is never closed"),
    ("%%{init: {}\nstateDiagram-v2\n", 1, "directive '%%{' is never closed"),
    ("stateDiagram-v2\n  a b --> c\n", 2, "arrow source: 'a b' is not a state id"),
])
def test_unknown_syntax_is_a_located_error(text: str, line: int, message: str) -> None:
    with pytest.raises(ImportFailure) as info:
        import_mermaid_text(text, source="bad.mmd")
    assert str(info.value).startswith(f"bad.mmd:{line}: ")
    assert message in str(info.value)


def test_markdown_blocks_follow_commonmark_fences() -> None:
    text = "\n".join([
        "````md",  # an outer fence: the mermaid fence inside it is text
        "```mermaid",
        "stateDiagram-v2",
        "```",
        "````",
        "   ~~~ mermaid  extra",
        "stateDiagram-v2",
        "```",
        "~~~",
        "    ```mermaid",  # indented four spaces: a code block, not a fence
        "```mermaid",
        "open",
    ])
    assert mermaid_blocks(text) == [(7, "stateDiagram-v2\n```"), (12, "open")]


def test_readme_block_is_found_among_prose_and_other_diagrams() -> None:
    imported = import_source(str(README))
    assert imported.notes[0] == "note: imported the stateDiagram block at line 17 (1 of 2)"
    text, problems = render_spec(imported, "toml")
    assert problems == []
    machine = loads(text, "toml")
    assert machine.name == "order-lifecycle" and machine.title == "Order lifecycle"
    assert machine.initial == "draft"
    assert machine.state_map["pending"].label == "Awaiting payment"
    assert machine.state_map["pending"].description == "Payment is retried for 24 h."
    assert {s.name for s in machine.states if s.final} == {"delivered", "cancelled"}
    assert machine.state_map["delivered"].tags == ("terminal",)
    assert len(machine.transitions) == 12
    assert ("line 31: composite state 'Fulfilment' is a status too, as arrows start or end "
            "at it; its arrows stay its own" in "\n".join(imported.notes))
    assert [s.name for s in machine.states if s.group == "Fulfilment"] == [
        "picking", "packed", "shipped"]
    # --block picks another state diagram of the same page.
    second = import_source(str(README), block=2)
    assert second.states == ["requested", "refunded"]
    assert second.notes[0] == "note: imported the stateDiagram block at line 56 (2 of 2)"


def test_markdown_without_a_state_diagram_and_a_block_out_of_range(tmp_path: Path) -> None:
    page = tmp_path / "doc.md"
    page.write_text("# x\n\n```mermaid\nflowchart LR\n  a --> b\n```\n", encoding="utf-8")
    with pytest.raises(ImportFailure, match=r"no ```mermaid block with a stateDiagram \(its 1 "):
        import_source(str(page))
    with pytest.raises(ImportFailure, match=r"--block 3: the file has 2 stateDiagram block"):
        import_source(str(README), block=3)
    bad = tmp_path / "bad.md"
    bad.write_text("intro\n\n```mermaid\nstateDiagram-v2\n  a --> b\n  ?? what\n```\n",
                   encoding="utf-8")
    with pytest.raises(ImportFailure, match=r"bad\.md:6: unknown Mermaid syntax: '\?\? what'"):
        import_source(str(bad))


def test_cli_imports_a_readme_block_and_refuses_block_on_other_files(tmp_path: Path) -> None:
    shutil.copy(README, tmp_path / "README.md")
    done = run(["import", "README.md", "--block", "1", "-o", "orders.toml"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "note: line 51: classDef alert: 'font-weight:bold' not imported" in done.stderr
    assert "wrote orders.toml: 10 statuses, 12 transitions; 8 descriptions are TODO" \
        in done.stderr
    assert tomllib.loads((tmp_path / "orders.toml").read_text())["machine"]["initial"] == "draft"
    (tmp_path / "d.mmd").write_text("stateDiagram-v2\n  [*] --> a\n", encoding="utf-8")
    refused = run(["import", "d.mmd", "--block", "2"], cwd=tmp_path)
    assert refused.returncode == 2 and "--block applies to a Markdown" in refused.stderr
    (tmp_path / "e.mermaid").write_text("stateDiagram-v2\n  a => b\n", encoding="utf-8")
    broken = run(["import", "e.mermaid"], cwd=tmp_path)
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert "statusdoc import: e.mermaid:2: unknown Mermaid syntax: 'a => b'" in broken.stderr


def test_label_brackets_become_tags_unless_no_tags() -> None:
    text = "stateDiagram-v2\n  [*] --> a\n  a --> b : #91;v1#93; upload\n  b --> [*]\n"
    assert imp(text).edges[0].tags == ("v1",)
    assert imp(text, tags=False).edges[0].tags == ()
    assert imp(text).edges[0].label == "[v1] upload"


def test_mermaid_unescape_decodes_what_mermaid_does_and_never_raises() -> None:
    from statusdoc.emit.escape import mermaid_unescape

    assert mermaid_unescape("#34;a#58;#quot;#nosuch;") == '"a:"#nosuch;'
    for hostile in ("#0;", "#55296;", "#1114112;", "#99999999999999999999;", f"#{'9' * 5000};"):
        assert mermaid_unescape(hostile) == "\ufffd"


def test_crlf_lines_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "w.mmd"
    path.write_bytes("\ufeffstateDiagram-v2\r\n  [*] --> a\r\n  a --> b : go\r\n".encode())
    imported = import_source(str(path))
    assert imported.states == ["a", "b"] and imported.edges[0].label == "go"
    assert imported.name == "w"
