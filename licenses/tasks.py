from celery import shared_task

from licenses import llm_evaluation
from licenses.gate import check_model


@shared_task(acks_late=True)
def gate_check(model_name: str, version: str | None, use: str, weights_sha256: str | None = None) -> dict:
    """Run the model gate in a worker, as every inference task does before it starts (refusals are audited)."""
    decision = check_model(
        model_name=model_name,
        version=version,
        use=use,
        weights_sha256=weights_sha256,
        system="worker.gate_check",
    )
    return {
        "allowed": decision.allowed,
        "reason": decision.reason,
        "model_version_id": decision.model_version_id,
    }


@shared_task(acks_late=True)
def evaluate_llm_version(run_id: int) -> str:
    """Run the LLM evaluation set for one computed run (queued on MODEL_TEXT_QUEUE, beside the explanations);
    the run ends done or failed, recorded on it."""
    return llm_evaluation.run_evaluation(run_id)
