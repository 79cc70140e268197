"""The metrics endpoint, for the monitoring system's scraper and never public; the token usage page, for admins and
compliance officers."""

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from accounts.roles import Role, has_role
from operations import usage
from operations.metrics import WorkbenchCollector


@login_not_required  # a scraper has no session: the token or the address decides
def metrics(request: HttpRequest) -> HttpResponse:
    """200 with the metrics for a bearer of METRICS_TOKEN or a caller from METRICS_ALLOWED_ADDRESSES; else 404."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    by_token = bool(settings.METRICS_TOKEN) and hmac.compare_digest(token.encode(), settings.METRICS_TOKEN.encode())
    by_address = request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_ADDRESSES
    if not (by_token or by_address):
        return HttpResponse(status=404)  # not even whether metrics are served here
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def _registry() -> CollectorRegistry:
    """The database's and broker's state, plus what the processes counted: summed over the files of every web and
    worker process in multiprocess mode, else this process's own counts."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(WorkbenchCollector())
    if settings.PROMETHEUS_MULTIPROC_DIR:
        MultiProcessCollector(registry, path=settings.PROMETHEUS_MULTIPROC_DIR)
    else:
        registry.register(REGISTRY)  # a registry is a collector of everything registered in it
    return registry


@require_GET
def token_usage(request: HttpRequest) -> HttpResponse:
    # The numbers come from the audit trail, which compliance officers read in full anyway.
    if not has_role(request.user, Role.ADMIN, Role.COMPLIANCE_OFFICER):
        raise PermissionDenied
    period = request.GET.get("period", usage.DEFAULT_PERIOD)
    if period not in usage.PERIODS:
        period = usage.DEFAULT_PERIOD
    return render(request, "operations/usage.html", {
        "periods": [(key, label) for key, (label, _delta) in usage.PERIODS.items()], "period": period,
        "usage": usage.token_usage(since=usage.start_of(period)),
    })  # fmt: skip
