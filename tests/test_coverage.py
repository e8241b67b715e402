"""statusdoc.coverage in-process: what is recorded, and that recording changes no behaviour."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest

import statusdoc
from statusdoc import coverage
from statusdoc.covreport import format_markdown, format_term, merge, percent
from statusdoc.runtime import (
    InvalidEvent,
    InvalidInitialStatus,
    InvalidTransition,
    MachineRuntime,
)

REPO = Path(__file__).resolve().parent.parent
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"
TASK = REPO / "examples" / "taskinstance" / "task-instance-statuses.toml"


@pytest.fixture
def recording() -> Iterator[None]:
    coverage.start()
    try:
        yield
    finally:
        coverage.stop()


def _covered(name: str) -> set[tuple[str, str]]:
    [machine] = [m for m in merge(coverage.collect()) if m.machine == name]
    return set(machine.covered)


def test_start_and_stop_swap_the_methods_back():
    class Before:  # a field named before recording starts, and one named while it runs
        status = statusdoc.load(GLANCE).field()

    plain = (MachineRuntime.check, MachineRuntime.fire, Before.status.fset.__code__)
    coverage.start()
    try:
        class During:
            status = statusdoc.load(GLANCE).field()

        assert coverage.recording()
        assert MachineRuntime.check is not plain[0]
        assert Before.status.fset.__code__ is not plain[2]
        assert During.status.fset.__code__ is Before.status.fset.__code__
    finally:
        coverage.stop()
    assert (MachineRuntime.check, MachineRuntime.fire, Before.status.fset.__code__) == plain
    assert During.status.fset.__code__ is plain[2]
    assert not coverage.recording()


def test_a_recorded_no_op_does_not_open_the_fast_path_of_another_field(recording):
    """allow_unchanged makes ``x -> x`` a no-op for one field; recording it as a
    transition would let another field of the same machine skip its check."""
    image = statusdoc.load(GLANCE)

    class Lenient:
        status = image.field(initial="*", allow_unchanged=True)

    class Strict:
        status = image.field(initial="*")

    lenient, strict = Lenient(), Strict()
    lenient.status = strict.status = "active"
    lenient.status = "active"
    with pytest.raises(InvalidTransition):
        strict.status = "active"
    strict.status = "deleted"
    assert _covered("image") == {("active", "deleted")}


def test_check_fire_and_field_record_only_what_they_allow(recording):
    image = statusdoc.load(GLANCE)
    image.check("queued", "saving")
    image.check(image.Status.SAVING, "active")  # a Status member is its name
    assert image.can("active", "deleted")  # asking covers nothing
    with pytest.raises(statusdoc.InvalidTransition, match="'saving' -> 'queued'"):
        image.check("saving", "queued")
    with pytest.raises(statusdoc.UnknownStatus):
        image.check("queued", "nope")
    with pytest.raises(TypeError):  # as check() does when not recording
        image.check(["unhashable"], "queued")  # type: ignore[arg-type]
    with pytest.raises(InvalidEvent):
        image.fire("queued", "scrub")
    assert image.fire("active", "delayed_delete") == "pending_delete"

    class Image:
        status = image.field(allow_unchanged=True)

    img = Image()
    img.status = "queued"  # entering a status is no transition
    img.status = "queued"  # a no-op, no transition either
    img.status = "active"
    with pytest.raises(statusdoc.InvalidTransition):
        img.status = "killed"
    with pytest.raises(InvalidInitialStatus):
        Image().status = "active"
    assert img.status == "active"
    assert _covered("image") == {("queued", "saving"), ("saving", "active"),
                                 ("active", "pending_delete"), ("queued", "active")}


def test_the_null_status_is_recorded_by_name(recording):
    task = statusdoc.load(TASK)
    assert task.null is not None
    src = next(s for s in task.state_names if task.can(None, s))
    task.check(None, src)
    back = next(s for s in task.state_names if task.can(s, None))
    task.check(back, None)
    assert _covered(task.name) == {(task.null, src), (back, task.null)}


def test_a_tracked_generated_module_records_through_its_hook():
    path = REPO / "examples" / "glance" / "image_statuses.py"
    spec = importlib.util.spec_from_file_location("image_statuses_cov", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    coverage.track(module)
    module.check("queued", "saving")  # not recording: not counted
    coverage.start()
    try:
        module.check("saving", "killed")
        assert module.fire("killed", "delete") == "deleted"
        with pytest.raises(module.InvalidTransition):
            module.check("deleted", "queued")
    finally:
        coverage.stop()
    assert module._hook is None
    assert _covered("image") == {("saving", "killed"), ("killed", "deleted")}


def test_track_refuses_a_module_that_was_not_generated():
    with pytest.raises(TypeError, match="not a module generated by statusdoc"):
        coverage.track(pytest)  # type: ignore[arg-type]


def test_records_merge_per_machine_name():
    records = [
        {"machine": "m", "statuses": ["a", "b", "c"], "transitions": [["a", "b"], ["b", "c"]],
         "covered": [["a", "b"]]},
        {"machine": "m", "statuses": ["a", "b", "c"], "transitions": [["a", "b"], ["b", "c"]],
         "covered": [["b", "c"]]},
    ]
    [machine] = merge(records)
    assert machine.missing == () and len(machine.covered) == 2
    assert format_term([machine])[-1] == "total: 2/2 transitions (100%)"


def test_percent_rounds_down_so_only_everything_is_100():
    assert percent(1999, 2000) == "99.9%"
    assert percent(5, 7) == "71.4%"
    assert percent(0, 0) == "100%"


def test_markdown_report_escapes_hostile_names():
    records = [{"machine": "m|<b>", "statuses": ["a`", "b"], "transitions": [["a`", "b"]],
                "covered": []}]
    text = format_markdown(merge(records))
    # names are code spans: no HTML, and the table's pipe is escaped
    assert "| `m\\|<b>` | 0 | 1 | 0% |" in text.splitlines()
    assert "- `` a` `` → `b`" in text.splitlines()


def _field_script(machine: statusdoc.Machine, allow_unchanged: bool) -> list[object]:
    """Every assignment a field can see, from every status: what each one leaves or raises."""
    names = list(machine.state_names)
    values: list[object] = [*names, None, *list(machine.Status)[:3], "nope", ["x"]]
    outcomes: list[object] = []
    default = machine.entries[0]

    class Obj:
        status = machine.field(initial="*", default=default, allow_unchanged=allow_unchanged)

    for start in names:
        for value in values:
            obj = Obj()
            obj.status = start
            try:
                obj.status = value  # type: ignore[assignment]
            except Exception as exc:  # the outcome compared, whatever it is
                outcomes.append((type(exc).__name__, str(exc)))
            else:
                stored = vars(obj)[Obj.status.storage_name]
                outcomes.append(("ok", stored, type(stored)))
    return outcomes


@pytest.mark.parametrize("spec", [GLANCE, TASK], ids=["glance", "taskinstance"])
@pytest.mark.parametrize("allow_unchanged", [False, True])
def test_a_recording_field_behaves_as_the_plain_one(spec, allow_unchanged):
    machine = statusdoc.load(spec)
    plain = _field_script(machine, allow_unchanged)
    coverage.start()
    try:
        recorded = _field_script(machine, allow_unchanged)
    finally:
        coverage.stop()
    assert recorded == plain
    assert any(o[0] == "ok" for o in plain) and any(o[0] != "ok" for o in plain)
