"""The clause classifier's trained artifacts in the register: each artifact is one model version.

An artifact (worker.clauses) carries its name, a version derived from everything that shaped it, the
model file's SHA-256 and its figures on the fixed validation split; registering it records all of these,
so the evaluation gate can set them beside the previous approved version's figures.
"""

from django.db import transaction

from licenses.models import (
    RUNNABLE_STATUSES,
    EvaluationRun,
    License,
    Model,
    ModelVersion,
    Status,
    StatusChange,
)
from licenses.seed import CLASSIFIER_LICENSE, CLASSIFIER_NAME, SEED_REASON
from licenses.services import change_status, create_model_version, record_evaluation_run, record_weights

SYSTEM = "register_clause_model"
MODEL_FILE = "model.joblib"


def validation_label(info: dict) -> str:
    """The split the figures come from: the same dataset files give the same label, so figures compare."""
    return f"cuad-validation-{info['dataset_sha256'][:12]}"


@transaction.atomic
def register_clause_artifact(info: dict, *, approve_first: bool = False) -> ModelVersion:
    """Record an artifact (as `worker.clauses.artifact_info()` describes it) as a version; idempotent.

    With approve_first, the very first classifier version is approved for the demo (its evaluation run
    attached); any later version waits for a steward, who sees its figures beside the approved one's.
    """
    model = Model.objects.get(name=CLASSIFIER_NAME)  # created by seed_model_register
    version = model.versions.filter(version=info["version"]).first()
    if version is None:
        version = create_model_version(
            actor=None, system=SYSTEM, model=model, version=info["version"], served_name=info["name"],
            license=None if model.versions.exists() else License.objects.get(name=CLASSIFIER_LICENSE),
            source="trained by worker/clauses on the CUAD v1 training split",
        )  # fmt: skip
    version = record_weights(
        model_version=version, sha256=info["sha256"], size_bytes=None, file_name=MODEL_FILE, system=SYSTEM
    )
    label = validation_label(info)
    run = EvaluationRun.objects.filter(model_version=version, dataset_label=label, computed=True).first()
    if run is None:
        # Computed: worker.clauses measured them on the shared split when it trained the artifact.
        run = record_evaluation_run(
            actor=None,
            system=SYSTEM,
            model_version=version,
            dataset_label=label,
            metrics=info["metrics"]["overall"],
            computed=True,
        )
    ever_approved = StatusChange.objects.filter(model_version__model=model, to_status__in=RUNNABLE_STATUSES)
    if approve_first and version.status == Status.PENDING and not ever_approved.exists():
        change_status(
            actor=None, system=SYSTEM, model_version=version, to_status=Status.APPROVED, reason=SEED_REASON,
            evaluation_run=run,
        )  # fmt: skip
        version.refresh_from_db()
    return version
