"""The result of :func:`statusdoc.compare.compare_table`: :class:`TableDiff`.

Its report is what ``statusdoc compare``, the pytest plugin and
:func:`statusdoc.testing.assert_table_matches` print, so the messages are
the same everywhere; :func:`apply_known` sets the listed known differences
(:mod:`statusdoc.known`) apart.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from statusdoc.known import KnownDifference, describe, show_name

__all__ = ["TableDiff", "apply_known"]


@dataclass(frozen=True, slots=True)
class TableDiff:
    """Differences between a spec and a table; empty (falsy) when they agree.

    ``missing_*``: in the spec, not in the code. ``extra_*``: only in the code.
    Statuses are in spec order (code-only ones in table order); transitions
    by source, then target, in the same order. ``known`` holds the listed
    known differences that are present (taken out of the fields above: not
    failures); ``stale`` those listed that no longer occur (failures).
    """

    machine: str
    missing_statuses: tuple[str, ...] = ()
    extra_statuses: tuple[str, ...] = ()
    missing_transitions: tuple[tuple[str, str], ...] = ()
    extra_transitions: tuple[tuple[str, str], ...] = ()
    #: ``(status, event, target)`` triples, filled by ``compare_table(..., events=True)``.
    missing_events: tuple[tuple[str, str, str], ...] = ()
    extra_events: tuple[tuple[str, str, str], ...] = ()
    known: tuple[KnownDifference, ...] = ()
    stale: tuple[KnownDifference, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.missing_statuses
            or self.extra_statuses
            or self.missing_transitions
            or self.extra_transitions
            or self.missing_events
            or self.extra_events
            or self.stale
        )

    @property
    def ok(self) -> bool:
        """True when code and spec agree (known differences aside, none stale)."""
        return not self

    def lines(self) -> list[str]:
        """One line per failure, e.g. ``missing from code: queued -> saving``.

        Statuses first, then transitions, then events (when compared), then
        stale known differences (``stale: ...``).
        """
        out = [describe("missing", status=s) for s in self.missing_statuses]
        out += [describe("extra", status=s) for s in self.extra_statuses]
        out += [describe("missing", transition=t) for t in self.missing_transitions]
        out += [describe("extra", transition=t) for t in self.extra_transitions]
        out += [
            f"missing from code: event {show_name(e)}: {show_name(a)} -> {show_name(b)}"
            for a, e, b in self.missing_events
        ]
        out += [
            f"only in code: event {show_name(e)}: {show_name(a)} -> {show_name(b)}"
            for a, e, b in self.extra_events
        ]
        out += [
            f"stale: {k.text}: listed as a known difference ({k.where}), but code and spec "
            "agree on it now; remove it from the list"
            for k in self.stale
        ]
        return out

    def report(self, spec: str = "spec", table: str = "table") -> str:
        """The full report the CLI prints: a summary line, then :meth:`lines` and the
        present known differences (``known: ... (reason)``), indented.

        The summary counts each kind: ``differs from the spec (1 difference,
        1 stale known difference, 2 known differences):``.
        """
        lines = self.lines()
        known = [f"known: {k.text} ({k.reason})" for k in self.known]
        failures = len(lines) - len(self.stale)
        counts = [_count(failures, "difference"),
                  _count(len(self.stale), "stale known difference"),
                  _count(len(self.known), "known difference")]
        summary = ", ".join(c for c in counts if c)
        if failures:
            head = f"{spec}: {table} differs from the spec ({summary}):"
        elif lines:
            head = f"{spec}: {table} has stale known differences ({summary}):"
        elif known:
            head = f"{spec}: {table} matches the spec but for known differences ({summary}):"
        else:
            return f"{spec}: {table} matches the spec"
        return "\n".join([head, *(f"  {line}" for line in [*lines, *known])])


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}" if n else ""


def apply_known(diff: TableDiff, known: tuple[KnownDifference, ...]) -> TableDiff:
    """Move the listed differences that are present to ``known``, the others to ``stale``."""
    statuses = {"missing": list(diff.missing_statuses), "extra": list(diff.extra_statuses)}
    edges = {"missing": list(diff.missing_transitions), "extra": list(diff.extra_transitions)}
    present: list[KnownDifference] = []
    stale: list[KnownDifference] = []
    for item in known:
        found = statuses[item.side] if item.status is not None else edges[item.side]
        subject = item.status if item.status is not None else item.transition
        if subject not in found:
            stale.append(item)
            continue
        found.remove(subject)  # type: ignore[arg-type]
        present.append(item)
        if item.status is not None:  # the transitions of a known status are known too
            mine = [e for e in edges[item.side] if item.status in e]
            edges[item.side] = [e for e in edges[item.side] if item.status not in e]
            reason = f"with the known status {show_name(item.status)}"
            present += [KnownDifference(item.side, reason, transition=e, where=item.where)
                        for e in mine]
    return replace(
        diff,
        missing_statuses=tuple(statuses["missing"]),
        extra_statuses=tuple(statuses["extra"]),
        missing_transitions=tuple(edges["missing"]),
        extra_transitions=tuple(edges["extra"]),
        known=tuple(present),
        stale=tuple(stale),
    )
