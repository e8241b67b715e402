"""Public entry points of the spec layer: text or file in, Machine or report out."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from statusdoc.errors import Problem, SpecError, UnreadableInput, UsageError
from statusdoc.spec.checker import Unwanted
from statusdoc.spec.load import MAX_BYTES, detect_format, parse_document
from statusdoc.spec.model import Machine
from statusdoc.spec.parts import check_parts
from statusdoc.spec.rules import make_problem
from statusdoc.spec.validate import check_document
from statusdoc.suggest import budget as suggestion_budget


@dataclass(frozen=True, slots=True)
class Report:
    """Outcome of validating one spec: the machine (None on errors) and every problem."""

    machine: Machine | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")

    def ok(self, *, strict: bool = False) -> bool:
        """True when there are no errors (and, with ``strict``, no warnings)."""
        return not (self.problems if strict else self.errors)

    def allowing(self, rules: Iterable[str]) -> Report:
        """This report without the warnings of ``rules`` (rule names, as checked by
        :func:`statusdoc.spec.rules.allowed_rules`); errors always stay."""
        names = frozenset(rules)
        if not names:
            return self
        kept = tuple(p for p in self.problems if p.severity == "error" or p.rule not in names)
        return Report(self.machine, kept)


def validate_text(
    text: str | bytes, format: str = "toml", *, filename: str = "<string>",
    build: bool = True, parts: Sequence[int] | None = None,
    unwanted: Unwanted | None = None,
) -> Report:
    """Parse and validate spec ``text`` given in ``format`` (toml, yaml or json).

    With ``build=False`` the spec is only checked: the report lists the same
    problems, and its machine is None even when the spec is valid (for callers
    that need the problems alone, such as ``import``: the Machine's lookups
    are not built). A TOML or YAML ``text`` written in parts (``parts``: the offsets
    where those after the first begin) is then checked part by part, holding
    only what the checks across transitions need (:mod:`statusdoc.spec.parts`).
    Warnings ``unwanted`` says the caller would drop are left out as they are
    found, not held.

    Big specs are loaded with the cyclic garbage collector paused: loading
    only creates objects that live on (no cycles to free), and collections
    triggered by the allocations would traverse the growing tree again and
    again, making load time grow faster than the spec.
    """
    if len(text) < _GC_PAUSE_SIZE or not gc.isenabled():
        return _validate_text(text, format, filename, build, parts, unwanted)
    gc.disable()
    try:
        return _validate_text(text, format, filename, build, parts, unwanted)
    finally:
        gc.enable()


#: Specs at least this large (characters or bytes) load with the GC paused.
_GC_PAUSE_SIZE = 64 * 1024


def _validate_text(text: str | bytes, format: str, filename: str, build: bool,
                   parts: Sequence[int] | None, unwanted: Unwanted | None) -> Report:
    fmt = format.lower()
    if parts is not None and not build and isinstance(text, str) and fmt in ("toml", "yaml"):
        with suggestion_budget():  # one cap on did-you-mean work for the whole spec
            found = check_parts(text, parts, filename, unwanted, fmt)
        if found is not None:
            return Report(None, tuple(sorted(found, key=_by_line)))
    document, problems = parse_document(text, format, filename)
    if document is None:
        return Report(None, tuple(problems))
    with suggestion_budget():
        checked, more = check_document(document, unwanted)
    # Every problem has its line now: the parsed data and the positions go
    # before the Machine's lookups are built, so the two are never held together.
    del document
    found = sorted((*problems, *more), key=_by_line)
    machine = None
    if build and checked is not None and not any(p.severity == "error" for p in problems):
        machine = checked.machine()
    return Report(machine, tuple(found))


def _by_line(problem: Problem) -> int:
    return problem.line


def read_spec(path: str | os.PathLike[str], format: str | None = None) -> tuple[bytes, str]:
    """The bytes and format of the spec file at ``path`` (format from its suffix
    unless ``format`` is given).

    At most ``MAX_BYTES + 1`` bytes are read: enough for the loader to refuse
    a spec that is too large, and ``/dev/zero`` cannot hang the reader.
    Raises :class:`~statusdoc.errors.UsageError` for a name whose format
    cannot be told, :class:`~statusdoc.errors.UnreadableInput` for a file
    that cannot be opened (missing, a directory, FIFO or device, not permitted).
    """
    filename = os.fspath(path)
    if format is None:
        try:
            format = detect_format(filename)
        except ValueError as exc:
            raise UsageError(f"{filename}: {exc}") from None
    from statusdoc.fsutil import open_regular

    try:
        with open_regular(filename) as handle:  # a FIFO or device is refused, not read
            return handle.read(MAX_BYTES + 1), format
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise UnreadableInput(f"{filename}: cannot read: {reason}", reason) from None


def validate_file(path: str | os.PathLike[str]) -> Report:
    """Read, parse and validate the spec file at ``path``.

    A file that cannot be read is reported as an ``unreadable-spec`` problem.
    """
    filename = os.fspath(path)
    try:
        data, fmt = read_spec(filename)
    except UnreadableInput as exc:
        message = f"cannot read spec: {exc.reason}"
        return Report(None, (make_problem("unreadable-spec", filename, 0, "", message),))
    except UsageError as exc:  # the name says no format
        message = str(exc).removeprefix(f"{filename}: ")
        return Report(None, (make_problem("unreadable-spec", filename, 0, "", message),))
    return validate_text(data, fmt, filename=filename)


def _require(report: Report, strict: bool) -> Machine:
    if report.machine is None or not report.ok(strict=strict):
        raise SpecError(report.problems if strict else report.errors)
    return report.machine


def load(path: str | os.PathLike[str], *, strict: bool = False) -> Machine:
    """Load the spec at ``path``; raise :class:`SpecError` listing every error.

    With ``strict=True`` warnings are errors too.
    """
    return _require(validate_file(path), strict)


def loads(
    text: str | bytes,
    format: str = "toml",
    *,
    filename: str = "<string>",
    strict: bool = False,
) -> Machine:
    """Load a spec from a string; see :func:`load`."""
    return _require(validate_text(text, format, filename=filename), strict)
