"""The metrics endpoint: for the monitoring system's scraper, never public."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from operations.metrics import WorkbenchCollector

REGISTRY = CollectorRegistry(auto_describe=False)
REGISTRY.register(WorkbenchCollector())


@login_not_required  # a scraper has no session: the token or the address decides
def metrics(request: HttpRequest) -> HttpResponse:
    """200 with the metrics for a bearer of METRICS_TOKEN or a caller from METRICS_ALLOWED_ADDRESSES; else 404."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    by_token = bool(settings.METRICS_TOKEN) and hmac.compare_digest(token.encode(), settings.METRICS_TOKEN.encode())
    by_address = request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_ADDRESSES
    if not (by_token or by_address):
        return HttpResponse(status=404)  # not even whether metrics are served here
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
