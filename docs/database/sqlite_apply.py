import sqlite3
from pathlib import Path


def apply_sql_file(database: str, sql_file: str) -> None:
    """Run a statusdoc SQL file on a SQLite database in one transaction:
    all of it or, when a statement fails, none of it."""
    _header, *statements = Path(sql_file).read_text(encoding="utf-8").split("\n\n")
    conn = sqlite3.connect(database, isolation_level=None)  # we say BEGIN and COMMIT
    try:
        conn.execute("BEGIN")
        for statement in statements:
            conn.execute(statement)
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
