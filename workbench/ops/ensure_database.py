"""Create the PostgreSQL database named by DATABASE_URL when the server does not have it yet (`make setup`).

Run before `migrate`, from the checkout: `python workbench/ops/ensure_database.py`.
"""

import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql


def ensure_database() -> None:
    """Create the database of the configured settings (the benchmarks call this for their scratch databases)."""
    from django.conf import settings  # reads the environment and .env exactly as the workbench does

    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            return
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        print(f"Created database {db['NAME']}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    ensure_database()
