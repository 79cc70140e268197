from django.core.management.base import BaseCommand

from reviews.contracts.playbooks import load_shipped_playbooks


class Command(BaseCommand):
    help = "Load the shipped playbooks (NDA, Master services / SaaS, Distribution / reseller). Idempotent."

    def handle(self, *args, **options):
        for version in load_shipped_playbooks():
            self.stdout.write(f"{version.playbook.name}: version {version.number}")
