"""The one sanctioned way to remove audit events (retention), and the explorer's full-text index.

The append-only trigger function now lets a DELETE of an event through only when, in the same
transaction, (1) the session set `audit.retention` to 'on' with SET LOCAL, and (2) a RetentionRun row
was written whose boundary covers the row. A RetentionRun is itself append-only and signed, so every
removal leaves a permanent, verifiable record of what went and where the chain resumes.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_auditevent' THEN  -- nested: OLD.seq exists on events only
        IF current_setting('audit.retention', true) = 'on' AND EXISTS (
            SELECT 1 FROM audit_retentionrun r WHERE r.txid = txid_current() AND OLD.seq <= r.through_seq
        ) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_retention_no_update_delete BEFORE UPDATE OR DELETE ON audit_retentionrun
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
-- Dots and underscores split words, so "approved" finds review.approved and "login" finds auth.login_failed.
CREATE INDEX audit_fulltext_idx ON audit_auditevent
    USING gin (to_tsvector('simple'::regconfig, translate(action || ' ' || payload::text, '._', '  ')));
"""

BACKWARD = """
DROP INDEX IF EXISTS audit_fulltext_idx;
DROP TRIGGER IF EXISTS audit_retention_no_update_delete ON audit_retentionrun;
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_explorer_retention_outbox")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
