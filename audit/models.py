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


class AuditCheckpoint(models.Model):
    """The database's note of each signed checkpoint written to AUDIT_CHECKPOINT_FILE (audit.checkpoints).

    Append-only (UPDATE and DELETE refused by trigger). Verification compares the file with the newest row, so
    a checkpoint file that was removed or truncated after checkpoints were written is found.
    """

    number = models.BigIntegerField(_("number"), primary_key=True)
    event_seq = models.BigIntegerField(_("event position"))
    digest = models.CharField(_("checkpoint digest"), max_length=64)
    written_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.number} at #{self.event_seq}"
