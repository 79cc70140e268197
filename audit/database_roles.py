"""What the runtime database role may do, granted by the owner after every migrate.

The web server, the workers and beat connect as the runtime role (settings.DATABASE_RUNTIME_ROLE): rows only.
It owns no table, so it cannot alter one or disable its triggers; it is no superuser, so it cannot set
`session_replication_role`; and on the audit trail it may read and append, never update or truncate. DELETE on
events stays granted for retention, which the append-only trigger lets through only with a signed retention run
in the same transaction (audit/retention.py).
"""

from django.conf import settings
from django.db import connections
from psycopg import sql

APPEND_ONLY = ("audit_auditevent", "audit_retentionrun", "audit_auditcheckpoint")


def grant_runtime_privileges(using: str = "default", **_signal) -> None:
    """post_migrate: grant the runtime role its rights on every table, sequence and function there is now."""
    role = settings.DATABASE_RUNTIME_ROLE
    connection = connections[using]
    if not role or role == connection.settings_dict["USER"]:
        return  # one role for everything (a server whose roles are managed elsewhere)
    runtime = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(runtime),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(runtime),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(runtime),
        sql.SQL("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {}").format(runtime),
        sql.SQL("REVOKE UPDATE, TRUNCATE ON {} FROM {}").format(sql.SQL(", ").join(map(sql.Identifier, APPEND_ONLY)), runtime),
        sql.SQL("REVOKE DELETE ON audit_retentionrun FROM {}").format(runtime),
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.as_string(cursor.connection))
