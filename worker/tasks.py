"""Celery tasks: thin, idempotent, retried with backoff, and always ending in a recorded state."""

from collections.abc import Callable

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from reviews import runs
from reviews.counterparties import runs as counterparty_runs
from worker.llm.client import NoModelAvailable

# A database that is away for a moment is retried with backoff; anything else ends in a recorded state.
RETRY_ON_DATABASE = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


def _run_waiting_for_model(task: Task, run: Callable[..., str], give_up: Callable[[int], None], review_id: int) -> str:
    """Run a review; while no LLM endpoint answers it waits ("waiting for model") and the task retries with
    exponential backoff, up to REVIEW_MODEL_WAIT_RETRIES times, then gives up with a recorded state."""
    try:
        return run(review_id, task_id=task.request.id or "eager")
    except NoModelAvailable as unavailable:
        if task.request.retries >= settings.REVIEW_MODEL_WAIT_RETRIES:
            give_up(review_id)
            return "failed"
        raise task.retry(
            exc=unavailable, countdown=min(300, 5 * 2**task.request.retries),
            max_retries=settings.REVIEW_MODEL_WAIT_RETRIES + 1,
        ) from unavailable  # fmt: skip


@shared_task(bind=True, **RETRY_ON_DATABASE)
def run_contract_review(self, review_id: int) -> str:
    """Run one contract review; another task for the same review finds it claimed and does nothing."""
    return _run_waiting_for_model(self, runs.run_contract_review, runs.give_up_waiting, review_id)


@shared_task(bind=True, **RETRY_ON_DATABASE)
def run_counterparty_review(self, review_id: int) -> str:
    """Screen the counterparty, summarise its documents on masked text, propose a rating."""
    return _run_waiting_for_model(
        self, counterparty_runs.run_counterparty_review, counterparty_runs.give_up_waiting, review_id
    )


@shared_task(**RETRY_ON_DATABASE)
def import_sanctions_list(import_id: int) -> str:
    """Import a list uploaded in the UI, then screen the counterparties again against it."""
    outcome = counterparty_runs.run_sanctions_import(import_id)
    if outcome == "done":
        rescreen_counterparties.delay()
    return outcome


@shared_task(**RETRY_ON_DATABASE)
def rescreen_counterparties() -> int:
    """Beat job (and after each import): screen again the counterparties screened on older list versions."""
    return counterparty_runs.rescreen_counterparties()
