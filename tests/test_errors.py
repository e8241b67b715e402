"""Every deliberate error is a StatusdocError carrying its exit code, and the CLI
handles them in one place (issue 12, items 11 and 12)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import statusdoc
from statusdoc.errors import (
    EXIT_PROBLEMS,
    EXIT_USAGE,
    ConfigError,
    SpecError,
    StatusdocError,
    UnreadableInput,
    UsageError,
)

PACKAGE = Path(statusdoc.__file__).parent


def _modules() -> list[str]:
    every = pkgutil.walk_packages([str(PACKAGE)], "statusdoc.")
    return sorted(m.name for m in every if m.name != "statusdoc.__main__")  # that one runs


def _exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in statusdoc, by dotted name."""
    found: dict[str, type[BaseException]] = {}
    for name in _modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (isinstance(value, type) and issubclass(value, BaseException)
                    and value.__module__ == name):
                found[f"{name}.{attr}"] = value
    return found


def _exempt(cls: type[BaseException]) -> bool:
    """Not a deliberate error of statusdoc's own: a private signal that never leaves
    its module, an OSError (read with errno and strerror like any other), a warning,
    or control flow that unwinds past every ``except Exception`` (SIGTERM)."""
    return (cls.__name__.startswith("_") or issubclass(cls, OSError | Warning)
            or not issubclass(cls, Exception))


def test_every_deliberate_error_is_a_statusdoc_error() -> None:
    classes = _exception_classes()
    assert "statusdoc.importers.common.ImportFailure" in classes  # the walk found them
    outside = sorted(name for name, cls in classes.items()
                     if not _exempt(cls) and not issubclass(cls, StatusdocError))
    assert outside == []


def test_errors_carry_their_exit_code() -> None:
    from statusdoc.compare import TableError
    from statusdoc.importers import ImportFailure
    from statusdoc.scaffold import InitError
    from statusdoc.stamp import StampError

    assert StatusdocError.exit_code == EXIT_PROBLEMS
    for usage in (UsageError, ConfigError, UnreadableInput, TableError, InitError):
        assert usage.exit_code == EXIT_USAGE, usage
    for problem in (SpecError, ImportFailure, StampError):
        assert problem.exit_code == EXIT_PROBLEMS, problem
    error = SpecError([])
    assert (error.summary, error.details()) == ("invalid spec", ())


def _cli_sources() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted((PACKAGE / "cli").glob("*.py"))}


def test_exit_codes_are_numbers_in_one_module_only() -> None:
    for name, tree in _cli_sources().items():
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                for leaf in ast.walk(target):
                    assert not (isinstance(leaf, ast.Name) and leaf.id.startswith("EXIT_")), \
                        f"{name} defines {leaf.id}: import it from statusdoc.errors"
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
                assert not isinstance(node.value.value, int) or isinstance(
                    node.value.value, bool), f"{name}:{node.lineno} returns a bare number"


def test_only_main_handles_statusdoc_errors() -> None:
    """Commands raise; ``statusdoc.cli.main`` prints. The one exception: ``validate``
    reports every spec argument, also those after one that cannot be read."""
    names = {cls.__name__ for cls in _exception_classes().values()
             if issubclass(cls, StatusdocError)}
    caught: list[str] = []
    for name, tree in _cli_sources().items():
        if name == "__init__.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                for leaf in ast.walk(node.type):
                    if isinstance(leaf, ast.Name) and leaf.id in names:
                        caught.append(f"{name}:{leaf.id}")
    assert caught == ["validate.py:UsageError"]
