"""`statusdoc diff`: semantic changes between two versions of a spec, breaking ones flagged."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from statusdoc.semdiff import diff_machines, format_markdown, format_text
from statusdoc.spec.api import load, loads

EXAMPLE = Path(__file__).parent.parent / "examples" / "glance" / "image-statuses.toml"
STATUSDOC = [sys.executable, "-m", "statusdoc"]

BASE = """\
[machine]
name = "doc"
initial = "draft"

[states.draft]
description = "Being written."

[states.review]
description = "Waiting for a reviewer."

[states.published]
description = "Public."
final = true

[[transitions]]
from = "draft"
to = "review"
label = "submit"
event = "submit"

[[transitions]]
from = "review"
to = "draft"
label = "reject"
event = "reject"

[[transitions]]
from = "review"
to = "published"
label = "approve"
event = "approve"
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*STATUSDOC, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def diff_of(old: str, new: str):
    return diff_machines(loads(old), loads(new), old_name="a", new_name="b")


def test_acceptance_two_git_revisions_of_the_example(tmp_path: Path) -> None:
    repo = tmp_path / "project"
    repo.mkdir()
    spec = repo / "specs" / "image-statuses.toml"
    spec.parent.mkdir()
    shutil.copy(EXAMPLE, spec)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "first", cwd=repo)
    text = spec.read_text(encoding="utf-8")
    removed = (
        '[[transitions]]\nfrom = "saving"\nto = "killed"\nlabel = "upload failed"\n'
        'event = "upload_failed"\n\n'
    )
    assert removed in text
    text = text.replace(removed, "")
    # killed stays reachable through a new path, and a new status appears
    text = text.replace(
        "[diagram]",
        '[states.deactivated]\ndescription = "Not downloadable for now."\n\n'
        '[[transitions]]\nfrom = "active"\nto = "deactivated"\nlabel = "deactivate"\n'
        'event = "deactivate"\n\n'
        '[[transitions]]\nfrom = "deactivated"\nto = "killed"\nlabel = "fail"\n\n'
        "[diagram]",
    )
    spec.write_text(text, encoding="utf-8")
    git("commit", "-qam", "second", cwd=repo)

    # run from outside the repository: git runs in the spec's own folder
    out = run("diff", "--git", "HEAD~1", str(spec), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = out.stdout
    assert report.startswith("statusdoc diff HEAD~1:specs/image-statuses.toml -> ")
    assert "+ status 'deactivated' added" in report
    assert (
        "- transition saving -> killed (upload failed; event upload_failed) removed"
        "  [BREAKING: code making this move now fails]" in report
    )
    assert "+ transition active -> deactivated (deactivate) added" in report
    assert "+ transition deactivated -> deleted (delete) added" in report  # wildcard covers it
    assert "status 'deactivated' added  [BREAKING" not in report

    strict = run("diff", "--git", "HEAD~1", str(spec), "--exit-code", cwd=tmp_path)
    assert strict.returncode == 1
    assert strict.stdout == report

    md = run("diff", "--git", "HEAD~1", str(spec), "--format", "markdown", cwd=repo)
    assert md.returncode == 0
    assert "#### Statuses" in md.stdout and "#### Transitions" in md.stdout
    assert "**⚠ 1 breaking change** out of" in md.stdout
    assert "- (removed) transition saving → killed" in md.stdout

    same = run("diff", "--git", "HEAD", str(spec), "--exit-code", cwd=repo)
    assert same.returncode == 0
    assert "no semantic changes" in same.stdout


def test_two_files_and_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "machine: {name: doc, initial: draft}\n"
        "states:\n  draft: {description: Being written.}\n"
        "  review: {description: Waiting for a reviewer.}\n"
        "  published: {description: Public., final: true}\n"
        "transitions:\n"
        "- {from: draft, to: review, label: submit, event: submit}\n"
        "- {from: review, to: draft, label: reject, event: reject}\n"
        "- {from: review, to: published, label: approve, event: approve}\n",
        encoding="utf-8",
    )
    same = run("diff", "a.toml", "b.yaml", "--exit-code", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    assert same.stdout == "statusdoc diff a.toml -> b.yaml\nno semantic changes\n"

    assert run("diff", "a.toml", cwd=tmp_path).returncode == 2
    assert run("diff", "--git", "HEAD", "a.toml", "b.yaml", cwd=tmp_path).returncode == 2
    not_git = run("diff", "--git", "HEAD", "a.toml", cwd=tmp_path)
    assert not_git.returncode == 2 and "not in a git work tree" in not_git.stderr
    (tmp_path / "bad.toml").write_text(BASE.replace('to = "review"', 'to = "reveiw"'),
                                       encoding="utf-8")
    bad = run("diff", "a.toml", "bad.toml", cwd=tmp_path)
    assert bad.returncode == 1  # an invalid spec is a problem found, as for generate
    assert "statusdoc diff: invalid spec" in bad.stderr and "reveiw" in bad.stderr
    missing = run("diff", "a.toml", "gone.toml", cwd=tmp_path)
    assert missing.returncode == 2  # a file that cannot be read is a usage error
    assert "statusdoc diff: gone.toml: cannot read: No such file" in missing.stderr
    assert "Traceback" not in bad.stderr


def test_git_revision_without_the_file(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "x").write_text("x", encoding="utf-8")
    git("add", "x", cwd=tmp_path)
    git("commit", "-qm", "x", cwd=tmp_path)
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    out = run("diff", "--git", "HEAD", "a.toml", cwd=tmp_path)
    assert out.returncode == 2
    assert "a.toml" in out.stderr


def test_rename_is_detected_by_matching_transitions() -> None:
    new = BASE.replace('"review"', '"in_review"').replace("[states.review]",
                                                           "[states.in_review]")
    diff = diff_of(BASE, new)
    assert diff.renamed == {"review": "in_review"}
    assert [c.text for c in diff.changes] == ["status 'review' renamed to 'in_review'"]
    assert diff.changes[0].breaking
    # no transition shows as removed/added: they are the same after substitution
    assert not diff.of_kind("transition-removed") and not diff.of_kind("transition-added")


def test_unmatched_removal_is_not_a_rename() -> None:
    """A removed and an added status with nothing in common stay a removal and an addition."""
    new = """\
[machine]
name = "doc"
initial = "draft"

[states.draft]
description = "Being written."

[states.checked]
description = "Checked by a robot."

[states.published]
description = "Public."
final = true

[[transitions]]
from = "draft"
to = "checked"
label = "check"
event = "check"

[[transitions]]
from = "checked"
to = "published"
label = "release"
event = "release"
"""
    diff = diff_of(BASE, new)
    assert diff.renamed == {}
    kinds = [c.kind for c in diff.changes]
    assert "status-added" in kinds and "status-removed" in kinds


IN_REVIEW = BASE.replace('"review"', '"in_review"').replace("[states.review]",
                                                             "[states.in_review]")
COMMENT = '\n[[transitions]]\nfrom = "in_review"\nto = "in_review"\nlabel = "comment"\n'


def test_a_rename_that_also_gains_a_transition_is_one_rename_and_one_addition() -> None:
    diff = diff_of(BASE, IN_REVIEW + COMMENT)
    assert diff.renamed == {"review": "in_review"}
    assert [c.text for c in diff.changes] == [
        "status 'review' renamed to 'in_review'",
        "transition in_review -> in_review (comment) added",
    ]
    assert len(diff.breaking) == 1


def test_a_rename_that_also_loses_a_transition_is_one_rename_and_one_removal() -> None:
    new = IN_REVIEW.replace('[[transitions]]\nfrom = "in_review"\nto = "draft"\n'
                            'label = "reject"\nevent = "reject"\n', "")
    assert "reject" not in new
    diff = diff_of(BASE, new)
    assert diff.renamed == {"review": "in_review"}
    assert [c.text for c in diff.changes] == [
        "status 'review' renamed to 'in_review'",
        "transition in_review -> draft (reject) removed",
    ]


def test_every_status_renamed_is_matched_by_shape_and_description() -> None:
    """Every status renamed: the transitions' shapes and the descriptions match them."""
    new = BASE
    for old_name, new_name in (("draft", "writing"), ("review", "reviewing"),
                               ("published", "public")):
        new = new.replace(f'"{old_name}"', f'"{new_name}"').replace(
            f"[states.{old_name}]", f"[states.{new_name}]")
    diff = diff_of(BASE, new)
    assert diff.renamed == {"draft": "writing", "review": "reviewing", "published": "public"}
    # the initial status was renamed too: that is no change of the initial status
    assert [c.kind for c in diff.changes] == ["status-renamed"] * 3
    assert not diff.of_kind("transition-added") and not diff.of_kind("transition-removed")


def test_statuses_too_alike_to_match_are_noted() -> None:
    from statusdoc.renames import MAX_GROUP

    many = MAX_GROUP + 2
    def spec(prefix: str) -> str:
        states = "".join(f'[states.{prefix}{i}]\ndescription = "Same."\n\n' for i in range(many))
        moves = "".join(f'[[transitions]]\nfrom = "draft"\nto = "{prefix}{i}"\nlabel = "go"\n\n'
                        f'[[transitions]]\nfrom = "{prefix}{i}"\nto = "draft"\nlabel = "back"\n\n'
                        for i in range(many))
        return ('[machine]\nname = "m"\ninitial = "draft"\n\n[states.draft]\n\n'
                + states + moves)
    diff = diff_of(spec("old"), spec("new"))
    assert diff.renamed == {}
    assert diff.notes == [
        f"{2 * many} status(es) look like more than {MAX_GROUP} others; renames among them "
        "cannot be told apart and show as removed and added"
    ]
    assert format_text(diff).rstrip().endswith(f"note: {diff.notes[0]}")
    assert "*Note: " in format_markdown(diff)


def test_label_description_event_final_and_tag_changes() -> None:
    new = (
        BASE.replace('label = "submit"', 'label = "send for review"')
        .replace('description = "Public."', 'description = "Visible to everyone."')
        .replace('to = "draft"\nlabel = "reject"\nevent = "reject"',
                 'to = "draft"\nlabel = "reject"\nevent = "reject"\ntags = ["v2"]')
        .replace('to = "published"\nlabel = "approve"\nevent = "approve"',
                 'to = "published"\nlabel = "approve"\nevent = "approve"\n\n'
                 '[[transitions]]\nfrom = "draft"\nto = "published"\nlabel = "approve"\n'
                 'event = "approve"')
    )
    diff = diff_of(BASE, new)
    texts = [c.text for c in diff.changes]
    assert texts == [
        "status 'published': description changed ('Public.' -> 'Visible to everyone.')",
        "transition draft -> published (approve) added",
        "transition draft -> review (submit): label 'submit' -> 'send for review'",
        "transition review -> draft (reject): tags [] -> ['v2']",
    ]
    assert diff.breaking == []


def test_event_leading_elsewhere_and_status_made_final_are_breaking() -> None:
    new = BASE.replace('from = "review"\nto = "draft"', 'from = "review"\nto = "published"')
    diff = diff_of(BASE, new)
    retargeted = diff.of_kind("event-retargeted")
    assert [c.text for c in retargeted] == [
        "event 'reject' from 'review' now leads to 'published' (was 'draft')"
    ]
    assert retargeted[0].breaking == "code firing this event ends up elsewhere"

    made_final = diff_of(
        BASE.replace("[states.published]", '[states.archived]\ndescription = "Old."\n\n'
                     "[states.published]")
        + '\n[[transitions]]\nfrom = "draft"\nto = "archived"\n\n'
        '[[transitions]]\nfrom = "archived"\nto = "draft"\n',
        BASE.replace("[states.published]", '[states.archived]\ndescription = "Old."\n'
                     "final = true\n\n[states.published]")
        + '\n[[transitions]]\nfrom = "draft"\nto = "archived"\n',
    )
    finals = [c for c in made_final.changes if "now final" in c.text]
    assert finals and finals[0].breaking == "nothing may leave it any more"


def test_initial_and_machine_text_changes() -> None:
    new = BASE.replace('initial = "draft"', 'initial = "draft"\ntitle = "Documents"')
    diff = diff_of(BASE, new)
    assert [c.text for c in diff.changes] == ["machine title: 'doc' -> 'Documents'"]
    assert not diff.breaking


@pytest.mark.parametrize("fmt", [format_text, format_markdown])
def test_reports_of_no_change(fmt) -> None:
    machine = load(EXAMPLE)
    text = fmt(diff_machines(machine, machine))
    assert "no semantic changes" in text.lower()


def test_markdown_escapes_names() -> None:
    new = BASE + '\n[[transitions]]\nfrom = "draft"\nto = "published"\nlabel = "a|b *c* <d>"\n'
    md = format_markdown(diff_of(BASE, new))
    assert "a\\|b \\*c\\* &lt;d&gt;" in md


def test_event_renamed_on_the_same_move_is_one_breaking_change() -> None:
    new = BASE.replace('label = "reject"\nevent = "reject"', 'label = "reject"\nevent = "bounce"')
    diff = diff_of(BASE, new)
    assert [(c.text, c.breaking) for c in diff.changes] == [
        ("transition review -> draft (bounce): event 'reject' -> 'bounce'",
         "code firing 'reject' here now fails"),
    ]
    added_event = diff_of(BASE.replace('event = "reject"\n', ""), BASE)
    assert [(c.text, c.breaking) for c in added_event.changes] == [
        ("transition review -> draft (reject): event (none) -> 'reject'", ""),
    ]


def test_ambiguous_rename_is_reported_as_remove_and_add() -> None:
    old = BASE.replace('[states.published]', '[states.spare]\ndescription = "x"\n\n'
                       '[states.published]') + (
        '\n[[transitions]]\nfrom = "draft"\nto = "spare"\n\n'
        '[[transitions]]\nfrom = "spare"\nto = "published"\n'
    )
    # spare -> two new statuses with identical transitions: no unique pairing
    new = old.replace('[states.spare]\ndescription = "x"',
                      '[states.one]\ndescription = "x"\n\n[states.two]\ndescription = "x"')
    new = new.replace(
        '[[transitions]]\nfrom = "draft"\nto = "spare"\n\n'
        '[[transitions]]\nfrom = "spare"\nto = "published"\n',
        "".join(f'[[transitions]]\nfrom = "draft"\nto = "{n}"\n\n[[transitions]]\n'
                f'from = "{n}"\nto = "published"\n\n' for n in ("one", "two")),
    )
    diff = diff_of(old, new)
    assert diff.renamed == {}
    assert [c.text for c in diff.of_kind("status-removed")] == ["status 'spare' removed"]
    assert len(diff.of_kind("status-added")) == 2


def _repo_with_spec(tmp_path: Path) -> Path:
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "a.toml").write_text(BASE, encoding="utf-8")
    git("add", "a.toml", cwd=tmp_path)
    git("commit", "-qm", "a", cwd=tmp_path)
    return tmp_path / "a.toml"


@pytest.mark.parametrize("rev", ["--output=OUT", "-p", "--output", "-"])
def test_a_revision_cannot_be_a_git_option(tmp_path: Path, rev: str) -> None:
    _repo_with_spec(tmp_path)
    out_file = tmp_path / "injected.txt"
    rev = rev.replace("OUT", str(out_file))
    proc = run("diff", f"--git={rev}", "a.toml", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout
    assert f"--git {rev!r}: a revision cannot start with '-'" in proc.stderr
    assert not out_file.exists()
    assert "Traceback" not in proc.stderr


def test_a_revision_must_name_a_commit(tmp_path: Path) -> None:
    _repo_with_spec(tmp_path)
    for rev in ("nosuchbranch", "HEAD^{tree}", "HEAD:a.toml", "HEAD --output=x"):
        proc = run("diff", "--git", rev, "a.toml", cwd=tmp_path)
        assert proc.returncode == 2, rev
        assert f"--git {rev!r} does not name a commit" in proc.stderr, proc.stderr
    assert not (tmp_path / "x").exists()
    ok = run("diff", "--git", "HEAD", "a.toml", cwd=tmp_path)
    assert ok.returncode == 0 and "no semantic changes" in ok.stdout


def test_git_diff_of_a_spec_in_a_missing_directory_says_so(tmp_path: Path) -> None:
    proc = run("diff", "--git", "HEAD", "nowhere/spec.toml", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nowhere/spec.toml: no such file" in proc.stderr
    assert "not installed" not in proc.stderr


def test_a_spec_that_was_not_utf8_at_the_revision_is_a_load_error(tmp_path: Path) -> None:
    spec = _repo_with_spec(tmp_path)
    spec.write_bytes(BASE.replace("Public.", "Publ\xefc.").encode("latin-1"))
    git("commit", "-qam", "latin-1", cwd=tmp_path)
    spec.write_text(BASE, encoding="utf-8")
    proc = run("diff", "--git", "HEAD", "a.toml", cwd=tmp_path)
    assert proc.returncode == 1  # read, and not a valid spec
    assert "invalid UTF-8" in proc.stderr and "Traceback" not in proc.stderr


def test_a_big_diff_pauses_the_garbage_collector_and_restores_it() -> None:
    import gc

    from statusdoc.semdiff import _GC_PAUSE_TRANSITIONS

    n = _GC_PAUSE_TRANSITIONS // 2 + 10
    states = "".join(f'[states.s{i}]\ndescription = "S{i}."\n\n' for i in range(n))
    moves = "".join(f'[[transitions]]\nfrom = "s{i}"\nto = "s{i + 1}"\n\n' for i in range(n - 1))
    old = loads('[machine]\nname = "m"\ninitial = "s0"\n\n' + states + moves)
    new = loads(('[machine]\nname = "m"\ninitial = "s0"\n\n' + states + moves)
                .replace('"s1"', '"one"').replace("[states.s1]", "[states.one]"))
    assert len(old.transitions) + len(new.transitions) >= _GC_PAUSE_TRANSITIONS
    collections: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.collect()
    gc.callbacks.append(record)
    try:
        assert diff_machines(old, new).renamed == {"s1": "one"}
    finally:
        gc.callbacks.remove(record)
    assert collections == []  # no collection ran during the diff
    assert gc.isenabled()
    gc.disable()
    try:
        diff_machines(old, new)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
