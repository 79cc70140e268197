from django.core.management.base import BaseCommand, CommandError

from licenses.gate import check_model
from licenses.uses import Use

EXIT_NOT_APPROVED = 3


class Command(BaseCommand):
    help = (
        "Exit 0 when MODEL VERSION is approved for --use, 3 when it is not (the same check the worker runs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("model", help="model name, or the served name an LLM server reports")
        parser.add_argument("version", help="register version; '-' when only the served name is known")
        parser.add_argument("--use", required=True, choices=Use.values)
        parser.add_argument("--sha256", default=None, help="weights SHA-256 to compare with the register")

    def handle(self, *args, model, version, use, sha256, **options):
        decision = check_model(
            model_name=model,
            version=None if version == "-" else version,
            use=use,
            weights_sha256=sha256,
            system="model_gate_check",
        )
        if not decision.allowed:
            raise CommandError(decision.reason, returncode=EXIT_NOT_APPROVED)
        self.stdout.write(decision.reason)
