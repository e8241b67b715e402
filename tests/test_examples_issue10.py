"""Acceptance of issue 10 on its three real-size examples (volume, task instance, order)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import statusdoc
from statusdoc.runtime import InvalidEvent

ROOT = Path(__file__).resolve().parent.parent
VOLUME = ROOT / "examples" / "volume" / "volume-statuses.toml"
TASK = ROOT / "examples" / "taskinstance" / "task-instance-statuses.toml"
ORDER = ROOT / "examples" / "order" / "order-statuses.toml"


@pytest.mark.parametrize("spec", [VOLUME, TASK, ORDER], ids=lambda p: p.stem)
def test_each_example_validates_strictly_without_a_warning(spec):
    proc = subprocess.run([sys.executable, "-m", "statusdoc", "validate", "--strict", str(spec)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "warning" not in proc.stdout + proc.stderr


# ------------------------------------------------------------------ (a) volume

# What a block-storage service's volume code allows, written out pair by pair:
# its API checks, its volume manager's success and failure paths, and the
# admin's reset-state and (force) delete. Operations that end where they
# started list both statuses they may have started from.
BUSY = ("extending", "retyping", "backing-up", "uploading", "migrating")
DELETABLE = ("creating", "managing", "available", "extending", "retyping", "backing-up",
             "restoring-backup", "uploading", "downloading", "reverting", "migrating",
             "awaiting-transfer", "maintenance", "error", "error_deleting", "error_extending",
             "error_restoring", "error_backing-up", "error_migrating")
VOLUME_TABLE: dict[str, set[str]] = {
    "creating": {"available", "error"},
    "managing": {"available", "error_managing"},
    "available": {"reserved", *BUSY, "restoring-backup", "reverting", "awaiting-transfer",
                  "maintenance"},
    "reserved": {"available", "attaching"},
    "attaching": {"in-use", "reserved"},
    "in-use": {"attaching", "detaching", *BUSY},
    "detaching": {"available", "in-use"},
    "extending": {"available", "in-use", "error_extending"},
    "retyping": {"available", "in-use"},
    "backing-up": {"available", "in-use", "error_backing-up"},
    "uploading": {"available", "in-use"},
    "migrating": {"available", "in-use", "error_migrating"},
    "restoring-backup": {"available", "error_restoring"},
    "reverting": {"available", "error"},
    "downloading": {"available", "error"},
    "awaiting-transfer": {"available"},
    "maintenance": {"available"},
    "deleting": {"deleted", "error_deleting"},
    "deleted": set(),
    "error": {"available"},
    "error_deleting": {"available"},
    "error_managing": {"error_managing_deleting"},
    "error_managing_deleting": {"deleted"},
    "error_extending": {"available"},
    "error_restoring": {"available"},
    "error_backing-up": {"available"},
    "error_migrating": {"available"},
}
for _status in DELETABLE:
    VOLUME_TABLE[_status].add("deleting")


def test_volume_can_is_exactly_the_intended_table():
    volume = statusdoc.load(VOLUME)
    assert len(volume.states) == 27
    assert set(VOLUME_TABLE) == set(volume.state_names)
    wrong = [(a, b) for a in volume.state_names for b in volume.state_names
             if volume.can(a, b) != (b in VOLUME_TABLE[a])]
    assert wrong == []
    assert 70 <= len(volume.transitions) <= 85


def test_volume_uses_every_construct():
    volume = statusdoc.load(VOLUME)
    assert volume.entries == ("creating", "managing")
    assert dict(volume.entry_labels) == {"creating": "create", "managing": "manage existing"}
    assert [s.name for s in volume.states if s.deprecated] == ["downloading"]
    assert [g.name for g in volume.groups] == ["in-progress", "errors"]
    assert any(r.returns for r in volume.rules)
    assert any(r.group == "errors" and r.excluded for r in volume.rules)
    assert any(r.wildcard and r.excluded for r in volume.rules)
    returned = [t for t in volume.transitions if t.returning]
    assert len(returned) == 13


# ------------------------------------------------------------ (b) task instance


def test_task_instance_starts_at_none():
    task = statusdoc.load(TASK)
    assert (task.null, task.entries) == ("none", ("none",))
    task.check(None, "scheduled")
    assert task.fire(None, "schedule") == "scheduled"


def test_clear_covers_every_status_but_running_finals_included():
    task = statusdoc.load(TASK)
    cleared = {s for s in task.state_names if task.can(s, None)}
    assert cleared == set(task.state_names) - {"running", "none"}
    assert {"success", "failed", "skipped", "upstream_failed", "removed"} <= cleared
    for status in cleared:
        assert task.fire(status, "clear") is None
    assert task.fire("running", "clear") == "restarting"


def test_a_hand_table_with_none_keys_agrees_with_the_runtime():
    """A table as scheduler code keeps it: None for "no status yet", as key and value."""
    finished = ("success", "failed", "upstream_failed", "skipped", "removed")
    table: dict[str | None, set[str | None]] = {
        None: {"scheduled", "upstream_failed", "skipped", "removed"},
        "scheduled": {None, "queued", "skipped", "removed"},
        "queued": {None, "scheduled", "running"},
        "running": {"success", "up_for_retry", "failed", "skipped", "up_for_reschedule",
                    "deferred", "restarting"},
        "restarting": {None, "up_for_retry"},
        "up_for_retry": {None, "scheduled"},
        "up_for_reschedule": {None, "scheduled"},
        "deferred": {None, "scheduled", "failed"},
        "shutdown": {None},
        **{status: {None} for status in finished},
    }
    task = statusdoc.load(TASK)
    keys = [*table]
    assert len(keys) == len(task.state_names)
    wrong = [(a, b) for a in keys for b in keys if task.can(a, b) != (b in table[a])]
    assert wrong == []


# -------------------------------------------------------------------- (c) order


def test_order_fire_without_a_choice_raises_the_documented_error():
    order = statusdoc.load(ORDER)
    with pytest.raises(InvalidEvent) as info:
        order.fire("unfulfilled", "fulfill")
    assert str(info.value) == (
        "order: event 'fulfill' from 'unfulfilled' is a choice: 'fulfilled' [all lines "
        "fulfilled], 'partially fulfilled' [some lines fulfilled]; pass to=...")
    assert str(info.value) in (ROOT / "docs" / "enforcement.rst").read_text("utf-8")
    assert order.fire("unfulfilled", "fulfill", to="partially fulfilled") == "partially fulfilled"
    assert order.fire("partially fulfilled", "fulfill", to="partially fulfilled") == (
        "partially fulfilled")
