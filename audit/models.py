from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One recorded action. Append-only: database triggers refuse UPDATE, DELETE and TRUNCATE.

    Events form a SHA-256 hash chain in `seq` order (see audit.chain). Nothing here is a foreign key, so
    deleting a user or a matter can never cascade into the trail; ids and labels are copied instead.
    """

    seq = models.BigIntegerField(_("position"), primary_key=True)
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor = models.CharField(
        _("actor"), max_length=150, help_text=_("Username, or system:<task> for workers.")
    )
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    matter_id = models.BigIntegerField(_("matter id"), null=True, blank=True)
    source_ip = models.GenericIPAddressField(_("source IP"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # Every index is paid for on every append: only those a query of the explorer or the exports uses.
        indexes = [
            models.Index(fields=["action", "-seq"], name="audit_action_seq_idx"),
            # A namespace ("review.") filters by prefix, which only a pattern-ops index serves.
            models.Index(fields=["action"], name="audit_action_prefix_idx", opclasses=["varchar_pattern_ops"]),
            # Keyset pages of the explorer filter on one column and walk seq downwards: one index each.
            models.Index(fields=["actor", "-seq"], name="audit_actor_seq_idx"),
            models.Index(fields=["matter_id", "-seq"], name="audit_matter_seq_idx"),
            models.Index(fields=["object_type", "object_id", "-seq"], name="audit_object_seq_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["hash"], name="audit_hash_unique")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class RetentionRun(models.Model):
    """One application of the retention policy: events up to `through_seq` were archived, then removed.

    Append-only like the events (UPDATE and DELETE refused by trigger). The database trigger on the events
    lets a DELETE through only for rows covered by a run written in the same transaction (see
    audit.retention), and verification resumes the chain from `through_hash`. `mac` signs the boundary and
    the archive digest with the checkpoint key, so a forged run (to hide removed events) does not verify.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now)
    through_seq = models.BigIntegerField(_("archived through"), unique=True)
    through_hash = models.CharField(_("hash of the last archived event"), max_length=64)
    removed = models.BigIntegerField(_("events removed"))
    archive = models.CharField(_("archive file"), max_length=255)
    archive_sha256 = models.CharField(_("archive SHA-256"), max_length=64)
    policy = models.JSONField(_("policy"), default=dict)
    mac = models.CharField(_("signature"), max_length=64)
    # The writing transaction's id: the events' trigger accepts a DELETE only within that same transaction.
    txid = models.BigIntegerField(
        db_default=models.Func(function="txid_current", output_field=models.BigIntegerField()), editable=False
    )

    class Meta:
        ordering = ["-through_seq"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"retention through #{self.through_seq}"


class SyslogOutbox(models.Model):
    """Events waiting to be forwarded to syslog, written in the event's own transaction.

    A message is rendered when the event is written, so it survives retention and a syslog server that is
    down; the drain task sends rows in id order and marks them sent (at-least-once: the SIEM dedups on seq).
    """

    id = models.BigAutoField(primary_key=True)
    event_seq = models.BigIntegerField(_("event position"))
    message = models.TextField(_("RFC 5424 message"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("syslog outbox entry")
        verbose_name_plural = _("syslog outbox")
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(sent_at__isnull=True), name="audit_outbox_unsent_idx"
            )
        ]

    def __str__(self) -> str:
        return f"syslog #{self.event_seq}"


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
        "reviews.Matter", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("matter")
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
        ordering = ["decided_at", "id"]
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")

    def __str__(self) -> str:
        return f"{self.decision} on {self.flow}"


class AccessReviewCampaign(models.Model):
    """A certification of who may access which matter: a snapshot of every grant, decided by matter owners."""

    class State(models.TextChoices):
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
    matter = models.ForeignKey("reviews.Matter", on_delete=models.CASCADE, related_name="+")
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
        ordering = ["campaign", "matter", "user", "via"]
        verbose_name = _("access review item")
        verbose_name_plural = _("access review items")
        indexes = [models.Index(fields=["reviewer", "decision"], name="audit_ari_reviewer_decision")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "matter", "user", "via"], name="audit_ari_once_per_route")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.matter_id} via {self.via}"
