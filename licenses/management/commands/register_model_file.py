from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from licenses.models import License, Model, ModelVersion
from licenses.seed import EMBEDDED_VERSION
from licenses.services import create_model_version, record_weights
from worker.model_gate import file_sha256

EMBEDDED = "embedded"
SYSTEM = "register_model_file"


class Command(BaseCommand):
    help = (
        "Record the SHA-256, size and file name of a local weights file for a version of a registered model. "
        "A version not yet in the register is added as pending (a model update). Different weights than those "
        f"recorded send the version back to pending. PATH '{EMBEDDED}' is the embedded LLM's GGUF file."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version names the model version here, so it replaces Django's own --version flag.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", help=f"the weights file, or '{EMBEDDED}'")
        parser.add_argument(
            "--model", help="registered model name (default for 'embedded': the embedded model)"
        )
        parser.add_argument(
            "--version", dest="model_version", help="model version (default for 'embedded': the seeded one)"
        )
        parser.add_argument("--license", help="license name of a new version (default: the model's latest)")
        parser.add_argument("--served-name", default="", help="model id the LLM server reports in /v1/models")
        parser.add_argument("--quantization", default="")

    def handle(self, *args, path, model, model_version, license, served_name, quantization, **options):
        if path == EMBEDDED:
            from worker.llm.local_server import EMBEDDED_MODEL_NAME, embedded_model_path

            weights = embedded_model_path()
            model, model_version = model or EMBEDDED_MODEL_NAME, model_version or EMBEDDED_VERSION
        else:
            weights = Path(path)
        if not model or not model_version:
            raise CommandError("--model and --version are required")
        if not weights.is_file():
            raise CommandError(f"not a file: {weights}")
        registered = Model.objects.filter(name=model).first()
        if registered is None:
            raise CommandError(f"model {model} is not in the register (a steward adds it first)")
        digest = file_sha256(weights)  # before the transaction: hashing gigabytes takes a while
        try:
            with transaction.atomic():
                version = ModelVersion.objects.filter(model=registered, version=model_version).first()
                if version is None:
                    version = create_model_version(
                        actor=None, system=SYSTEM, model=registered, version=model_version,
                        license=License.objects.get(name=license) if license else None,
                        served_name=served_name, quantization=quantization, source=str(weights.resolve()),
                    )  # fmt: skip
                version = record_weights(
                    model_version=version, sha256=digest, size_bytes=weights.stat().st_size,
                    file_name=weights.name, system=SYSTEM,
                )  # fmt: skip
        except License.DoesNotExist:
            raise CommandError(f"license {license} is not in the register") from None
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"{version}: sha256 {digest}, status {version.status}")
