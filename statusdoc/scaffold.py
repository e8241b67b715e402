"""``statusdoc init``: scaffold a spec, its ``[tool.statusdoc]`` section and a docs page.

Nothing existing is ever overwritten: every new file is created with a
no-clobber link of a fully written temporary file, and ``init`` refuses to
run at all when any file it would create exists or the project already has a
``[tool.statusdoc]`` section.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from statusdoc.errors import UsageError
from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular
from statusdoc.spec.dump import toml_string

__all__ = ["InitError", "Plan", "plan_init", "run_init", "spec_text", "write_new"]


class InitError(UsageError):
    """``init`` cannot run: a file exists, the project is set up already, or a name
    or ``pyproject.toml`` is not usable (a usage error: exit 2)."""


def write_new(path: str | os.PathLike[str], text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` to ``path`` atomically.

    Without ``overwrite`` the file must not exist (``FileExistsError``); the
    check and the creation are one step (``os.link``), so a file created
    meanwhile by someone else is never clobbered. Readers never see a partly
    written file. A new file gets the usual mode (``0o666`` less the umask);
    a replaced file keeps its mode.
    """
    from statusdoc.fsutil import temp_name

    target = Path(path)
    keep_mode = None
    if overwrite:
        with contextlib.suppress(FileNotFoundError):
            keep_mode = stat.S_IMODE(target.stat().st_mode)
    tmp = temp_name(target)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        if keep_mode is not None:
            os.fchmod(fd, keep_mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


#: A machine name ``init`` accepts: a slug of at most 64 characters (it names files).
NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")


def spec_text(name: str) -> str:
    """A small, valid starter spec for machine ``name``."""
    title = " ".join(w.capitalize() for w in re.split(r"[-_]+", name) if w) + " Statuses"
    return f"""\
# The {name} status machine: the single source of truth for its reference
# page, diagram and transition table. Edit this file, then run
# `statusdoc generate` (or `make diagrams`); `statusdoc check` fails in CI
# when a generated file is out of date.

[machine]
name = {toml_string(name)}
title = {toml_string(title)}
intro = "A {name} can be in one of the following statuses:"
initial = "draft"
initial_label = "create"

[states.draft]
description = "The {name} has been created and can still be edited."

[states.active]
description = "The {name} is in use."

[states.archived]
description = "The {name} is kept for reference only and can no longer change."
final = true

[[transitions]]
from = "draft"
to = "active"
label = "publish"
event = "publish"

[[transitions]]
from = "active"
to = "draft"
label = "withdraw"
event = "withdraw"

[[transitions]]
from = "*"
to = "archived"
label = "archive"
event = "archive"
"""


def config_text(spec: str, output_dir: str, *, standalone: bool) -> str:
    """The ``[tool.statusdoc]`` section (or the ``statusdoc.toml`` body) for one spec.

    No ``rst`` output: the docs page renders the spec with the directive, and a
    generated ``.rst`` next to it would be a second, orphan Sphinx document.
    """
    body = f"""\
spec = {toml_string(spec)}
output-dir = {toml_string(output_dir)}
outputs = ["md", "dot", "svg", "mermaid"]
"""
    note = (
        "# statusdoc: the spec is the source of truth; `statusdoc generate` writes\n"
        "# the outputs below, `statusdoc check` fails when they are stale.\n"
    )
    if standalone:
        return f"{note}\n[[specs]]\n{body}"
    return f"\n{note}[tool.statusdoc]\n\n[[tool.statusdoc.specs]]\n{body}"


def page_text(name: str, spec_file: str) -> str:
    """A docs page that renders the spec with the Sphinx directive (title included)."""
    return f"""\
.. The {name} status reference: title, statuses, diagram and transitions are
   built from {spec_file} by the statusdoc Sphinx extension (add
   "statusdoc.sphinxext" to the extensions in conf.py). Edit the spec, not
   this page.

.. statusdoc:: {spec_file}
"""


@dataclass(frozen=True)
class Plan:
    """What ``init`` writes: new files, and the text appended to ``pyproject.toml``."""

    root: Path
    files: tuple[tuple[Path, str], ...]
    append_to: Path | None = None
    append_text: str = ""


def plan_init(root: Path, name: str, docs_dir: str = "docs") -> Plan:
    """Decide what ``init`` would write in project ``root``; raise :class:`InitError` if
    anything is in the way (an existing file, an existing ``[tool.statusdoc]``)."""
    if not NAME_RE.match(name):
        raise InitError(
            f"invalid name {name[:80]!r}: use at most 64 lowercase letters, digits, '-' "
            "and '_' (starting with a letter or digit)"
        )
    docs = Path(docs_dir)
    if docs.is_absolute() or ".." in docs.parts:
        raise InitError(
            f"--docs {docs_dir!r} must be a folder inside the project (relative, no '..')"
        )
    statuses = docs / "statuses"
    spec_rel = statuses / f"{name}.toml"
    page_rel = statuses / f"{name}.rst"
    files: list[tuple[Path, str]] = [
        (root / spec_rel, spec_text(name)),
        (root / page_rel, page_text(name, spec_rel.name)),
    ]
    pyproject = root / "pyproject.toml"
    standalone = root / "statusdoc.toml"
    if standalone.exists():
        raise InitError(f"{standalone} exists: this project is already set up for statusdoc")
    append_to: Path | None = None
    append_text = ""
    if os.path.lexists(pyproject):
        text = _read_pyproject(pyproject)
        if _has_tool_section(text):
            raise InitError(f"{pyproject} already has a [tool.statusdoc] section")
        append_to = pyproject
        append_text = config_text(spec_rel.as_posix(), statuses.as_posix(), standalone=False)
        if text and not text.endswith("\n"):
            append_text = "\n" + append_text
    else:
        files.append(
            (standalone, config_text(spec_rel.as_posix(), statuses.as_posix(), standalone=True))
        )
    for path, _text in files:
        if os.path.lexists(path):
            raise InitError(f"{path} exists: not overwriting it")
        _ensure_inside(path, root)
    return Plan(root, tuple(files), append_to, append_text)


def _ensure_inside(path: Path, root: Path) -> None:
    """A ``docs`` symlink pointing out of the project must not carry files there."""
    from statusdoc.errors import ConfigError
    from statusdoc.pathrules import ensure_inside

    try:
        ensure_inside(path, root, "init")
    except ConfigError as exc:
        raise InitError(str(exc)) from None


def _read_pyproject(path: Path) -> str:
    if not path.is_file():
        raise InitError(f"{path} is not a file; init appends its [tool.statusdoc] section there")
    try:
        return read_regular(path, MAX_INPUT_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InitError(f"{path} is not UTF-8 (byte at offset {exc.start}); fix it first") \
            from None
    except OSError as exc:
        raise InitError(f"cannot read {path}: {exc.strerror}") from None


def _has_tool_section(text: str) -> bool:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InitError(f"pyproject.toml is not valid TOML ({exc}); fix it first") from exc
    except ValueError:  # int() inside tomllib refuses that many digits
        raise InitError(
            "pyproject.toml has a number too long for Python to read (more than "
            f"{sys.get_int_max_str_digits():,} digits); fix it first"
        ) from None
    tool = data.get("tool", {})
    return isinstance(tool, dict) and "statusdoc" in tool


def run_init(plan: Plan) -> list[Path]:
    """Carry out ``plan``; returns the paths created or changed, in order.

    Files are created first (no-clobber), ``pyproject.toml`` is changed last
    (atomically, after checking it did not change meanwhile); on failure the
    files this run created are removed again.
    """
    created: list[Path] = []
    try:
        for path, text in plan.files:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new(path, text)
            created.append(path)
        if plan.append_to is not None:
            old = _read_pyproject(plan.append_to)
            if _has_tool_section(old):
                raise InitError(f"{plan.append_to} already has a [tool.statusdoc] section")
            write_new(plan.append_to, old + plan.append_text, overwrite=True)
            created.append(plan.append_to)
    except BaseException:
        for path in created:
            if path != plan.append_to:
                path.unlink(missing_ok=True)
        raise
    return created
