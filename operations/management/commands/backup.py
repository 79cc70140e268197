from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.services import record_event
from operations.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write an encrypted backup into OUT (new or empty): the database, the uploaded documents, the audit "
        "checkpoint file and the keys that read them, each encrypted with BACKUP_KEY, with a manifest of hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args, out: Path, **options):
        try:
            manifest = backup(out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        record_event(action="operations.backup_written", system="backup",
                     payload={"folder": str(out), "last_event_seq": manifest.last_event_seq,
                              "parts": {name: part["encrypted_sha256"] for name, part in manifest.parts.items()}})  # fmt: skip
        self.stdout.write(f"backup written to {out}: up to audit event #{manifest.last_event_seq}")
