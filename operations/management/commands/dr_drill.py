import json
import tempfile
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.services import record_event
from operations.backup import BackupError, drill


class Command(BaseCommand):
    help = (
        "Rehearse a disaster recovery on this machine: back up, restore into a fresh database, verify the restored "
        "audit trail with its checkpoints, compare row counts, open the newest review; print each step's time (the "
        "recovery time) and the last event the backup holds (the recovery point). Run as the database owner "
        "(DATABASE_AS_OWNER=true): it creates and drops <database>_drill. Exit 1 when the drill fails."
    )

    def handle(self, *args, **options):
        with tempfile.TemporaryDirectory(prefix="workbench-drill-") as work:
            try:
                report = drill(Path(work))
            except BackupError as error:
                raise CommandError(str(error)) from error
        record_event(action="operations.dr_drill", system="dr_drill", payload=asdict(report))
        self.stdout.write(json.dumps(asdict(report), indent=1))
        if not report.ok:
            raise CommandError("the drill failed: see the counts and the verification above")
