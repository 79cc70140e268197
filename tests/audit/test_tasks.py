import pytest
from django.conf import settings

from audit import tasks
from audit.models import AuditEvent, RetentionRun
from audit.services import record_event


def test_beat_runs_the_audit_jobs():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "audit.tasks.write_checkpoint",
        "audit.tasks.drain_syslog_outbox",
        "audit.tasks.apply_retention",
    } <= scheduled


@pytest.mark.django_db
def test_retention_task_uses_the_configured_policy(settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    settings.AUDIT_RETENTION_POLICY = {"*": 1}
    record_event(action="test.happened", system="tests")
    assert tasks.apply_retention.apply().get() is None  # nothing is a day old yet
    assert not RetentionRun.objects.exists() and AuditEvent.objects.filter(action="test.happened").exists()


@pytest.mark.django_db
def test_drain_task_does_nothing_when_forwarding_is_off(settings):
    settings.AUDIT_SYSLOG_ADDRESS = ""
    assert tasks.drain_syslog_outbox.apply().get() == 0
