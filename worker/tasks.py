"""Celery tasks: thin, idempotent, retried with backoff, and always ending in a recorded state."""

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from reviews import runs
from worker.llm.client import NoModelAvailable


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def run_contract_review(self, review_id: int) -> str:
    """Run one contract review; another task for the same review finds it claimed and does nothing.

    While no LLM endpoint answers, the review waits ("waiting for model") and the task retries with
    exponential backoff, up to REVIEW_MODEL_WAIT_RETRIES times.
    """
    try:
        return runs.run_contract_review(review_id, task_id=self.request.id or "eager")
    except NoModelAvailable as unavailable:
        if self.request.retries >= settings.REVIEW_MODEL_WAIT_RETRIES:
            runs.give_up_waiting(review_id)
            return "failed"
        raise self.retry(
            exc=unavailable, countdown=min(300, 5 * 2**self.request.retries),
            max_retries=settings.REVIEW_MODEL_WAIT_RETRIES + 1,
        ) from unavailable


# Counterparty review (issue 5): reviews, list imports from the UI, and re-screening after an import.
@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def run_counterparty_review(self, review_id: int) -> str:
    """Screen the counterparty, summarise its documents on masked text, propose a rating."""
    from reviews.counterparties import runs as counterparty_runs

    try:
        return counterparty_runs.run_counterparty_review(review_id, task_id=self.request.id or "eager")
    except NoModelAvailable as unavailable:
        if self.request.retries >= settings.REVIEW_MODEL_WAIT_RETRIES:
            counterparty_runs.give_up_waiting(review_id)
            return "failed"
        raise self.retry(
            exc=unavailable, countdown=min(300, 5 * 2**self.request.retries),
            max_retries=settings.REVIEW_MODEL_WAIT_RETRIES + 1,
        ) from unavailable


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=8)
def import_sanctions_list(import_id: int) -> str:
    """Import a list uploaded in the UI, then screen the counterparties again against it."""
    from reviews.counterparties import runs as counterparty_runs

    outcome = counterparty_runs.run_sanctions_import(import_id)
    if outcome == "done":
        rescreen_counterparties.delay()
    return outcome


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=8)
def rescreen_counterparties() -> int:
    """Beat job (and after each import): screen again the counterparties screened on older list versions."""
    from reviews.counterparties import runs as counterparty_runs

    return counterparty_runs.rescreen_counterparties()
