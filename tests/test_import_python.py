"""`statusdoc import module:attr`: tables, automaton and transitions machines."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import automaton.machines
import pytest
import transitions

from statusdoc.compare import compare_table
from statusdoc.importers import ImportFailure, render_spec
from statusdoc.importers.table import import_object
from statusdoc.spec.api import loads

STATUSDOC = [sys.executable, "-m", "statusdoc"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STATUSDOC, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def write_module(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")


def test_glance_style_table_from_a_class_attribute(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        "domain",
        """\
        class Image:
            valid_state_targets = {
                "queued": ("saving", "active", "deleted"),
                "saving": ("active", "killed", "deleted", "queued"),
                "active": ("pending_delete", "deleted"),
                "killed": ("deleted",),
                "pending_delete": ("deleted",),
                "deleted": (),
            }
        """,
    )
    out = run("import", "domain:Image.valid_state_targets", "--name", "image", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "initial status set to the first key, 'queued'" in out.stderr
    spec = tomllib.loads(out.stdout)
    assert spec["machine"]["name"] == "image"
    assert list(spec["states"]) == ["queued", "saving", "active", "killed", "pending_delete",
                                    "deleted"]
    assert spec["states"]["deleted"]["final"] is True
    assert [(t["from"], t["to"]) for t in spec["transitions"]][:3] == [
        ("queued", "saving"), ("queued", "active"), ("queued", "deleted"),
    ]
    assert len(spec["transitions"]) == 11
    # and the imported spec agrees with the table it came from
    (tmp_path / "image.toml").write_text(out.stdout, encoding="utf-8")
    same = run("compare", "image.toml", "--table", "domain:Image.valid_state_targets",
               cwd=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr


def test_automaton_machine_keeps_events(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        "ironic_like",
        """\
        from automaton import machines

        FSM = machines.FiniteMachine()
        for name in ("enroll", "manageable", "available", "active"):
            FSM.add_state(name)
        FSM.add_state("deleted", terminal=True)
        FSM.add_transition("enroll", "manageable", "manage")
        FSM.add_transition("manageable", "available", "provide")
        FSM.add_transition("available", "active", "deploy")
        FSM.add_transition("active", "available", "undeploy")
        FSM.add_transition("available", "manageable", "manage")
        FSM.add_transition("manageable", "deleted", "delete")
        FSM.default_start_state = "enroll"
        """,
    )
    target = tmp_path / "prov.yaml"
    out = run("import", "ironic_like:FSM", "-o", str(target), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    machine = loads(target.read_text(encoding="utf-8"), "yaml")
    assert machine.name == "fsm"
    assert machine.initial == "enroll"
    assert machine.state_map["deleted"].final
    assert machine.fire("available", "manage") == "manageable"
    assert {(t.source, t.event, t.target) for t in machine.transitions} == {
        ("enroll", "manage", "manageable"), ("manageable", "provide", "available"),
        ("available", "deploy", "active"), ("active", "undeploy", "available"),
        ("available", "manage", "manageable"), ("manageable", "delete", "deleted"),
    }  # fmt: skip
    assert all(t.label == t.event for t in machine.transitions)


def test_transitions_machine_skips_auto_triggers_and_final_exits() -> None:
    machine = transitions.Machine(
        states=["draft", "review", {"name": "published", "final": True}],
        transitions=[
            {"trigger": "submit", "source": "draft", "dest": "review"},
            {"trigger": "reject", "source": "review", "dest": "draft"},
            {"trigger": "publish", "source": "*", "dest": "published"},
            {"trigger": "touch", "source": "review", "dest": None},
        ],
        initial="draft",
    )
    imported = import_object(machine, name="Article", source="blog:machine")
    text, problems = render_spec(imported, "toml")
    assert problems == []
    spec = loads(text, "toml")
    assert spec.name == "article" and spec.initial == "draft"
    assert [s.name for s in spec.states if s.final] == ["published"]
    assert sorted((t.source, t.event, t.target) for t in spec.transitions) == [
        ("draft", "publish", "published"),
        ("draft", "submit", "review"),
        ("review", "publish", "published"),
        ("review", "reject", "draft"),
    ]
    notes = "\n".join(imported.notes)
    assert "internal transition 'review' (touch) not imported" in notes
    assert "transition 'published' -> 'published' (publish) leaves a final status" in notes
    assert "to_draft" not in text


def test_automaton_object_in_process() -> None:
    fsm = automaton.machines.FiniteMachine()
    fsm.add_state("a")
    fsm.add_state("b", terminal=True)
    fsm.add_transition("a", "b", "go")
    fsm.default_start_state = "a"
    imported = import_object(fsm, name="x", source="m:fsm")
    assert [(e.source, e.target, e.event) for e in imported.edges] == [("a", "b", "go")]
    assert imported.finals == {"b"}


def test_sets_are_written_in_a_stable_order() -> None:
    first = render_spec(import_object({"a": {"c", "b"}, "b": set(), "c": set()},
                                      name="t", source="m:t"), "toml")[0]
    assert first.index('to = "b"') < first.index('to = "c"')


def test_targets_that_are_not_keys_become_statuses() -> None:
    imported = import_object({"a": ["b"]}, name="t", source="m:t")
    assert imported.states == ["a", "b"]
    assert "status 'b' is only a target, never a key: added as a status" in imported.notes[0]


@pytest.mark.parametrize(
    ("ref", "code", "message"),
    [
        # a reference that cannot be resolved: a usage error, as for compare
        ("nosuchmodule_xyz:TABLE", 2, "cannot import module 'nosuchmodule_xyz'"),
        ("bad_objects:MISSING", 2, "has no attribute 'MISSING'"),
        # an object that is found but cannot be imported: a problem found
        ("bad_objects:NUMBER", 1, "a int is not importable"),
        ("bad_objects:STRINGS", 1, "expected a collection of status names, got 'b'"),
    ],
)
def test_bad_references_fail_with_a_message(
    tmp_path: Path, ref: str, code: int, message: str
) -> None:
    write_module(tmp_path, "bad_objects", 'NUMBER = 3\nSTRINGS = {"a": "b"}\n')
    out = run("import", ref, cwd=tmp_path)
    assert out.returncode == code
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_mapping_check_does_not_need_the_cli() -> None:
    with pytest.raises(ImportFailure, match="expected a collection of status names"):
        import_object({"a": 5}, name="t", source="m:t")


def test_python_statemachine_class_imports_and_compares_equal(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        "lights",
        """\
        from statemachine import State, StateMachine

        class TrafficLight(StateMachine):
            green = State(initial=True)
            yellow = State()
            red = State()
            off = State(final=True)
            cycle = green.to(yellow) | yellow.to(red) | red.to(green)
            panic = red.to(yellow)
            shutdown = red.to(off)
        """,
    )
    out = run("import", "lights:TrafficLight", "-o", "lights.toml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    machine = loads((tmp_path / "lights.toml").read_text(encoding="utf-8"), "toml")
    assert machine.name == "trafficlight"
    assert machine.state_names == ("green", "yellow", "red", "off")
    assert machine.initial == "green" and machine.state_map["off"].final
    assert machine.fire("red", "panic") == "yellow"
    assert machine.fire("red", "cycle") == "green"
    same = run("compare", "lights.toml", "--table", "lights:TrafficLight", "--events",
               cwd=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr


def test_enum_states_are_named_as_compare_names_them(tmp_path: Path) -> None:
    write_module(
        tmp_path,
        "enum_fsm",
        """\
        import enum
        from automaton import machines

        class S(enum.Enum):
            NEW = "new"
            DONE = "done"

        class N(enum.Enum):
            RETRY = 1

        FSM = machines.FiniteMachine()
        FSM.add_state(S.NEW)
        FSM.add_state(N.RETRY)
        FSM.add_state(S.DONE, terminal=True)
        FSM.add_transition(S.NEW, N.RETRY, "fail")
        FSM.add_transition(N.RETRY, S.NEW, "again")
        FSM.add_transition(S.NEW, S.DONE, "finish")
        FSM.default_start_state = S.NEW
        """,
    )
    out = run("import", "enum_fsm:FSM", "-o", "fsm.toml", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    machine = loads((tmp_path / "fsm.toml").read_text(encoding="utf-8"), "toml")
    assert machine.state_names == ("new", "RETRY", "done")
    same = run("compare", "fsm.toml", "--table", "enum_fsm:FSM", "--events", cwd=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr


def test_import_reads_every_reference_form_that_compare_reads(tmp_path: Path) -> None:
    # One resolver serves `import` and `compare`: a JSON table file and a
    # path/to/file.py:attr work for both.
    (tmp_path / "table.json").write_text(
        '{"new": ["done"], "done": []}', encoding="utf-8"
    )
    (tmp_path / "legacy").mkdir()
    write_module(tmp_path / "legacy", "states", 'TABLE = {"new": ("done",), "done": ()}\n')
    for ref in ("table.json", "legacy/states.py:TABLE"):
        proc = run("import", ref, "--name", "job", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        spec = tomllib.loads(proc.stdout)
        assert list(spec["states"]) == ["new", "done"], ref
        assert [(t["from"], t["to"]) for t in spec["transitions"]] == [("new", "done")], ref


def test_a_table_file_names_the_machine_after_the_file(tmp_path: Path) -> None:
    (tmp_path / "order-states.yaml").write_text("new: [done]\ndone: []\n", encoding="utf-8")
    proc = run("import", "order-states.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert tomllib.loads(proc.stdout)["machine"]["name"] == "order-states"


def test_a_none_state_of_a_machine_object_is_imported_as_the_null_status() -> None:
    fsm = automaton.machines.FiniteMachine()
    fsm.add_state(None)
    fsm.add_state("queued")
    fsm.add_state("done", terminal=True)
    fsm.add_transition(None, "queued", "schedule")
    fsm.add_transition("queued", "done", "finish")
    fsm.add_transition("queued", None, "reset")
    imported = import_object(fsm, name="task", source="m:fsm")
    assert imported.null == "none"
    assert imported.states == ["none", "queued", "done"]
    assert [(e.source, e.target, e.event) for e in imported.edges] == [
        ("none", "queued", "schedule"), ("queued", "done", "finish"), ("queued", "none", "reset")]
    assert "None is a status in the table: imported as 'none'" in "\n".join(imported.notes)
    text = render_spec(imported, "toml")[0]
    machine = loads(text)  # the written spec is valid and says what the code does
    assert machine.null == "none"
    assert not compare_table(machine, fsm)
