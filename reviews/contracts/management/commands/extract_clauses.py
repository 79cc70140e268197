from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from licenses.clause_model import approved_clause_classifier
from worker.clauses import ArtifactError
from worker.clauses.predictions import write_predictions
from worker.model_gate import ModelNotApproved


class Command(BaseCommand):
    help = (
        "Run the review pipeline's clause extraction on every .txt in INPUT_DIR and write one JSON line "
        'per predicted span: {"file", "category", "start", "end", "score"}. The classifier runs only when the '
        "model register approves it for clause extraction."
    )

    def add_arguments(self, parser):
        parser.add_argument("input_dir", type=Path)
        parser.add_argument("--out", type=Path, required=True, help="predictions .jsonl")
        parser.add_argument(
            "--artifact",
            type=Path,
            default=None,
            help="model artifact folder (default: the cached model trained on the CUAD split)",
        )

    def handle(self, *args, input_dir, out, artifact, **options):
        if not input_dir.is_dir():
            raise CommandError(f"{input_dir}: not a folder")
        try:
            classifier = approved_clause_classifier(system="extract_clauses", folder=artifact)
            count = write_predictions(input_dir, out, classifier)
        except (ArtifactError, ModelNotApproved, OSError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"wrote {count} predicted spans to {out}")
