"""``statusdoc audit`` reports: text for a terminal, JSON for tools, Markdown for pages."""

from __future__ import annotations

import json

from statusdoc.audit.result import Audit, Dwell, Move
from statusdoc.emit.mdescape import md_code
from statusdoc.errors import shown_name

__all__ = ["FORMATS", "duration", "format_json", "format_markdown", "format_text"]


def duration(seconds: float | None) -> str:
    """``42s``, ``7.5min``, ``3.2h``, ``12.0d``: one unit, short; ``-`` for none."""
    if seconds is None:
        return "-"
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:.3g}s"


def _examples(move: Move) -> str:
    return ", ".join(move.examples)


def _ids(move: Move) -> str:
    return ("e.g. id " if len(move.examples) == 1 else "e.g. ids ") + _examples(move)


def _times(n: int) -> str:
    return "1 time" if n == 1 else f"{n} times"


def format_text(audit: Audit) -> str:
    """The terminal report: findings first, then the dwell table."""
    name = shown_name
    forbidden = audit.forbidden
    lines = [f"audit of machine {name(audit.machine)!r}: {audit.rows} history rows, "
             f"{sum(m.count for m in audit.moves)} transitions"]
    lines.append(f"forbidden transitions: {len(forbidden)}"
                 + (f" ({sum(m.count for m in forbidden)} times)" if forbidden else ""))
    lines += [f"  {name(m.source)} -> {name(m.target)}: {_times(m.count)} "
              f"({name(_ids(m))})" for m in forbidden]
    lines.append(f"unused transitions: {len(audit.unused)}")
    lines += [f"  {name(src)} -> {name(dst)}" for src, dst in audit.unused]
    lines.append(f"statuses never entered: {len(audit.never_entered)}")
    lines += [f"  {name(s)}" for s in audit.never_entered]
    lines.append("dwell time (stays that ended): status, entered, left, median, p95, max")
    width = max((len(name(d.status)) for d in audit.dwells), default=0)
    lines += [f"  {name(d.status).ljust(width)}  {d.entered:>9}  {d.left:>9}  "
              f"{duration(d.median):>8}  {duration(d.p95):>8}  {duration(d.longest):>8}"
              for d in audit.dwells]
    return "\n".join(lines) + "\n"


def _dwell_json(d: Dwell) -> dict[str, object]:
    return {"status": d.status, "entered": d.entered, "left": d.left,
            "median_seconds": d.median, "p95_seconds": d.p95, "max_seconds": d.longest}


def format_json(audit: Audit) -> str:
    """The JSON report (sorted keys; durations in seconds)."""
    data = {
        "machine": audit.machine,
        "rows": audit.rows,
        "forbidden": [{"from": m.source, "to": m.target, "count": m.count,
                       "example_ids": list(m.examples)} for m in audit.forbidden],
        "unused": [{"from": src, "to": dst} for src, dst in audit.unused],
        "never_entered": list(audit.never_entered),
        "transitions": [{"from": m.source, "to": m.target, "count": m.count,
                         "forbidden": m.forbidden} for m in audit.moves],
        "dwell": [_dwell_json(d) for d in audit.dwells],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def format_markdown(audit: Audit) -> str:
    """The Markdown report: a summary, then a table per finding."""
    code = md_code
    forbidden = audit.forbidden
    lines = [f"# Audit of {code(audit.machine)}", "",
             f"- History rows: {audit.rows}",
             f"- Forbidden transitions: {len(forbidden)}",
             f"- Unused transitions: {len(audit.unused)}",
             f"- Statuses never entered: {len(audit.never_entered)}"]
    if forbidden:
        lines += ["", "## Forbidden transitions", "", "| From | To | Count | Example ids |",
                  "| --- | --- | ---: | --- |"]
        lines += [f"| {code(m.source, table=True)} | {code(m.target, table=True)} | {m.count} "
                  f"| {code(_examples(m), table=True)} |" for m in forbidden]
    if audit.unused:
        lines += ["", "## Unused transitions", ""]
        lines += [f"- {code(src)} → {code(dst)}" for src, dst in audit.unused]
    if audit.never_entered:
        lines += ["", "## Statuses never entered", ""]
        lines += [f"- {code(s)}" for s in audit.never_entered]
    lines += ["", "## Dwell time", "", "| Status | Entered | Left | Median | p95 | Max |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {code(d.status, table=True)} | {d.entered} | {d.left} | {duration(d.median)} "
              f"| {duration(d.p95)} | {duration(d.longest)} |" for d in audit.dwells]
    return "\n".join(lines) + "\n"


#: Report formats by the name ``--format`` takes.
FORMATS = {"text": format_text, "json": format_json, "markdown": format_markdown}
