"""Backups that are encrypted and checked, restores that refuse to overwrite, and a drill that proves both."""

import json

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.roles import Role
from audit.checkpoints import write_checkpoint
from audit.models import AuditEvent
from operations.backup import PARTS, TIMESTAMPS, BackupError, backup, read_part, restore
from reviews.contracts import services as contracts
from reviews.contracts.models import Playbook
from reviews.contracts.playbooks import load_shipped_playbooks
from tests.factories import MatterFactory, UserFactory, grant

CONTRACT = b"MASTER SERVICES AGREEMENT\n\n1. Governing Law. This Agreement is governed by the laws of Texas.\n"


@pytest.fixture
def demo(settings, tmp_path, monkeypatch):
    """A matter with a submitted review and a checkpoint, committed (pg_dump sees committed rows only). The review
    is not queued: a worker writing meanwhile would make the counts differ for reasons of its own."""
    from reviews.contracts import tasks

    monkeypatch.setattr(tasks.run_contract_review, "delay", lambda *args, **kwargs: None)
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_TIMESTAMP_FILE = tmp_path / "timestamps.jsonl"
    settings.MEDIA_ROOT = tmp_path / "media"
    load_shipped_playbooks()
    lawyer = UserFactory(role=Role.LAWYER)
    matter = MatterFactory()
    grant(lawyer, matter, "change_matter")
    review = contracts.submit_contract_review(actor=lawyer, matter=matter, name="msa.txt", data=CONTRACT,
                                              playbook=Playbook.objects.get(name="Master services / SaaS"))  # fmt: skip
    write_checkpoint()
    return review


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_encrypted_checked_and_restores_only_into_an_empty_database(demo, tmp_path, settings):
    settings.AUDIT_TIMESTAMP_FILE.write_text('{"number": 1, "token": "the TSA token"}\n')
    manifest = backup(tmp_path / "backup")

    files = sorted(path.name for path in (tmp_path / "backup").iterdir())
    assert files == sorted([*(f"{part}.enc" for part in PARTS), "manifest.json"])
    stored = (tmp_path / "backup" / "database.dump.enc").read_bytes()
    assert b"governed by the laws of Texas" not in stored and b"PGDMP" not in stored  # no plaintext on disk
    recorded = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert recorded["last_event_seq"] == manifest.last_event_seq == AuditEvent.objects.order_by("-seq").first().seq
    assert recorded["rows"]["reviews_contractreview"] == 1  # counted in the dump's own snapshot
    assert b"governed by the laws of Texas" in read_part(tmp_path / "backup", "media.tar", recorded)
    assert read_part(tmp_path / "backup", TIMESTAMPS, recorded) == settings.AUDIT_TIMESTAMP_FILE.read_bytes()

    with pytest.raises(BackupError, match="not empty"):  # this database holds the workbench
        restore(tmp_path / "backup", database=connection.settings_dict, media_root=tmp_path / "restored",
                checkpoint_file=tmp_path / "restored.jsonl")  # fmt: skip
    settings.BACKUP_KEY = Fernet.generate_key().decode()  # another key reads nothing
    with pytest.raises(BackupError, match="cannot be decrypted"):
        read_part(tmp_path / "backup", "keys.json", recorded)


@pytest.mark.django_db(transaction=True)
def test_an_altered_backup_is_refused(demo, tmp_path):
    backup(tmp_path / "backup")
    part = tmp_path / "backup" / "checkpoints.jsonl.enc"
    part.write_bytes(part.read_bytes()[:-4] + b"AAAA")
    recorded = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    with pytest.raises(BackupError, match="does not match the manifest"):
        read_part(tmp_path / "backup", "checkpoints.jsonl", recorded)


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_everything_and_the_restored_trail_verifies(demo, capsys):
    call_command("dr_drill")

    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and "intact" in report["verify"]
    assert all(source == restored for source, restored in report["counts"].values())
    assert report["counts"]["reviews_contractreview"][0] == 1 and report["counts"]["audit_auditevent"][0] > 0
    assert set(report["steps"]) == {"backup", "restore", "verify", "open a review"}
    assert AuditEvent.objects.filter(action="operations.dr_drill").exists()


@pytest.mark.django_db(transaction=True)
def test_a_drill_that_finds_the_trail_broken_fails(demo, settings):
    settings.AUDIT_CHECKPOINT_FILE.write_text("")  # the checkpoints are gone after they were written
    with pytest.raises(CommandError, match="drill failed"):
        call_command("dr_drill")
