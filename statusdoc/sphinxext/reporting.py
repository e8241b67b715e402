"""How the directives report spec problems, and why an invalid spec fails the build.

*Warnings* of a spec are Sphinx warnings of type ``statusdoc.spec`` with the
rule name as sub-type (``statusdoc.spec.ambiguous-event``), so
``suppress_warnings`` can silence all of them (``"statusdoc.spec"``) or one
rule (``"statusdoc.spec.ambiguous-event"``); Sphinx matches ``type`` and
``type.subtype`` exactly, so the rule *code* cannot be used there.

*Errors* (an invalid or missing spec, unsafe RST, a broken template) leave
the page without the content it promises. They are logged without a
warning type, so no ``suppress_warnings`` entry can hide them, and they are
recorded on the environment per document: at the end of the build (also an
incremental one that did not re-read the page) a summary is logged and the
exit status is set to 1, with or without ``-W``.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

from sphinx.util import logging

from statusdoc.errors import Problem

logger = logging.getLogger(__name__)

#: ``env.temp_data`` key set while a page directive parses its own generated RST,
#: whose nested ``statusdoc-diagram`` would otherwise report the same warnings again.
NESTED = "statusdoc_nested"


def _failures(env: Any) -> dict[str, list[str]]:
    """``{docname: [what failed, ...]}``, kept (and pickled) on the environment."""
    failures: dict[str, list[str]] | None = getattr(env, "statusdoc_failures", None)
    if failures is None:
        failures = env.statusdoc_failures = {}
    return failures


def warn_spec(problems: Iterable[Problem], location: Any) -> None:
    """Log each spec warning with its rule as sub-type (``statusdoc.spec.<rule>``)."""
    for problem in problems:
        logger.warning(
            "statusdoc: spec warning: %s", problem, location=location,
            type="statusdoc.spec", subtype=problem.rule,
        )


def fail(env: Any, location: Any, summary: str, message: str, *args: object) -> None:
    """Log an error no ``suppress_warnings`` hides, and fail the build at its end.

    ``summary`` names what failed in the end-of-build line ("invalid spec 'door'").
    """
    logger.error(message, *args, location=location)
    found = _failures(env).setdefault(env.docname, [])
    if summary not in found:
        found.append(summary)


def purge(app: Any, env: Any, docname: str) -> None:
    """``env-purge-doc``: a re-read document starts without failures."""
    _failures(env).pop(docname, None)


def merge(app: Any, env: Any, docnames: Set[str], other: Any) -> None:
    """``env-merge-info``: take the failures recorded by a parallel reader."""
    found = _failures(other)
    _failures(env).update((name, found[name]) for name in docnames if name in found)


def fail_build(app: Any, exception: BaseException | None) -> None:
    """``build-finished``: set the exit status to 1 while any page has a failure."""
    failures = _failures(app.env)
    if exception is not None or not failures:
        return
    pages = "; ".join(
        f"{docname}: {', '.join(what)}" for docname, what in sorted(failures.items())
    )
    logger.error(
        "statusdoc: %d page(s) could not show their status machine (%s); the build fails "
        "until they are fixed", len(failures), pages,
    )
    app.statuscode = 1
