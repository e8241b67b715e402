"""The hostile / broken spec corpus: every case is rejected cleanly or loads correctly.

Each file under ``tests/corpus/{invalid,legal}`` is declared in
``tests/corpus/cases.toml`` with its expected exit code, line and message
(``tests/corpus/build.py`` regenerates both). Every case runs in-process;
a sample, and every case with unusual bytes, also runs through the real CLI.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from statusdoc.spec.api import validate_file

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text("utf-8"))["case"]
IDS = [c["file"] for c in CASES]


def _exit_code(report, strict: bool) -> int:
    return 0 if report.ok(strict=strict) else 1


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statusdoc", "validate", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_corpus_is_big_enough_and_fully_declared():
    on_disk = {
        f"{p.parent.name}/{p.name}"
        for sub in ("invalid", "legal")
        for p in (CORPUS / sub).iterdir()
    }
    assert on_disk == set(IDS), "every corpus file needs exactly one [[case]] in cases.toml"
    assert len(IDS) == len(set(IDS))
    invalid = [c for c in CASES if c["exit"] == 1]
    assert len(CASES) >= 60 and len(invalid) >= 60
    formats = {Path(c["file"]).suffix for c in invalid}
    assert {".toml", ".yaml", ".json"} <= formats


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case_in_process(case):
    path = CORPUS / case["file"]
    report = validate_file(path)  # must not raise, whatever the bytes
    strict = case["strict"]
    assert _exit_code(report, strict) == case["exit"], [str(p) for p in report.problems]
    if case["strict"]:
        # a warning-only case passes without --strict
        assert _exit_code(report, False) == 0, [str(p) for p in report.problems]
    for problem in report.problems:
        assert problem.line > 0, f"unlocated problem: {problem}"
        assert str(problem).startswith(f"{path}:{problem.line}:")
        assert "\n" not in str(problem)
        assert len(str(problem)) < 600, "messages truncate long values"
    if case["exit"] == 0 and not case["strict"]:
        assert report.machine is not None
        assert not report.errors
        return
    assert report.problems, "a rejected case reports at least one problem"
    matching = [p for p in report.problems if case["message"] in str(p)]
    assert matching, (case["message"], [str(p) for p in report.problems])
    if case["line"] > 0:
        assert any(p.line == case["line"] for p in matching), [str(p) for p in matching]
    if case["exit"] == 1 and not case["strict"]:
        assert report.machine is None


SAMPLE = [c for i, c in enumerate(CASES) if i % 6 == 0 or c["file"].endswith(
    ("nul-byte.toml", "invalid-utf8.toml", "utf16.toml", "binary-garbage.toml",
     "png-as-json.json", "yaml-billion-laughs.yaml", "yaml-python-object.yaml",
     "json-deep-nesting.json", "toml-deep-nesting.toml", "crlf.toml", "bom.toml"))]


@pytest.mark.parametrize("case", SAMPLE, ids=[c["file"] for c in SAMPLE])
def test_case_through_cli(case):
    args = [case["file"]] + (["--strict"] if case["strict"] else [])
    proc = _cli(*args, cwd=CORPUS)
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.returncode == case["exit"], proc.stdout + proc.stderr
    if case["exit"] == 1:
        assert case["message"] in proc.stdout
        if case["line"] > 0:
            assert f"{case['file']}:{case['line']}:" in proc.stdout
        assert "invalid" in proc.stderr
    else:
        assert "valid" in proc.stderr


def test_all_cases_in_one_cli_run_and_nothing_changes(tmp_path):
    """One process validates every case: exit 1, one line per problem, corpus untouched."""
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.rglob("*")
              if p.is_file()}
    sentinel = Path("/tmp/statusdoc-pwned")
    proc = _cli(*IDS, cwd=CORPUS)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    for line in proc.stdout.splitlines():
        file, lineno, _rest = line.split(":", 2)
        assert file in IDS and int(lineno) > 0, line
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in CORPUS.rglob("*")
             if p.is_file()}
    assert before == after
    assert not sentinel.exists(), "a YAML tag ran code"


def test_ten_megabyte_spec_is_refused_before_parsing(tmp_path):
    spec = tmp_path / "huge.toml"
    filler = "# " + "x" * 98 + "\n"
    spec.write_text('[machine]\nname = "big"\n' + filler * 105_000, encoding="utf-8")
    assert spec.stat().st_size > 10_000_000
    report = validate_file(spec)
    assert len(report.problems) == 1, "refused by size, before any parsing"
    assert report.problems[0].message.startswith("spec too large")
    assert report.problems[0].line == 1
    proc = _cli(str(spec))
    assert proc.returncode == 1 and "spec too large" in proc.stdout


def test_endless_spec_is_refused(tmp_path):
    """A spec that is a symlink to /dev/zero: not a regular file, refused before reading."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this platform")
    spec = tmp_path / "endless.toml"
    spec.symlink_to("/dev/zero")
    report = validate_file(spec)
    assert [p.message for p in report.problems] == [
        "cannot read spec: not a regular file (a character device)"]
    proc = _cli(str(spec))
    assert proc.returncode == 2
    assert "cannot read: not a regular file (a character device)" in proc.stderr


def test_legal_tricky_values_are_kept_verbatim():
    from statusdoc.spec.api import load

    labels = load(CORPUS / "legal" / "tricky-labels.toml")
    rule = labels.rules[-1]
    assert rule.label == 'he said "no" \\\\ <b>{x}</b> * [y] ]; z [image="/etc/passwd"] //'
    template = load(CORPUS / "legal" / "template-syntax.toml")
    assert template.state_map["open"].description == "{{ 7 * 7 }} {% include 'x' %} {# c #}"
    odd = load(CORPUS / "legal" / "odd-names.toml")
    assert odd.state_names == ("wait call-back", "ожидание", "deploy failed")
    assert odd.state_map["ожидание"].label == "Ожидание 待つ"
    assert odd.can("ожидание", "ожидание")
    assert [t.event for t in odd.transitions[:2]] == ["a", "b"]


def test_crlf_and_bom_load_like_the_plain_file():
    from statusdoc.spec.api import load

    plain = CORPUS / "legal" / "bom.toml"
    crlf = load(CORPUS / "legal" / "crlf.toml")
    bom = load(plain)
    assert crlf == bom
    assert "\r" not in "".join(s.description for s in crlf.states)
    assert [s.line for s in crlf.states] == [s.line for s in bom.states]


def corpus_counts() -> dict[str, int]:
    """The corpus figures docs/spec.rst (and docs/robustness.rst) state."""
    suffixes = [Path(c["file"]).suffix for c in CASES]
    generated = 2  # the 10 MB spec and the endless one, made by the tests above
    return {
        "inputs tried": len(CASES) + generated,
        "TOML": suffixes.count(".toml"),
        "YAML": suffixes.count(".yaml"),
        "JSON": suffixes.count(".json"),
        "rejected cleanly": sum(c["exit"] == 1 for c in CASES) + generated,
        "of them are warnings": sum(c["strict"] for c in CASES),
        "legal": sum(c["exit"] == 0 for c in CASES),
    }


def test_documented_counts_match_the_corpus():
    """docs/spec.rst states the corpus figures; keep them true."""
    import re

    text = (ROOT / "docs" / "spec.rst").read_text("utf-8")
    text = re.sub(r"\s+", " ", text)
    expected = corpus_counts()
    patterns = {
        "inputs tried": r"\*\*(\d+) inputs tried\*\*",
        "TOML": r"(\d+) TOML, \d+ YAML",
        "YAML": r"(\d+) YAML, \d+ JSON",
        "JSON": r"(\d+) JSON —",
        "rejected cleanly": r"\*\*(\d+) rejected cleanly\*\*",
        "of them are warnings": r"\((\d+) of them are warnings",
        "legal": r"\*\*(\d+) legal\*\*",
    }
    for key, pattern in patterns.items():
        match = re.search(pattern, text)
        assert match, key
        assert int(match.group(1)) == expected[key], key
    assert "**0 tracebacks**" in text and "**0 files changed**" in text


AUDIT_SCRIPT = r"""
import json, sys
import difflib, textwrap, tomllib, yaml  # imported up front: their files are not the point
import statusdoc.spec.api as api
import statusdoc.spec.schema
files = sys.argv[1:]
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
for name in files:
    api.validate_file(name)
print(json.dumps(opened))
"""


def test_validation_opens_no_file_but_the_spec():
    """Audit hook: validating every case opens the case files and nothing else.

    Specs name /etc/passwd, /etc/hosts, fonts and YAML includes; none of it is read.
    """
    files = [str(CORPUS / c) for c in IDS]
    proc = subprocess.run(
        [sys.executable, "-c", AUDIT_SCRIPT, *files], capture_output=True, text=True,
        timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    opened = json.loads(proc.stdout)
    allowed_roots = (sys.prefix, sys.base_prefix, str(ROOT / "statusdoc"))
    strays = [p for p in opened if p not in files and not p.startswith(allowed_roots)]
    assert strays == []
    assert set(files) <= set(opened)
