"""Odd bytes and huge strings in a spec or a configuration give short, correct messages
(issue 13, item 13)."""

from __future__ import annotations

import json

import pytest

from statusdoc.spec.api import validate_text

TINY = {
    "machine": {"name": "m", "initial": "a"},
    "states": {"a": {}, "b": {"final": True}},
    "transitions": [{"from": "a", "to": "b"}],
}
TOML = '[machine]\nname = "m"\ninitial = "a"\n[states.a]\n[states.b]\nfinal = true\n'


@pytest.mark.parametrize(("encoding", "name"), [
    ("utf-32", "UTF-32"), ("utf-32-be", "UTF-32"), ("utf-16", "UTF-16"),
])
def test_the_encoding_is_named_correctly(encoding: str, name: str) -> None:
    data = TOML.encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    report = validate_text(data, "toml", filename="s.toml")
    assert [p.message for p in report.problems] == [
        f"file is {name} encoded; save the spec as UTF-8"]


@pytest.mark.parametrize("where", ["machine", "top", "state"])
def test_a_huge_unknown_key_is_not_echoed_whole(where: str) -> None:
    key = "k" * 400_000  # the review used 4 MB; the message is what matters here
    data = json.loads(json.dumps(TINY))
    {"machine": data["machine"], "top": data, "state": data["states"]["a"]}[where][key] = 1
    report = validate_text(json.dumps(data), "json", filename="s.json")
    assert report.errors
    for problem in report.problems:
        assert len(str(problem)) < 600
    assert any("unknown key 'kkk" in p.message for p in report.problems)


def test_a_lone_surrogate_handed_to_the_api_is_refused_with_its_key_path() -> None:
    data = json.loads(json.dumps(TINY))
    data["transitions"][0]["label"] = "go \udc80"
    text = json.dumps(data, ensure_ascii=False)  # a str holding the surrogate itself
    report = validate_text(text, "json", filename="s.json")
    assert report.machine is None
    assert [p.path for p in report.problems] == ["transitions[0].label"]
    assert "lone surrogate U+DC80" in report.problems[0].message


@pytest.mark.parametrize("line", [
    'KEY = 1', 'renderer = "KEY"', 'outputs = ["KEY"]', 'timeout = "KEY"',
])
def test_a_huge_configuration_value_is_not_echoed_whole(tmp_path, line: str) -> None:
    from statusdoc.config import load_config_file
    from statusdoc.errors import ConfigError

    config = tmp_path / "statusdoc.toml"
    config.write_text(line.replace("KEY", "k" * 4_000_000) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config_file(config)
    assert len(str(caught.value)) < 600


@pytest.mark.parametrize("name", [
    "x\n::error title=pwned::forged annotation\n.toml",  # a CI log's command syntax
    "y\x1b[31mred\x1b[0m.toml",  # a terminal escape sequence
    "z\u202eftg.toml",  # a bidi override (the name reads backwards)
])
def test_a_file_name_cannot_forge_lines_of_the_report(tmp_path, name: str) -> None:
    """Every line the real CLI prints about a hostile spec name shows the name escaped:
    a line break in it would start a new log line, which CI reads as a command."""
    import subprocess
    import sys

    from cli_support import REPO

    spec = tmp_path / name
    spec.write_text(TOML.replace('initial = "a"', 'initial = "nowhere"'), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "statusdoc", "validate", name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1, done.stderr
    shown = name.encode("unicode_escape").decode("ascii")
    lines = done.stdout.splitlines() + done.stderr.splitlines()
    assert len(lines) >= 2
    for line in lines:
        assert line.startswith(shown + ":") and line.isprintable(), line
