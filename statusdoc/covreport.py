"""Transition coverage reports: records merged per machine, shown as text, JSON or Markdown.

A record (what :func:`statusdoc.coverage.collect` returns, and what pytest-xdist
workers send to the controller) is plain data::

    {"machine": "image", "statuses": [...], "transitions": [[src, dst], ...],
     "covered": [[src, dst], ...]}

:func:`merge` unites the records of one machine name (from several workers,
or a spec and its generated module). Numbers: a machine's *total* is the
number of distinct allowed ``(from, to)`` pairs (wildcards, groups and
returns expanded), *covered* how many of them were exercised; the percentage
of a run is the sum of covered over the sum of totals.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from statusdoc.emit.mdescape import md_code
from statusdoc.errors import shown_name

__all__ = ["MachineCoverage", "below", "format_json", "format_markdown", "format_term", "merge",
           "percent", "totals"]

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class MachineCoverage:
    """One machine's transitions, in status order, and those exercised."""

    machine: str
    transitions: tuple[Pair, ...]
    covered: frozenset[Pair]

    @property
    def missing(self) -> tuple[Pair, ...]:
        """The transitions never exercised, in status order."""
        return tuple(t for t in self.transitions if t not in self.covered)


def merge(records: Iterable[dict[str, object]]) -> list[MachineCoverage]:
    """One :class:`MachineCoverage` per machine name, sorted by name."""
    statuses: dict[str, dict[str, None]] = {}
    allowed: dict[str, set[Pair]] = {}
    covered: dict[str, set[Pair]] = {}
    for record in records:
        name = str(record["machine"])
        statuses.setdefault(name, {}).update(dict.fromkeys(record["statuses"]))  # type: ignore[call-overload]
        allowed.setdefault(name, set()).update(_pairs(record["transitions"]))
        covered.setdefault(name, set()).update(_pairs(record["covered"]))
    out = []
    for name in sorted(allowed):
        order = {status: i for i, status in enumerate(statuses[name])}
        transitions = tuple(sorted(allowed[name], key=lambda p: (order[p[0]], order[p[1]])))
        out.append(MachineCoverage(name, transitions, frozenset(covered[name] & allowed[name])))
    return out


def _pairs(value: object) -> Iterable[Pair]:
    return ((str(src), str(dst)) for src, dst in value)  # type: ignore[attr-defined]


def totals(machines: Iterable[MachineCoverage]) -> tuple[int, int]:
    """``(covered, total)`` over every machine."""
    covered = total = 0
    for m in machines:
        covered += len(m.covered)
        total += len(m.transitions)
    return covered, total


def percent(covered: int, total: int) -> str:
    """``71.4%``: rounded down, so only full coverage shows as 100%."""
    if not total:
        return "100%"
    tenths = covered * 1000 // total
    return f"{tenths // 10}.{tenths % 10}%" if tenths % 10 else f"{tenths // 10}%"


def below(machines: Iterable[MachineCoverage], fail_under: float) -> bool:
    """True when the run's coverage is under ``fail_under`` percent (exactly compared)."""
    covered, total = totals(machines)
    return bool(total) and covered * 100 < fail_under * total


def format_term(machines: list[MachineCoverage]) -> list[str]:
    """The terminal report: a line per machine, then each transition not covered."""
    lines = []
    for m in machines:
        lines.append(f"{shown_name(m.machine)}: {len(m.covered)}/{len(m.transitions)} "
                     f"transitions ({percent(len(m.covered), len(m.transitions))})")
        lines.extend(f"  not covered: {shown_name(src)} -> {shown_name(dst)}"
                     for src, dst in m.missing)
    covered, total = totals(machines)
    lines.append(f"total: {covered}/{total} transitions ({percent(covered, total)})")
    return lines


def format_json(machines: list[MachineCoverage]) -> str:
    """The JSON report (sorted keys, one trailing newline)."""
    covered, total = totals(machines)
    data = {
        "machines": [
            {"machine": m.machine, "covered": len(m.covered), "total": len(m.transitions),
             "missing": [list(p) for p in m.missing],
             "covered_transitions": [list(p) for p in m.transitions if p in m.covered]}
            for m in machines
        ],
        "covered": covered,
        "total": total,
        "percent": round(covered * 100 / total, 2) if total else 100.0,
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def format_markdown(machines: list[MachineCoverage]) -> str:
    """The Markdown report: a table per machine, then the transitions not covered."""
    covered, total = totals(machines)
    lines = ["# Transition coverage", "",
             f"{covered} of {total} transitions covered ({percent(covered, total)}).", "",
             "| Machine | Covered | Total | Percent |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {md_code(m.machine, table=True)} | {len(m.covered)} | {len(m.transitions)} "
              f"| {percent(len(m.covered), len(m.transitions))} |" for m in machines]
    for m in machines:
        if m.missing:
            lines += ["", f"## Not covered in {md_code(m.machine)}", ""]
            lines += [f"- {md_code(src)} → {md_code(dst)}" for src, dst in m.missing]
    return "\n".join(lines) + "\n"
