"""Retention: archive the oldest events to a signed file, then remove them through the one sanctioned path.

Why this is the only way events can leave the table: the append-only trigger (migration 0004) refuses
every UPDATE and every DELETE, except a DELETE of rows at or below the boundary of a RetentionRun written
in the same transaction, while that transaction has `SET LOCAL audit.retention = 'on'`. A RetentionRun is
append-only too and carries an HMAC (checkpoint key) of its boundary and of the archive's digest, and the
run is also an event in the chain (`audit.retention_applied`). So a removal that does not leave a signed,
permanent record, with the archive it names, is refused (or, if done as a superuser with triggers off,
found by `audit_verify`).

The chain stays verifiable because only a prefix is ever removed: the first remaining event's prev_hash
is the hash recorded in the run, and verification resumes from there. Retention is per action class, but
an event is only removed once every older event is past its own retention too: a long-kept event holds
back the removal of younger short-kept ones rather than leaving a hole in the chain.
"""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.export import write_signed_archive
from audit.models import AuditEvent, RetentionRun, SyslogOutbox
from audit.services import record_event
from audit.verification import current_boundary, retention_mac

RETENTION_LOCK = 0x5742_5254  # one retention run at a time


def validate_policy(policy: dict[str, int]) -> dict[str, int]:
    if "*" not in policy:
        raise ValueError('the audit retention policy needs a "*" entry (days kept for all other actions)')
    for prefix, days in policy.items():
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            raise ValueError(
                f"retention for {prefix!r} must be a whole number of days (1 or more), not {days!r}"
            )
    return policy


def removable_through(policy: dict[str, int], now: datetime) -> int | None:
    """The highest seq such that this event and every one before it are past their retention, and none of them
    belongs to a matter on legal hold (so retention waits at the oldest event of a held matter)."""
    prefixes = sorted((prefix for prefix in policy if prefix != "*"), key=len, reverse=True)
    cases = " ".join("WHEN starts_with(action, %s) THEN %s" for _ in prefixes)
    params: list = [value for prefix in prefixes for value in (prefix, policy[prefix])]
    days = f"CASE {cases} ELSE %s END" if prefixes else "%s"
    with connection.cursor() as cursor:
        # The matters' table is read by name: the trail stays below the apps it records (see pyproject.toml).
        cursor.execute(
            f"SELECT min(seq) FROM audit_auditevent WHERE occurred_at >= %s - ({days}) * interval '1 day' "
            "OR matter_id IN (SELECT id FROM reviews_matter WHERE legal_hold)",
            [now, *params, policy["*"]],
        )
        first_kept = cursor.fetchone()[0]
        if first_kept is None:  # everything is past retention
            cursor.execute("SELECT max(seq) FROM audit_auditevent")
            return cursor.fetchone()[0]
    return first_kept - 1


@transaction.atomic
def apply_retention(*, policy: dict[str, int] | None = None, now: datetime | None = None,
                    archive_dir: Path | None = None) -> RetentionRun | None:  # fmt: skip
    """Archive and remove the expired prefix of the chain; None when nothing is due."""
    policy = validate_policy(policy or settings.AUDIT_RETENTION_POLICY)
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RETENTION_LOCK])
    boundary = current_boundary()
    if isinstance(boundary, str):
        raise RuntimeError(f"retention refused: {boundary}")
    first = boundary.through_seq + 1 if boundary else 1
    through = removable_through(policy, now)
    if through is None or through < first:
        return None
    through_hash = AuditEvent.objects.values_list("hash", flat=True).get(seq=through)
    archive = Path(archive_dir or settings.AUDIT_ARCHIVE_DIR) / f"audit-{first:012d}-{through:012d}.jsonl"
    events = AuditEvent.objects.filter(seq__gte=first, seq__lte=through).order_by("seq")
    result = write_signed_archive(archive, events, through, through_hash)
    run = RetentionRun.objects.create(
        created_at=now, through_seq=through, through_hash=through_hash, removed=result.count,
        archive=archive.name, archive_sha256=result.sha256, policy=policy,
        mac=retention_mac(through, through_hash, result.sha256),
    )  # fmt: skip
    record_event(
        action="audit.retention_applied", system="retention", target=run,
        payload={"from_seq": first, "through_seq": through, "through_hash": through_hash, "removed": result.count,
                 "archive": archive.name, "archive_sha256": result.sha256},
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL audit.retention = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE seq <= %s", [through])
        cursor.execute("SET LOCAL audit.retention = 'off'")
    SyslogOutbox.objects.filter(event_seq__lte=through, sent_at__isnull=False).delete()
    return run
