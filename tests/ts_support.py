"""The real TypeScript compiler and Node, for the tests of the ``typescript`` output.

``make test`` installs the compiler with ``npm ci`` (package.json, package-lock.json at
the repository root); a test that needs it FAILS when it is missing, it never skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TSC = ROOT / "node_modules" / ".bin" / "tsc"

#: Every check a project may turn on beyond --strict: the generated module passes them all.
STRICTEST = (
    "--strict", "--noUncheckedIndexedAccess", "--noUnusedLocals", "--noUnusedParameters",
    "--exactOptionalPropertyTypes", "--noImplicitReturns", "--noImplicitOverride",
    "--noPropertyAccessFromIndexSignature", "--noFallthroughCasesInSwitch",
    "--isolatedDeclarations", "--declaration", "--verbatimModuleSyntax",
    "--erasableSyntaxOnly", "--forceConsistentCasingInFileNames",
)


def tsc() -> Path:
    """The compiler ``make test`` installs; the test fails (not skips) without it."""
    if not os.access(TSC, os.X_OK):
        pytest.fail(f"{TSC.relative_to(ROOT)} is missing: run `make typescript` (npm ci), "
                    "as `make test` does")
    return TSC


def node() -> str:
    found = shutil.which("node")
    if found is None:
        pytest.fail("node is not on PATH: the typescript output is checked by running it")
    return found


def run_tsc(*args: str | Path, cwd: Path) -> None:
    """Run tsc; fail with its diagnostics unless it exits 0."""
    proc = subprocess.run([str(tsc()), *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"tsc {' '.join(map(str, args))}:\n{proc.stdout}{proc.stderr}"


def compile_to_js(sources: dict[str, str], out: Path, *flags: str) -> Path:
    """Write ``sources`` (file name -> TypeScript), compile them with ``--strict`` to ES
    modules under ``out/js`` (a ``package.json`` there says so) and return that directory."""
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    for name, text in sources.items():
        (src / name).write_text(text, encoding="utf-8")
    js = out / "js"
    run_tsc("--strict", "--target", "es2022", "--module", "esnext", "--outDir", js,
            *flags, *sorted(sources), cwd=src)
    (js / "package.json").write_text('{"type": "module"}\n', encoding="utf-8")
    return js


def run_node(script: str, *args: str, cwd: Path) -> Any:
    """Run the ES module ``script`` (text) with Node in ``cwd``; its stdout, read as JSON."""
    path = cwd / "probe.mjs"
    path.write_text(script, encoding="utf-8")
    proc = subprocess.run([node(), str(path), *args], cwd=cwd, capture_output=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return json.loads(proc.stdout.decode("utf-8"))
