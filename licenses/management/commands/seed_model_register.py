from django.core.management.base import BaseCommand

from licenses.seed import seed_register


class Command(BaseCommand):
    help = (
        "Create the model register's starting content (idempotent): licenses, obligations, models, versions."
    )

    def handle(self, *args, **options):
        created = seed_register()
        self.stdout.write(f"model register: {created} version(s) created")
