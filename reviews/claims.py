"""Workers claim a queued review with one conditional UPDATE instead of a lock.

Of two tasks for the same review exactly one gets the row. A retry or redelivery of the same task (same
id) may take it back, and so may anyone once the run is older than the task time limit (its worker died).
Contract and counterparty reviews share the fields this needs: state, claimed_by, started_at, attempts.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


def claim(model: type[models.Model], review_id: int, task_id: str, **progress) -> bool:
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
