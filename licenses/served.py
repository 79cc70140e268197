"""Which model an OpenAI-compatible server (vLLM, llama.cpp) serves, resolved against the register; and
regression monitoring of what it serves: different weights for a version run the evaluation set again."""

from django.utils.translation import gettext_noop

from licenses.gate import GateDecision, check_model, refuse
from licenses.llm_evaluation import start_regression_evaluation
from licenses.models import EvaluationRun, ModelVersion
from licenses.uses import Task
from worker.llm.served import served_model_ids


def check_served_model(
    *, base_url: str, model: str, use: str, weights_sha256: str | None = None, system: str = "model_gate"
) -> GateDecision:
    """Gate an endpoint: the model it is configured with must be what it serves, and approved for the use.

    Raises ServerUnreachable when the server does not answer: that is an endpoint failure (skip it, retry
    later), not a decision about the model.
    """
    served = served_model_ids(base_url)
    if model not in served:
        return refuse(
            model_name=model, version=None, use=use, weights_sha256=weights_sha256, system=system,
            template=gettext_noop("The LLM server does not serve model %(model)s (it serves: %(served)s)."),
            params={"model": model, "served": ", ".join(served) or "-"},
        )  # fmt: skip
    decision = check_model(model_name=model, version=None, use=use, weights_sha256=weights_sha256, system=system)
    watch_served_weights(model_version_id=decision.model_version_id, weights_sha256=weights_sha256)
    return decision


def watch_served_weights(*, model_version_id: int | None, weights_sha256: str | None) -> EvaluationRun | None:
    """An LLM version served with weights other than the registered ones runs the evaluation set on them, once
    per served hash, so its page shows the figures before and after the change (the gate refuses it meanwhile)."""
    if model_version_id is None or not weights_sha256:
        return None
    weights = weights_sha256.lower()
    version = ModelVersion.objects.select_related("model").filter(pk=model_version_id).first()
    if (
        version is None
        or version.model.task != Task.TEXT_GENERATION
        or not version.weights_sha256
        or version.weights_sha256 == weights
        or version.evaluation_runs.filter(computed=True, weights_sha256=weights).exists()
    ):
        return None
    return start_regression_evaluation(
        model_version=version, trigger=EvaluationRun.Trigger.SERVED_WEIGHTS, weights_sha256=weights
    )
