"""The ``sql`` and ``sql-teardown`` kinds without a database: settings, quoting, files.

What the SQL *does* is tested on real servers (test_sql_acceptance.py,
test_sql_hostile.py, test_sql_postgresql.py); here: the configuration's
checks and messages, the quoting rules, deterministic files with the header,
drift of the files, and derived names within PostgreSQL's limit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_support import GLANCE, run

import statusdoc
from statusdoc.config import parse_config
from statusdoc.errors import ConfigError
from statusdoc.sql.emit import emit_sql, emit_teardown, script_for
from statusdoc.sql.quoting import POSTGRESQL, SQLITE, dollar_quote
from statusdoc.sql.settings import parse_settings


def _config(tmp_path: Path, entry: str) -> None:
    shutil.copy(GLANCE, tmp_path / "s.toml")
    parse_config({"specs": [_toml(entry)]}, tmp_path)


def _toml(entry: str) -> dict[str, object]:
    import tomllib

    return tomllib.loads(f'spec = "s.toml"\n{entry}')


@pytest.mark.parametrize(("entry", "message"), [
    ('outputs = ["sql"]', r"output kind 'sql' needs its settings: add sql = \{ ... \}"),
    ('outputs = ["md"]\nsql = { table = "t" }', r"specs\[0\]\.sql: no output uses it; add "
                                                r"'sql' or 'sql-teardown' to outputs"),
    ('outputs = ["sql"]\nsql = "images"', r"sql: expected a table like"),
    ('outputs = ["sql"]\nsql = { column = "s" }', r"sql: missing required key 'table'"),
    ('outputs = ["sql"]\nsql = { table = "t", colum = "s" }',
     r"unknown key 'colum' \(did you mean 'column'\?\)"),
    ('outputs = ["sql"]\nsql = { table = "t", dialect = "postgres" }',
     r"sql\.dialect: unknown dialect 'postgres' \(did you mean 'postgresql'\?\); use "
     r"'postgresql' or 'sqlite'"),
    ('outputs = ["sql"]\nsql = { table = "t", dialect = "sqlite", schema = "s" }',
     r"sql\.schema: PostgreSQL only, not for dialect 'sqlite'"),
    ('outputs = ["sql"]\nsql = { table = "t", dialect = "sqlite", enum = true }',
     r"sql\.enum: PostgreSQL only"),
    ('outputs = ["sql"]\nsql = { table = "' + "é" * 32 + '" }',
     r"sql\.table: .* is longer than PostgreSQL's 63-byte limit"),
    ('outputs = ["sql"]\nsql = { table = "" }', r"sql\.table: expected a non-empty string"),
    ('outputs = ["sql"]\nsql = { table = "a\\u0000b" }', r"contains a NUL character"),
    ('outputs = ["sql"]\nsql = { table = "t", column = "a\\nb" }',
     r"sql\.column: 'a\\nb' contains a control character \('\\n'\)"),
    ('outputs = ["sql"]\nsql = { table = "t", enum = 1 }',
     r"sql\.enum: expected true, false or a type name"),
    ('outputs = ["sql"]\nsql = { table = "t", allow-unchanged = "no" }',
     r"sql\.allow-unchanged: expected true or false"),
])
def test_sql_settings_are_checked(tmp_path: Path, entry: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _config(tmp_path, entry)


def test_sql_settings_defaults_and_names() -> None:
    pg = parse_settings({"table": "images"}, "x")
    assert (pg.dialect, pg.schema, pg.column, pg.key, pg.enum, pg.allow_unchanged) == (
        "postgresql", "public", "status", None, None, True)
    assert parse_settings({"table": "t", "dialect": "sqlite"}, "x").schema is None
    assert parse_settings({"table": "images", "enum": True}, "x").enum == "images_status"
    assert parse_settings({"table": "images", "enum": "img_st"}, "x").enum == "img_st"
    names = pg.names
    assert (names.function, names.insert_trigger, names.update_trigger, names.constraint) == (
        "statusdoc_images_status", "statusdoc_images_status_insert",
        "statusdoc_images_status_update", "statusdoc_status_check")
    # derived names past PostgreSQL's 63 bytes are cut, stay distinct, and never split a
    # character; SQLite has no such limit
    long_a = parse_settings({"table": "é" * 31, "column": "a"}, "x").names
    long_b = parse_settings({"table": "é" * 31, "column": "b"}, "x").names
    for name in (long_a.function, long_a.insert_trigger, long_a.update_trigger):
        assert len(name.encode("utf-8")) <= 63 and name.startswith("statusdoc_éé")
    assert len({long_a.function, long_b.function, long_a.insert_trigger,
                long_a.update_trigger}) == 4
    lite = parse_settings({"table": "é" * 40, "dialect": "sqlite"}, "x").names
    assert lite.function == "statusdoc_" + "é" * 40 + "_status"


@pytest.mark.parametrize(("text", "quoted"), [
    ("plain", "'plain'"),
    ("it's", "'it''s'"),
    ("a\\b", "$s$a\\b$s$"),
    ("$s$ \\", "$s1$$s$ \\$s1$"),
    ("x\\$s", "$s1$x\\$s$s1$"),  # "$s" at the end would form "$s$" with the closing tag
    ("\\ $s$ $s1$", "$s2$\\ $s$ $s1$$s2$"),
])
def test_postgresql_literals(text: str, quoted: str) -> None:
    assert POSTGRESQL.literal(text) == quoted


def test_dollar_quotes_and_identifiers() -> None:
    assert dollar_quote("body", "statusdoc") == "$statusdoc$body$statusdoc$"
    assert dollar_quote("$statusdoc$", "statusdoc") == "$statusdoc1$$statusdoc$$statusdoc1$"
    assert SQLITE.literal("a\\'b") == "'a\\''b'"  # SQLite has no escapes at all
    assert POSTGRESQL.ident('a"; DROP TABLE x; --') == '"a""; DROP TABLE x; --"'
    assert SQLITE.qualified(None, "t", 'c"') == '"t"."c"""'


def test_the_files_have_the_header_and_are_deterministic() -> None:
    machine = statusdoc.load(GLANCE)
    for dialect in ("postgresql", "sqlite"):
        settings = parse_settings({"table": "images", "dialect": dialect}, "x")
        for emit in (emit_sql, emit_teardown):
            text = emit(machine, source_name="specs/image.toml", settings=settings)
            assert text.startswith("-- generated from specs/image.toml — edit the spec, not "
                                   "this file\n")
            assert text == emit(machine, source_name="specs/image.toml", settings=settings)
            assert text.endswith(";\n")


def test_the_digest_covers_the_sql_but_not_the_spec_file_name() -> None:
    machine = statusdoc.load(GLANCE)
    settings = parse_settings({"table": "images"}, "x")
    here = script_for(machine, settings, "a/image.toml")
    assert script_for(machine, settings, "b/moved.toml").digest == here.digest
    other = parse_settings({"table": "images", "allow-unchanged": False}, "x")
    assert script_for(machine, other, "a/image.toml").digest != here.digest
    assert f"COMMENT ON FUNCTION \"public\".\"statusdoc_images_status\"() IS 'statusdoc " \
           f"sha256:{here.digest} machine image spec a/image.toml';" in here.install


def test_sql_files_are_generated_and_checked_like_every_artifact(tmp_path: Path) -> None:
    shutil.copy(GLANCE, tmp_path / "image-statuses.toml")
    (tmp_path / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "image-statuses.toml"\noutputs = ["sql", "sql-teardown"]\n'
        'sql = { table = "images", dialect = "sqlite" }\n', encoding="utf-8")
    assert run(["check"], tmp_path).returncode == 1
    assert run(["generate"], tmp_path).returncode == 0
    assert run(["check"], tmp_path).returncode == 0
    teardown = tmp_path / "image-statuses-teardown.sql"
    assert teardown.read_text(encoding="utf-8").endswith(
        'DROP TRIGGER IF EXISTS "statusdoc_images_status_update";\n')
    teardown.write_text("-- edited\n", encoding="utf-8")
    stale = run(["check"], tmp_path)
    assert stale.returncode == 1 and "image-statuses-teardown.sql: stale: text differs" in (
        stale.stdout)


def test_a_sql_kind_without_settings_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(GLANCE, tmp_path / "image-statuses.toml")
    proc = run(["generate", "image-statuses.toml", "--format", "sql"], tmp_path)
    assert proc.returncode == 2
    assert "output kind 'sql' needs sql = { ... } in the spec's [[tool.statusdoc.specs]]" in (
        proc.stderr)
    assert not (tmp_path / "image-statuses.sql").exists()


def test_an_enum_label_longer_than_postgresql_allows_is_refused(tmp_path: Path) -> None:
    spec = GLANCE.read_text(encoding="utf-8").replace("pending_delete", "p" * 64)
    (tmp_path / "s.toml").write_text(spec, encoding="utf-8")
    (tmp_path / "statusdoc.toml").write_text(
        '[[specs]]\nspec = "s.toml"\noutputs = ["sql"]\nsql = { table = "t", enum = true }\n',
        encoding="utf-8")
    proc = run(["generate"], tmp_path)
    assert proc.returncode == 1
    assert "longer than the 63 bytes PostgreSQL allows an enum label; set enum = false" in (
        proc.stderr)


def test_statements_are_separated_by_empty_lines_and_hold_none(tmp_path: Path) -> None:
    """Drivers that run one statement at a time split the file on empty lines."""
    import json

    from test_sql_hostile import SCHEMA, TABLE, _spec

    _spec(tmp_path / "hostile.json")
    machine = statusdoc.load(tmp_path / "hostile.json")
    for raw in ({"table": TABLE, "column": "c", "schema": SCHEMA, "key": "k", "enum": True},
                {"table": TABLE, "dialect": "sqlite"}):
        settings = parse_settings(raw, "x")
        script = script_for(machine, settings, "a\n\nb.json")
        for emit, statements in ((emit_sql, script.install), (emit_teardown, script.teardown)):
            chunks = emit(machine, source_name="a\n\nb.json", settings=settings).split("\n\n")
            assert chunks[1:] == [*statements[:-1], statements[-1] + "\n"], json.dumps(raw)
            assert all(line.startswith("-- ") for line in chunks[0].splitlines())
