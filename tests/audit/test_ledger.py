import threading
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from audit.chain import GENESIS_HASH, canonical_json, format_time, link_parts
from audit.checkpoints import write_checkpoint
from audit.context import RequestInfo, current_request
from audit.models import AuditEvent, SyslogOutbox
from audit.services import record_event
from audit.verification import verify_chain


def _events(n: int, **fields):
    return [
        record_event(action="test.happened", system="tests", payload={"n": i, **fields}) for i in range(n)
    ]


def _as_superuser(sql: str, params=()):
    """Change a row behind the triggers' back, as a database superuser could."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_no_update_delete")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_no_update_delete")


@pytest.mark.django_db
def test_events_form_a_chain():
    first, second = _events(2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash and second.seq == first.seq + 1
    result = verify_chain(checkpoint_file="/nonexistent")
    assert result.intact and result.checked == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET action = 'x.y'", "DELETE FROM audit_auditevent"]
)
def test_database_refuses_update_and_delete(statement):
    _events(1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="test.happened").count() == 1


@pytest.mark.django_db
def test_orm_cannot_update_or_delete_either():
    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()


@pytest.mark.django_db
def test_payload_with_document_text_is_refused():
    with pytest.raises(ValueError, match="document text"):
        record_event(action="review.submitted", system="tests", payload={"clauses": [{"text": "secret"}]})
    with pytest.raises(ValueError, match="namespaced"):
        record_event(action="Submitted", system="tests")


@pytest.mark.django_db
def test_numbers_and_times_verify_after_a_round_trip_through_jsonb():
    record_event(action="llm.called", system="tests", payload={"latency_ms": 12.3456789, "tokens": 10, "big": 1e20,
                                                                 "ok": True, "ratio": 2.0, "none": None})  # fmt: skip
    assert verify_chain(checkpoint_file="/nonexistent").intact


@pytest.mark.django_db
def test_altered_row_is_found(capsys):
    events = _events(5)
    _as_superuser("UPDATE audit_auditevent SET payload = '{\"n\": 99}' WHERE seq = %s", [events[2].seq])
    result = verify_chain(checkpoint_file="/nonexistent")
    assert not result.intact and result.broken_seq == events[2].seq and "altered" in result.reason
    with pytest.raises(SystemExit) as exit_:
        call_command("audit_verify", "--checkpoints", "/nonexistent")
    assert exit_.value.code == 1 and f"#{events[2].seq}" in capsys.readouterr().err


@pytest.mark.django_db
def test_removed_middle_event_is_found():
    events = _events(4)
    _as_superuser("DELETE FROM audit_auditevent WHERE seq = %s", [events[1].seq])
    result = verify_chain(checkpoint_file="/nonexistent")
    assert not result.intact and result.broken_seq == events[2].seq and "missing" in result.reason


@pytest.mark.django_db
def test_reordered_events_are_found():
    a, b = _events(2)
    # Swap the two rows' contents (keeping each row's own hash valid would need the key-less hash; swapping
    # positions breaks the links).
    _as_superuser("UPDATE audit_auditevent SET seq = -1 WHERE seq = %s", [a.seq])
    _as_superuser("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [a.seq, b.seq])
    _as_superuser("UPDATE audit_auditevent SET seq = %s WHERE seq = -1", [b.seq])
    result = verify_chain(checkpoint_file="/nonexistent")
    assert not result.intact


@pytest.mark.django_db
def test_removed_newest_events_are_found_against_a_checkpoint(tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    events = _events(3)
    assert write_checkpoint(checkpoints).seq == events[-1].seq
    assert verify_chain(checkpoint_file=checkpoints).intact
    _as_superuser(
        "DELETE FROM audit_auditevent WHERE seq >= %s", [events[1].seq]
    )  # the chain itself still links
    # Without the file too: the database records that a checkpoint was written.
    assert "removed or truncated" in verify_chain(checkpoint_file="/nonexistent").reason
    result = verify_chain(checkpoint_file=checkpoints)
    assert not result.intact and result.broken_seq == events[-1].seq and "gone" in result.reason


@pytest.mark.django_db
def test_rewritten_chain_disagrees_with_the_checkpoint(tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    _events(2)
    write_checkpoint(checkpoints)
    # Rewrite everything consistently, as an attacker with the database but without the HMAC key could.
    _as_superuser("DELETE FROM audit_auditevent")
    _events(2, forged=True)
    assert "removed or truncated" in verify_chain(checkpoint_file="/nonexistent").reason
    result = verify_chain(checkpoint_file=checkpoints)
    assert not result.intact and "rewritten" in result.reason


@pytest.mark.django_db
def test_forged_checkpoint_is_refused(tmp_path):
    checkpoints = tmp_path / "checkpoints.jsonl"
    _events(1)
    write_checkpoint(checkpoints)
    checkpoints.write_text(checkpoints.read_text().replace('"mac": "', '"mac": "0'))
    assert "signature" in verify_chain(checkpoint_file=checkpoints).reason


@pytest.mark.django_db(transaction=True)
def test_concurrent_appenders_keep_one_chain():
    writers, per_writer = 8, 25
    errors = []

    def write():
        try:
            for i in range(per_writer):
                record_event(action="test.concurrent", system="tests", payload={"i": i})
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == writers * per_writer
    result = verify_chain(checkpoint_file="/nonexistent")
    assert result.intact and result.checked == AuditEvent.objects.count()


@pytest.mark.django_db(transaction=True)
def test_an_append_outside_a_transaction_has_committed_when_it_returns():
    """The fast path: the append is its own transaction, so another connection sees it at once."""
    assert not connection.in_atomic_block
    event = record_event(action="test.happened", system="tests", payload={})
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT hash FROM audit_auditevent WHERE seq = %s", [event.seq])
            assert cursor.fetchone() == (event.hash,)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_syslog_outbox_row_still_commits_with_its_event(settings):
    settings.AUDIT_SYSLOG_ADDRESS = "127.0.0.1:1"
    event = record_event(action="test.happened", system="tests", payload={})
    assert SyslogOutbox.objects.filter(event_seq=event.seq).count() == 1


@pytest.mark.django_db
def test_awkward_values_hash_the_same_in_python_and_in_the_fast_verifier():
    """The verifier builds most of the canonical JSON in SQL and the payload with orjson: both must agree."""
    awkward = 'quote " backslash \\ tab \t newline \n nul-ish \x01 \x1f del \x7f é ü 漢字 😀 \u2028 </script>'
    record_event(action="test.awkward", system=awkward[:150], object_type="x", object_id=awkward[:64],
                 payload={awkward: [awkward, {"z": 1, "a": None, "é": False}], "big": 10**20, "neg": -(2**63),
                          "ratio": 0.125, "empty": {}, "list": []})  # fmt: skip
    for address in ("2001:db8::1", "10.1.2.3"):
        token = current_request.set(RequestInfo(address, "req-0001"))
        try:
            record_event(action="test.awkward", system="tests", payload={})
        finally:
            current_request.reset(token)
    result = verify_chain(checkpoint_file="/nonexistent")
    assert result.intact and result.checked == 3, result.summary()


@pytest.mark.django_db
def test_a_number_turned_into_a_look_alike_string_is_found():
    event = record_event(action="test.happened", system="tests", payload={"amount": 10})
    _as_superuser('UPDATE audit_auditevent SET payload = \'{"amount": "10"}\' WHERE seq = %s', [event.seq])
    assert verify_chain(checkpoint_file="/nonexistent").broken_seq == event.seq


def test_link_parts_join_into_the_canonical_json():
    fields = {
        "seq": 41, "occurred_at": datetime(2026, 11, 28, 4, 5, 6, 7, tzinfo=UTC), "actor_id": None,
        "actor": 'a "quoted" näme', "action": "test.happened", "object_type": "x", "object_id": "7",
        "matter_id": 3, "source_ip": "::1", "request_id": "req-1", "payload": {"b": [1, "é"], "a": {"z": None}},
        "prev_hash": "f" * 64,
    }  # fmt: skip
    a, b, c, d = link_parts(fields)
    assert a + format_time(fields["occurred_at"]) + b + fields["prev_hash"] + c + "41" + d == canonical_json(
        fields
    )


@pytest.mark.django_db
def test_a_transaction_that_wrote_events_waits_for_one_flush(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        _events(3)
    assert [callback.__name__ for callback in callbacks] == ["_wait_for_flush"]


@pytest.mark.django_db
def test_without_the_flush_wait_events_still_chain(settings, django_capture_on_commit_callbacks):
    settings.AUDIT_SYNCHRONOUS_COMMIT = False
    with django_capture_on_commit_callbacks() as callbacks:
        first, second = _events(2)
    assert callbacks == [] and second.prev_hash == first.hash
    assert verify_chain(checkpoint_file="/nonexistent").intact
