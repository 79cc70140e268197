"""What the operations app keeps: a snapshot of the service each minute, each alert's state, the drills."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Observation(models.Model):
    """One snapshot (operations.observe); `gauges` holds what was measured, see observe.take_observation."""

    taken_at = models.DateTimeField(_("taken at"), default=timezone.now, db_index=True)
    gauges = models.JSONField(_("gauges"), default=dict)

    class Meta:
        ordering = ["-taken_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")


class AlertState(models.Model):
    """One rule for one subject (a queue, an endpoint, a list): firing or not, so each crossing mails once."""

    rule = models.CharField(_("rule"), max_length=40)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    firing = models.BooleanField(_("firing"), default=False, db_index=True)
    firing_since = models.DateTimeField(_("firing since"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)  # the measurement when it last changed
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["rule", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject"], name="one_alert_state_per_subject")
        ]
        verbose_name = _("alert state")
        verbose_name_plural = _("alert states")


class DrillRun(models.Model):
    """The result of one periodic disaster-recovery drill (operations.backup.drill)."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now, db_index=True)
    ok = models.BooleanField(_("passed"), default=False)
    steps = models.JSONField(_("seconds per step"), default=dict)
    counts = models.JSONField(_("row counts"), default=dict)  # table -> [source, restored]
    recovery_point = models.CharField(_("recovery point"), max_length=40, blank=True)
    detail = models.TextField(_("detail"), blank=True)  # audit_verify's summary, or why the drill stopped

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("disaster-recovery drill")
        verbose_name_plural = _("disaster-recovery drills")

    @property
    def total_seconds(self) -> float:
        return round(sum(self.steps.values()), 2)
