"""Access-review campaigns and their items (tables named as in the audit app, where they began)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessReviewCampaign(models.Model):
    """A certification of who may access which matter: a snapshot of every grant, decided by matter owners."""

    class State(models.TextChoices):
        STARTING = "starting", _("Taking the snapshot")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # empty: started by the schedule
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    # {"dormant": [{"user_id", "username", "last_login"}], "many_matters": [{"user_id", "username", "matters"}]}
    flags = models.JSONField(_("flags"), default=dict, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.JSONField(_("decisions at closing"), default=dict, blank=True)

    class Meta:
        db_table = "audit_accessreviewcampaign"
        ordering = ["-started_at", "-id"]
        verbose_name = _("access review campaign")
        verbose_name_plural = _("access review campaigns")

    def __str__(self) -> str:
        return self.name


class AccessReviewItem(models.Model):
    """One person's access to one matter by one route (a direct grant or a group), for the owner to decide."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        CERTIFIED = "certified", _("Certified")
        REVOKED = "revoked", _("Revoked")
        NOT_REVIEWED = "not_reviewed", _("Not reviewed")

    campaign = models.ForeignKey(AccessReviewCampaign, on_delete=models.CASCADE, related_name="items")
    matter = models.ForeignKey("matters.Matter", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("auth.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    via = models.CharField(_("access through"), max_length=160)  # "direct" or "group:<name>", as snapshotted
    permissions = models.JSONField(_("permissions"), default=list)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        db_table = "audit_accessreviewitem"
        ordering = ["campaign", "matter", "user", "via"]
        verbose_name = _("access review item")
        verbose_name_plural = _("access review items")
        indexes = [models.Index(fields=["reviewer", "decision"], name="audit_ari_reviewer_decision")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "matter", "user", "via"], name="audit_ari_once_per_route")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.matter_id} via {self.via}"
