"""Approval flows, their steps and decisions (tables named as in the audit app, where they began)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApprovalFlow(models.Model):
    """One submission of an approvable object (see audit.approvals.snapshots) through ordered steps.

    The object is referenced generically; `object_hash` is its snapshot when submitted. At most one flow per
    object is open (submitted) at a time.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    # Copied from the object so lists filter by matter access in SQL; empty for objects outside matters.
    matter = models.ForeignKey(
        "matters.Matter", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("matter")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    object_hash = models.CharField(_("hash of what was submitted"), max_length=64)
    note = models.TextField(_("submission note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    current_step = models.ForeignKey(
        "ApprovalStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        db_table = "audit_approvalflow"
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("approval flow")
        verbose_name_plural = _("approval flows")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_flow_object_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=models.Q(state="submitted"),
                name="audit_one_open_flow_per_object",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"approval flow #{self.pk}"


class ApprovalStep(models.Model):
    """One step of a flow: `required_approvals` different members of `group` must approve before `due_at`."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CURRENT = "current", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    flow = models.ForeignKey(ApprovalFlow, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("step"), max_length=100)
    group = models.ForeignKey("auth.Group", on_delete=models.PROTECT, related_name="+", verbose_name=_("group"))
    required_approvals = models.PositiveSmallIntegerField(_("approvals needed"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.WAITING)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)

    class Meta:
        db_table = "audit_approvalstep"
        ordering = ["flow", "position"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [models.UniqueConstraint(fields=["flow", "position"], name="audit_step_position_unique")]

    def __str__(self) -> str:
        return f"{self.flow} step {self.position}: {self.name}"


class ApprovalDecision(models.Model):
    """One person's decision on a step (or a revocation of the flow), with its reason and the object's hash."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REVOKE = "revoke", _("Revoke")

    flow = models.ForeignKey(ApprovalFlow, on_delete=models.CASCADE, related_name="decisions")
    step = models.ForeignKey(ApprovalStep, on_delete=models.CASCADE, null=True, blank=True, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    object_hash = models.CharField(_("hash of what was decided on"), max_length=64)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        db_table = "audit_approvaldecision"
        ordering = ["decided_at", "id"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")

    def __str__(self) -> str:
        return f"{self.decision} on {self.flow}"
