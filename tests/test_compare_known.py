"""compare (issue 10): None as the null status, deprecated statuses, known differences
in the configuration, ``--known FILE``, the pytest plugin and ``assert_table_matches``."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest
from cli_support import GLANCE, GLANCE_TABLE, REPO
from cli_support import STATUSDOC_SCRIPT as STATUSDOC

import statusdoc
from statusdoc.compare import TableError, compare_table, load_table, normalize_table
from statusdoc.config import load_config
from statusdoc.errors import ConfigError
from statusdoc.known import KnownDifference, KnownDifferenceError, load_known, parse_known
from statusdoc.testing import assert_table_matches

pytest_plugins = ["pytester"]

TASK = REPO / "examples" / "taskinstance" / "task-instance-statuses.toml"
_FINISHED = ("success", "failed", "upstream_failed", "skipped", "removed")
#: The task-instance machine as scheduler code keeps it: None is "no status yet".
TASK_TABLE: dict[str | None, tuple[str | None, ...]] = {
    None: ("scheduled", "upstream_failed", "skipped", "removed"),
    "scheduled": (None, "queued", "skipped", "removed"),
    "queued": (None, "scheduled", "running"),
    "running": ("success", "up_for_retry", "failed", "skipped", "up_for_reschedule",
                "deferred", "restarting"),
    "restarting": (None, "up_for_retry"),
    "up_for_retry": (None, "scheduled"),
    "up_for_reschedule": (None, "scheduled"),
    "deferred": (None, "scheduled", "failed"),
    "shutdown": (None,),
    **{status: (None,) for status in _FINISHED},
}

#: Glance's real drift: one edge only in code, one edge missing from code.
DRIFTED = {**GLANCE_TABLE, "active": ("pending_delete", "deleted"),
           "pending_delete": ("deleted", "active")}
DRIFT_MODULE = f"class Image:\n    valid_state_targets = {DRIFTED!r}\n"


@pytest.fixture(scope="module")
def task() -> statusdoc.Machine:
    return statusdoc.load(TASK)


@pytest.fixture(scope="module")
def image() -> statusdoc.Machine:
    return statusdoc.load(GLANCE)


def known(**entry: object) -> KnownDifference:
    return parse_known([entry], "known")[0]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(STATUSDOC), "compare", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60)


# --- None is the null status ------------------------------------------------------------


def test_acceptance_a_task_table_with_none_keys_compares_clean(task):
    diff = compare_table(task, TASK_TABLE)
    assert diff.ok, diff.report()
    assert diff.report("task", "T") == "task: T matches the spec"


def test_none_keys_and_targets_are_the_null_status_in_every_difference(task):
    table = dict(TASK_TABLE)
    table[None] = ("scheduled", "upstream_failed", "skipped")  # lost: none -> removed
    table["queued"] = ("scheduled", "running")                  # lost: queued -> none
    table["running"] = (*TASK_TABLE["running"], None)           # extra: running -> none
    diff = compare_table(task, table)
    assert diff.missing_transitions == (("none", "removed"), ("queued", "none"))
    assert diff.extra_transitions == (("running", "none"),)


def test_a_none_key_and_the_null_status_name_are_one_status():
    table = normalize_table({None: ["a"], "none": [None, "b"]}, null="none")
    assert table == {"none": ("a", "none", "b")}


def test_none_without_a_null_status_is_an_error_naming_the_problem(image, tmp_path):
    table = {**GLANCE_TABLE, None: ("queued",)}
    with pytest.raises(TableError) as info:
        compare_table(image, table, where="table 'T'")
    assert str(info.value) == (
        "table 'T': status None stands for the null status, but the spec has no "
        '[machine] null; set null = "<status>" to the status stored as None')
    (tmp_path / "t.json").write_text('{"queued": [null]}', "utf-8")
    with pytest.raises(TableError, match="status None stands for the null status"):
        load_table("t.json", root=tmp_path)
    assert load_table("t.json", root=tmp_path, null="queued") == {"queued": ("queued",)}
    proc = cli(str(GLANCE), "--table", "t.json", cwd=tmp_path)
    assert proc.returncode == 2
    assert "statusdoc compare: table 't.json': status None stands for the null status" in (
        proc.stderr)


def test_cli_compares_a_yaml_table_with_null_keys(tmp_path):
    lines = []
    for src, dsts in TASK_TABLE.items():
        lines.append(f"{'null' if src is None else src}:")
        lines += [f"  - {'null' if d is None else d}" for d in dsts]
    (tmp_path / "task.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    proc = cli(str(TASK), "--table", "task.yaml", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, f"{TASK}: task.yaml matches the spec\n")


# --- deprecated statuses ------------------------------------------------------------------

DEPRECATED = """\
[machine]
name = "m"
initial = "new"

[states.new]
description = "New."

[states.old]
description = "Old rows only."
deprecated = "no longer set"

[states.legacy]
description = "Old rows only, and they may be closed."
deprecated = true

[states.done]
description = "Done."
final = true

[[transitions]]
from = "new"
to = "done"

[[transitions]]
from = "legacy"
to = "done"
"""


def test_a_deprecated_status_the_table_omits_is_no_difference_but_its_transitions_are():
    machine = statusdoc.loads(DEPRECATED)
    assert compare_table(machine, {"new": ["done"], "legacy": ["done"], "done": []}).ok
    diff = compare_table(machine, {"new": ["done"], "done": []})
    assert diff.lines() == ["missing from code: legacy -> done"]
    # a table that still lists it is fine too, and a status that is not deprecated counts
    assert compare_table(machine, {"new": ["done"], "old": [], "legacy": ["done"],
                                   "done": []}).ok
    assert compare_table(machine, {"new": []}).lines() == [
        "missing from code: status done", "missing from code: new -> done",
        "missing from code: legacy -> done"]


# --- known differences: the library -------------------------------------------------------


def test_present_known_differences_are_reported_not_failures(image):
    listed = parse_known([
        {"transition": "active -> queued", "side": "missing", "reason": "bug 1234"},
        {"transition": "pending_delete -> active", "side": "extra", "reason": "restore, v3"},
    ], "pyproject.toml: specs[0].known-differences")
    diff = compare_table(image, DRIFTED, known=listed)
    assert diff.ok and not diff.lines()
    assert diff.known == listed
    assert diff.report("spec", "T") == "\n".join([
        "spec: T matches the spec but for known differences (2 known differences):",
        "  known: missing from code: active -> queued (bug 1234)",
        "  known: only in code: pending_delete -> active (restore, v3)",
    ])


def test_a_listed_difference_that_no_longer_occurs_is_stale_and_fails(image):
    listed = parse_known([
        {"transition": "active -> queued", "side": "missing", "reason": "bug 1234"},
        {"status": "killed", "side": "missing", "reason": "never set"},
    ], "pyproject.toml: specs[0].known-differences")
    diff = compare_table(image, DRIFTED, known=listed)
    assert not diff.ok
    assert [k.text for k in diff.stale] == ["missing from code: status killed"]
    assert diff.report("spec", "T") == "\n".join([
        "spec: T differs from the spec (1 difference, 1 stale known difference, "
        "1 known difference):",
        "  only in code: pending_delete -> active",
        "  stale: missing from code: status killed: listed as a known difference "
        "(pyproject.toml: specs[0].known-differences[1]), but code and spec agree on it "
        "now; remove it from the list",
        "  known: missing from code: active -> queued (bug 1234)",
    ])
    only_stale = compare_table(image, GLANCE_TABLE, known=listed[:1])
    assert only_stale.report("spec", "T").splitlines()[0] == (
        "spec: T has stale known differences (1 stale known difference):")


def test_a_known_status_brings_its_transitions_along(image):
    table = {k: tuple(v for v in vs if v != "killed") for k, vs in GLANCE_TABLE.items()
             if k != "killed"}
    assert compare_table(image, table).lines() == [
        "missing from code: status killed",
        "missing from code: saving -> killed",
        "missing from code: killed -> deleted",
    ]
    diff = compare_table(image, table, known=[known(status="killed", side="missing",
                                                    reason="never set")])
    assert diff.ok
    assert diff.report().splitlines()[1:] == [
        "  known: missing from code: status killed (never set)",
        "  known: missing from code: saving -> killed (with the known status killed)",
        "  known: missing from code: killed -> deleted (with the known status killed)",
    ]
    extra = {**GLANCE_TABLE, "active": (*GLANCE_TABLE["active"], "archived"), "archived": ()}
    diff = compare_table(image, extra, known=[known(status="archived", side="extra",
                                                    reason="v3")])
    assert diff.ok and [k.text for k in diff.known] == [
        "only in code: status archived", "only in code: active -> archived"]


def test_unknown_names_in_the_list_are_errors_with_did_you_mean(image):
    listed = parse_known([
        {"transition": "activ -> queued", "side": "missing", "reason": "r"},
        {"status": "archivd", "side": "extra", "reason": "r"},
        {"status": "queued", "side": "extra", "reason": "r"},
    ], "k")
    table = {**GLANCE_TABLE, "active": (*GLANCE_TABLE["active"], "archived"), "archived": ()}
    with pytest.raises(KnownDifferenceError) as info:
        compare_table(image, table, known=listed)
    assert str(info.value).splitlines() == [
        "k[0]: activ is not a status of the spec (did you mean 'active'?)",
        "k[1]: archivd is not a status of the spec or the code (did you mean 'archived'?) "
        "(if the code no longer has it, remove the entry)",
        "k[2]: status queued is in the spec, so it can never be only in code "
        '(side = "missing"?)',
    ]


@pytest.mark.parametrize(("entry", "message"), [
    ({"transition": "a -> b", "side": "missing"}, "k[0]: missing required key 'reason'"),
    ({"transition": "a -> b", "side": "missing", "reason": " "},
     "k[0].reason: expected a non-empty string"),
    ({"transition": "a -> b", "reason": "r"}, "k[0]: missing required key 'side'"),
    ({"transition": "a -> b", "side": "mising", "reason": "r"},
     "k[0].side: expected \"missing\" (in the spec, not in code) or \"extra\" (only in "
     "code), got 'mising' (did you mean 'missing'?)"),
    ({"side": "extra", "reason": "r"}, "k[0]: give one of 'transition'"),
    ({"status": "a", "transition": "a -> b", "side": "extra", "reason": "r"},
     "k[0]: give one of 'transition'"),
    ({"transition": "a b", "side": "extra", "reason": "r"},
     "k[0].transition: expected \"from -> to\", got 'a b'"),
    ({"transition": "a -> b -> c", "side": "extra", "reason": "r"},
     'for names holding "->" write ["from", "to"]'),
    ({"transition": ["a"], "side": "extra", "reason": "r"},
     "k[0].transition: expected [\"from\", \"to\"], got a list of 1"),
    ({"transiton": "a -> b", "side": "extra", "reason": "r"},
     "k[0]: unknown key 'transiton' (did you mean 'transition'?)"),
    ("a -> b", "k[0]: expected a table"),
])
def test_bad_entries_are_located_errors(entry, message):
    with pytest.raises(KnownDifferenceError) as info:
        parse_known([entry], "k")
    assert message in str(info.value)


def test_the_same_difference_twice_is_an_error_and_a_list_names_arrows():
    with pytest.raises(KnownDifferenceError, match=r"k\[1\]: missing from code: a -> b is "
                       r"listed twice \(also k\[0\]\)"):
        parse_known([{"transition": "a -> b", "side": "missing", "reason": "r"},
                     {"transition": "a->b", "side": "missing", "reason": "other"}], "k")
    item = known(transition=["a -> x", "b"], side="extra", reason="r")
    assert item.transition == ("a -> x", "b")
    assert item.text == "only in code: 'a -> x' -> b"
    with pytest.raises(KnownDifferenceError, match="expected an array of tables"):
        parse_known({"transition": "a -> b"}, "k")


# --- known differences: configuration and CLI ---------------------------------------------

PROJECT = """\
[tool.statusdoc]
[[tool.statusdoc.specs]]
spec = "image-statuses.toml"
outputs = ["md"]
table = "domain:Image.valid_state_targets"
{extra}
"""
KNOWN_MISSING = """
[[tool.statusdoc.specs.known-differences]]
transition = "active -> queued"
side = "missing"
reason = "Glance bug 1234: the API refuses it; tracked."
"""
KNOWN_EXTRA = """
[[tool.statusdoc.specs.known-differences]]
transition = "pending_delete -> active"
side = "extra"
reason = "restore, added in code first"
"""


def project(root: Path, extra: str) -> Path:
    (root / "image-statuses.toml").write_bytes(GLANCE.read_bytes())
    (root / "domain.py").write_text(DRIFT_MODULE, "utf-8")
    (root / "pyproject.toml").write_text(PROJECT.format(extra=extra), "utf-8")
    return root


def test_configured_known_differences_are_parsed(tmp_path):
    config = load_config(project(tmp_path, KNOWN_MISSING))
    (item,) = config.specs[0].known
    assert (item.side, item.transition, item.reason) == (
        "missing", ("active", "queued"), "Glance bug 1234: the API refuses it; tracked.")
    assert item.where.endswith("pyproject.toml: specs[0].known-differences[0]")
    (tmp_path / "pyproject.toml").write_text(PROJECT.format(extra=KNOWN_MISSING.replace(
        "reason = ", "why = ")), "utf-8")
    with pytest.raises(ConfigError, match=r"specs\[0\].known-differences\[0\]: unknown key "
                       "'why'"):
        load_config(tmp_path)


def test_cli_exit_codes_follow_the_known_list(tmp_path):
    root = project(tmp_path, KNOWN_MISSING)
    drift = cli(cwd=root)
    assert drift.returncode == 1
    assert drift.stdout.splitlines() == [
        "image-statuses.toml: domain:Image.valid_state_targets differs from the spec "
        "(1 difference, 1 known difference):",
        "  only in code: pending_delete -> active",
        "  known: missing from code: active -> queued (Glance bug 1234: the API refuses it; "
        "tracked.)",
    ]
    (root / "pyproject.toml").write_text(PROJECT.format(extra=KNOWN_MISSING + KNOWN_EXTRA))
    assert cli(cwd=root).returncode == 0
    assert cli("image-statuses.toml", cwd=root).returncode == 0
    assert cli("-q", cwd=root).stdout == ""
    (root / "domain.py").write_text(
        f"class Image:\n    valid_state_targets = {GLANCE_TABLE!r}\n", "utf-8")
    stale = cli(cwd=root)
    assert stale.returncode == 1
    assert stale.stdout.splitlines()[0].endswith("has stale known differences "
                                                 "(2 stale known differences):")


def test_cli_known_file_replaces_the_configured_list(tmp_path):
    root = project(tmp_path, KNOWN_MISSING)
    (root / "known.toml").write_text(KNOWN_MISSING.replace("tool.statusdoc.specs.", "")
                                     + KNOWN_EXTRA.replace("tool.statusdoc.specs.", ""))
    assert load_known(root / "known.toml")[1].where == (
        f"{root / 'known.toml'}: known-differences[1]")
    proc = cli("image-statuses.toml", "--known", "known.toml", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (root / "empty.toml").write_text("")
    assert cli("image-statuses.toml", "--known", "empty.toml", cwd=root).returncode == 1
    proc = cli("image-statuses.toml", "--table", "domain:Image.valid_state_targets",
               "--known", "known.toml", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize(("args", "files", "message"), [
    (["--known", "k.toml"], {}, "statusdoc compare: --known needs a SPEC argument"),
    (["image-statuses.toml", "--known", "nope.toml"], {}, "nope.toml: cannot read"),
    (["image-statuses.toml", "--known", "k.toml"], {"k.toml": "[[known]]\n"},
     "k.toml: unknown key 'known'; a known-differences file holds [[known-differences]] "
     "tables only"),
    (["image-statuses.toml", "--known", "k.toml"],
     {"k.toml": '[[known-differences]]\nstatus = "kiled"\nside = "missing"\nreason = "r"\n'},
     "k.toml: known-differences[0]: kiled is not a status of the spec (did you mean "
     "'killed'?)"),
])
def test_cli_known_errors_exit_2(tmp_path, args, files, message):
    root = project(tmp_path, "")
    for name, text in files.items():
        (root / name).write_text(text, "utf-8")
    proc = cli(*args, cwd=root)
    assert proc.returncode == 2
    assert message in proc.stderr


# --- known differences: pytest plugin and assert_table_matches ------------------------------


def test_plugin_table_item_honours_the_configured_list(pytester):
    root = project(pytester.path, KNOWN_MISSING + KNOWN_EXTRA)
    result = pytester.runpytest_subprocess("--statusdoc", "-v", "-k", "table")
    result.assert_outcomes(passed=1)
    (root / "domain.py").write_text(
        f"class Image:\n    valid_state_targets = {GLANCE_TABLE!r}\n", "utf-8")
    result = pytester.runpytest_subprocess("--statusdoc", "-v", "-k", "table")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*has stale known differences (2 stale known differences):",
                                 "*stale: missing from code: active -> queued*"])


def test_assert_table_matches_honours_the_same_list(tmp_path):
    root = project(tmp_path, KNOWN_MISSING + KNOWN_EXTRA)
    spec = root / "image-statuses.toml"
    assert_table_matches(spec, DRIFTED)                     # the configured list
    assert_table_matches(statusdoc.load(spec), DRIFTED)     # found from Machine.source too
    with pytest.raises(AssertionError, match="has stale known differences"):
        assert_table_matches(spec, GLANCE_TABLE)
    with pytest.raises(AssertionError, match="differs from the spec"):
        assert_table_matches(spec, DRIFTED, known=())
    (root / "k.toml").write_text(KNOWN_MISSING.replace("tool.statusdoc.specs.", ""))
    with pytest.raises(AssertionError) as info:
        assert_table_matches(spec, DRIFTED, known=root / "k.toml", table_name="T")
    assert str(info.value).splitlines()[:2] == [
        f"{spec}: T differs from the spec (1 difference, 1 known difference):",
        "  only in code: pending_delete -> active",
    ]
    extra = known(transition="pending_delete -> active", side="extra", reason="r")
    assert_table_matches(GLANCE, DRIFTED, known=(*load_known(root / "k.toml"), extra))


def test_assert_table_matches_reads_none_keys_from_a_table_reference(tmp_path, task):
    module = tmp_path / "task_table.py"
    module.write_text(f"TABLE = {TASK_TABLE!r}\n", "utf-8")
    assert_table_matches(task, f"{module}:TABLE")
    module.write_text(f"TABLE = {{**{TASK_TABLE!r}, 'shutdown': ()}}\n", "utf-8")
    with pytest.raises(AssertionError, match="missing from code: shutdown -> none"):
        assert_table_matches(task, f"{module}:TABLE")


def test_the_docs_known_differences_session_is_what_the_cli_prints(tmp_path):
    """docs/enforcement.rst's worked example: its pyproject.toml, run, exactly its output."""
    page = (REPO / "docs" / "enforcement.rst").read_text("utf-8")
    module = page.split(":caption: glance_domain.py\n\n", 1)[1].split("\n\n", 1)[0]
    config = page.split(":caption: pyproject.toml\n\n", 1)[1].split("\n.. ", 1)[0]
    session = page.split(".. _known-differences:", 1)[1].split("   $ statusdoc compare\n", 1)[1]
    expected = session.split("\n\n", 1)[0].splitlines()
    (tmp_path / "glance_domain.py").write_text(textwrap.dedent(module), "utf-8")
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config), "utf-8")
    (tmp_path / "image-statuses.toml").write_bytes(GLANCE.read_bytes())
    proc = cli(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [line[3:] for line in expected]
    fixed = textwrap.dedent(module).replace('"active": ("pending_delete", "deleted")',
                                            '"active": ("pending_delete", "deleted", "queued")')
    (tmp_path / "glance_domain.py").write_text(fixed, "utf-8")
    stale = cli(cwd=tmp_path)
    assert stale.returncode == 1
    documented = page.split("so the list shrinks as the code is fixed:\n\n"
                            ".. code-block:: text\n\n", 1)[1]
    lines = [line[3:] for line in documented.split("\n\n", 1)[0].splitlines()]
    assert stale.stdout.replace(str(tmp_path / "pyproject.toml"), "/path/to/pyproject.toml"
                                ).splitlines() == lines
