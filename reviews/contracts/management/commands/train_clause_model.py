from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from worker.clauses import ArtifactError, ClauseClassifier
from worker.clauses.dataset import dataset_dir


class Command(BaseCommand):
    help = (
        "Train the CUAD clause classifier (fixed seeds) into the artifact cache (CLAUSE_MODEL_DIR), "
        "or reuse the cached artifact trained from the same dataset, code and parameters."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset",
            type=Path,
            default=None,
            help="CUAD-format folder (default: CUAD_DIR or ../shared/datasets/cuad)",
        )

    def handle(self, *args, dataset, **options):
        folder = dataset or dataset_dir()
        if not (folder / "labels.jsonl").is_file():
            raise CommandError(f"{folder}: no labels.jsonl, not a CUAD-format dataset folder")
        try:
            info = ClauseClassifier.train_or_load(folder).info
        except (ArtifactError, OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        overall = info.metrics["overall"]
        self.stdout.write(f"{info.name} {info.version} sha256 {info.sha256}")
        self.stdout.write(
            f"validation on {info.metrics['contracts']} contracts: AUPR {overall['aupr']:.3f}  "
            f"P@80R {overall['p_at_80r']:.3f}  P@90R {overall['p_at_90r']:.3f}  "
            f"(trained in {info.training_seconds:.0f} s)"
        )
