import sys

from django.core.management.base import BaseCommand

from audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain and the signed checkpoints. Exit 0 when intact, 1 naming the first break."

    def add_arguments(self, parser):
        parser.add_argument("--since", type=int, default=1, help="Start at this event position (default: 1).")
        parser.add_argument("--checkpoints", help="Checkpoint file (default: AUDIT_CHECKPOINT_FILE).")

    def handle(self, *args, since, checkpoints, **options):
        result = verify_chain(since=since, checkpoint_file=checkpoints)
        if result.intact:
            self.stdout.write(result.summary())
            return
        self.stderr.write(result.summary())
        sys.exit(1)
