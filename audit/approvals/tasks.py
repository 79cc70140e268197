from celery import shared_task

from audit.approvals.services import expire_overdue


@shared_task(acks_late=True)
def expire_approvals() -> int:
    """The beat job: flows whose current step passed its deadline become expired."""
    return expire_overdue()
