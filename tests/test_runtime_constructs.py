"""Issue 10 at run time: several entries, fire(to=...) and guarded choices, and
``None`` as the null status in can/check/targets/fire/Status/StatusField."""

from __future__ import annotations

import pickle
from dataclasses import dataclass

import pytest

import statusdoc
from statusdoc import InvalidTransition, UnknownStatus
from statusdoc.runtime import InvalidEvent, InvalidInitialStatus

ENTRIES = """
[machine]
name = "vol"
initial = ["creating", "managing"]

[states.creating]
[states.managing]
[states.available]
[states.gone]
final = true

[[transitions]]
from = ["creating", "managing"]
to = "available"
event = "done"

[[transitions]]
from = "*"
to = "gone"
event = "delete"
"""

NULLABLE = """
[machine]
name = "ti"
initial = "none"
null = "none"

[states.none]
[states.scheduled]
[states.running]
[states.success]
final = true

[[transitions]]
from = "none"
to = "scheduled"
event = "schedule"

[[transitions]]
from = "scheduled"
to = "running"
event = "start"

[[transitions]]
from = "running"
to = "success"
event = "finish"

[[transitions]]
from = "*"
except = ["running"]
include_final = true
to = "none"
event = "clear"
"""

CHOICE = """
[machine]
name = "order"
initial = "unfulfilled"

[states.unfulfilled]
[states."partially fulfilled"]
[states.fulfilled]
final = true

[[transitions]]
from = "unfulfilled"
to = "fulfilled"
event = "fulfill"
guard = "all lines fulfilled"

[[transitions]]
from = "unfulfilled"
to = "partially fulfilled"
event = "fulfill"
guard = "some lines fulfilled"

[[transitions]]
from = "partially fulfilled"
to = "fulfilled"
event = "fulfill"
"""


@pytest.fixture(scope="module")
def vol() -> statusdoc.Machine:
    return statusdoc.loads(ENTRIES)


@pytest.fixture(scope="module")
def ti() -> statusdoc.Machine:
    return statusdoc.loads(NULLABLE)


@pytest.fixture(scope="module")
def order() -> statusdoc.Machine:
    return statusdoc.loads(CHOICE)


# ------------------------------------------------------------------- entries


def test_a_field_of_a_machine_with_several_entries_needs_a_default(vol):
    assert vol.entries == ("creating", "managing")
    with pytest.raises(ValueError) as info:
        vol.field()
    assert str(info.value) == (
        "vol: the machine has several entry statuses ('creating', 'managing'); pass "
        "field(default=...) to name the one a new object starts at")


def test_the_first_status_may_be_any_entry_and_a_dataclass_starts_at_default(vol):
    @dataclass
    class Volume:
        status: str = vol.field(default="managing")

    assert Volume().status == "managing"
    assert Volume("creating").status == "creating"
    with pytest.raises(InvalidInitialStatus) as info:
        Volume("available")
    assert str(info.value) == (
        "vol: Volume.status must start at one of 'creating', 'managing', not 'available' "
        "(pass field(initial=...) to allow other first statuses)")


def test_a_default_must_be_an_allowed_start(vol):
    with pytest.raises(ValueError, match=r"field\(default='available'\) is not an allowed first "
                       r"status \('creating', 'managing'\)"):
        vol.field(default="available")
    with pytest.raises(UnknownStatus):
        vol.field(default="availble")
    assert vol.field(initial="*", default="available").default == "available"


# ------------------------------------------------------------------- choices


def test_fire_without_a_choice_lists_the_candidates_with_their_guards(order):
    with pytest.raises(InvalidEvent) as info:
        order.fire("unfulfilled", "fulfill")
    err = info.value
    assert str(err) == (
        "order: event 'fulfill' from 'unfulfilled' is a choice: 'fulfilled' [all lines "
        "fulfilled], 'partially fulfilled' [some lines fulfilled]; pass to=...")
    assert (err.ambiguous, err.dst, err.event) == (True, None, "fulfill")
    assert err.allowed == frozenset({"fulfilled", "partially fulfilled"})
    assert err.choices == (("fulfilled", "all lines fulfilled"),
                           ("partially fulfilled", "some lines fulfilled"))
    assert str(pickle.loads(pickle.dumps(err))) == str(err)


def test_fire_to_chooses_a_candidate_and_refuses_others(order):
    assert order.fire("unfulfilled", "fulfill", to="partially fulfilled") == "partially fulfilled"
    assert order.fire("unfulfilled", "fulfill", to=order.Status.FULFILLED) == "fulfilled"
    assert type(order.fire("unfulfilled", "fulfill", to=order.Status.FULFILLED)) is str
    assert order.fire("partially fulfilled", "fulfill", to="fulfilled") == "fulfilled"
    with pytest.raises(InvalidEvent) as info:
        order.fire("partially fulfilled", "fulfill", to="unfulfilled")
    assert str(info.value) == (
        "order: event 'fulfill' from 'partially fulfilled' does not lead to 'unfulfilled' "
        "(it leads to 'fulfilled')")
    assert (info.value.dst, info.value.ambiguous) == ("unfulfilled", False)
    with pytest.raises(UnknownStatus):
        order.fire("unfulfilled", "fulfill", to="fulfiled")
    with pytest.raises(InvalidEvent, match="is not defined from 'unfulfilled'"):
        order.fire("unfulfilled", "ship", to="fulfilled")


def test_a_field_fires_with_a_choice(order):
    class Order:
        status = order.field()

    obj = Order()
    obj.status = "unfulfilled"
    with pytest.raises(InvalidEvent, match="is a choice"):
        Order.status.fire(obj, "fulfill")
    assert obj.status == "unfulfilled"
    assert Order.status.fire(obj, "fulfill", to="partially fulfilled") == "partially fulfilled"
    assert obj.status == "partially fulfilled"


# ---------------------------------------------------------------------- None


def test_none_is_the_null_status_in_can_check_and_targets(ti):
    assert ti.can(None, "scheduled") and ti.can("none", "scheduled")
    ti.check(None, "scheduled")
    assert ti.can("success", None) and ti.can("success", "none")
    assert not ti.can("running", None)
    assert ti.targets(None) == ti.targets("none") == frozenset({"scheduled"})
    assert ti.targets("scheduled") == frozenset({"running", "none"})  # names, no None
    assert None not in ti.targets_by_state


def test_refusals_name_the_null_status(ti):
    with pytest.raises(InvalidTransition) as info:
        ti.check(None, "running")
    assert str(info.value) == (
        "ti: transition 'none' -> 'running' is not allowed (allowed from 'none': 'scheduled')")
    assert (info.value.src, info.value.allowed) == ("none", frozenset({"scheduled"}))
    with pytest.raises(InvalidTransition) as info:
        ti.check("running", None)
    assert (info.value.src, info.value.dst) == ("running", "none")
    assert "allowed from 'running': 'success'" in str(info.value)


def test_fire_answers_none_for_the_null_status(ti):
    assert ti.fire("success", "clear") is None
    assert ti.fire(None, "schedule") == "scheduled"
    assert ti.fire("none", "schedule") == "scheduled"
    assert ti.fire("scheduled", "clear", to="none") is None
    with pytest.raises(InvalidEvent) as info:
        ti.fire(None, "start")
    assert str(info.value) == (
        "ti: event 'start' is not defined from 'none' (events from 'none': 'schedule')")


def test_none_is_unknown_without_a_null_status(vol):
    for call in (lambda: vol.can(None, "available"), lambda: vol.check("creating", None),
                 lambda: vol.targets(None), lambda: vol.fire(None, "done")):
        with pytest.raises(UnknownStatus, match="unknown status None"):
            call()


def test_the_enum_and_unknown_errors_list_names_only(ti):
    assert [m.value for m in ti.Status] == ["none", "scheduled", "running", "success"]
    assert ti.can(ti.Status.NONE, "scheduled")
    with pytest.raises(UnknownStatus) as info:
        ti.can("nope", None)
    assert str(info.value) == (
        "ti: unknown status 'nope' (known: 'none', 'scheduled', 'running', 'success')")


def test_a_field_stores_none_for_the_null_status(ti):
    @dataclass
    class Task:
        status: str | None = ti.field()

    task = Task()
    assert task.status is None and vars(task)["__statusdoc_status"] is None
    task.status = "scheduled"
    task.status = "none"  # by name: stored as None too
    assert task.status is None
    task.status = ti.Status.SCHEDULED
    assert Task.status.fire(task, "clear") is None and task.status is None
    assert Task(None).status is None and Task("none").status is None
    with pytest.raises(InvalidInitialStatus, match="must start at one of 'none', not "
                       "'running'"):
        Task("running")
    task.status = "scheduled"
    task.status = "running"
    with pytest.raises(InvalidTransition, match="'running' -> 'none' is not allowed"):
        task.status = None
    Task.status.force(task, None)
    assert task.status is None
    with pytest.raises(UnknownStatus):
        Task.status.force(task, "nope")


def test_allow_unchanged_treats_none_and_the_name_alike(ti):
    class Task:
        status = ti.field(allow_unchanged=True)

    task = Task()
    task.status = None
    task.status = "none"
    task.status = None
    assert task.status is None


def test_a_stored_row_with_any_status_may_start_at_none(ti):
    class Row:
        status = ti.field(initial="*")

    row = Row()
    row.status = None
    assert row.status is None
    assert Row.status.initial == frozenset(ti.state_names)
