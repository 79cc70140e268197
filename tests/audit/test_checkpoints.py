"""Checkpoints as tamper evidence that does not trust the database (issue #25).

Their own key (never SECRET_KEY), a key id per checkpoint for rotation, a chain of checkpoints recorded in the
database as well, and verification that fails when the file goes missing or recent events are left uncovered.
"""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from audit import verification
from audit.checkpoints import key_id, write_checkpoint
from audit.models import AuditCheckpoint, SyslogOutbox
from audit.retention import apply_retention
from audit.services import record_event
from audit.verification import verify_chain
from tests.audit.test_ledger import _as_superuser, _events

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    return settings.AUDIT_CHECKPOINT_FILE


def _audit_verify(capsys) -> tuple[int, str]:
    """(exit code, output) of `manage.py audit_verify` with the configured checkpoint file."""
    try:
        call_command("audit_verify")
    except SystemExit as exit_:
        return exit_.code, capsys.readouterr().err
    return 0, capsys.readouterr().out


def _later(monkeypatch, minutes: int) -> None:
    moment = timezone.now() + timedelta(minutes=minutes)
    monkeypatch.setattr(verification.timezone, "now", lambda: moment)


def test_a_full_rewrite_with_the_checkpoint_file_removed_fails(checkpoint_file, capsys):
    _events(2)
    write_checkpoint()
    assert _audit_verify(capsys)[0] == 0
    _as_superuser("DELETE FROM audit_auditevent")
    _events(2, forged=True)
    checkpoint_file.unlink()
    code, output = _audit_verify(capsys)
    assert code == 1 and "removed or truncated" in output, output


def test_removing_the_newest_events_and_the_checkpoint_that_saw_them_fails(checkpoint_file, capsys):
    _events(2)
    write_checkpoint()
    newest = _events(2)
    write_checkpoint()
    _as_superuser("DELETE FROM audit_auditevent WHERE seq >= %s", [newest[0].seq])
    checkpoint_file.write_text(checkpoint_file.read_text().splitlines(keepends=True)[0])
    code, output = _audit_verify(capsys)
    assert code == 1 and "the database records 2 checkpoints" in output, output


def test_a_checkpoint_cut_from_the_middle_of_the_file_is_found(checkpoint_file, capsys):
    for _ in range(3):
        _events(1)
        write_checkpoint()
    first, _, third = checkpoint_file.read_text().splitlines(keepends=True)
    checkpoint_file.write_text(first + third)
    code, output = _audit_verify(capsys)
    assert code == 1 and "checkpoint 3" in output and "does not follow checkpoint 1" in output, output


def test_events_left_without_a_checkpoint_past_the_window_fail(checkpoint_file, capsys, monkeypatch, settings):
    settings.AUDIT_CHECKPOINT_MINUTES = 5
    _events(1)
    write_checkpoint()
    uncovered = _events(2)
    _later(monkeypatch, 14)  # within 2 × 5 minutes + the margin
    assert _audit_verify(capsys)[0] == 0
    _later(monkeypatch, 16)
    code, output = _audit_verify(capsys)
    assert code == 1 and f"#{uncovered[0].seq}" in output and "no checkpoint covers" in output, output
    write_checkpoint()
    assert _audit_verify(capsys)[0] == 0


def test_old_events_without_any_checkpoint_fail(checkpoint_file, capsys, monkeypatch):
    _events(1)
    _later(monkeypatch, 60)
    code, output = _audit_verify(capsys)
    assert code == 1 and "there is no checkpoint" in output, output


def test_rotating_the_secret_key_changes_nothing(checkpoint_file, settings, tmp_path, capsys):
    record_event(action="auth.login", system="tests")
    write_checkpoint()
    apply_retention(policy={"*": 1}, now=timezone.now() + timedelta(days=2), archive_dir=tmp_path)
    write_checkpoint()
    settings.SECRET_KEY = "a-rotated-secret-key-that-has-nothing-to-do-with-the-audit-trail"
    code, output = _audit_verify(capsys)
    assert code == 0 and "archived by retention" in output, output
    _events(1)
    assert apply_retention(policy={"*": 1}, now=timezone.now() + timedelta(days=4), archive_dir=tmp_path)


def test_a_rotated_checkpoint_key_verifies_old_checkpoints_under_their_key_id(checkpoint_file, settings, tmp_path,
                                                                               capsys):  # fmt: skip
    old_key = settings.AUDIT_CHECKPOINT_KEY
    record_event(action="auth.login", system="tests")
    write_checkpoint()
    apply_retention(policy={"*": 1}, now=timezone.now() + timedelta(days=2), archive_dir=tmp_path)
    settings.AUDIT_CHECKPOINT_KEY = "the-new-checkpoint-key"
    settings.AUDIT_CHECKPOINT_OLD_KEYS = [old_key]
    write_checkpoint()
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert [line["key"] for line in lines] == [key_id(old_key.encode()), key_id(b"the-new-checkpoint-key")]
    code, output = _audit_verify(capsys)
    assert code == 0, output

    settings.AUDIT_CHECKPOINT_OLD_KEYS = []
    code, output = _audit_verify(capsys)
    # The retention run, signed with the old key, is checked first.
    assert code == 1 and "invalid signature" in output, output


def test_without_the_old_key_a_checkpoint_names_its_unknown_key_id(checkpoint_file, settings, capsys):
    old_key = settings.AUDIT_CHECKPOINT_KEY
    _events(1)
    write_checkpoint()
    settings.AUDIT_CHECKPOINT_KEY = "the-new-checkpoint-key"
    code, output = _audit_verify(capsys)
    assert code == 1 and f"key id {key_id(old_key.encode())}, which is not configured" in output, output


def test_a_line_from_before_key_ids_verifies_only_with_the_old_derived_key(checkpoint_file, settings, capsys):
    event = _events(1)[0]
    derived = hashlib.sha256(b"workbench-audit-checkpoint:" + settings.SECRET_KEY.encode()).digest()
    at = "2026-11-30T12:00:00.000000Z"
    signature = hmac.new(derived, f"{event.seq}:{event.hash}:{at}".encode(), hashlib.sha256).hexdigest()
    checkpoint_file.write_text(json.dumps({"seq": event.seq, "hash": event.hash, "at": at, "mac": signature}) + "\n")
    code, output = _audit_verify(capsys)
    assert code == 1 and "predates key ids" in output, output
    settings.AUDIT_CHECKPOINT_OLD_KEYS = [f"hex:{derived.hex()}"]
    assert _audit_verify(capsys)[0] == 0


def test_an_empty_checkpoint_key_is_a_clear_error(checkpoint_file, settings):
    _events(1)
    settings.AUDIT_CHECKPOINT_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_CHECKPOINT_KEY is empty"):
        write_checkpoint()
    with pytest.raises(CommandError, match="AUDIT_CHECKPOINT_KEY is empty"):
        call_command("audit_verify")


def test_checkpoints_chain_and_are_recorded_append_only(checkpoint_file):
    _events(1)
    first = write_checkpoint()
    second = write_checkpoint()
    assert (first.number, second.number, second.prev) == (1, 2, first.digest)
    record = AuditCheckpoint.objects.get(number=2)
    assert (record.event_seq, record.digest) == (second.seq, second.digest)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditCheckpoint.objects.filter(number=1).delete()
    assert verify_chain().checkpoint_seq == second.seq


def test_checkpoints_go_to_syslog_with_the_events(checkpoint_file, settings):
    settings.AUDIT_SYSLOG_ADDRESS = "127.0.0.1:1"
    _events(1)
    checkpoint = write_checkpoint()
    message = SyslogOutbox.objects.order_by("-id").values_list("message", flat=True).first()
    assert " audit.checkpoint " in message and f'headSeq="{checkpoint.seq}"' in message
    assert json.loads(message[message.index("] ") + 2 :])["mac"] == checkpoint.mac
