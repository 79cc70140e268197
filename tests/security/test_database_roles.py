"""The runtime database role (web, workers, beat) reads and writes rows and can do nothing to the audit trail's
guarantees: no trigger switched off, no replication role, no update, delete or truncate of events."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import errors

from audit.services import record_event

pytestmark = pytest.mark.django_db(transaction=True)  # the runtime role's own connection sees committed rows


@pytest.fixture
def runtime():
    """A connection as the runtime role to the test database, as the workbench's processes connect."""
    role = settings.RUNTIME_DATABASE
    assert role["USER"] != connection.settings_dict["USER"], "make setup gives the workbench a role of its own"
    with psycopg.connect(host=role["HOST"], port=role["PORT"] or 5432, user=role["USER"], password=role["PASSWORD"],
                         dbname=connection.settings_dict["NAME"], autocommit=True) as runtime:  # fmt: skip
        yield runtime


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update_delete",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        "UPDATE audit_auditevent SET action = 'rewritten'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
        "UPDATE audit_retentionrun SET through_seq = 0",
        "DELETE FROM audit_retentionrun",
        "CREATE TABLE shadow (id int)",
        "DROP TABLE audit_auditevent",
    ],
)
def test_the_runtime_role_cannot_touch_the_audit_trail(runtime, statement):
    record_event(action="tests.kept", system="tests", payload={"n": 1})
    with pytest.raises(errors.InsufficientPrivilege):
        runtime.execute(statement)
    assert runtime.execute("SELECT action FROM audit_auditevent").fetchall() == [("tests.kept",)]


def test_the_runtime_role_works_with_rows_and_owns_nothing(runtime):
    runtime.execute("INSERT INTO reviews_jurisdictionrisk (country, level, source, note, updated_at) "
                    "VALUES ('ZZ', 'low', 'tests', '', now())")  # fmt: skip
    runtime.execute("UPDATE reviews_jurisdictionrisk SET level = 'high' WHERE country = 'ZZ'")
    runtime.execute("DELETE FROM reviews_jurisdictionrisk WHERE country = 'ZZ'")
    role = settings.DATABASE_RUNTIME_ROLE
    owned = runtime.execute("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = %s)",
                            [role]).fetchone()  # fmt: skip
    attributes = runtime.execute("SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
                                 "FROM pg_roles WHERE rolname = %s", [role]).fetchone()  # fmt: skip
    assert owned == (0,) and attributes == (False, False, False, False, False)
