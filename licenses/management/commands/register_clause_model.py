from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from licenses.artifacts import register_clause_artifact
from licenses.models import Model


class Command(BaseCommand):
    help = (
        "Register the clause classifier's artifact (the cached one trained on the CUAD split, or --artifact) "
        "as a model version with its weights SHA-256 and validation figures. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--artifact", type=Path, default=None, help="artifact folder (default: the cached one)"
        )
        parser.add_argument(
            "--approve-first",
            action="store_true",
            help="approve the version for the demo when no classifier version was ever approved",
        )

    def handle(self, *args, artifact, approve_first, **options):
        from worker.clauses import ArtifactError, artifact_info

        try:
            info = artifact_info(artifact)  # trains on first use when nothing is cached
        except (ArtifactError, OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        try:
            version = register_clause_artifact(info, approve_first=approve_first)
        except Model.DoesNotExist:
            raise CommandError(
                "the classifier is not in the register: run seed_model_register first"
            ) from None
        self.stdout.write(f"{version} ({info['name']}): sha256 {info['sha256']}, status {version.status}")
