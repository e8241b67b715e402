"""`statusdoc diff` on issue 10's constructs: entries, deprecated statuses, scoped
wildcards, groups, guards, returns and the null status, with their breaking rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from statusdoc.diffchanges import KINDS
from statusdoc.semdiff import _SECTIONS, diff_machines, format_markdown, format_text
from statusdoc.spec.api import loads

BASE = """\
[machine]
name = "vol"
initial = ["creating", "managing"]
initial_label = { creating = "create", managing = "manage" }

[groups.busy]
title = "Busy statuses"

[states.creating]
description = "Being created."
group = "busy"

[states.managing]
description = "Being taken over."
group = "busy"

[states.available]
description = "Ready."

[states.attaching]
description = "Being attached."
group = "busy"

[states.legacy]
description = "Old rows only."
deprecated = "no longer set"

[states.error]
description = "Broken."

[states.deleted]
description = "Gone."
final = true

[[transitions]]
from = ["creating", "managing"]
to = "available"
event = "done"

[[transitions]]
from = "available"
to = "attaching"
event = "attach"
guard = "a host is free"

[[transitions]]
from = "attaching"
return = true
event = "fail"

[[transitions]]
from = "attaching"
to = "available"
event = "attached"

[[transitions]]
from = "*"
except = ["creating"]
to = "deleted"
event = "delete"

[[transitions]]
from = { group = "busy" }
to = "error"
event = "crash"

[[transitions]]
from = "error"
to = "available"
event = "reset"
"""


def diff_of(old: str, new: str):
    return diff_machines(loads(old), loads(new), old_name="a", new_name="b")


def changes(old: str, new: str) -> list[tuple[str, str, str]]:
    return [(c.kind, c.text, c.breaking) for c in diff_of(old, new).changes]


def test_acceptance_breaking_and_reported_changes() -> None:
    """The issue's line: removing an entry point, deleting a status (deprecated or not)
    and narrowing a wildcard are breaking; deprecating a status is reported, not breaking."""
    no_entry = BASE.replace('initial = ["creating", "managing"]', 'initial = ["creating"]')
    no_entry = no_entry.replace(', managing = "manage"', "")
    no_entry += '\n[[transitions]]\nfrom = "available"\nto = "managing"\n'
    assert ("entry-removed", "entry status 'managing' removed",
            "code creating objects in it now fails") in changes(BASE, no_entry)

    no_legacy = BASE.replace('[states.legacy]\ndescription = "Old rows only."\n'
                             'deprecated = "no longer set"\n', "")
    assert ("status-removed", "deprecated status 'legacy' removed",
            "stored rows may still hold it") in changes(BASE, no_legacy)
    no_error = BASE.replace('[states.error]\ndescription = "Broken."\n', "").replace(
        'to = "error"', 'to = "deleted"').split('[[transitions]]\nfrom = "error"')[0]
    assert ("status-removed", "status 'error' removed",
            "code and stored data using it break") in changes(BASE, no_error)

    narrowed = BASE.replace('except = ["creating"]', 'except = ["creating", "legacy"]')
    assert changes(BASE, narrowed) == [
        ("transition-removed", "transition legacy -> deleted (delete) removed",
         "code making this move now fails")]

    deprecated = BASE.replace('description = "Broken."',
                              'description = "Broken."\ndeprecated = true')
    assert changes(BASE, deprecated) == [
        ("status-deprecated", "status 'error' deprecated", "")]


def test_adding_an_entry_point_is_reported_not_breaking() -> None:
    new = BASE.replace('initial = ["creating", "managing"]',
                       'initial = ["creating", "managing", "available"]')
    assert changes(BASE, new) == [("entry-added", "entry status 'available' added", "")]


def test_a_new_first_entry_and_entry_labels() -> None:
    swapped = BASE.replace('initial = ["creating", "managing"]',
                           'initial = ["managing", "creating"]')
    assert changes(BASE, swapped) == [
        ("machine", "initial status 'creating' -> 'managing'",
         "code using Machine.initial (the first entry) starts objects elsewhere")]
    relabelled = BASE.replace('managing = "manage"', 'managing = "adopt"')
    assert changes(BASE, relabelled) == [
        ("machine", "entry 'managing': label 'manage' -> 'adopt'", "")]
    single = BASE.replace('initial = ["creating", "managing"]', 'initial = "creating"').replace(
        '{ creating = "create", managing = "manage" }', '"create"')
    single += '\n[[transitions]]\nfrom = "available"\nto = "managing"\n'
    relabelled_single = single.replace('initial_label = "create"', 'initial_label = "new"')
    assert changes(single, relabelled_single) == [
        ("machine", "machine initial_label: 'create' -> 'new'", "")]
    moved = single.replace('initial = "creating"', 'initial = "managing"') + (
        '\n[[transitions]]\nfrom = "available"\nto = "creating"\n')
    assert ("machine", "initial status 'creating' -> 'managing'",
            "new objects start in a different status") in changes(single, moved)
    assert not [c for c in changes(single, moved) if c[0].startswith("entry")]


def test_undeprecating_and_a_new_reason_are_reported() -> None:
    reached = BASE + '\n[[transitions]]\nfrom = "error"\nto = "legacy"\n'
    undeprecated = reached.replace('deprecated = "no longer set"\n', "")
    assert changes(reached, undeprecated) == [
        ("status-deprecated", "status 'legacy' no longer deprecated", "")]
    reason = BASE.replace('"no longer set"', '"gone since 2023.1"')
    assert changes(BASE, reason) == [
        ("status-deprecated",
         "status 'legacy': deprecation reason 'no longer set' -> 'gone since 2023.1'", "")]
    with_reason = BASE.replace('description = "Broken."',
                               'description = "Broken."\ndeprecated = "replaced by failed"')
    assert changes(BASE, with_reason)[0][1] == (
        "status 'error' deprecated ('replaced by failed')")


def test_guard_changes_are_reported_not_breaking() -> None:
    changed = BASE.replace('"a host is free"', '"a free host"')
    where = "transition available -> attaching (attach)"
    assert changes(BASE, changed) == [
        ("transition-changed", f"{where}: guard 'a host is free' -> 'a free host'", "")]
    removed = BASE.replace('guard = "a host is free"\n', "")
    assert changes(BASE, removed) == [
        ("transition-changed", f"{where}: guard 'a host is free' removed", "")]
    assert changes(removed, BASE) == [
        ("transition-changed", f"{where}: guard 'a host is free' added", "")]
    added = BASE + '\n[[transitions]]\nfrom = "error"\nto = "attaching"\nguard = "forced"\n'
    assert ("transition-added", "transition error -> attaching [forced] added", "") in (
        changes(BASE, added))


def test_a_renamed_status_keeps_its_guards_and_returns() -> None:
    """semdiff's sub() once dropped guard and returning: a rename then showed both as changed."""
    renamed = BASE.replace("attaching", "connecting")
    assert changes(BASE, renamed) == [
        ("status-renamed", "status 'attaching' renamed to 'connecting'",
         "code and stored data using the old name break")]


def test_group_changes_are_reported_and_their_expansion_shows_as_transitions() -> None:
    retitled = BASE.replace('title = "Busy statuses"', 'title = "Working"')
    assert changes(BASE, retitled) == [
        ("group-changed", "group 'busy': title 'Busy statuses' -> 'Working'", "")]
    more = BASE.replace('title = "Busy statuses"',
                        'title = "Busy statuses"\n\n[groups.quiet]\ntitle = "Quiet statuses"')
    more = more.replace('description = "Ready."', 'description = "Ready."\ngroup = "quiet"')
    assert changes(BASE, more) == [
        ("group-added", "group 'quiet' ('Quiet statuses') added", ""),
        ("status-changed", "status 'available': now in group 'quiet'", "")]
    assert changes(more, BASE) == [
        ("group-removed", "group 'quiet' removed", ""),
        ("status-changed", "status 'available': no longer in group 'quiet'", "")]
    out_of_group = BASE.replace('description = "Being attached."\ngroup = "busy"',
                                'description = "Being attached."')
    assert changes(BASE, out_of_group) == [
        ("status-changed", "status 'attaching': no longer in group 'busy'", ""),
        ("transition-removed", "transition attaching -> error (crash) removed",
         "code making this move now fails")]


def test_a_return_rule_expansion_change_shows_as_transitions() -> None:
    new = BASE + '\n[[transitions]]\nfrom = "error"\nto = "attaching"\nevent = "retry"\n'
    assert changes(BASE, new) == [
        ("transition-added", "transition attaching -> error (fail) added", ""),
        ("transition-added", "transition error -> attaching (retry) added", ""),
        ("event-retargeted", "event 'fail' from 'attaching' now leads to 'available', "
         "'error' (was 'available')", "code firing this event ends up elsewhere"),
    ]
    explicit = BASE.replace('return = true', 'to = "available"')
    assert changes(BASE, explicit) == [
        ("transition-changed",
         "transition attaching -> available (fail): no longer a return to the previous status",
         "")]


NULL = """\
[machine]
name = "task"
initial = "none"
{null}

[states.none]
description = "No status yet."

[states.queued]
description = "Queued."

[states.done]
description = "Done."
final = true

[[transitions]]
from = "none"
to = "queued"

[[transitions]]
from = "queued"
to = "done"
"""


def test_changing_null_is_breaking() -> None:
    unset, some = NULL.format(null=""), NULL.format(null='null = "none"')
    assert changes(unset, some) == [
        ("null-changed", "null status set to 'none'",
         "None (SQL NULL) now means 'none'; code storing its name breaks")]
    assert changes(some, unset) == [
        ("null-changed", "null status 'none' unset",
         "stored None (SQL NULL) values no longer mean 'none'")]
    other = NULL.format(null='null = "queued"').replace("none", "fresh")
    assert changes(some, other)[0] == (
        "null-changed", "null status 'none' -> 'queued'",
        "stored None (SQL NULL) values now mean 'queued'")
    renamed = some.replace("none", "unset")
    assert [c[0] for c in changes(some, renamed)] == ["status-renamed"]  # null follows it


def test_every_kind_has_a_section_and_the_reports_show_the_new_kinds() -> None:
    assert sorted(k for _title, kinds in _SECTIONS for k in kinds) == sorted(KINDS)
    new = BASE.replace('initial = ["creating", "managing"]',
                       'initial = ["creating", "managing", "available"]')
    new = new.replace('title = "Busy statuses"',
                      'title = "Busy statuses"\n\n[groups.quiet]\ntitle = "Quiet"')
    new = new.replace('description = "Broken."', 'description = "Broken."\ndeprecated = true')
    diff = diff_of(BASE, new)
    assert format_text(diff).splitlines() == [
        "statusdoc diff a -> b",
        "Machine:",
        "  + entry status 'available' added",
        "Groups:",
        "  + group 'quiet' ('Quiet') added",
        "Statuses:",
        "  ~ status 'error' deprecated",
        "3 changes, 0 breaking",
    ]
    md = format_markdown(diff_of(new, BASE))
    assert "- (removed) entry status 'available' removed — **breaking**: code creating " \
        "objects in it now fails" in md
    assert "#### Groups\n\n- (removed) group 'quiet' removed" in md
    assert "- (changed) status 'error' no longer deprecated" in md


def test_cli_exit_code_flags_a_removed_entry(tmp_path: Path) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(BASE, "utf-8")
    new.write_text(BASE.replace('initial = ["creating", "managing"]',
                                'initial = ["creating"]').replace(', managing = "manage"', "")
                   + '\n[[transitions]]\nfrom = "available"\nto = "managing"\n', "utf-8")
    proc = subprocess.run([sys.executable, "-m", "statusdoc", "diff", str(old), str(new),
                           "--exit-code"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "  - entry status 'managing' removed  [BREAKING: code creating objects in it " \
        "now fails]" in proc.stdout
