"""/healthz: whether each part the workbench needs answers, as JSON for monitors and load balancers."""

import httpx
import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from workbench.celery import app as celery_app
from worker.llm.endpoints import parse_endpoints

PROBE_TIMEOUT = 2.0


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _redis() -> bool:
    return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=PROBE_TIMEOUT).ping())


def _workers() -> dict:
    replies = celery_app.control.ping(timeout=1.0)
    return {"status": "up" if replies else "down", "count": len(replies)}


def _probe(check) -> str:
    try:
        return "up" if check() else "down"
    except Exception:  # a health probe reports failure, it never raises
        return "down"


def _llm_endpoints() -> list[dict]:
    results = []
    for number, endpoint in enumerate(parse_endpoints(settings.LLM_ENDPOINTS), start=1):
        status = _probe(lambda: httpx.get(f"{endpoint.base_url}/models", timeout=PROBE_TIMEOUT).is_success)
        # The URL stays private: this page is public, and endpoints are internal addresses.
        results.append({"endpoint": number, "model": endpoint.model, "status": status})
    return results


@login_not_required
@never_cache
@require_GET
def healthz(request):
    try:
        workers = _workers()
    except Exception:
        workers = {"status": "down", "count": 0}
    report = {
        "database": _probe(_database),
        "redis": _probe(_redis),
        "workers": workers,
        "llm": _llm_endpoints(),
    }
    healthy = (
        report["database"] == "up"
        and report["redis"] == "up"
        and workers["status"] == "up"
        and any(item["status"] == "up" for item in report["llm"])
    )
    report["status"] = "ok" if healthy else "degraded"
    return JsonResponse(report, status=200 if healthy else 503)
