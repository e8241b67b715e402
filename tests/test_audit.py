"""``statusdoc audit``: a generated history with planted findings, read by DuckDB (issue 15).

The Glance history of tests/audit_support.py makes every transition but two
(:data:`UNUSED`) and three forbidden hops (:data:`PLANTED`); each source
(CSV, JSON lines, Parquet, a DuckDB table, transition rows) must report
exactly those.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from audit_support import GLANCE, PLANTED, UNUSED, glance_history, with_snapshots, write_csv
from cli_support import run

import statusdoc
from statusdoc.audit import Columns, audit_database, audit_file, file_sql
from statusdoc.audit.result import Audit

EXPECTED_FORBIDDEN = sorted((src, dst, 1, (str(i),)) for i, (src, dst) in PLANTED.items())


@pytest.fixture(scope="module")
def machine() -> statusdoc.Machine:
    return statusdoc.load(GLANCE)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_csv(tmp_path_factory.mktemp("audit") / "history.csv", glance_history())


def _copy(history: Path, dest: Path, options: str) -> Path:
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{history}')) TO '{dest}' ({options})")
    con.close()
    return dest


def _assert_planted(audit: Audit) -> None:
    found = sorted((m.source, m.target, m.count, m.examples) for m in audit.forbidden)
    assert found == EXPECTED_FORBIDDEN
    assert audit.unused == UNUSED
    assert audit.never_entered == ()


def test_csv_reports_exactly_the_planted_hops_and_unused(machine, history):
    audit = audit_file(machine, str(history))
    _assert_planted(audit)
    lines = sum(1 for _ in history.open()) - 1
    assert audit.rows == lines


def test_parquet_and_json_lines_report_the_same(machine, history, tmp_path):
    csv_audit = audit_file(machine, str(history))
    parquet = _copy(history, tmp_path / "history.parquet", "FORMAT parquet")
    jsonl = _copy(history, tmp_path / "history.jsonl", "FORMAT json")
    for path in (parquet, jsonl):
        audit = audit_file(machine, str(path))
        _assert_planted(audit)
        assert audit == csv_audit


def test_transition_rows_report_the_same(machine, history, tmp_path):
    con = duckdb.connect()
    rows = tmp_path / "moves.parquet"
    con.execute(f"""COPY (SELECT id AS entity, LAG(status) OVER (PARTITION BY id ORDER BY "at")
                          AS was, status AS became, "at" AS changed
                          FROM read_csv('{history}')) TO '{rows}' (FORMAT parquet)""")
    con.close()
    columns = Columns(id="entity", status="", at="changed", source="was", target="became")
    audit = audit_file(machine, str(rows), columns=columns)
    _assert_planted(audit)
    assert audit == audit_file(machine, str(history))


def test_a_duckdb_database_table_and_query(machine, history, tmp_path):
    db = tmp_path / "app.duckdb"
    con = duckdb.connect(str(db))
    con.execute(f"CREATE SCHEMA ops; CREATE TABLE ops.\"image history\" AS "
                f"SELECT * FROM read_csv('{history}')")
    con.close()
    url = f"duckdb:///{db}"
    _assert_planted(audit_database(machine, url, table='ops.image history'))
    only_bad = audit_database(machine, url, query='SELECT * FROM ops."image history" '
                                                  'WHERE id > 9000')
    assert {(m.source, m.target) for m in only_bad.forbidden} == set(PLANTED.values())


def test_ignore_unchanged_reads_a_history_of_snapshots_as_the_moves_it_holds(
        machine, history, tmp_path):
    snapshots = write_csv(tmp_path / "snapshots.csv", with_snapshots(glance_history()))
    # by default a repeated status is a self-transition, which Glance forbids
    noisy = audit_file(machine, str(snapshots))
    assert {(m.source, m.target) for m in noisy.forbidden} >= {
        (s, s) for s in ("queued", "saving", "active")}
    quiet = audit_file(machine, str(snapshots), ignore_unchanged=True)
    _assert_planted(quiet)
    assert quiet == audit_file(machine, str(history))  # moves, counts and dwell times
    # transition rows: a row from a status to itself is dropped
    con = duckdb.connect()
    rows = tmp_path / "moves.parquet"
    con.execute(f"""COPY (SELECT id AS entity, LAG(status) OVER (PARTITION BY id ORDER BY "at")
                          AS was, status AS became, "at" AS changed
                          FROM read_csv('{snapshots}')) TO '{rows}' (FORMAT parquet)""")
    con.close()
    columns = Columns(id="entity", status="", at="changed", source="was", target="became")
    assert audit_file(machine, str(rows), columns=columns, ignore_unchanged=True) == quiet
    # the option on the command line, and an unchanged query without it
    args = ["audit", str(GLANCE), str(snapshots), "--format", "json"]
    cli = run([*args, "--ignore-unchanged"], tmp_path)
    assert cli.returncode == 1, cli.stderr
    assert sorted((f["from"], f["to"]) for f in json.loads(cli.stdout)["forbidden"]) == sorted(
        PLANTED.values())
    assert file_sql(machine, str(history)) == file_sql(machine, str(history),
                                                      ignore_unchanged=False)


DWELL_SPEC = """
[machine]
name = "m"
initial = "a"
[states.a]
[states.b]
[states.c]
final = true
[[transitions]]
from = "a"
to = "b"
[[transitions]]
from = "b"
to = "c"
[[transitions]]
from = "b"
to = "a"
"""


def test_dwell_times_are_nearest_rank_percentiles(tmp_path):
    machine = statusdoc.loads(DWELL_SPEC, format="toml")
    lines = ["id,status,at"]
    # entity i stays 10*i seconds in a (i = 1..20), then 5 s in b, then ends in c
    for i in range(1, 21):
        lines.append(f"{i},a,2024-01-01 00:00:00")
        lines.append(f"{i},b,2024-01-01 00:{10 * i // 60:02d}:{10 * i % 60:02d}")
        lines.append(f"{i},c,2024-01-01 00:{(10 * i + 5) // 60:02d}:{(10 * i + 5) % 60:02d}")
    (tmp_path / "h.csv").write_text("\n".join(lines) + "\n")
    audit = audit_file(machine, str(tmp_path / "h.csv"))
    dwell = {d.status: d for d in audit.dwells}
    assert (dwell["a"].entered, dwell["a"].left) == (20, 20)
    assert (dwell["a"].median, dwell["a"].p95, dwell["a"].longest) == (100.0, 190.0, 200.0)
    assert (dwell["b"].median, dwell["b"].longest) == (5.0, 5.0)
    assert (dwell["c"].left, dwell["c"].median) == (0, None)  # nobody left c yet
    assert audit.unused == (("b", "a"),) and audit.forbidden == ()


def test_the_null_status_is_a_null_in_the_history(tmp_path):
    task = statusdoc.load(GLANCE.parent.parent / "taskinstance" / "task-instance-statuses.toml")
    first = next(s for s in task.state_names if task.can(None, s))
    (tmp_path / "h.csv").write_text(f"id,status,at\n1,,2024-01-01 00:00:00\n"
                                    f"1,{first},2024-01-01 00:01:00\n")
    audit = audit_file(task, str(tmp_path / "h.csv"))
    assert [(m.source, m.target, m.forbidden) for m in audit.moves] == [
        (task.null, first, False)]


def test_names_with_quotes_are_quoted(tmp_path):
    machine = statusdoc.loads(DWELL_SPEC.replace('"b"', '"it\'s \\"b\\""')
                              .replace("[states.b]", "[states.\"it's \\\"b\\\"\"]"),
                              format="toml")
    (tmp_path / "h.csv").write_text('we"ird id,status,at\n1,a,2024-01-01 00:00:00\n'
                                    '1,"it\'s ""b""",2024-01-01 00:01:00\n')
    audit = audit_file(machine, str(tmp_path / "h.csv"), columns=Columns(id='we"ird id'))
    assert audit.forbidden == ()
    assert [(m.source, m.target) for m in audit.moves] == [("a", 'it\'s "b"')]


# -- the command line ---------------------------------------------------------------------


def test_cli_exit_1_with_findings_and_the_json_and_markdown_reports(history, tmp_path):
    result = run(["audit", str(GLANCE), str(history), "--format", "json"], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert sorted((f["from"], f["to"], f["count"], tuple(f["example_ids"]))
                  for f in data["forbidden"]) == EXPECTED_FORBIDDEN
    assert [(u["from"], u["to"]) for u in data["unused"]] == list(UNUSED)
    markdown = run(["audit", str(GLANCE), str(history), "--format", "markdown"], cwd=tmp_path)
    assert "| `saving` | `queued` | 1 | `9001` |" in markdown.stdout.splitlines()
    assert "- `killed` → `deleted`" in markdown.stdout.splitlines()
    text = run(["audit", str(GLANCE), str(history)], cwd=tmp_path)
    assert "  saving -> queued: 1 time (e.g. id 9001)" in text.stdout.splitlines()


def test_cli_exit_0_without_forbidden_hops(history, tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("".join(line for line in history.open() if not line.startswith("900")))
    result = run(["audit", str(GLANCE), str(clean)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "forbidden transitions: 0" in result.stdout


def test_cli_print_sql_is_the_query_that_runs(machine, history, tmp_path):
    result = run(["audit", str(GLANCE), str(history), "--print-sql"], cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == file_sql(machine, str(history))
    rows = duckdb.connect().execute(result.stdout).fetchall()
    assert {(r[1], r[2]) for r in rows if r[0] == "move" and r[4]} == set(PLANTED.values())


def test_cli_diagram_draws_forbidden_hops_red_and_is_written_atomically(history, tmp_path):
    diagram = tmp_path / "audit.dot"
    report = tmp_path / "audit.md"
    result = run(["audit", str(GLANCE), str(history), "--diagram", str(diagram),
                  "--format", "markdown", "-o", str(report)], cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    dot = diagram.read_text()
    assert '"saving" -> "queued" [label="1", penwidth=1.' in dot
    assert 'color="#c62828"' in dot.split('"saving" -> "queued"')[1].splitlines()[0]
    assert '"queued" -> "deleted" [label="0", style=dashed' in dot
    assert report.read_text().startswith("# Audit of `image`")
    # a failed run leaves both files as they were
    before = (dot, report.read_text())
    bad = run(["audit", str(GLANCE), str(history), "--diagram", str(diagram), "-o",
               str(report), "--status-column", "state"], cwd=tmp_path)
    assert bad.returncode == 2 and "state" in bad.stderr
    assert (diagram.read_text(), report.read_text()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.dot", "audit.md"]


def test_cli_diagram_is_rendered_when_its_name_asks_for_an_image(history, tmp_path):
    import xml.etree.ElementTree as ET

    from statusdoc.stamp import PNG_SIGNATURE

    svg, png = tmp_path / "audit.svg", tmp_path / "audit.png"
    for path in (svg, png):
        result = run(["audit", str(GLANCE), str(history), "--diagram", str(path)],
                     cwd=tmp_path)
        assert result.returncode == 1, result.stderr
    assert png.read_bytes().startswith(PNG_SIGNATURE)
    # the real renderer's SVG, parsed: the forbidden hop is an edge drawn in red
    ns = "{http://www.w3.org/2000/svg}"
    edges = {g.findtext(f"{ns}title"): g for g in ET.fromstring(svg.read_bytes()).iter(f"{ns}g")
             if g.get("class") == "edge"}
    assert {p.get("stroke") for p in edges["saving->queued"].iter(f"{ns}path")} == {"#c62828"}
    assert {p.get("stroke") for p in edges["queued->saving"].iter(f"{ns}path")} != {"#c62828"}
    # the project's renderer draws it; when it fails, neither file is written
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.statusdoc]\nrenderer = "command:/bin/false"\n')
    bad = run(["audit", str(GLANCE), str(history), "--diagram", "a.svg", "-o", "audit.md"],
              cwd=project)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "renderer command:false failed" in bad.stderr
    assert sorted(p.name for p in project.iterdir()) == ["pyproject.toml"]


@pytest.mark.parametrize("args, message", [
    (["missing.csv"], "No files found"),
    (["h.xyz"], "cannot tell the history format"),
    ([], "give a HISTORY file"),
    (["--table", "t"], "--table and --query need --db"),
    (["--db", "mysql://x/db", "--table", "t"], "is not a database URL"),
    (["--db", "duckdb:///x.db"], "as a table or as a query"),
    (["h.csv", "--from-column", "a"], "go together"),
])
def test_cli_usage_errors_exit_2(tmp_path, args, message):
    (tmp_path / "h.csv").write_text("id,status,at\n")
    result = run(["audit", str(GLANCE), *args], cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_values_in_the_history_stay_inert(machine, tmp_path):
    """Status values and ids come from the history, as untrusted as a spec."""
    evil = "queued\n::error::forged\x1b[31m|<b>"
    (tmp_path / "h.csv").write_text(
        'id,status,at\n"a\nb",queued,2024-01-01 00:00\n'
        f'"a\nb","{evil}",2024-01-01 01:00\n')
    audit = audit_file(machine, str(tmp_path / "h.csv"))
    [move] = audit.forbidden
    assert (move.source, move.target, move.examples) == ("queued", evil, ("a\nb",))
    from statusdoc.audit.diagram import emit_audit_dot
    from statusdoc.audit.report import format_markdown, format_text

    text = format_text(audit)
    assert "\x1b" not in text and "\n::error::" not in text
    assert "  queued -> queued\\n::error::forged\\x1b[31m|<b>: 1 time (e.g. id a\\nb)" in text
    markdown = format_markdown(audit)
    row = next(line for line in markdown.splitlines() if line.startswith("| `queued`"))
    assert row.count(" | ") == 3  # the pipe in the value does not add a cell
    assert "\n::error::" not in markdown
    dot = emit_audit_dot(machine, audit)
    assert "\n::error::" not in dot and "\x1b" in dot  # DOT carries it as text, quoted
