"""Alert rules over each observation, with thresholds from settings (ALERT_*).

Each rule yields a check per subject (a queue, an endpoint, a list, a disk). An AlertState per rule and
subject remembers whether it fires, so a crossing mails the admins and records an audit event once when it
starts and once when it ends, however many observations see it in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from prometheus_client.core import GaugeMetricFamily

from accounts.roles import Role
from audit.services import record_event
from operations.models import AlertState, Observation

SYSTEM = "alerts"


@dataclass(frozen=True)
class Rule:
    label: Any  # lazy: translated for each reader
    unit: Any


RULES = {
    "queue_old": Rule(_("A review has waited in the queue too long"), _("minutes")),
    "no_workers": Rule(_("No worker is running for queued reviews"), _("minutes waiting")),
    "llm_p95": Rule(_("LLM latency (95th percentile) too high"), _("seconds")),
    "endpoint_down": Rule(_("LLM endpoint down"), ""),
    "checkpoint_old": Rule(_("No audit checkpoint written"), _("minutes")),
    "audit_verify": Rule(_("Audit trail verification failing"), ""),
    "sanctions_list_old": Rule(_("Sanctions list out of date"), _("days")),
    "disk_low": Rule(_("Disk space low"), _("percent free")),
    "dr_drill_failed": Rule(_("Disaster-recovery drill failed"), ""),
}


@dataclass(frozen=True)
class Check:
    rule: str
    subject: str
    firing: bool
    value: float | None = None  # in the rule's unit
    threshold: float | None = None


def checks(gauges: dict[str, Any]) -> list[Check]:
    """Every rule's verdict on one observation."""
    found = []
    minutes = {kind: age / 60 for kind, age in gauges["oldest_queued_seconds"].items() if age is not None}
    for kind, age in minutes.items():
        found.append(Check("queue_old", kind, age > settings.ALERT_QUEUE_MINUTES, round(age, 1),
                           settings.ALERT_QUEUE_MINUTES))  # fmt: skip
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    waiting = max(minutes.values(), default=None)
    stalled = (
        gauges["workers"].get(queue, 0) == 0
        and waiting is not None
        and waiting > settings.ALERT_NO_WORKERS_MINUTES
    )
    found.append(Check("no_workers", queue, stalled, round(waiting, 1) if waiting is not None else None,
                       settings.ALERT_NO_WORKERS_MINUTES))  # fmt: skip
    for row in gauges["llm"]:
        if row["p95_seconds"] is not None:
            found.append(Check("llm_p95", f"{row['endpoint']} {row['model']}".strip(),
                               row["p95_seconds"] > settings.ALERT_LLM_P95_SECONDS, row["p95_seconds"],
                               settings.ALERT_LLM_P95_SECONDS))  # fmt: skip
    for row in gauges["endpoints"]:
        found.append(Check("endpoint_down", row["endpoint"], not row["up"]))
    if gauges["checkpoint_wait_seconds"] is not None:
        waited = gauges["checkpoint_wait_seconds"] / 60
        found.append(Check("checkpoint_old", "", waited > settings.ALERT_CHECKPOINT_MINUTES, round(waited, 1),
                           settings.ALERT_CHECKPOINT_MINUTES))  # fmt: skip
    if gauges["audit_verify"] is not None:
        found.append(Check("audit_verify", "", not gauges["audit_verify"]["intact"]))
    for name, days in gauges["sanctions_list_age_days"].items():
        found.append(Check("sanctions_list_old", name, days > settings.ALERT_SANCTIONS_LIST_DAYS, days,
                           settings.ALERT_SANCTIONS_LIST_DAYS))  # fmt: skip
    for path, free in gauges["disk_free_percent"].items():
        found.append(Check("disk_low", path, free < settings.ALERT_DISK_FREE_PERCENT, free,
                           settings.ALERT_DISK_FREE_PERCENT))  # fmt: skip
    if gauges.get("dr_drill") is not None:
        found.append(Check("dr_drill_failed", "", not gauges["dr_drill"]["ok"]))
    return found


@dataclass(frozen=True)
class Change:
    state: AlertState
    fired: bool  # else resolved
    check: Check


def evaluate(observation: Observation) -> list[Change]:
    """Fire the checks that newly fire, resolve the firing states whose check passes or is no longer made (an
    endpoint removed, no LLM call in the window), record each change and mail the admins once about them
    all."""
    now = observation.taken_at
    verdicts = {(check.rule, check.subject): check for check in checks(observation.gauges)}
    changes = []
    with transaction.atomic():
        with connection.cursor() as cursor:  # one evaluation at a time: two would both see a crossing as new
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('operations.alerts'))")
        firing = {(state.rule, state.subject): state for state in AlertState.objects.filter(firing=True)}
        for key, check in verdicts.items():
            if check.firing and key not in firing:
                state, _created = AlertState.objects.update_or_create(
                    rule=check.rule, subject=check.subject,
                    defaults={"firing": True, "firing_since": now, "resolved_at": None, "value": check.value,
                              "changed_at": now},
                )  # fmt: skip
                changes.append(Change(state, True, check))
        for key, state in firing.items():
            check = verdicts.get(key) or Check(state.rule, state.subject, False)
            if not check.firing:
                state.firing, state.resolved_at, state.value, state.changed_at = False, now, check.value, now
                state.save(update_fields=["firing", "resolved_at", "value", "changed_at"])
                changes.append(Change(state, False, check))
        for change in changes:
            record_event(action="alert.fired" if change.fired else "alert.resolved", system=SYSTEM,
                         target=change.state, payload=_payload(change))  # fmt: skip
    if changes:
        _mail_admins(changes)
    return changes


def _payload(change: Change) -> dict[str, Any]:
    payload = {"rule": change.state.rule, "subject": change.state.subject, "value": change.check.value,
               "threshold": change.check.threshold}  # fmt: skip
    if not change.fired:
        payload["firing_since"] = change.state.firing_since.isoformat() if change.state.firing_since else None
    return payload


def admins():
    """The active administrators with an address: the Admin group, and superusers (who count as Admin)."""
    return (
        get_user_model().objects
        .filter(Q(groups__name=Role.ADMIN.value) | Q(is_superuser=True), is_active=True)
        .exclude(email="").distinct().order_by("pk")
    )  # fmt: skip


def _mail_admins(changes: list[Change]) -> None:
    """One mail per admin per evaluation, in the admin's language."""
    link = settings.APPROVAL_BASE_URL + reverse("operations:dashboard")
    messages = []
    for admin in admins():
        with translation.override(admin.language or settings.LANGUAGE_CODE):
            fired = sum(change.fired for change in changes)
            subject = gettext("Workbench alerts: %(fired)s fired, %(resolved)s resolved") % {
                "fired": fired, "resolved": len(changes) - fired}  # fmt: skip
            lines = [_line(change) for change in changes]
            body = "\n".join([*lines, "", gettext("Operations dashboard: %(url)s") % {"url": link}])
        messages.append(EmailMessage(subject, body, None, [admin.email]))
    get_connection(fail_silently=True).send_messages(messages)


def _line(change: Change) -> str:
    rule, check = RULES[change.state.rule], change.check
    what = f"{rule.label} ({change.state.subject})" if change.state.subject else str(rule.label)
    status = gettext("FIRING") if change.fired else gettext("RESOLVED")
    line = f"{status}: {what}"
    if check.value is not None and check.threshold is not None:
        line += " — " + gettext("measured %(value)s %(unit)s, threshold %(threshold)s") % {
            "value": check.value, "unit": rule.unit, "threshold": check.threshold}  # fmt: skip
    return line


def alert_firing_metric() -> GaugeMetricFamily:
    """workbench_alert_firing{rule, subject}: 1 while firing, 0 once resolved, for /metrics (the rules file's
    audit-verify, disk and drill alerts read it)."""
    metric = GaugeMetricFamily("workbench_alert_firing", "Workbench alert rules: 1 while firing.",
                               labels=["rule", "subject"])  # fmt: skip
    for rule, subject, firing in AlertState.objects.values_list("rule", "subject", "firing"):
        metric.add_metric([rule, subject], int(firing))
    return metric
