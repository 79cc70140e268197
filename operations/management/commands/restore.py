from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into this workbench's database and MEDIA_ROOT, which must be empty (a fresh "
        "`make setup` without migrate, or a new database), and its audit checkpoint file. --force restores over "
        "what is there. Run as the database owner: DATABASE_AS_OWNER=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, folder: Path, force: bool, **options):
        try:
            manifest = restore(folder, database=connection.settings_dict, media_root=Path(settings.MEDIA_ROOT),
                               checkpoint_file=Path(settings.AUDIT_CHECKPOINT_FILE),
                               timestamp_file=Path(settings.AUDIT_TIMESTAMP_FILE), force=force)  # fmt: skip
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored the backup of {manifest['created_at']} (up to audit event "
                          f"#{manifest['last_event_seq']}); keys are in the backup's keys.json part")  # fmt: skip
