from celery import shared_task

from audit.access_reviews.services import escalate_overdue, start_campaign


@shared_task(acks_late=True)
def escalate_access_reviews() -> int:
    """The beat job: undecided items past their campaign's deadline are escalated to compliance."""
    return escalate_overdue()


@shared_task(acks_late=True)
def start_scheduled_access_review() -> int:
    """The optional quarterly beat job: a campaign started by the schedule rather than a person."""
    return start_campaign(system="access_reviews.schedule").pk
