"""Celery tasks of contract reviews: thin, idempotent, retried with backoff, ending in a recorded state."""

from celery import shared_task

from reviews.contracts import runs
from reviews.review_runs import RETRY_ON_DATABASE, ModelText, retry_while_no_model


@shared_task(bind=True, **RETRY_ON_DATABASE)
def run_contract_review(self, review_id: int) -> str:
    """Run one contract review; another task for the same review finds it claimed and does nothing."""
    return runs.run_contract_review(review_id, task_id=self.request.id or "eager")


@shared_task(bind=True, **RETRY_ON_DATABASE)
def explain_findings(self, review_id: int) -> str:
    """Write the done review's queued explanations; retried while no model answers."""
    return retry_while_no_model(self, runs.explain_queued, _give_up, review_id)


def _give_up(review_id: int) -> None:
    runs.settle_explanations(review_id, ModelText.FAILED, reason="no language model answered")
