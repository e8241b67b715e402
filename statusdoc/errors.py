"""Exceptions and located problems shared by every layer.

Kept free of heavy imports: the CLI and the runtime import this on start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

Severity = Literal["error", "warning"]

# Exit codes of the ``statusdoc`` command (the table in docs/cli.rst). Every
# error carries its own (``StatusdocError.exit_code``); only here are they numbers.
#: Nothing to report: the spec is valid, the artifacts current, the sides equal.
EXIT_OK = 0
#: Problems found: an invalid spec, drift, differences, a render or write failure.
EXIT_PROBLEMS = 1
#: Usage or environment error: a bad option, a file that cannot be read, an
#: unusable configuration; the command could not start its work.
EXIT_USAGE = 2
#: Interrupted with Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: Terminated with SIGTERM (128 + SIGTERM).
EXIT_TERMINATED = 143


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about a spec, located in its source file.

    ``path`` is the key path inside the spec (``transitions[4].to``), or ``""``
    for the document as a whole. ``line`` is 1-based, ``0`` when unknown.
    ``code`` and ``rule`` name the rule broken (``SD201``, ``ambiguous-event``;
    see :mod:`statusdoc.spec.rules`, which builds problems with both filled in).
    Shown as ``file:line: path: [warning: ]message [code rule]``.
    """

    file: str
    line: int
    path: str
    message: str
    severity: Severity = "error"
    code: str = ""
    rule: str = ""

    def __str__(self) -> str:
        file = shown_name(self.file)
        where = f"{file}:{self.line}" if self.line else file
        key = f" {self.path}:" if self.path else ""
        tag = "" if self.severity == "error" else " warning:"
        named = f" [{self.code} {self.rule}]" if self.code else ""
        return f"{where}:{key}{tag} {self.message}{named}"


def shown_name(name: str) -> str:
    """A file name as a message shows it: every character that is not printable
    (a line break, an escape sequence, a bidi override) written as its escape,
    so that a hostile name cannot start a line of its own in a log (which CI
    reads as a command) or restyle a terminal."""
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                   for ch in name)


def preview(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages.

    A table or list is shown as ``{...}`` / ``[...]``, so a message never grows
    with a hostile value (a 4 MB key is shown as its first few characters).
    """
    if isinstance(value, dict):
        text = "{...}" if value else "{}"
    elif isinstance(value, list):
        text = "[...]" if value else "[]"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class StatusdocError(Exception):
    """Base class of every error statusdoc raises on purpose.

    ``exit_code`` is what the ``statusdoc`` command exits with when the error
    ends it (as click's exceptions carry theirs): :data:`EXIT_PROBLEMS` here,
    :data:`EXIT_USAGE` for a :class:`UsageError`. The command prints
    :meth:`details` (one line each), then ``statusdoc COMMAND: <summary>``.
    """

    exit_code: ClassVar[int] = EXIT_PROBLEMS

    def details(self) -> tuple[str, ...]:
        """Lines printed before the one-line summary (e.g. every located problem)."""
        return ()

    @property
    def summary(self) -> str:
        """The one-line message (the error's text)."""
        return str(self)


class UsageError(StatusdocError):
    """The command could not start its work: a bad option or argument, an input
    file that cannot be opened or read, an unusable configuration (exit 2)."""

    exit_code: ClassVar[int] = EXIT_USAGE


class UnreadableInput(UsageError):
    """An input file (spec, DOT source, table, artifact) cannot be opened or read:
    missing, a directory, FIFO or device, not permitted, over the size limit.
    ``reason`` is why, without the file's name (``"No such file or directory"``)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class SpecError(StatusdocError):
    """A spec could not be loaded; ``problems`` lists every located finding."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid spec")

    def details(self) -> tuple[str, ...]:
        return tuple(str(p) for p in self.problems)

    @property
    def summary(self) -> str:
        return "invalid spec"


class ConfigError(UsageError):
    """The project configuration (``[tool.statusdoc]``) is unusable."""


class RenderError(StatusdocError):
    """A renderer is missing, failed, or ran out of time or memory."""


class UnknownStatus(KeyError, StatusdocError):
    """A status name that the machine does not define."""

    def __init__(self, machine: str, status: object, known: Iterable[str] = ()) -> None:
        self.machine = machine
        self.status = status
        self.known = tuple(known)
        super().__init__(status)

    def __str__(self) -> str:
        return f"{self.machine}: unknown status {self.status!r} (known: {quoted(self.known)})"


class InvalidTransition(ValueError, StatusdocError):
    """A transition the spec does not allow.

    Carries ``machine``, ``src``, ``dst`` and ``allowed`` (the targets ``src``
    may move to). Built as ``InvalidTransition(machine, src, dst, allowed)``.
    There is deliberately no Python ``__init__``: the values stay in ``args``
    (stored by the C-level ``BaseException.__init__``) and the attributes read
    them back, so raising one costs about what raising a plain ``ValueError``
    does (``machine.check()`` is held to 1.5x of that), the message is only
    built by ``__str__``, and the exception pickles.
    """

    if TYPE_CHECKING:

        def __init__(self, machine: str, src: str, dst: str, allowed: frozenset[str]) -> None:
            ...

    @property
    def machine(self) -> str:
        return self.args[0]  # type: ignore[no-any-return]

    @property
    def src(self) -> str:
        return self.args[1]  # type: ignore[no-any-return]

    @property
    def dst(self) -> str:
        return self.args[2]  # type: ignore[no-any-return]

    @property
    def allowed(self) -> frozenset[str]:
        return self.args[3]  # type: ignore[no-any-return]

    def __str__(self) -> str:
        src, dst = _plain(self.src), _plain(self.dst)
        hint = transition_hint(src, self.allowed)
        return f"{self.machine}: transition {src!r} -> {dst!r} is not allowed ({hint})"


def _plain(value: object) -> object:
    """A ``StrEnum`` status member as its plain string value, for messages."""
    return str.__str__(value) if isinstance(value, str) else value


def quoted(names: Iterable[object]) -> str:
    """``'queued', 'saving'``: values as the messages list them (``repr``, comma-separated).

    The generated TypeScript module writes the lists of its messages with this, so that
    they match the Python runtime's byte for byte."""
    return ", ".join(repr(name) for name in names)


def transition_hint(src: object, allowed: Iterable[str]) -> str:
    """The parenthesised part of :class:`InvalidTransition`'s message: the statuses ``src``
    may move to, sorted, or that it is final."""
    options = sorted(allowed)
    if options:
        return f"allowed from {src!r}: {quoted(options)}"
    return f"{src!r} is final: no transition leaves it"
