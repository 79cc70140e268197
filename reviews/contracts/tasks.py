"""Celery tasks of contract reviews: thin, idempotent, retried with backoff, ending in a recorded state."""

from celery import shared_task

from reviews.contracts import runs
from reviews.review_runs import RETRY_ON_DATABASE, run_waiting_for_model


@shared_task(bind=True, **RETRY_ON_DATABASE)
def run_contract_review(self, review_id: int) -> str:
    """Run one contract review; another task for the same review finds it claimed and does nothing."""
    return run_waiting_for_model(self, runs.run_contract_review, runs.give_up_waiting, review_id)
