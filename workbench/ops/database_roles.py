"""The workbench's two PostgreSQL roles and its database (`make setup`, before `migrate`).

- the owner (`workbench_owner`) owns the database and its tables and runs the migrations and the tests;
- the runtime role (`workbench_app`), which the web server, the workers and beat use, may read and write rows
  but owns nothing: it cannot alter a table, disable a trigger, truncate, change `session_replication_role`
  or update the audit trail (the grants are applied after every migrate: audit/database_roles.py).

Both get random passwords, written into `.env` as DATABASE_OWNER_URL and DATABASE_URL. The roles are made by the
server's superuser: over TCP where the server trusts it (a development machine), else through the local socket
as the `postgres` system user, as a stock Debian or Ubuntu server allows only that (it asks a password on
127.0.0.1). A `.env` that already names both URLs keeps its passwords; a server that lost the roles gets them
again. A DATABASE_OWNER_URL set by hand for another role or a remote server is used as it is: nothing is made.

Run from the checkout: `python workbench/ops/database_roles.py`.
"""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = Path(os.environ.get("WORKBENCH_ENV_FILE", ROOT / ".env"))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/workbench"
OWNER, RUNTIME = "workbench_owner", "workbench_app"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _env_file() -> dict[str, str]:
    if not ENV_FILE.exists():
        return {}
    pairs = (line.split("=", 1) for line in ENV_FILE.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def _url(role: str, password: str, where) -> str:
    return f"postgres://{role}:{password}@{where.hostname}:{where.port or 5432}{where.path}"


class Superuser:
    """Statements run as the server's superuser, over TCP if the server lets it in without a password, else
    through the local socket as the postgres system user."""

    def __init__(self, where) -> None:
        self.server = where
        self.user = "postgres"
        try:
            with self._connect("postgres"):
                self.over_tcp = True
        except psycopg.OperationalError:
            self.over_tcp = False
            if where.hostname not in LOCAL_HOSTS:
                raise SystemExit(f"The superuser of {where.hostname} cannot be reached: set DATABASE_URL and "
                                 "DATABASE_OWNER_URL for roles made there by its administrator.")  # fmt: skip
            if not shutil.which("psql"):
                raise SystemExit("PostgreSQL asks a password and psql is missing: install postgresql-client")

    def _connect(self, database: str):
        return psycopg.connect(host=self.server.hostname, port=self.server.port or 5432, user=self.user,
                               dbname=database, autocommit=True, connect_timeout=5)  # fmt: skip

    def run(self, database: str, statements: list[sql.Composable]) -> None:
        if self.over_tcp:
            with self._connect(database) as connection:
                for statement in statements:
                    connection.execute(statement)
            return
        script = ";\n".join(statement.as_string(None) for statement in statements) + ";\n"
        subprocess.run([*self._psql(database), "-q", "-v", "ON_ERROR_STOP=1"], input=script, text=True, check=True)

    def scalar(self, query: sql.Composable) -> str:
        if self.over_tcp:
            with self._connect("postgres") as connection:
                row = connection.execute(query).fetchone()
                return "" if row is None else str(row[0])
        done = subprocess.run([*self._psql("postgres"), "-At", "-c", query.as_string(None)], capture_output=True,
                              text=True, check=True)  # fmt: skip
        return done.stdout.strip()

    def _psql(self, database: str) -> list[str]:
        """psql through the local socket as the postgres system user (root switches user; others ask sudo)."""
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else ["sudo", "-u", "postgres"]
        return [*as_postgres, "psql", "-X", "-p", str(self.server.port or 5432), "-d", database]


def _role(name: str, password: str, *, createdb: bool) -> sql.Composable:
    """CREATE or ALTER, so that a role that exists gets this password and exactly these attributes."""
    attributes = sql.SQL("LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS {} PASSWORD {}").format(
        sql.SQL("CREATEDB" if createdb else "NOCREATEDB"), sql.Literal(password)
    )
    return sql.SQL(
        "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {name}) THEN EXECUTE {alter}; "
        "ELSE EXECUTE {create}; END IF; END $$"
    ).format(
        name=sql.Literal(name),
        alter=sql.Literal(sql.SQL("ALTER ROLE {} ").format(sql.Identifier(name)).as_string(None) + attributes.as_string(None)),
        create=sql.Literal(sql.SQL("CREATE ROLE {} ").format(sql.Identifier(name)).as_string(None) + attributes.as_string(None)),
    )


def _hand_over(database: str) -> list[sql.Composable]:
    """The database and everything in its public schema to the owner (a database made before the roles existed),
    and nothing of it to the runtime role or to PUBLIC beyond connecting."""
    owner = sql.Identifier(OWNER)
    return [
        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database), owner),
        sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner),
        sql.SQL(
            "DO $$ DECLARE item record; BEGIN "
            "FOR item IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
            "AND pg_get_userbyid(c.relowner) <> {owner_name} "
            # a table's own sequences (serial, identity) follow their table
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP "
            "EXECUTE format('ALTER %s public.%I OWNER TO {owner}', "
            "CASE item.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' "
            "ELSE 'TABLE' END, item.relname); END LOOP; "
            "FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' "
            "AND pg_get_userbyid(p.proowner) <> {owner_name} LOOP "
            "EXECUTE format('ALTER FUNCTION %s OWNER TO {owner}', item.signature); END LOOP; END $$"
        ).format(owner_name=sql.Literal(OWNER), owner=sql.SQL(OWNER)),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC"),
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), sql.Identifier(RUNTIME)),
    ]


def ensure_roles() -> None:
    values = {**_env_file(), **{key: value for key, value in os.environ.items() if key.startswith("DATABASE_")}}
    owner_url = values.get("DATABASE_OWNER_URL")
    if owner_url and (urlsplit(owner_url).username != OWNER or urlsplit(owner_url).hostname not in LOCAL_HOSTS):
        print("DATABASE_OWNER_URL names another role or server: the database roles are managed there")
        return
    # The server and database: where the roles already are, else DATABASE_SERVER_URL (a superuser's URL).
    where = urlsplit(owner_url or values.get("DATABASE_SERVER_URL") or DEFAULT_SERVER)
    database = where.path.lstrip("/") or "workbench"
    known = bool(owner_url and values.get("DATABASE_URL"))
    owner_password = urlsplit(owner_url).password if known else secrets.token_urlsafe(24)
    runtime_password = urlsplit(values["DATABASE_URL"]).password if known else secrets.token_urlsafe(24)

    admin = Superuser(where)
    admin.run("postgres", [_role(OWNER, owner_password, createdb=True), _role(RUNTIME, runtime_password, createdb=False)])
    if not admin.scalar(sql.SQL("SELECT 1 FROM pg_database WHERE datname = {}").format(sql.Literal(database))):
        admin.run("postgres", [sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database), sql.Identifier(OWNER))])
        print(f"Created database {database}")
    admin.run(database, _hand_over(database))
    if not known:
        _write_env({"DATABASE_URL": _url(RUNTIME, runtime_password, where),
                    "DATABASE_OWNER_URL": _url(OWNER, owner_password, where)})  # fmt: skip
        print(f"Wrote the database roles {OWNER} and {RUNTIME} into {ENV_FILE.name}")


def _write_env(entries: dict[str, str]) -> None:
    """Replace or add the entries in .env, kept readable by its owner only."""
    lines = [line for line in (ENV_FILE.read_text().splitlines() if ENV_FILE.exists() else [])
             if line.split("=", 1)[0].strip() not in entries]  # fmt: skip
    lines += [f"{key}={value}" for key, value in entries.items()]
    ENV_FILE.write_text("\n".join(lines) + "\n")
    ENV_FILE.chmod(0o600)


if __name__ == "__main__":
    sys.exit(ensure_roles())
