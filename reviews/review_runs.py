"""What contract and counterparty reviews share as runs in a worker: the fields (ReviewRun) and how they change
state: claim, wait for a model, stop.

Workers claim a queued review with one conditional UPDATE instead of a lock: of two tasks for the same review
exactly one gets the row. A retry or redelivery of the same task (same id) may take it back, and so may anyone
once the run is older than the task time limit (its worker died).
"""

from collections.abc import Callable
from datetime import timedelta

from celery import Task

from django.conf import settings
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from worker.llm.client import NoModelAvailable


class ReviewRun(models.Model):
    """What every review a worker runs records about its run: claim, progress, outcome, pseudonym map.

    The functions below move these fields; the concrete model adds its State (with QUEUED, RUNNING,
    WAITING_FOR_MODEL, BLOCKED, FAILED) and the states after which the run is over (FINISHED).
    """

    stage = models.CharField(_("stage"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    status_message = models.CharField(_("status"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)  # the Celery task id running it
    pseudonyms = models.BinaryField(null=True, blank=True)  # encrypted placeholder mapping, see reviews.pseudonyms
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    FINISHED: frozenset[str] = frozenset()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED


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


# A database that is away for a moment is retried with backoff; anything else ends in a recorded state.
RETRY_ON_DATABASE = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


def run_waiting_for_model(task: Task, run: Callable[..., str], give_up: Callable[[int], None], review_id: int) -> str:
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
