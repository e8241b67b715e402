"""The CLI answers every hostile input with a message and exit 1 or 2, never a
traceback (issue 13, item 11). One case per root cause, each through the real
``statusdoc`` command; a Hypothesis test feeds it arbitrary configuration files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_support import GLANCE, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SPEC = GLANCE.read_text(encoding="utf-8")
BIG = "1" * 5000  # past Python's 4,300-digit limit for int(str)
LONG = "a" * 300  # past the 255-byte limit of a file name
TINY = {
    "machine": {"name": "m", "initial": "a"},
    "states": {"a": {}, "b": {"final": True}},
    "transitions": [{"from": "a", "to": "b"}],
}


def files(**named: str | bytes) -> Callable[[Path], None]:
    """A setup writing ``named`` files (``__`` in a name is a ``/``) plus spec.toml."""

    def setup(root: Path) -> None:
        (root / "spec.toml").write_text(SPEC, encoding="utf-8")
        for name, content in named.items():
            path = root / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    return setup


def _surrogate_json(where: str) -> str:
    data = json.loads(json.dumps(TINY))
    if where == "key":
        data["states"]["a"] = {"tags": ["x"]}
        data["diagram"] = {"tags": {"x\ud800": {"legend": "l"}}}
    else:
        data["machine"]["title"] = "Title \ud800 here"
    return json.dumps(data)  # ensure_ascii: the lone surrogate is written as \ud800


def _config(body: str) -> str:
    return f'[[specs]]\nspec = "spec.toml"\n{body}\n'


# name -> (setup, arguments, expected exit code, text the message must contain)
CASES: dict[str, tuple[Callable[[Path], None], list[str], int, str]] = {
    "big integer in a TOML spec": (
        files(**{"big.toml": f"# a comment\n\nx = {BIG}\n{SPEC}"}),
        ["validate", "big.toml"], 1, "big.toml:3: number too long"),
    "big integer in a JSON spec": (
        files(**{"big.json": '{\n"machine": {"initial": ' + BIG + "}}"}),
        ["validate", "big.json"], 1, "big.json:2: number too long"),
    "big integer in statusdoc.toml": (
        files(**{"statusdoc.toml": f"timeout = {BIG}\n"}), ["check"], 2, "number too long"),
    "big integer in pyproject.toml": (
        files(**{"pyproject.toml": f"[tool.statusdoc]\ntimeout = {BIG}\n"}),
        ["check"], 2, "number too long"),
    "big integer in --config": (
        files(**{"c.toml": f"timeout = {BIG}\n"}), ["check", "--config", "c.toml"], 2,
        "number too long"),
    "lone surrogate in a JSON value: validate": (
        files(**{"s.json": _surrogate_json("value")}), ["validate", "s.json"], 1,
        "machine.title: lone surrogate"),
    "lone surrogate in a JSON value: generate": (
        files(**{"s.json": _surrogate_json("value")}),
        ["generate", "s.json", "--output-dir", "out"], 1, "lone surrogate"),
    "lone surrogate in a JSON key": (
        files(**{"s.json": _surrogate_json("key")}), ["validate", "s.json"], 1,
        "lone surrogate"),
    "non-UTF-8 --config": (
        files(**{"c.toml": b"timeout = 3 # \xff\xfe\n"}), ["check", "--config", "c.toml"], 2,
        "not UTF-8"),
    "non-UTF-8 pyproject.toml found by search": (
        files(**{"pyproject.toml": b"[tool.statusdoc]\n# \xe9t\xe9\n"}), ["check"], 2,
        "not UTF-8"),
    "NUL in a configured spec path": (
        files(**{"statusdoc.toml": '[[specs]]\nspec = "a\\u0000b.toml"\n'}), ["check"], 2,
        "NUL"),
    "NUL in output-dir": (
        files(**{"statusdoc.toml": _config('output-dir = "o\\u0000"')}), ["generate"], 2,
        "NUL"),
    "NUL in templates": (
        files(**{"statusdoc.toml": _config('templates = "t\\u0000"')}), ["check"], 2, "NUL"),
    "NUL in root": (files(**{"statusdoc.toml": 'root = "a\\u0000"\n'}), ["check"], 2, "NUL"),
    "NUL in a table file name": (
        files(**{"statusdoc.toml": _config('table = "m\\u0000.json"')}), ["compare"], 2, "NUL"),
    "NUL in a renderer command": (
        files(**{"statusdoc.toml": _config('renderer = "command:./a\\u0000b"')}),
        ["generate"], 2, "NUL"),
    "long spec name in the configuration": (
        files(**{"statusdoc.toml": f'[[specs]]\nspec = "{LONG}.toml"\n'}), ["check"], 2,
        "255 bytes"),
    "long output name in the configuration": (
        files(**{"statusdoc.toml": _config(f'names = {{ md = "{LONG}.md" }}')}),
        ["generate"], 2, "255 bytes"),
    "long output-dir in the configuration": (
        files(**{"statusdoc.toml": _config(f'output-dir = "{LONG}"')}), ["generate"], 2,
        "255 bytes"),
    "long spec argument": (files(), ["generate", f"{LONG}.toml"], 2, "255 bytes"),
    "long --output-dir": (
        files(), ["generate", "spec.toml", "--output-dir", LONG], 2, "255 bytes"),
    "long --config": (files(), ["check", "--config", f"{LONG}.toml"], 2, "255 bytes"),
    "long compare spec": (
        files(), ["compare", f"{LONG}/x.toml", "--table", "t.json"], 2, "255 bytes"),
    "long compare table file": (
        files(), ["compare", "spec.toml", "--table", f"{LONG}.py:x"], 2, "255 bytes"),
    "long init --name": (files(), ["init", "--name", LONG], 2, "--name"),
    "long init --docs": (files(), ["init", "--docs", LONG], 2, "255 bytes"),
    "init on a non-UTF-8 pyproject.toml": (
        files(**{"pyproject.toml": b"[project]\nname = '\xff'\n"}), ["init"], 2, "not UTF-8"),
    "init on a directory pyproject.toml": (
        files(**{"pyproject.toml__x": ""}), ["init"], 2, "not a file"),
    "init on a pyproject.toml with a big integer": (
        files(**{"pyproject.toml": f"[project]\nx = {BIG}\n"}), ["init"], 2,
        "number too long"),
    "validate a spec named like an option (pre-commit passes --)": (
        files(**{"-h-statuses.toml": SPEC}), ["validate", "--", "-h-statuses.toml"], 0,
        "-h-statuses.toml: valid"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_no_traceback(tmp_path: Path, case: str) -> None:
    setup, args, code, message = CASES[case]
    setup(tmp_path)
    proc = run(args, cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stdout + proc.stderr
    assert message in proc.stdout + proc.stderr


@pytest.mark.parametrize("args", [
    ["schema"], ["check", "spec.toml", "--output-dir", "."], ["import", "t.json"],
    ["validate", "s.json"],
])
def test_a_full_output_device_is_a_message_and_exit_1(tmp_path: Path, args: list[str]) -> None:
    files(**{"t.json": json.dumps({"a": ["b"], "b": []}),
             "s.json": '{"machine": 1}'})(tmp_path)
    run(["generate", "spec.toml", "--output-dir", "."], cwd=tmp_path)
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "statusdoc", *args], cwd=tmp_path,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    assert "cannot write to standard output: No space left on device" in proc.stderr


def test_nul_and_long_arguments_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # exec() cannot pass NUL, but main() is callable from Python with any strings.
    from statusdoc.cli import main

    monkeypatch.chdir(tmp_path)
    files()(tmp_path)
    for argv in (["generate", "a\x00.toml"], ["check", "--config", "c\x00.toml"],
                 ["generate", "spec.toml", "--output-dir", "o\x00"],
                 ["compare", "spec.toml", "--table", "t\x00.json"],
                 ["init", "--dir", "d\x00"]):
        assert main(argv) == 2, argv
        assert "NUL" in capsys.readouterr().err


def test_a_non_utf8_spec_file_name_is_shown_with_a_replacement(tmp_path: Path) -> None:
    name = b"\xff-statuses.toml"
    (tmp_path / name.decode("utf-8", "surrogateescape")).write_text(SPEC, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "statusdoc", "generate", name, "--format",
                           "md", "--output-dir", "out"], cwd=tmp_path, capture_output=True,
                          timeout=120)
    assert b"Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "out" / "\udcff-statuses.md".encode("utf-8", "surrogateescape")
          .decode("utf-8", "surrogateescape")).read_text(encoding="utf-8")
    # No configuration file: the header names the spec relative to the output directory.
    assert md.startswith("<!-- generated from ../\ufffd-statuses.toml")


_config_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from([
        "[[specs]]\n", 'spec = "spec.toml"\n', 'output-dir = "out"\n', 'outputs = ["md"]\n',
        f"timeout = {BIG}\n", 'names = { md = "x.md" }\n', 'root = "."\n', "timeout = nan\n",
        'spec = "\\u0000"\n', f'spec = "{LONG}"\n', 'templates = "t"\n', "outputs = 3\n",
        'table = "t.json"\n', "[x]\n", 'renderer = "command:"\n', "\xff", "specs = 1\n",
        'names = { md = "../x" }\n', 'output-dir = ".git"\n', 'names = { md = "spec.toml" }\n',
    ]), max_size=8).map("".join),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_config_text, command=st.sampled_from(["check", "compare", "generate"]))
def test_the_cli_never_tracebacks_on_a_configuration_file(
    tmp_path: Path, text: str, command: str
) -> None:
    from statusdoc.cli import main

    root = tmp_path / "p"
    root.mkdir(exist_ok=True)
    (root / "spec.toml").write_text(SPEC, encoding="utf-8")
    config = root / "statusdoc.toml"
    config.write_bytes(text.encode("utf-8", "surrogatepass"))
    args = [command] if command == "compare" else [command, "--config", str(config), "-q"]
    if command == "generate":
        args += ["--format", "md"]  # no renderer runs: many examples stay cheap
    old = Path.cwd()
    try:
        os.chdir(root)
        code = main(args)  # an exception here fails the test
    finally:
        os.chdir(old)
    assert code in (0, 1, 2)
