import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit.verification import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit hash chain and the signed checkpoints (the file, its record in the database, and that "
        "recent events are covered). Exit 0 when intact, 1 naming the first break."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=int, default=1, help="Start at this event position (default: 1).")
        parser.add_argument("--checkpoints", help="Checkpoint file (default: AUDIT_CHECKPOINT_FILE).")

    def handle(self, *args, since, checkpoints, **options):
        try:
            result = verify_chain(since=since, checkpoint_file=checkpoints)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if result.intact:
            self.stdout.write(result.summary())
            return
        self.stderr.write(result.summary())
        sys.exit(1)
