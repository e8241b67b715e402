"""Comparing hand-written enforcement code with the spec: library, CLI, adapters, testing."""

from __future__ import annotations

import enum
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import automaton.machines
import pytest
import transitions
from cli_support import GLANCE, GLANCE_TABLE
from cli_support import STATUSDOC_SCRIPT as STATUSDOC

import statusdoc
from statusdoc.adapters import adapt, from_automaton, from_transitions
from statusdoc.compare import TableDiff, TableError, compare_table, load_table, normalize_table
from statusdoc.testing import assert_table_matches

#: Glance-style drift: one extra edge (pending_delete -> active, as in real
#: Glance) and one missing edge (active -> queued).
DRIFTED_MODULE = '''
class Image:
    valid_state_targets = {
        "queued": ("saving", "active", "deleted"),
        "saving": ("active", "killed", "deleted"),
        "active": ("pending_delete", "deleted"),
        "killed": ("deleted",),
        "deleted": (),
        "pending_delete": ("deleted", "active"),
    }
'''


@pytest.fixture(scope="module")
def image() -> statusdoc.Machine:
    return statusdoc.load(GLANCE)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(STATUSDOC), "compare", *args], capture_output=True, text=True, cwd=cwd, timeout=60
    )


# --- the acceptance test ------------------------------------------------------------------


def test_acceptance_cli_reports_exactly_the_extra_and_the_missing_edge(tmp_path):
    (tmp_path / "glance_domain_a.py").write_text(DRIFTED_MODULE, "utf-8")
    proc = cli(str(GLANCE), "--table", "glance_domain_a:Image.valid_state_targets", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines() == [
        f"{GLANCE}: glance_domain_a:Image.valid_state_targets differs from the spec "
        "(2 differences):",
        "  missing from code: active -> queued",
        "  only in code: pending_delete -> active",
    ]
    assert proc.stderr == (  # the only other output: the module's code runs
        "note: reading table 'glance_domain_a:Image.valid_state_targets' imports "
        "'glance_domain_a', which runs its code; name only modules you trust\n")


def test_cli_exit_0_when_the_table_matches(tmp_path):
    (tmp_path / "good_domain.py").write_text(f"TABLE = {GLANCE_TABLE!r}\n", "utf-8")
    proc = cli(str(GLANCE), "--table", "good_domain:TABLE", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "matches the spec" in proc.stdout
    quiet = cli(str(GLANCE), "--table", "good_domain:TABLE", "--quiet", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout) == (0, "")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_cli_reads_json_and_yaml_tables(tmp_path, suffix):
    table = {k: list(v) for k, v in GLANCE_TABLE.items()}
    table["killed"].append("active")
    if suffix == ".json":
        text = json.dumps(table)
    else:  # a final status written as a bare key is None in YAML
        text = "\n".join(
            f"{k}:" if not v else f"{k}: [{', '.join(v)}]" for k, v in table.items()
        )
    (tmp_path / f"table{suffix}").write_text(text, "utf-8")
    proc = cli(str(GLANCE), "--table", f"table{suffix}", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[1:] == ["  only in code: killed -> active"]


def test_cli_reports_statuses_on_one_side_only(tmp_path):
    table = dict(GLANCE_TABLE)
    del table["killed"]
    table["saving"] = ("active", "deleted")
    table["queued"] = ("saving", "active", "deleted", "importing")
    (tmp_path / "st.json").write_text(json.dumps(table), "utf-8")
    proc = cli(str(GLANCE), "--table", "st.json", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:] == [
        "  missing from code: status killed",
        "  only in code: status importing",
        "  missing from code: saving -> killed",
        "  missing from code: killed -> deleted",
        "  only in code: queued -> importing",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--table", "no_such_module_xyz:T"], "cannot import module 'no_such_module_xyz'"),
        (["--table", "justaname"], "expected 'module:attr'"),
        (["--table", "missing.json"], "cannot read"),
        (["--table", "bad_domain:Image.nope"], "bad_domain.Image has no attribute 'nope'"),
        (["--table", "bad_domain:SLIP"], "a one-element tuple needs a comma"),
        (["--table", "bad_domain:NUMBER"], "a int is not a table"),
        (["--table", "bad_domain_broken:X"], "RuntimeError: boom"),
        ([], "no table for"),
    ],
)
def test_cli_usage_and_table_errors_exit_2(tmp_path, args, message):
    (tmp_path / "bad_domain.py").write_text(
        "class Image:\n    pass\nSLIP = {'killed': ('deleted')}\nNUMBER = 3\n", "utf-8"
    )
    (tmp_path / "bad_domain_broken.py").write_text("raise RuntimeError('boom')\n", "utf-8")
    proc = cli(str(GLANCE), *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr
    assert proc.stdout == ""


def test_cli_table_without_spec_exits_2_and_invalid_spec_exits_1(tmp_path):
    proc = cli("--table", "x:y", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--table needs a SPEC" in proc.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[machine]\nname = "x"\ninitial = "nope"\n', "utf-8")
    proc = cli(str(bad), "--table", "t.json", cwd=tmp_path)
    assert proc.returncode == 1  # an invalid spec is a problem found, as for generate
    assert "bad.toml" in proc.stderr and "statusdoc compare: invalid spec" in proc.stderr
    nothing = cli(cwd=tmp_path)
    assert nothing.returncode == 2
    assert "nothing to compare" in nothing.stderr


def test_cli_uses_the_configured_table_from_the_project_root(tmp_path):
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "image.toml").write_bytes(GLANCE.read_bytes())
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", "utf-8")
    (tmp_path / "app" / "domain.py").write_text(DRIFTED_MODULE, "utf-8")
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [tool.statusdoc]
            [[tool.statusdoc.specs]]
            spec = "specs/image.toml"
            output-dir = "docs"
            outputs = ["rst"]
            table = "app.domain:Image.valid_state_targets"
            """
        ),
        "utf-8",
    )
    sub = tmp_path / "specs"  # run from a sub-directory: the root is still found
    for args in ([], ["image.toml"]):
        proc = cli(*args, cwd=sub)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout.splitlines()[1:] == [
            "  missing from code: active -> queued",
            "  only in code: pending_delete -> active",
        ]
    assert cli(cwd=sub).stdout.startswith("specs/image.toml: app.domain:Image")


# --- library --------------------------------------------------------------------------------


def test_load_table_dotted_attr_and_sys_path_restored(tmp_path):
    (tmp_path / "dotted_domain.py").write_text(DRIFTED_MODULE, "utf-8")
    before = list(sys.path)
    table = load_table("dotted_domain:Image.valid_state_targets", root=tmp_path)
    assert sys.path == before
    assert table["pending_delete"] == ("deleted", "active")
    assert list(table) == list(GLANCE_TABLE)


def test_compare_table_orders_by_spec_and_reports_nothing_for_a_match(image):
    assert compare_table(image, GLANCE_TABLE) == TableDiff("image")
    assert not compare_table(image, GLANCE_TABLE)
    assert compare_table(image, GLANCE_TABLE).ok
    assert compare_table(image, GLANCE_TABLE).report("s.toml", "t") == "s.toml: t matches the spec"
    table = {k: set(v) for k, v in GLANCE_TABLE.items()}
    table["deleted"] = {"queued", "active"}
    diff = compare_table(image, table)
    assert diff.extra_transitions == (("deleted", "queued"), ("deleted", "active"))
    assert diff.report("s", "t").splitlines()[0] == "s: t differs from the spec (2 differences):"


def test_normalize_table_accepts_enums_none_and_sets():
    class S(enum.Enum):
        A = "a"
        B = "b"

    class T(enum.StrEnum):
        C = "c"

    table = normalize_table({S.A: {S.B, T.C}, "b": None, T.C: [S.A, "a"]})
    assert table == {"a": ("b", "c"), "b": (), "c": ("a",)}
    assert all(type(k) is str for k in table)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"a": "b"}, "one-element tuple needs a comma"),
        ({"a": 3}, "a int, not a collection"),
        ({1: ["a"]}, "status 1 is a int"),
        ({"a": [None]}, r"status None stands for the null status, but the spec has no "
                        r"\[machine\] null"),
        (["a", "b"], "a list is not a table"),
    ],
)
def test_normalize_table_refuses_what_is_not_a_table(table, message):
    with pytest.raises(TableError, match=message):
        normalize_table(table)


def test_names_that_need_quotes_are_quoted(image):
    table = dict(GLANCE_TABLE)
    table["queued"] = (*GLANCE_TABLE["queued"], " spaced", "a -> b")
    lines = compare_table(image, table).lines()
    assert "only in code: status ' spaced'" in lines
    assert "only in code: queued -> 'a -> b'" in lines


# --- adapters with real libraries -------------------------------------------------------------


def glance_automaton(extra: bool = False) -> automaton.machines.FiniteMachine:
    fm = automaton.machines.FiniteMachine()
    for state in ("queued", "saving", "active", "killed", "pending_delete"):
        fm.add_state(state)
    fm.add_state("deleted", terminal=True)
    fm.default_start_state = "queued"
    for src, dst, event in [
        ("queued", "saving", "upload"),
        ("saving", "active", "upload_succeeded"),
        ("saving", "killed", "upload_failed"),
        ("queued", "active", "add_location"),
        ("active", "pending_delete", "delayed_delete"),
        ("pending_delete", "deleted", "scrub"),
        ("active", "queued", "remove_last_location"),
    ]:
        fm.add_transition(src, dst, event)
    for src in ("queued", "saving", "active", "killed", "pending_delete"):
        fm.add_transition(src, "deleted", "delete")
    if extra:
        fm.add_transition("pending_delete", "active", "restore")
    return fm


def test_automaton_adapter(image):
    external = from_automaton(glance_automaton())
    assert external.kind == "automaton"
    assert external.initial == "queued"
    assert external.events[("queued", "upload")] == ("saving",)
    assert not compare_table(image, glance_automaton())
    diff = compare_table(image, glance_automaton(extra=True))
    assert diff.lines() == ["only in code: pending_delete -> active"]


def test_automaton_machine_via_module_attr(tmp_path):
    (tmp_path / "ironic_like.py").write_text(
        textwrap.dedent(
            """
            from automaton import machines
            fsm = machines.FiniteMachine()
            for s in ("enroll", "verifying", "manageable"):
                fsm.add_state(s)
            fsm.add_transition("enroll", "verifying", "manage")
            fsm.add_transition("verifying", "manageable", "done")
            fsm.add_transition("verifying", "enroll", "fail")
            """
        ),
        "utf-8",
    )
    spec = tmp_path / "ironic.toml"
    spec.write_text(
        textwrap.dedent(
            """
            [machine]
            name = "provision"
            initial = "enroll"
            [states.enroll]
            description = "x"
            [states.verifying]
            description = "x"
            [states.manageable]
            description = "x"
            [[transitions]]
            from = "enroll"
            to = "verifying"
            event = "manage"
            [[transitions]]
            from = "verifying"
            to = "manageable"
            event = "done"
            """
        ),
        "utf-8",
    )
    proc = cli(str(spec), "--table", "ironic_like:fsm", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[1:] == ["  only in code: verifying -> enroll"]


def glance_transitions(**kwargs) -> transitions.Machine:
    machine = transitions.Machine(
        states=["queued", "saving", "active", "killed", "deleted", "pending_delete"],
        initial="queued",
        **kwargs,
    )
    machine.add_transition("upload", "queued", "saving")
    machine.add_transition("upload_succeeded", "saving", "active")
    machine.add_transition("upload_failed", "saving", "killed")
    machine.add_transition("add_location", "queued", "active")
    machine.add_transition("delayed_delete", "active", "pending_delete")
    machine.add_transition("scrub", "pending_delete", "deleted")
    machine.add_transition("remove_last_location", "active", "queued")
    machine.add_transition(
        "delete", ["queued", "saving", "active", "killed", "pending_delete"], "deleted"
    )
    return machine


def test_transitions_adapter_skips_auto_and_internal_transitions(image):
    machine = glance_transitions()  # auto_transitions=True adds to_<state> everywhere
    machine.add_transition("touch", "active", None)  # internal: no state change
    assert not compare_table(image, machine)
    external = from_transitions(machine)
    assert external.kind == "transitions"
    assert external.initial == "queued"
    assert external.events[("saving", "upload_failed")] == ("killed",)
    assert ("active", "to_queued") not in external.events
    every = from_transitions(machine, include_auto=True)
    assert "saving" in every.targets["deleted"]


def test_transitions_adapter_reflexive_and_wildcard_sources(image):
    machine = glance_transitions(auto_transitions=False)
    machine.add_transition("retry", "killed", "=")
    machine.add_transition("panic", "*", "killed")
    diff = compare_table(image, machine)
    assert diff.missing_transitions == ()
    assert ("killed", "killed") in diff.extra_transitions
    assert ("deleted", "killed") in diff.extra_transitions
    assert adapt({"a": ()}) is None


# --- statusdoc.testing --------------------------------------------------------------------------


def test_assert_table_matches_passes_and_fails_with_the_cli_message(tmp_path, image):
    assert_table_matches(image, GLANCE_TABLE)
    assert_table_matches(GLANCE, glance_automaton())
    (tmp_path / "glance_domain_t.py").write_text(DRIFTED_MODULE, "utf-8")
    ref = "glance_domain_t:Image.valid_state_targets"
    with pytest.raises(AssertionError) as info:
        assert_table_matches(str(GLANCE), load_table(ref, root=tmp_path), table_name=ref)
    proc = cli(str(GLANCE), "--table", ref, cwd=tmp_path)
    assert str(info.value) + "\n" == proc.stdout


def test_python_statemachine_adapter(image):
    from statemachine import State, StateMachine

    from statusdoc.adapters import from_statemachine

    class ImageMachine(StateMachine):
        queued = State(initial=True)
        saving = State()
        active = State()
        killed = State()
        deleted = State(final=True)
        pending_delete = State()

        upload = queued.to(saving)
        upload_succeeded = saving.to(active)
        upload_failed = saving.to(killed)
        add_location = queued.to(active)
        delayed_delete = active.to(pending_delete)
        scrub = pending_delete.to(deleted)
        remove_last_location = active.to(queued)
        delete = (
            queued.to(deleted) | saving.to(deleted) | active.to(deleted)
            | killed.to(deleted) | pending_delete.to(deleted)
        )
        touch = active.to(active, internal=True)  # no state change: not an edge
        restore = pending_delete.to(active)

    external = from_statemachine(ImageMachine)
    assert external.kind == "python-statemachine"
    assert external.initial == "queued"
    assert external.events[("pending_delete", "restore")] == ("active",)
    assert compare_table(image, ImageMachine).lines() == ["only in code: pending_delete -> active"]
    assert compare_table(image, ImageMachine()).lines() == [
        "only in code: pending_delete -> active"
    ]


def test_events_compared_only_on_request(tmp_path, image):
    fm = glance_automaton()
    assert not compare_table(image, fm, events=True)
    renamed = automaton.machines.FiniteMachine()
    for state in ("queued", "saving", "active", "killed", "pending_delete", "deleted"):
        renamed.add_state(state)
    triples = [(a, b, e) for (a, e), dsts in from_automaton(fm).events.items() for b in dsts]
    for src, dst, event in triples:
        renamed.add_transition(src, dst, "start_upload" if event == "upload" else event)
    assert not compare_table(image, renamed)  # same edges: fine without events
    diff = compare_table(image, renamed, events=True)
    assert diff.lines() == [
        "missing from code: event upload: queued -> saving",
        "only in code: event start_upload: queued -> saving",
    ]
    with pytest.raises(TableError, match="a mapping has no events"):
        compare_table(image, GLANCE_TABLE, events=True)


def test_cli_events_flag(tmp_path):
    (tmp_path / "fsm_mod.py").write_text(
        textwrap.dedent(
            """
            from automaton import machines
            fsm = machines.FiniteMachine()
            for s in ("queued", "saving", "active", "killed", "deleted", "pending_delete"):
                fsm.add_state(s)
            for a, b, e in [
                ("queued", "saving", "upload"), ("saving", "active", "upload_succeeded"),
                ("saving", "killed", "upload_failed"), ("queued", "active", "add_location"),
                ("active", "pending_delete", "delayed_delete"),
                ("pending_delete", "deleted", "scrub"),
                ("active", "queued", "remove_last_location"),
            ]:
                fsm.add_transition(a, b, e)
            for s in ("queued", "saving", "active", "killed", "pending_delete"):
                fsm.add_transition(s, "deleted", "remove" if s == "killed" else "delete")
            """
        ),
        "utf-8",
    )
    assert cli(str(GLANCE), "--table", "fsm_mod:fsm", cwd=tmp_path).returncode == 0
    proc = cli(str(GLANCE), "--table", "fsm_mod:fsm", "--events", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[1:] == [
        "  missing from code: event delete: killed -> deleted",
        "  only in code: event remove: killed -> deleted",
    ]
    (tmp_path / "plain_mod.py").write_text(f"T = {GLANCE_TABLE!r}\n", "utf-8")
    proc = cli(str(GLANCE), "--table", "plain_mod:T", "--events", cwd=tmp_path)
    assert proc.returncode == 2
    assert "a mapping has no events" in proc.stderr


def test_event_keyed_tables_use_their_values_as_targets(image):
    table = {
        "queued": {"upload": "saving", "add_location": "active", "delete": "deleted"},
        "saving": {"done": ["active"], "fail": ("killed",), "delete": "deleted"},
        "active": {"delayed_delete": "pending_delete", "delete": "deleted", "rm": "queued"},
        "killed": {"delete": "deleted"},
        "deleted": {},
        "pending_delete": {"scrub": "deleted", "delete": "deleted"},
    }
    assert normalize_table(table)["saving"] == ("active", "killed", "deleted")
    assert not compare_table(image, table)
    with pytest.raises(TableError, match="status 3 is a int"):
        normalize_table({"a": {"go": 3}})


def test_table_from_a_python_file_path(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "domain.py").write_text(DRIFTED_MODULE, "utf-8")
    proc = cli(str(GLANCE), "--table", "app/domain.py:Image.valid_state_targets", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[1:] == [
        "  missing from code: active -> queued",
        "  only in code: pending_delete -> active",
    ]
    missing = cli(str(GLANCE), "--table", "app/nope.py:T", cwd=tmp_path)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    table = load_table("app/domain.py:Image.valid_state_targets", root=tmp_path)
    assert table["pending_delete"] == ("deleted", "active")


def _automaton_storing_null_as_none(machine: statusdoc.Machine) -> automaton.machines.FiniteMachine:
    """The machine as automaton code that keeps the null status as ``None`` (Airflow-style)."""
    def state(name: str) -> str | None:
        return None if name == machine.null else name

    fm = automaton.machines.FiniteMachine()
    for name in machine.state_names:
        fm.add_state(state(name))
    for t in machine.transitions:
        fm.add_transition(state(t.source), state(t.target), f"{t.source}->{t.target}")
    return fm


def test_a_none_state_of_an_adapted_machine_is_the_specs_null_status():
    ti = statusdoc.load(GLANCE.parents[1] / "taskinstance" / "task-instance-statuses.toml")
    fm = _automaton_storing_null_as_none(ti)
    assert None in from_automaton(fm).targets  # the adapter keeps it as None
    assert not compare_table(ti, fm)
    # a transition to None that the spec lacks is reported under the null's name
    fm.add_transition("running", None, "forget")
    diff = compare_table(ti, fm)
    assert diff.extra_transitions == (("running", "none"),)


def test_a_none_state_against_a_spec_without_null_is_a_table_error(image):
    fm = automaton.machines.FiniteMachine()
    fm.add_state(None)
    fm.add_state("queued")
    fm.add_transition(None, "queued", "create")
    with pytest.raises(TableError, match=r"status None stands for the null status"):
        compare_table(image, fm)
