"""Celery tasks of counterparty reviews and sanctions lists: thin, idempotent, retried with backoff."""

from celery import shared_task

from reviews.counterparties import runs as counterparty_runs
from reviews.review_runs import RETRY_ON_DATABASE, run_waiting_for_model


@shared_task(bind=True, **RETRY_ON_DATABASE)
def run_counterparty_review(self, review_id: int) -> str:
    """Screen the counterparty, summarise its documents on masked text, propose a rating."""
    return run_waiting_for_model(
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
