from pathlib import Path

from django.db import migrations

# Copies of the files `statusdoc generate` wrote when this migration was made,
# kept with it: a later change of the spec gets a migration of its own.
HERE = Path(__file__).parent


def statements(name: str) -> list[str]:
    """The statements of a statusdoc SQL file (separated by empty lines)."""
    _header, *found = (HERE / name).read_text(encoding="utf-8").split("\n\n")
    return found


class Migration(migrations.Migration):
    dependencies = [("images", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=statements("0002_image_statuses.sql"),
            reverse_sql=statements("0002_image_statuses-teardown.sql"),
        ),
    ]
