"""The database's record of the signed checkpoints, append-only like the events (audit.checkpoints).

Verification compares the checkpoint file with the newest record, so removing or truncating the file shows.
"""

import django.utils.timezone
from django.db import migrations, models

FORWARD = """
CREATE TRIGGER audit_checkpoint_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""

BACKWARD = "DROP TRIGGER IF EXISTS audit_checkpoint_no_update_delete ON audit_auditcheckpoint;"


class Migration(migrations.Migration):
    dependencies = [("audit", "0009_approvals_and_access_reviews_moved")]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("number", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="number")),
                ("event_seq", models.BigIntegerField(verbose_name="event position")),
                ("digest", models.CharField(max_length=64, verbose_name="checkpoint digest")),
                ("written_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="time")),
            ],
            options={
                "verbose_name": "audit checkpoint",
                "verbose_name_plural": "audit checkpoints",
                "ordering": ["-number"],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
