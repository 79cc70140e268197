from celery import shared_task

from operations import alerts, drills
from operations.observe import prune, take_observation


@shared_task(acks_late=True)
def observe() -> dict:
    """Beat job (every minute): take a snapshot, evaluate the alert rules on it, drop old snapshots."""
    observation = take_observation()
    changes = alerts.evaluate(observation)
    return {
        "observation": observation.pk,
        "fired": [f"{c.state.rule}:{c.state.subject}" for c in changes if c.fired],
        "resolved": [f"{c.state.rule}:{c.state.subject}" for c in changes if not c.fired],
        "pruned": prune(),
    }


@shared_task(acks_late=True)  # not retried: a failed drill is a result, stored and shown
def dr_drill() -> dict:
    """Beat job (every DR_DRILL_DAYS, when set): rehearse a restore and keep the result."""
    run = drills.run_drill()
    return {"drill": run.pk, "ok": run.ok, "seconds": run.total_seconds}
