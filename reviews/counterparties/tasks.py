"""Celery tasks of counterparty reviews and sanctions lists: thin, idempotent, retried with backoff."""

from celery import shared_task

from reviews.counterparties import runs as counterparty_runs
from reviews.review_runs import RETRY_ON_DATABASE, ModelText, retry_while_no_model


@shared_task(bind=True, **RETRY_ON_DATABASE)
def run_counterparty_review(self, review_id: int) -> str:
    """Screen the counterparty and propose a rating; the documents' summary follows as a task of its own."""
    return counterparty_runs.run_counterparty_review(review_id, task_id=self.request.id or "eager")


@shared_task(bind=True, **RETRY_ON_DATABASE)
def summarise_documents(self, review_id: int) -> str:
    """Write the done review's summary of its documents on masked text; retried while no model answers."""
    return retry_while_no_model(self, counterparty_runs.summarise_queued, _give_up, review_id)


def _give_up(review_id: int) -> None:
    counterparty_runs.settle_summary(review_id, ModelText.FAILED, reason="no language model answered")


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


@shared_task(**RETRY_ON_DATABASE)
def rescreen_counterparty(counterparty_id: int) -> str:
    """Screen a counterparty again after an edit (a new alias, a corrected date of birth, a related person)."""
    return counterparty_runs.rescreen_counterparty(counterparty_id)
