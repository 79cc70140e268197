from django.core.management.base import BaseCommand

from audit.retention import apply_retention


class Command(BaseCommand):
    help = "Apply AUDIT_RETENTION_POLICY now: archive expired events to a signed file, then remove them."

    def handle(self, *args, **options):
        run = apply_retention()
        if run is None:
            self.stdout.write("nothing is past its retention")
        else:
            self.stdout.write(
                f"archived and removed {run.removed} events through #{run.through_seq} to {run.archive}"
            )
