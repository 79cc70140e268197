from celery import shared_task

from audit import checkpoints, retention, syslog, timestamps


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def write_checkpoint() -> dict | None:
    """Beat job: sign the chain head. Returns the checkpoint written (None while the trail is empty)."""
    checkpoint = checkpoints.write_checkpoint()
    if checkpoint is None:
        return None
    timestamps.stamp(checkpoint)  # when a TSA is configured; its failure leaves the checkpoint as it is
    return checkpoint.__dict__


@shared_task(acks_late=True)
def drain_syslog_outbox() -> int:
    """Beat job: forward unsent events to syslog. A server that is down fails this run; the next one resends."""
    return syslog.drain_outbox()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def apply_retention() -> dict | None:
    """Beat job (daily): archive and remove the events past their retention."""
    run = retention.apply_retention()
    return {"through_seq": run.through_seq, "removed": run.removed, "archive": run.archive} if run else None
