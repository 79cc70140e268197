"""Create the PostgreSQL database named by the settings when the server does not have it yet: the benchmarks'
scratch databases (`make setup` makes the workbench's own, with its roles: database_roles.py).
"""

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


