"""A snapshot of the service, taken by beat every minute and kept for OBSERVE_KEEP_DAYS: what the dashboard
draws and what the alert rules (operations.alerts) read.

Everything is measured from the outside of the thing measured (the broker's lists, the database, a worker
ping, an HTTP request to each LLM server, the disk), so a snapshot tells the truth even when a part is down.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from redis import Redis

from audit.models import AuditCheckpoint, AuditEvent
from audit.verification import verify_chain
from operations.models import DrillRun, Observation
from reviews.contracts.models import ContractReview
from reviews.counterparties.models import CounterpartyReview, ListVersion
from worker.llm.endpoint_state import EndpointState
from worker.llm.endpoints import parse_endpoints
from worker.llm.served import ServerUnreachable, served_model_ids

REVIEWS = {"contract": ContractReview, "counterparty": CounterpartyReview}

# Latency percentiles and generation speed per endpoint and model over the recorded calls of the window.
# Calls refused before reaching a server (no latency) count as calls and errors, not in the percentiles.
_LLM_WINDOW = """
    SELECT coalesce(payload->>'endpoint', ''), coalesce(payload->>'model', ''), count(*),
           count(*) FILTER (WHERE payload->>'outcome' IS DISTINCT FROM 'ok'),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY (payload->>'latency_ms')::float),
           percentile_cont(0.95) WITHIN GROUP (ORDER BY (payload->>'latency_ms')::float),
           sum((payload->>'tokens_out')::float) FILTER (WHERE payload->>'outcome' = 'ok'),
           sum((payload->>'latency_ms')::float) FILTER (WHERE payload->>'outcome' = 'ok')
    FROM audit_auditevent WHERE action = 'llm.called' AND occurred_at >= %s GROUP BY 1, 2 ORDER BY 1, 2
"""


def take_observation() -> Observation:
    now = timezone.now()
    window_start = now - timedelta(minutes=settings.OBSERVE_WINDOW_MINUTES)
    llm = _llm_window(window_start)
    gauges: dict[str, Any] = {
        "queues": _queue_depths(),
        "oldest_queued_seconds": oldest_queued_seconds(now),
        "workers": _workers(),
        "endpoints": _endpoints(),
        "llm": llm,
        "llm_errors": sum(row["errors"] for row in llm),
        "failed_reviews": sum(
            model.objects.filter(state=model.State.FAILED, finished_at__gte=window_start).count()
            for model in REVIEWS.values()
        ),
        **_audit(now),
        "audit_verify": _audit_verify(now),
        "sanctions_list_age_days": _sanctions_list_ages(now),
        "disk_free_percent": _disk_free(),
        "dr_drill": _last_drill(),
    }
    return Observation.objects.create(taken_at=now, gauges=gauges)


def prune() -> int:
    """Remove the snapshots older than OBSERVE_KEEP_DAYS; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.OBSERVE_KEEP_DAYS)
    return Observation.objects.filter(taken_at__lt=cutoff).delete()[0]


def _queue_depths() -> dict[str, int]:
    with current_app.connection_for_read() as broker:
        client = broker.default_channel.client
        return {
            queue: client.llen(queue)
            for queue in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.MODEL_TEXT_QUEUE)
        }


def oldest_queued_seconds(now: datetime) -> dict[str, float | None]:
    """Per review kind, how long its oldest still-queued review has waited (None when none waits)."""
    ages = {}
    for kind, model in REVIEWS.items():
        oldest = model.objects.filter(state=model.State.QUEUED).aggregate(at=Min("created_at"))["at"]
        ages[kind] = round((now - oldest).total_seconds(), 1) if oldest else None
    return ages


def _workers() -> dict[str, int]:
    """How many workers consume each of the workbench's queues (a worker that does not answer within the
    timeout counts as gone: a solo worker busy with a long task answers after it, so the rules allow a
    margin)."""
    replies = current_app.control.inspect(timeout=settings.OBSERVE_PING_SECONDS).active_queues() or {}
    counts = {settings.CELERY_TASK_DEFAULT_QUEUE: 0, settings.MODEL_TEXT_QUEUE: 0}
    for queues in replies.values():
        for name in {queue["name"] for queue in queues} & counts.keys():
            counts[name] += 1
    return counts


def _endpoints() -> list[dict[str, Any]]:
    """Each LLM endpoint: does it answer GET /models (and list its model); have the workers marked it down."""
    state = EndpointState(Redis.from_url(settings.REDIS_URL), down_seconds=settings.LLM_ENDPOINT_DOWN_SECONDS,
                          concurrency=settings.LLM_ENDPOINT_CONCURRENCY, lease_seconds=1)  # fmt: skip
    rows = []
    for endpoint in parse_endpoints(settings.LLM_ENDPOINTS):
        try:
            served = served_model_ids(endpoint.base_url, timeout=settings.OBSERVE_HTTP_TIMEOUT_SECONDS)
            up, serves_model = True, endpoint.model in served
        except ServerUnreachable:
            up, serves_model = False, False
        rows.append({"endpoint": endpoint.base_url, "model": endpoint.model, "up": up,
                     "serves_model": serves_model, "marked_down": state.is_down(endpoint)})  # fmt: skip
    return rows


def _llm_window(since: datetime) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(_LLM_WINDOW, [since])
        rows = cursor.fetchall()
    return [
        {"endpoint": endpoint, "model": model, "calls": calls, "errors": errors,
         "p50_seconds": _seconds(p50), "p95_seconds": _seconds(p95),
         "tokens_per_second": round(tokens / (ms / 1000), 2) if tokens and ms else None}
        for endpoint, model, calls, errors, p50, p95, tokens, ms in rows
    ]  # fmt: skip


def _seconds(ms: float | None) -> float | None:
    return round(ms / 1000, 3) if ms is not None else None


def _audit(now: datetime) -> dict[str, Any]:
    """The last checkpoint's age, and since when the trail has waited for one (its first event if none)."""
    last = AuditCheckpoint.objects.order_by("-number").values_list("written_at", flat=True).first()
    first_event = AuditEvent.objects.order_by("seq").values_list("occurred_at", flat=True).first()
    waiting_since = last or first_event
    return {
        "checkpoint_age_seconds": round((now - last).total_seconds(), 1) if last else None,
        "checkpoint_wait_seconds": round((now - waiting_since).total_seconds(), 1) if waiting_since else None,
    }


def _audit_verify(now: datetime) -> dict[str, Any] | None:
    """The chain verified (as `audit_verify` does) at most every AUDIT_VERIFY_MINUTES: it reads every event.
    In between, the last result is carried forward."""
    earlier = (
        Observation.objects.filter(gauges__audit_verify__isnull=False).exclude(gauges__audit_verify=None)
        .values_list("gauges__audit_verify", flat=True).first()
    )  # fmt: skip
    if earlier and now - datetime.fromisoformat(earlier["checked_at"]) < timedelta(
        minutes=settings.AUDIT_VERIFY_MINUTES
    ):
        return earlier
    try:
        result = verify_chain()
        intact, summary = result.intact, result.summary()
    except (
        ImproperlyConfigured
    ) as error:  # no checkpoint key: the trail cannot be verified, which is a failure
        intact, summary = False, str(error)
    return {"intact": intact, "summary": summary[:500], "checked_at": now.isoformat()}


def _sanctions_list_ages(now: datetime) -> dict[str, float]:
    return {
        version.sanctions_list.name: round(
            (now - datetime.combine(version.published, time.min, tzinfo=UTC)).total_seconds() / 86400, 2
        )
        for version in ListVersion.objects.filter(is_current=True).select_related("sanctions_list")
    }


def _disk_free() -> dict[str, float]:
    """Free space, in percent, of the file systems holding the uploads and the audit checkpoints."""
    free = {}
    for path in (Path(settings.MEDIA_ROOT), Path(settings.AUDIT_CHECKPOINT_FILE).parent):
        while not path.exists() and path != path.parent:  # not created yet: its file system is its parent's
            path = path.parent
        usage = shutil.disk_usage(path)
        free[str(path)] = round(usage.free / usage.total * 100, 2)
    return free


def _last_drill() -> dict[str, Any] | None:
    last = DrillRun.objects.first()
    return {"ok": last.ok, "started_at": last.started_at.isoformat()} if last else None
