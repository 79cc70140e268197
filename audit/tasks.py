from celery import shared_task

from audit import checkpoints


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def write_checkpoint() -> dict | None:
    """Beat job: sign the chain head. Returns the checkpoint written (None while the trail is empty)."""
    checkpoint = checkpoints.write_checkpoint()
    return checkpoint.__dict__ if checkpoint else None
