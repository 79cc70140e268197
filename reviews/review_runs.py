"""What contract and counterparty reviews share as runs in a worker: the fields (ReviewRun), the one skeleton a
run goes through (run_claimed), how a run changes state (claim, stop), and the LLM's words written after a run is
done (ModelText, retry_while_no_model): a review never waits for a model.

Workers claim a queued review with one conditional UPDATE instead of a lock: of two tasks for the same review
exactly one gets the row. A retry or redelivery of the same task (same id) may take it back, and so may anyone
once the run is older than the task time limit (its worker died).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from celery import Task
from django.conf import settings
from django.db import InterfaceError, OperationalError, models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from audit.services import record_event
from worker.llm.errors import NoModelAvailable
from worker.messages import Refusal
from worker.model_gate import ModelNotApproved

log = structlog.get_logger(__name__)


class ReviewRun(models.Model):
    """What every review a worker runs records about its run: claim, progress, outcome, pseudonym map.

    The functions below move these fields; the concrete model adds its State (with QUEUED, RUNNING, BLOCKED,
    FAILED) and the states after which the run is over (FINISHED).
    """

    stage = models.CharField(_("stage"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    status_message = models.CharField(_("status"), max_length=500, blank=True)  # an English template: see message_text
    status_params = models.JSONField(default=dict, blank=True)
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

    @property
    def status_text(self) -> str:
        return message_text(self.status_message, self.status_params)


def claim(model: type[ReviewRun], review_id: int, task_id: str, **progress) -> bool:
    states = model.State
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = (
        Q(state=states.QUEUED)
        | Q(state=states.RUNNING, claimed_by=task_id)
        | Q(state=states.RUNNING, started_at__lt=stale)
    )
    return bool(
        model.objects.filter(claimable, pk=review_id).update(
            state=states.RUNNING, claimed_by=task_id, started_at=timezone.now(), attempts=F("attempts") + 1,
            status_message="", status_params={}, **progress,
        )  # fmt: skip
    )


def message_text(template: str, params: dict[str, str] | None = None) -> str:
    """An engine's stored message (see worker.messages) in the reader's language."""
    if not params:
        return gettext(template) if template else ""
    values = {name: gettext(value) if name.endswith("_label") else value for name, value in params.items()}
    return gettext(template) % values


@transaction.atomic
def stop(review: ReviewRun, state: str, message: str, *, action: str, system: str,
         params: dict[str, str] | None = None, **facts: str) -> None:  # fmt: skip
    """End the run in a recorded state (blocked, failed) with the reason (an English template and its
    `params`), and its audit event (with the reason in English and `facts`)."""
    review.state, review.finished_at = state, timezone.now()
    review.status_message, review.status_params = message[:500], params or {}
    review.save(update_fields=["state", "status_message", "status_params", "finished_at"])
    reason = message % params if params else message
    record_event(action=action, system=system, target=review, payload={"reason": reason[:500], **facts})


@dataclass(frozen=True)
class RunKind:
    """What differs between the kinds of review a worker runs; run_claimed does the rest the same way."""

    reviews: QuerySet  # the review model, with what the run reads joined in
    events: str  # audit action prefix: "review" gives review.blocked and review.failed
    system: str  # the audit event's system name
    stage: str  # stage and progress shown once the run is claimed
    progress: int
    refusals: tuple[type[Refusal], ...] = ()  # failures whose message is the reason the reviewer reads

    @property
    def model(self) -> type[ReviewRun]:
        return self.reviews.model


def run_claimed(kind: RunKind, review_id: int, *, task_id: str, work: Callable[[ReviewRun], None]) -> str:
    """Claim the review, do the kind's work on it, and end in a recorded state whatever happens.

    Database errors propagate: the task retries (RETRY_ON_DATABASE) and the next attempt claims the run again.
    """
    model = kind.model
    if not claim(model, review_id, task_id, stage=kind.stage, progress=kind.progress):
        log.info(f"{kind.events}.not_claimed", review_id=review_id)
        return "not claimed"
    review = kind.reviews.get(pk=review_id)
    try:
        work(review)
    except ModelNotApproved as refusal:
        stop(review, model.State.BLOCKED, refusal.template, params=refusal.params, action=f"{kind.events}.blocked",
             system=kind.system)  # fmt: skip
        return "blocked"
    except kind.refusals as refusal:
        stop(review, model.State.FAILED, refusal.template, params=refusal.params, action=f"{kind.events}.failed",
             system=kind.system)  # fmt: skip
        return "failed"
    except (OperationalError, InterfaceError):
        raise
    except Exception as error:
        log.exception(f"{kind.events}.failed", review_id=review_id, error_type=type(error).__name__)
        # The error's type goes to the log and the audit event; the page shows a message in the reader's language.
        stop(review, model.State.FAILED,
             gettext_noop("The review failed because of an unexpected error; an administrator can find it in the log."),
             action=f"{kind.events}.failed", system=kind.system, error_type=type(error).__name__)  # fmt: skip
        return "failed"
    return "done"


# A database that is away for a moment is retried with backoff; anything else ends in a recorded state.
RETRY_ON_DATABASE = {
    "acks_late": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


class ModelText(models.TextChoices):
    """Where the LLM's words on a done review stand (a flag's explanation, the documents' summary)."""

    QUEUED = "queued", _("not yet written")
    WRITTEN = "written", _("written")
    FAILED = "failed", _("no usable answer")
    SKIPPED = "skipped", _("not asked")


def retry_while_no_model(task: Task, write: Callable[[int], None], give_up: Callable[[int], None], review_id: int) -> str:
    """Write a review's model text; while no LLM endpoint answers, the task retries with exponential backoff (from
    MODEL_RETRY_SECONDS, at most 5 minutes apart) up to MODEL_WAIT_RETRIES times, then gives up."""
    try:
        write(review_id)
    except NoModelAvailable as unavailable:
        if task.request.retries >= settings.MODEL_WAIT_RETRIES:
            give_up(review_id)
            return "gave up"
        raise task.retry(
            exc=unavailable, countdown=min(300, settings.MODEL_RETRY_SECONDS * 2**task.request.retries),
            max_retries=settings.MODEL_WAIT_RETRIES + 1,
        ) from unavailable  # fmt: skip
    return "written"
