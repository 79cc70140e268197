from celery import shared_task

from audit.access_reviews.models import AccessReviewCampaign
from audit.access_reviews.services import escalate_overdue, snapshot, start_campaign


@shared_task(acks_late=True)
def escalate_access_reviews() -> int:
    """The beat job: undecided items past their campaign's deadline are escalated to compliance."""
    return escalate_overdue()


@shared_task(acks_late=True)
def start_scheduled_access_review() -> int:
    """The optional quarterly beat job: a campaign started by the schedule rather than a person."""
    return start_campaign(system="access_reviews.schedule").pk


@shared_task(acks_late=True)
def take_snapshot(campaign_id: int) -> str:
    """The snapshot of a campaign a compliance officer started; the campaign page shows it until it is open."""
    return snapshot(AccessReviewCampaign.objects.get(pk=campaign_id)).state
