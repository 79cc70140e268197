"""The LLM evaluation set as the workbench runs it: a computed evaluation run per request, measured in a worker
against the endpoint in LLM_ENDPOINTS that serves the version, with progress, every call audited and the
figures recorded as the gate's evidence.

The set (worker/llm/evaluation_set.json) is fixed synthetic text written for it, with no client data and no
personal data, so it may be sent to a version that is still pending: its figures are what a steward needs
before approving. A blocked version is sent nothing.

Regression monitoring starts the same run when a version changes: a new approval applied
(services.apply_proposal), different weights served for it (licenses.served).
"""

from datetime import timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from licenses.models import EvaluationRun, ModelVersion, Status
from licenses.services import require_steward
from licenses.uses import Task
from worker.llm.client import CONNECT_TIMEOUT_SECONDS, embedded_weights_sha256
from worker.llm.endpoints import Endpoint, parse_endpoints
from worker.llm.evaluation import ClauseExplanation, EvaluationFailed, ItemOutcome, evaluate, evaluation_set

SYSTEM = "llm_evaluation"


def serving_endpoint(version: ModelVersion) -> Endpoint | None:
    """The first endpoint configured with the version's served name (or its model's name)."""
    names = {version.served_name, version.model.name} - {""}
    return next((endpoint for endpoint in parse_endpoints(settings.LLM_ENDPOINTS) if endpoint.model in names), None)


def refusal(version: ModelVersion) -> str | None:
    """Why the evaluation set cannot run against this version now, or None."""
    if version.model.task != Task.TEXT_GENERATION:
        return _("The evaluation set is for LLMs: a clause classifier's figures are computed when its artifact "
                 "is registered.")  # fmt: skip
    if version.status == Status.BLOCKED:
        return _("%(version)s is blocked: nothing is sent to it, not even the evaluation set.") % {"version": version}
    if serving_endpoint(version) is None:
        return _("No endpoint in LLM_ENDPOINTS serves %(version)s (served name: %(name)s): configure one to "
                 "evaluate it.") % {"version": version, "name": version.served_name or version.model.name}  # fmt: skip
    return None


def _running(version: ModelVersion) -> EvaluationRun | None:
    """The version's unfinished run; one the worker can no longer be running (past the task's time limit) fails."""
    runs = version.evaluation_runs.filter(computed=True, state=EvaluationRun.State.RUNNING)
    stale_before = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    for stale in runs.filter(created_at__lt=stale_before):
        _fail(stale, "the worker did not finish the run")
    return runs.first()


@transaction.atomic
def request_evaluation(
    *, actor, model_version: ModelVersion, trigger: str = EvaluationRun.Trigger.STEWARD, system: str = "",
    weights_sha256: str = "",
) -> EvaluationRun:  # fmt: skip
    """Start a computed run of the evaluation set against the version (a steward's request, or the system's).

    Raises ValidationError saying why it cannot run: not an LLM, blocked, no endpoint serves it, already running.
    """
    require_steward(actor, system)
    version = ModelVersion.objects.select_for_update().select_related("model").get(pk=model_version.pk)
    why_not = refusal(version)
    if why_not:
        raise ValidationError(why_not)
    running = _running(version)
    if running is not None:
        raise ValidationError(
            _("An evaluation of %(version)s is already running (run %(run)s).")
            % {"version": version, "run": running.pk}
        )
    evaluation = evaluation_set()
    run = EvaluationRun.objects.create(
        model_version=version, dataset_label=evaluation.label, computed=True, state=EvaluationRun.State.RUNNING,
        items_total=len(evaluation.items), trigger=trigger, weights_sha256=weights_sha256, created_by=actor,
        endpoint=serving_endpoint(version).base_url,
    )  # fmt: skip
    record_event(
        action="model_version.evaluation_requested",
        actor=actor,
        system=system,
        target=version,
        payload={"model": version.model.name, "version": version.version, "evaluation_run": run.pk,
                 "dataset": run.dataset_label, "trigger": trigger, "weights_sha256": weights_sha256 or None},
    )  # fmt: skip
    from licenses.tasks import evaluate_llm_version  # the tasks module imports this one

    transaction.on_commit(lambda: evaluate_llm_version.apply_async((run.pk,), queue=settings.MODEL_TEXT_QUEUE))
    return run


def start_regression_evaluation(
    *, model_version: ModelVersion, trigger: str, weights_sha256: str = ""
) -> EvaluationRun | None:
    """Regression monitoring: run the set again after a change, unless it cannot run or already runs. Never
    raises for those: the change that triggered it (an approval, a gate check) must not fail because of it."""
    try:
        return request_evaluation(
            actor=None, system=SYSTEM, model_version=model_version, trigger=trigger, weights_sha256=weights_sha256
        )
    except ValidationError:
        return None


def run_evaluation(run_id: int) -> str:
    """The worker's part: ask the set at the endpoint, record progress, then the figures or the failure.

    Idempotent: a run that is no longer running is left alone; a redelivered one starts again from the first item.
    """
    run = EvaluationRun.objects.select_related("model_version__model").filter(pk=run_id, computed=True).first()
    if run is None or run.state != EvaluationRun.State.RUNNING:
        return "skipped"
    version = run.model_version
    why_not = refusal(version)  # blocked since it was requested, or this worker has no endpoint for it
    if why_not:
        _fail(run, why_not)
        return EvaluationRun.State.FAILED
    endpoint = serving_endpoint(version)
    weights = run.weights_sha256 or embedded_weights_sha256(endpoint) or ""
    EvaluationRun.objects.filter(pk=run.pk).update(endpoint=endpoint.base_url, weights_sha256=weights, items_done=0)

    def on_item(done: int, total: int, outcome: ItemOutcome) -> None:
        EvaluationRun.objects.filter(pk=run.pk).update(items_done=done)
        _record_call(run, endpoint, weights, outcome)

    timeout = httpx.Timeout(settings.LLM_TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS)
    try:
        with httpx.Client(timeout=timeout) as http:
            result = evaluate(endpoint, http=http, on_item=on_item)
    except EvaluationFailed as error:
        _fail(run, str(error))
        return EvaluationRun.State.FAILED
    with transaction.atomic():
        EvaluationRun.objects.filter(pk=run.pk).update(
            state=EvaluationRun.State.DONE, metrics=result.metrics, items_done=len(result.outcomes),
            finished_at=timezone.now(),
        )  # fmt: skip
        record_event(
            action="model_version.evaluated",
            system=SYSTEM,
            target=version,
            payload={"evaluation_run": run.pk, "dataset": run.dataset_label, "computed": True,
                     "endpoint": endpoint.base_url, "model": endpoint.model, "weights_sha256": weights or None,
                     "trigger": run.trigger, **result.metrics},
        )  # fmt: skip
    return EvaluationRun.State.DONE


def _fail(run: EvaluationRun, error: str) -> None:
    with transaction.atomic():
        EvaluationRun.objects.filter(pk=run.pk).update(
            state=EvaluationRun.State.FAILED, error=error[:1000], finished_at=timezone.now()
        )
        record_event(
            action="model_version.evaluation_failed", system=SYSTEM, object_type="licenses.modelversion",
            object_id=run.model_version_id, payload={"evaluation_run": run.pk, "error": error[:500]},
        )  # fmt: skip


def _record_call(run: EvaluationRun, endpoint: Endpoint, weights: str, outcome: ItemOutcome) -> None:
    """Every LLM call is an audit event, the evaluation set's too (no prompt text: the hash only)."""
    payload: dict[str, Any] = {
        "outcome": "ok" if outcome.valid else "invalid_output",
        "endpoint": endpoint.base_url,
        "model": endpoint.model,
        "model_version_id": run.model_version_id,
        "weights_sha256": weights or None,
        "use": "evaluation",
        "schema": ClauseExplanation.__name__,
        "prompt_sha256": outcome.prompt_sha256,
        "evaluation_run": run.pk,
        "item": outcome.item_id,
        "tokens_in": outcome.tokens_in,
        "tokens_out": outcome.tokens_out,
        "latency_ms": round(outcome.latency_seconds * 1000),
    }
    record_event(
        action="llm.called", system=SYSTEM, object_type="licenses.modelversion", object_id=run.model_version_id,
        payload=payload,
    )  # fmt: skip
