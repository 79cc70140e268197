import hashlib
import json
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.chain import canonical_json
from audit.checkpoints import write_checkpoint
from audit.export import archive_mac
from audit.models import AuditEvent, RetentionRun
from audit.retention import apply_retention
from audit.services import record_event
from audit.verification import verify_chain
from tests.audit.test_ledger import _as_superuser

pytestmark = pytest.mark.django_db
POLICY = {"auth.": 365, "*": 2555}


def _record(*actions: str) -> list[AuditEvent]:
    return [record_event(action=action, system="tests", payload={"i": i}) for i, action in enumerate(actions)]


def _in_days(days: int):
    return timezone.now() + timedelta(days=days)


def test_expired_prefix_is_archived_signed_and_removed_and_the_chain_still_verifies(tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    events = _record("auth.login", "auth.login", "auth.logout", "review.submitted", "auth.login")
    write_checkpoint(checkpoints)

    run = apply_retention(policy=POLICY, now=_in_days(400), archive_dir=tmp_path)

    # review.submitted is kept for 2555 days, so it holds back the younger auth.login behind it.
    assert run.through_seq == events[2].seq and run.through_hash == events[2].hash and run.removed == 3
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)[:2]) == [
        events[3].seq,
        events[4].seq,
    ]
    applied = AuditEvent.objects.get(action="audit.retention_applied")
    assert applied.payload["through_seq"] == run.through_seq and applied.payload["archive"] == run.archive

    archive = tmp_path / run.archive
    lines = [json.loads(line) for line in archive.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [event.seq for event in events[:3]]
    for line in lines:  # each archived line re-hashes to its stored hash
        fields = {key: value for key, value in line.items() if key != "hash"}
        assert hashlib.sha256(canonical_json(fields).encode()).hexdigest() == line["hash"]
    signature = json.loads((tmp_path / f"{run.archive}.sig").read_text())
    assert signature["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest() == run.archive_sha256
    assert signature["mac"] == archive_mac(
        run.archive, signature["sha256"], events[0].seq, run.through_seq, run.through_hash
    )

    result = verify_chain(
        checkpoint_file=checkpoints
    )  # the checkpoint from before retention is still accepted
    assert result.intact and result.retained_through == run.through_seq, result.summary()
    assert result.checked == AuditEvent.objects.count()


def test_nothing_due_changes_nothing(tmp_path):
    _record("auth.login", "review.submitted")
    assert apply_retention(policy=POLICY, now=_in_days(10), archive_dir=tmp_path) is None
    assert (
        not RetentionRun.objects.exists()
        and not AuditEvent.objects.filter(action="audit.retention_applied").exists()
    )


def test_retention_runs_again_from_the_previous_boundary(tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    _record("auth.login", "review.submitted")
    write_checkpoint(checkpoints)
    first = apply_retention(policy=POLICY, now=_in_days(400), archive_dir=tmp_path)
    write_checkpoint(checkpoints)
    second = apply_retention(policy=POLICY, now=_in_days(3000), archive_dir=tmp_path)
    assert second.through_seq > first.through_seq
    assert AuditEvent.objects.count() == 1  # only the newest retention event is left
    assert verify_chain(checkpoint_file=checkpoints).intact


def test_the_trigger_refuses_a_delete_outside_the_sanctioned_path():
    events = _record("auth.login", "auth.login", "auth.login")
    # The setting alone is not enough.
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL audit.retention = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[0].seq])
    # A retention record written by another transaction is not enough either.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RetentionRun.objects.create(through_seq=events[1].seq, through_hash=events[1].hash, removed=2,
                                    archive="x", archive_sha256="0" * 64, mac="0" * 64, txid=1)  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL audit.retention = 'on'")
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [events[0].seq])
    # Rows above the boundary of this transaction's record stay protected.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RetentionRun.objects.create(through_seq=events[0].seq, through_hash=events[0].hash, removed=1,
                                    archive="x", archive_sha256="0" * 64, mac="0" * 64)  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL audit.retention = 'on'")
            cursor.execute("DELETE FROM audit_auditevent WHERE seq <= %s", [events[1].seq])
    assert AuditEvent.objects.filter(seq__in=[event.seq for event in events]).count() == 3


def test_retention_records_are_append_only_and_signed(tmp_path):
    _record("auth.login", "review.submitted")
    run = apply_retention(policy=POLICY, now=_in_days(400), archive_dir=tmp_path)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RetentionRun.objects.filter(pk=run.pk).update(through_seq=run.through_seq + 1)
    with connection.cursor() as cursor:  # forge the boundary as a superuser would, to hide removed events
        cursor.execute("ALTER TABLE audit_retentionrun DISABLE TRIGGER audit_retention_no_update_delete")
        cursor.execute("UPDATE audit_retentionrun SET through_hash = %s WHERE id = %s", ["f" * 64, run.pk])
        cursor.execute("ALTER TABLE audit_retentionrun ENABLE TRIGGER audit_retention_no_update_delete")
    result = verify_chain(checkpoint_file="/nonexistent")
    assert not result.intact and "invalid signature" in result.reason


def test_events_removed_behind_the_triggers_back_are_still_found(tmp_path):
    events = _record("auth.login", "auth.login", "review.submitted")
    _as_superuser("DELETE FROM audit_auditevent WHERE seq <= %s", [events[0].seq])
    result = verify_chain(checkpoint_file="/nonexistent")
    assert not result.intact and result.broken_seq == events[1].seq


def test_a_policy_without_a_default_is_refused(tmp_path):
    with pytest.raises(ValueError, match='"\\*"'):
        apply_retention(policy={"auth.": 30}, archive_dir=tmp_path)
    with pytest.raises(ValueError, match="whole number"):
        apply_retention(policy={"*": "forever"}, archive_dir=tmp_path)


def test_retention_waits_at_the_oldest_event_of_a_matter_on_legal_hold(tmp_path):
    from tests.factories import MatterFactory

    first = record_event(action="auth.login", system="tests")
    held = MatterFactory()
    kept = record_event(action="review.viewed", system="tests", matter_id=held.pk)
    type(held).objects.filter(pk=held.pk).update(legal_hold=True, legal_hold_reason="litigation")
    policy = {"*": 30}

    run = apply_retention(policy=policy, now=_in_days(400), archive_dir=tmp_path)

    assert run.through_seq < kept.seq and AuditEvent.objects.filter(seq=kept.seq).exists()
    assert not AuditEvent.objects.filter(seq=first.seq).exists()
    type(held).objects.filter(pk=held.pk).update(legal_hold=False)
    assert apply_retention(policy=policy, now=_in_days(400), archive_dir=tmp_path) is not None
    assert not AuditEvent.objects.filter(seq=kept.seq).exists()
