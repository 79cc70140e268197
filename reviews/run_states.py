"""How a review run (reviews.models.ReviewRun) changes state in a worker: claim, wait for a model, stop.

Workers claim a queued review with one conditional UPDATE instead of a lock: of two tasks for the same review
exactly one gets the row. A retry or redelivery of the same task (same id) may take it back, and so may anyone
once the run is older than the task time limit (its worker died).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from audit.services import record_event
from reviews.models import ReviewRun


def claim(model: type[ReviewRun], review_id: int, task_id: str, **progress) -> bool:
    states = model.State
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = (
        Q(state__in=[states.QUEUED, states.WAITING_FOR_MODEL])
        | Q(state=states.RUNNING, claimed_by=task_id)
        | Q(state=states.RUNNING, started_at__lt=stale)
    )
    return bool(
        model.objects.filter(claimable, pk=review_id).update(
            state=states.RUNNING, claimed_by=task_id, started_at=timezone.now(), attempts=F("attempts") + 1,
            status_message="", **progress,
        )  # fmt: skip
    )


def wait_for_model(model: type[ReviewRun], review_id: int) -> None:
    """No LLM endpoint answers: the run shows it, and the task's next retry claims it again."""
    model.objects.filter(pk=review_id).update(
        state=model.State.WAITING_FOR_MODEL, stage="waiting for model", status_message=""
    )


@transaction.atomic
def stop(review: ReviewRun, state: str, message: str, *, action: str, system: str) -> None:
    """End the run in a recorded state (blocked, failed) with the reason, and its audit event."""
    review.state, review.status_message, review.finished_at = state, message[:500], timezone.now()
    review.save(update_fields=["state", "status_message", "finished_at"])
    record_event(action=action, system=system, target=review, payload={"reason": message[:500]})


def give_up(model: type[ReviewRun], review_id: int, *, action: str, system: str) -> None:
    """No model answered through every retry: the run ends failed, and the review can be submitted again."""
    review = model.objects.get(pk=review_id)
    if review.state == model.State.WAITING_FOR_MODEL:
        stop(review, model.State.FAILED, "No language model answered; submit the review again later.",
             action=action, system=system)  # fmt: skip
