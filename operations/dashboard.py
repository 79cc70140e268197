"""The operations page, for admins: the latest snapshot, the last hours as charts (each with a table beside
it), the alerts firing and their recent history, the last disaster-recovery drill, token usage by matter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role
from audit.models import AuditEvent
from licenses.models import HEADLINE_METRICS, METRIC_LABELS, EvaluationRun
from operations.alerts import RULES
from operations.models import AlertState, DrillRun, Observation
from operations.usage import DEFAULT_PERIOD, PERIODS, start_of, token_usage

HISTORY = 20  # alert changes listed
RECENT_RUNS = 200  # computed evaluation runs read for the before-and-after table


def dashboard(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, Role.ADMIN):
        raise PermissionDenied(gettext("Only administrators may see the operations dashboard."))
    since = timezone.now() - timedelta(hours=settings.OBSERVE_CHART_HOURS)
    observations = list(Observation.objects.filter(taken_at__gte=since).order_by("taken_at"))
    latest = observations[-1] if observations else Observation.objects.first()
    charts = _charts(observations)
    alert_events = AuditEvent.objects.filter(action__in=["alert.fired", "alert.resolved"]).order_by("-seq")
    context = {
        "latest": latest,
        "gauges": _now(latest.gauges) if latest else None,
        "charts": charts,
        "chart_data": {chart["id"]: chart["data"] for chart in charts},
        "hours": settings.OBSERVE_CHART_HOURS,
        "window_minutes": settings.OBSERVE_WINDOW_MINUTES,
        "firing": [
            _alert(state) for state in AlertState.objects.filter(firing=True).order_by("firing_since")
        ],
        "history": [_change(event) for event in alert_events[:HISTORY]],
        "drill": DrillRun.objects.first(),
        "drill_days": settings.DR_DRILL_DAYS,
        "token_usage": token_usage(since=start_of(DEFAULT_PERIOD)).by_matter,
        "usage_period": PERIODS[DEFAULT_PERIOD][0],
        "regressions": _regressions(),
    }
    return render(request, "operations/dashboard.html", context)


def _regressions() -> list[dict[str, Any]]:
    """Model regression monitoring: each model's newest computed evaluation beside the one before it (the
    evaluation set runs again when a version is approved or other weights are served)."""
    runs = (
        EvaluationRun.objects.filter(computed=True, state=EvaluationRun.State.DONE)
        .select_related("model_version__model").order_by("-finished_at", "-pk")[:RECENT_RUNS]
    )  # fmt: skip
    by_model: dict[int, list[EvaluationRun]] = {}
    for run in runs:
        pair = by_model.setdefault(run.model_version.model_id, [])
        if len(pair) < 2 and (not pair or pair[0].dataset_label == run.dataset_label):  # figures that compare
            pair.append(run)
    rows = []
    for after, *before in by_model.values():
        metrics = HEADLINE_METRICS[after.model_version.model.task]
        rows.append({
            "model": after.model_version.model.name, "after": after, "before": before[0] if before else None,
            "figures": [{"label": METRIC_LABELS[name], "after": after.metrics.get(name),
                         "before": before[0].metrics.get(name) if before else None} for name in metrics],
        })  # fmt: skip
    return rows


def _label(rule: str) -> str:
    return str(RULES[rule].label) if rule in RULES else rule


def _alert(state: AlertState) -> dict[str, Any]:
    unit = RULES[state.rule].unit if state.rule in RULES else ""
    return {"rule": _label(state.rule), "subject": state.subject, "since": state.firing_since,
            "value": state.value, "unit": unit}  # fmt: skip


def _change(event: AuditEvent) -> dict[str, Any]:
    payload = event.payload
    return {"at": event.occurred_at, "fired": event.action == "alert.fired",
            "rule": _label(payload.get("rule", "")), "subject": payload.get("subject", ""),
            "value": payload.get("value")}  # fmt: skip


def _minutes(seconds: float | None) -> float | None:
    return round(seconds / 60, 1) if seconds is not None else None


def _now(gauges: dict[str, Any]) -> dict[str, Any]:
    """The latest snapshot, with ages in minutes."""
    return {
        **gauges,
        "oldest_queued_minutes": {
            kind: _minutes(age) for kind, age in gauges["oldest_queued_seconds"].items()
        },
        "checkpoint_age_minutes": _minutes(gauges["checkpoint_age_seconds"]),
    }


def _series_table(series: list[tuple[str, list]]) -> list[dict[str, Any]]:
    """The text equivalent of a chart: per series its latest value, lowest and highest over the period."""
    rows = []
    for label, values in series:
        present = [value for value in values if value is not None]
        rows.append({"label": label, "latest": values[-1] if values else None,
                     "low": min(present, default=None), "high": max(present, default=None)})  # fmt: skip
    return rows


def _by_key(snapshots: list[dict[str, Any]]) -> list[tuple[str, list]]:
    """One series per key found in any snapshot (an endpoint added midway has gaps before it)."""
    keys = dict.fromkeys(key for snapshot in snapshots for key in snapshot)
    return [(key, [snapshot.get(key) for snapshot in snapshots]) for key in keys]


def _llm(gauges: list[dict[str, Any]], field: str) -> list[tuple[str, list]]:
    return _by_key(
        [{f"{row['endpoint']} {row['model']}".strip(): row[field] for row in g["llm"]} for g in gauges]
    )


def _charts(observations: list[Observation]) -> list[dict[str, Any]]:
    x = [observation.taken_at.timestamp() for observation in observations]
    gauges = [observation.gauges for observation in observations]
    queues = [(gettext("depth of %(queue)s") % {"queue": name}, values)
              for name, values in _by_key([g["queues"] for g in gauges])]  # fmt: skip
    ages = [(gettext("oldest queued %(kind)s review (minutes)") % {"kind": kind}, list(map(_minutes, values)))
            for kind, values in _by_key([g["oldest_queued_seconds"] for g in gauges])]  # fmt: skip
    workers = [(gettext("workers"), [sum(g["workers"].values()) for g in gauges])]
    latency = [(f"p50 {key}", values) for key, values in _llm(gauges, "p50_seconds")] + [
        (f"p95 {key}", values) for key, values in _llm(gauges, "p95_seconds")]  # fmt: skip
    errors = [(gettext("failed reviews"), [g["failed_reviews"] for g in gauges]),
              (gettext("failed LLM calls"), [g["llm_errors"] for g in gauges])]  # fmt: skip
    specs = [
        ("chart-queues", _("Queues and workers"), queues + ages + workers),
        ("chart-latency", _("LLM latency (seconds)"), latency),
        ("chart-speed", _("LLM tokens per second"), _llm(gauges, "tokens_per_second")),
        ("chart-errors", _("Errors in the window"), errors),
    ]
    return [
        {"id": chart_id, "title": title, "table": _series_table(series),
         "data": {"x": x, "series": [{"label": label, "values": values} for label, values in series]}}
        for chart_id, title, series in specs
    ]  # fmt: skip
