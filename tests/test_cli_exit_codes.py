"""The exit-code table of docs/cli.rst, command by command (issue 12, items 9 and 11).

0 clean, 1 problems found (invalid spec, drift, differences, render or write
failure), 2 usage or environment error (bad option, a file that cannot be
read, an unusable configuration). Each case runs the real ``statusdoc``
command; a command registered without a case for each code it can give
fails :func:`test_every_command_has_a_case_per_exit_code`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import GLANCE, GLANCE_TABLE, run

from statusdoc.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

SPEC = GLANCE.read_text(encoding="utf-8")
#: The Glance spec with a transition to a status that does not exist.
INVALID = SPEC.replace('to = "saving"', 'to = "savng"', 1)
#: The Glance spec without its last transition (a breaking change for ``diff``).
SMALLER = SPEC[: SPEC.rindex("[[transitions]]")]
DOT = "digraph { a -> b }\n"
#: A Glance status history (statusdoc audit): queued -> saving.
HISTORY = "id,status,at\n1,queued,2024-01-01 00:00\n1,saving,2024-01-01 01:00\n"


def write(root: Path, **named: str | bytes) -> None:
    """Write each file of ``named`` (``__`` in a name is a ``/``) under ``root``."""
    for name, content in named.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def files(**named: str | bytes) -> Callable[[Path], None]:
    return lambda root: write(root, **named)


def generated(root: Path) -> None:
    """spec.toml with its Markdown output current in out/."""
    write(root, **{"spec.toml": SPEC})
    proc = run(["generate", "spec.toml", "--format", "md", "--output-dir", "out"], root)
    assert proc.returncode == 0, proc.stderr


# command -> exit code -> case name -> (setup, arguments, text stderr/stdout must hold)
Case = tuple[Callable[[Path], None], list[str], str]
CASES: dict[str, dict[int, dict[str, Case]]] = {
    "validate": {
        EXIT_OK: {"valid spec": (files(**{"spec.toml": SPEC}), ["spec.toml"], "valid")},
        EXIT_PROBLEMS: {"invalid spec": (files(**{"spec.toml": INVALID}), ["spec.toml"],
                                         "savng")},
        EXIT_USAGE: {
            "missing file": (files(), ["gone.toml"],
                             "statusdoc validate: gone.toml: cannot read: No such file"),
            "unknown format": (files(**{"spec.txt": SPEC}), ["spec.txt"], "pass --format"),
        },
    },
    "generate": {
        EXIT_OK: {"written": (files(**{"spec.toml": SPEC}),
                              ["spec.toml", "--format", "md", "--output-dir", "out"],
                              "1 written")},
        EXIT_PROBLEMS: {"invalid spec": (
            files(**{"spec.toml": INVALID}), ["spec.toml", "--output-dir", "out"],
            "statusdoc generate: invalid spec\nstatusdoc generate: nothing was changed")},
        EXIT_USAGE: {
            "missing spec": (files(), ["gone.toml"], "gone.toml: no such spec file"),
            "unknown kind": (files(**{"spec.toml": SPEC}), ["spec.toml", "--format", "pdf"],
                             "unknown output kind 'pdf'"),
            "unusable configuration": (
                files(**{"spec.toml": SPEC, "statusdoc.toml": "timeout = -1\n"}),
                ["spec.toml"], "expected a positive number of seconds"),
            "artifact that cannot be read": (
                files(**{"spec.toml": SPEC, "out__spec.md__x": ""}),
                ["spec.toml", "--format", "md", "--output-dir", "out"],
                "statusdoc generate: cannot read out/spec.md: not a regular file"),
        },
    },
    "check": {
        EXIT_OK: {"current": (generated, ["spec.toml", "--format", "md", "--output-dir", "out"],
                              "all 1 artifacts current")},
        EXIT_PROBLEMS: {
            "drift": (files(**{"spec.toml": SPEC}),
                      ["spec.toml", "--format", "md", "--output-dir", "out"], "missing"),
            "invalid spec": (files(**{"spec.toml": INVALID}),
                             ["spec.toml", "--format", "md", "--output-dir", "out"],
                             "statusdoc check: invalid spec"),
        },
        EXIT_USAGE: {
            "missing spec": (files(), ["gone.toml"], "gone.toml: no such spec file"),
            "artifact that cannot be read": (
                files(**{"spec.toml": SPEC, "out__spec.md__x": ""}),
                ["spec.toml", "--format", "md", "--output-dir", "out"],
                "statusdoc check: cannot read out/spec.md: not a regular file (a directory)"),
        },
    },
    "render": {
        EXIT_OK: {"rendered": (files(**{"g.dot": DOT}), ["g.dot", "-o", "g.svg"], "")},
        EXIT_PROBLEMS: {
            "render failure": (files(**{"g.dot": DOT}),
                               ["g.dot", "-o", "g.svg", "--renderer", "command:/bin/false"],
                               "statusdoc render: g.dot: renderer command:false failed"),
            "not UTF-8": (files(**{"g.dot": b"digraph { \xff }"}), ["g.dot", "-o", "g.svg"],
                          "statusdoc render: g.dot is not UTF-8"),
        },
        EXIT_USAGE: {
            "unknown format": (files(**{"g.dot": DOT}), ["g.dot", "-o", "g.gif"],
                               "cannot tell the format"),
            "missing input": (files(), ["gone.dot", "-o", "g.svg"],
                              "statusdoc render: cannot read gone.dot"),
        },
    },
    "compare": {
        EXIT_OK: {"same": (files(**{"spec.toml": SPEC, "t.json": json.dumps(GLANCE_TABLE)}),
                           ["spec.toml", "--table", "t.json"], "")},
        EXIT_PROBLEMS: {
            "differences": (files(**{"spec.toml": SPEC, "t.json": json.dumps({"queued": []})}),
                            ["spec.toml", "--table", "t.json"], "missing from code"),
            "invalid spec": (files(**{"spec.toml": INVALID, "t.json": "{}"}),
                             ["spec.toml", "--table", "t.json"],
                             "statusdoc compare: invalid spec"),
        },
        EXIT_USAGE: {
            "missing table": (files(**{"spec.toml": SPEC}), ["spec.toml", "--table", "t.json"],
                              "cannot read"),
            "missing spec": (files(**{"t.json": "{}"}), ["gone.toml", "--table", "t.json"],
                             "statusdoc compare: gone.toml: cannot read: No such file"),
        },
    },
    "diff": {
        EXIT_OK: {"changes without --exit-code": (
            files(**{"old.toml": SPEC, "new.toml": SMALLER}), ["old.toml", "new.toml"],
            "breaking")},
        EXIT_PROBLEMS: {
            "breaking change": (files(**{"old.toml": SPEC, "new.toml": SMALLER}),
                                ["old.toml", "new.toml", "--exit-code"], "breaking"),
            "invalid spec": (files(**{"old.toml": SPEC, "new.toml": INVALID}),
                             ["old.toml", "new.toml"], "statusdoc diff: invalid spec"),
        },
        EXIT_USAGE: {
            "missing spec": (files(**{"old.toml": SPEC}), ["old.toml", "gone.toml"],
                             "statusdoc diff: gone.toml: cannot read"),
            "one spec": (files(**{"old.toml": SPEC}), ["old.toml"], "give OLD and NEW"),
        },
    },
    "import": {
        EXIT_OK: {"written": (files(**{"g.dot": DOT}), ["g.dot", "-o", "g.toml"], "wrote g.toml")},
        EXIT_PROBLEMS: {"unparsable": (files(**{"g.dot": "digraph { a -> "}), ["g.dot"],
                                       "statusdoc import: g.dot: cannot parse DOT")},
        EXIT_USAGE: {
            "output exists": (files(**{"g.dot": DOT, "g.toml": ""}), ["g.dot", "-o", "g.toml"],
                              "statusdoc import: g.toml exists; use --force"),
            "missing source": (files(), ["gone.dot"], "statusdoc import: gone.dot: cannot read"),
            "unknown kind of source": (files(**{"g.txt": DOT}), ["g.txt"], "not a .dot/.gv file"),
        },
    },
    "init": {
        EXIT_OK: {"scaffolded": (files(), [], "created")},
        EXIT_PROBLEMS: {"write failure": (files(**{"docs": "a file, not a folder"}), [],
                                          "statusdoc init: cannot write")},
        EXIT_USAGE: {
            "already set up": (files(**{"statusdoc.toml": ""}), [], "already set up"),
            "bad name": (files(), ["--name", "Not A Name"], "statusdoc init: invalid --name"),
        },
    },
    "audit": {
        EXIT_OK: {"nothing forbidden": (files(**{"spec.toml": SPEC, "h.csv": HISTORY}),
                                        ["spec.toml", "h.csv"], "forbidden transitions: 0")},
        EXIT_PROBLEMS: {
            "forbidden transition": (
                files(**{"spec.toml": SPEC, "h.csv": HISTORY + "1,queued,2024-01-01 02:00\n"}),
                ["spec.toml", "h.csv"], "  saving -> queued: 1 time (e.g. id 1)"),
            "invalid spec": (files(**{"spec.toml": INVALID, "h.csv": HISTORY}),
                             ["spec.toml", "h.csv"], "statusdoc audit: invalid spec"),
        },
        EXIT_USAGE: {
            "missing history": (files(**{"spec.toml": SPEC}), ["spec.toml", "gone.csv"],
                                "statusdoc audit: IO Error: No files found"),
            "missing column": (files(**{"spec.toml": SPEC, "h.csv": HISTORY}),
                               ["spec.toml", "h.csv", "--status-column", "state"],
                               'statusdoc audit: Binder Error: Referenced column "state"'),
        },
    },
    "schema": {
        EXIT_OK: {"printed": (files(), [], '"$schema"')},
        EXIT_USAGE: {"unknown option": (files(), ["--bogus"], "unrecognized arguments")},
    },
}

#: Codes a command cannot give (it finds no problems: it only prints).
CANNOT = {("schema", EXIT_PROBLEMS)}

PARAMS = [
    pytest.param(command, code, name, id=f"{command}-{code}-{name}")
    for command, by_code in CASES.items()
    for code, cases in by_code.items()
    for name in cases
]


@pytest.mark.parametrize(("command", "code", "name"), PARAMS)
def test_exit_code(tmp_path: Path, command: str, code: int, name: str) -> None:
    setup, args, text = CASES[command][code][name]
    setup(tmp_path)
    proc = run([command, *args], tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert text in proc.stdout + proc.stderr


def test_every_command_has_a_case_per_exit_code() -> None:
    from statusdoc.cli import build_parser

    parser = build_parser()
    registered = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert registered == set(CASES)
    for command in registered:
        missing = {EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE} - set(CASES[command])
        assert missing <= {code for cmd, code in CANNOT if cmd == command}, (command, missing)


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        ([], EXIT_USAGE, "usage: statusdoc"),
        (["--bogus"], EXIT_USAGE, "unrecognized arguments"),
        (["frobnicate"], EXIT_USAGE, "invalid choice"),
        (["--help"], EXIT_OK, "Exit codes: 0 clean, 1 problems found"),
        (["check", "--help"], EXIT_OK, "usage: statusdoc check"),
    ],
)
def test_top_level_exit_codes(tmp_path: Path, args: list[str], code: int, text: str) -> None:
    proc = run(args, tmp_path)
    assert proc.returncode == code, proc.stderr
    assert text in proc.stdout + proc.stderr


def test_errors_are_printed_in_one_format_by_main(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """``statusdoc.cli.main`` prints any StatusdocError as ``statusdoc COMMAND: message``
    and returns the code the error carries (a usage error raised by a command's own
    check, a configuration error, an unreadable input, a problem)."""
    from statusdoc.cli import main

    monkeypatch.chdir(tmp_path)
    write(tmp_path, **{"spec.toml": SPEC, "bad.toml": INVALID})
    for argv, code, line in [
        (["render", "x.dot", "-o", "x.gif"], 2, "statusdoc render: cannot tell the format"),
        (["generate", "spec.toml", "--renderer", "nope"], 2,
         "statusdoc generate: --renderer: unknown"),
        (["diff", "spec.toml", "gone.toml"], 2, "statusdoc diff: gone.toml: cannot read"),
        (["compare", "bad.toml", "--table", "t.json"], 1, "statusdoc compare: invalid spec"),
    ]:
        assert main(argv) == code, argv
        err = capsys.readouterr().err
        assert err.splitlines()[-1].startswith(line) or line in err, err


def test_the_cli_page_has_the_exit_code_table() -> None:
    page = (Path(__file__).resolve().parent.parent / "docs" / "cli.rst").read_text("utf-8")
    rows = dict(re.findall(r"^(\d+) {3,}(\S.*)$", page, re.MULTILINE))
    assert rows[str(EXIT_OK)].startswith("clean")
    assert rows[str(EXIT_PROBLEMS)].startswith("problems found: an invalid spec")
    assert rows[str(EXIT_USAGE)].startswith("usage or environment error")
