"""docs/database.rst stays true: its recipes run for real.

The Alembic revision (real Alembic, real PostgreSQL), the Django migration
(real Django, on PostgreSQL and on SQLite) and the SQLite helper are the very
files the page includes (docs/database/), applied to the repo's committed
Glance SQL (or, for SQLite, the SQL statusdoc generates from the page's own
configuration block). After each upgrade ``statusdoc check --db`` exits 0 and
the database refuses an illegal move with the documented message; after each
downgrade the enforcement is gone and ``check --db`` exits 1.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pgserver
import psycopg
import pytest
from cli_support import GLANCE, run
from test_runtime_docs import _block_after

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "database.rst"
RECIPES = ROOT / "docs" / "database"
GLANCE_SQL = ROOT / "examples" / "glance" / "image-statuses.sql"
GLANCE_TEARDOWN = ROOT / "examples" / "glance" / "image-statuses-teardown.sql"
REFUSED = ("image: {where}: transition 'queued' -> 'killed' is not allowed "
           "(allowed from 'queued': 'active', 'deleted', 'saving')")


def _check_db(url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(["check", "--db", url], cwd)


def _pg_database(pg_server: pgserver.PgServer, pg_url: str) -> tuple[str, str]:
    """The test database's name and its TCP URL (what Alembic and Django are given)."""
    name = urlsplit(pg_url).path.lstrip("/")
    return name, pg_server.tcp_url(name)


def _pg_refusal(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO images (id, status) VALUES (1, 'queued')")
        with pytest.raises(psycopg.errors.CheckViolation) as refused:
            conn.execute("UPDATE images SET status = 'killed' WHERE id = 1")
        conn.execute("UPDATE images SET status = 'saving' WHERE id = 1")
        conn.execute("DELETE FROM images")
    return str(refused.value.diag.message_primary)


def _pg_triggers(url: str) -> list[str]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                            "ORDER BY tgname").fetchall()
    return [row[0] for row in rows]


@pytest.mark.postgresql
def test_the_alembic_recipe(tmp_path: Path, pg_server: pgserver.PgServer,
                            pg_url: str) -> None:
    _name, tcp = _pg_database(pg_server, pg_url)
    ini = tmp_path / "alembic.ini"
    subprocess.run([sys.executable, "-m", "alembic", "init", "-t", "generic",
                    str(tmp_path / "migrations")], cwd=tmp_path, check=True,
                   capture_output=True)
    text = ini.read_text(encoding="utf-8")
    ini.write_text(text.replace("driver://user:pass@localhost/dbname",
                                tcp.replace("postgresql://", "postgresql+psycopg://", 1)),
                   encoding="utf-8")
    versions = tmp_path / "migrations" / "versions"
    (versions / "0001_images.py").write_text(
        'from alembic import op\n\nrevision = "0001"\ndown_revision = None\n\n\n'
        'def upgrade() -> None:\n'
        '    op.execute("CREATE TABLE images (id integer PRIMARY KEY, status text)")\n\n\n'
        'def downgrade() -> None:\n    op.execute("DROP TABLE images")\n', encoding="utf-8")
    shutil.copy(RECIPES / "alembic_0002_image_statuses.py", versions)
    shutil.copy(GLANCE_SQL, versions / "0002_image_statuses.sql")
    shutil.copy(GLANCE_TEARDOWN, versions / "0002_image_statuses-teardown.sql")

    def alembic(*args: str) -> None:
        subprocess.run([sys.executable, "-m", "alembic", *args], cwd=tmp_path, check=True,
                       capture_output=True, timeout=120)

    alembic("upgrade", "head")
    assert _pg_triggers(pg_url) == ["statusdoc_images_status_insert",
                                    "statusdoc_images_status_update"]
    current = _check_db(pg_url, ROOT)
    assert current.returncode == 0, current.stdout + current.stderr
    assert _pg_refusal(pg_url) == REFUSED.format(where='"public"."images"."status"')
    alembic("upgrade", "head")  # nothing to do; and the SQL itself is re-runnable:
    subprocess.run(["psql", pg_url, "-v", "ON_ERROR_STOP=1", "--single-transaction", "-q",
                    "-f", str(GLANCE_SQL)], check=True, capture_output=True)
    assert _check_db(pg_url, ROOT).returncode == 0
    alembic("downgrade", "0001")
    assert _pg_triggers(pg_url) == []
    missing = _check_db(pg_url, ROOT)
    assert missing.returncode == 1
    assert "missing: no trigger function" in missing.stdout


def _django_project(root: Path, sql: Path, teardown: Path) -> None:
    app = root / "images"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("", encoding="utf-8")
    (app / "migrations" / "__init__.py").write_text("", encoding="utf-8")
    (app / "migrations" / "0001_initial.py").write_text(
        "from django.db import migrations, models\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    initial = True\n    dependencies = []\n"
        "    operations = [migrations.CreateModel(\n"
        "        name='Image',\n"
        "        fields=[('id', models.IntegerField(primary_key=True)),\n"
        "                ('status', models.CharField(max_length=40))],\n"
        "        options={'db_table': 'images'})]\n", encoding="utf-8")
    shutil.copy(RECIPES / "django_0002_image_statuses.py",
                app / "migrations" / "0002_image_statuses.py")
    shutil.copy(sql, app / "migrations" / "0002_image_statuses.sql")
    shutil.copy(teardown, app / "migrations" / "0002_image_statuses-teardown.sql")
    (root / "migrate.py").write_text(
        "import json, sys\nimport django\nfrom django.conf import settings\n"
        "from django.core.management import call_command\n"
        "settings.configure(DATABASES={'default': json.loads(sys.argv[1])},\n"
        "                   INSTALLED_APPS=['images'])\n"
        "django.setup()\n"
        "call_command('migrate', 'images', *sys.argv[2:], verbosity=0)\n", encoding="utf-8")


def _migrate(root: Path, database: dict[str, str], *target: str) -> None:
    subprocess.run([sys.executable, "migrate.py", json.dumps(database), *target], cwd=root,
                   check=True, capture_output=True, timeout=120)


@pytest.mark.postgresql
def test_the_django_recipe_on_postgresql(tmp_path: Path, pg_server: pgserver.PgServer,
                                         pg_url: str) -> None:
    name, tcp = _pg_database(pg_server, pg_url)
    _django_project(tmp_path, GLANCE_SQL, GLANCE_TEARDOWN)
    parts = urlsplit(tcp)
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": name,
                "USER": parts.username or "", "HOST": parts.hostname or "",
                "PORT": str(parts.port)}
    _migrate(tmp_path, database)
    current = _check_db(pg_url, ROOT)
    assert current.returncode == 0, current.stdout + current.stderr
    assert _pg_refusal(pg_url) == REFUSED.format(where='"public"."images"."status"')
    _migrate(tmp_path, database, "0001")
    assert _pg_triggers(pg_url) == []
    assert _check_db(pg_url, ROOT).returncode == 1


def _sqlite_project(root: Path) -> tuple[Path, Path]:
    """The page's SQLite configuration block, generated: the two SQL files."""
    config = _block_after(PAGE.read_text(encoding="utf-8"), ":caption: pyproject.toml (SQLite)")
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    (root / "specs").mkdir()
    shutil.copy(GLANCE, root / "specs" / "image-statuses.toml")
    generated = run(["generate", "-q"], root)
    assert generated.returncode == 0, generated.stderr
    return (root / "db" / "image-statuses.sql", root / "db" / "image-statuses-teardown.sql")


def _sqlite_refusal(db: Path) -> str:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("INSERT INTO images (id, status) VALUES (1, 'queued')")
        with pytest.raises(sqlite3.IntegrityError) as refused:
            conn.execute("UPDATE images SET status = 'killed' WHERE id = 1")
        conn.execute("DELETE FROM images")
    finally:
        conn.close()
    return str(refused.value)


def _sqlite_triggers(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                            "ORDER BY name").fetchall()
    conn.close()
    return [row[0] for row in rows]


def test_the_django_recipe_on_sqlite(tmp_path: Path) -> None:
    sql, teardown = _sqlite_project(tmp_path)
    project = tmp_path / "django"
    _django_project(project, sql, teardown)
    db = tmp_path / "app.db"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}
    _migrate(project, database)
    current = _check_db("sqlite:///app.db", tmp_path)
    assert current.returncode == 0, current.stdout + current.stderr
    assert _sqlite_refusal(db) == REFUSED.format(where='"images"."status"')
    _migrate(project, database, "0001")
    assert _sqlite_triggers(db) == []
    assert _check_db("sqlite:///app.db", tmp_path).returncode == 1


def _sqlite_recipe() -> object:
    spec = importlib.util.spec_from_file_location("sqlite_apply", RECIPES / "sqlite_apply.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sqlite_recipe_applies_all_or_nothing(tmp_path: Path) -> None:
    sql, _teardown = _sqlite_project(tmp_path)
    apply_sql_file = _sqlite_recipe().apply_sql_file  # type: ignore[attr-defined]
    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE images (id integer PRIMARY KEY, status text)")
    conn.close()
    broken = tmp_path / "broken.sql"  # the real file, then a statement that fails
    broken.write_text(sql.read_text(encoding="utf-8") + "\nSELECT * FROM no_such_table;\n",
                      encoding="utf-8")
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        apply_sql_file(str(db), str(broken))
    assert _sqlite_triggers(db) == []  # none of it
    missing = _check_db("sqlite:///app.db", tmp_path)
    assert missing.returncode == 1
    assert "  to fix: sqlite3 -bail app.db BEGIN '.read db/image-statuses.sql' COMMIT" in (
        missing.stdout)
    apply_sql_file(str(db), str(sql))
    apply_sql_file(str(db), str(sql))  # re-runnable
    assert _sqlite_triggers(db) == ["statusdoc_images_status_insert",
                                    "statusdoc_images_status_update"]
    assert _check_db("sqlite:///app.db", tmp_path).returncode == 0
    assert _sqlite_refusal(db) == REFUSED.format(where='"images"."status"')
