"""Enforce the image statuses in PostgreSQL (statusdoc's generated SQL).

Revision ID: 0002
Revises: 0001
"""

from pathlib import Path

from alembic import op

revision = "0002"
down_revision = "0001"

# Copies of the files `statusdoc generate` wrote when this revision was made,
# kept with it: a later change of the spec gets a revision of its own.
HERE = Path(__file__).parent
INSTALL = HERE / "0002_image_statuses.sql"
TEARDOWN = HERE / "0002_image_statuses-teardown.sql"


def run_sql_file(path: Path) -> None:
    """Run a statusdoc SQL file, one statement at a time, straight to the driver
    (no bind-parameter parsing of ':' or '%' in status names)."""
    _header, *statements = path.read_text(encoding="utf-8").split("\n\n")
    for statement in statements:
        op.get_bind().exec_driver_sql(statement)


def upgrade() -> None:
    run_sql_file(INSTALL)


def downgrade() -> None:
    run_sql_file(TEARDOWN)
