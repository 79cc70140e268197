"""The one way to write to the audit trail."""

import json
import re
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from audit.chain import link_parts, normalise_payload
from audit.context import current_request
from audit.formats import event_record, syslog_message
from audit.models import AuditEvent, SyslogOutbox
from audit.selectors import event_with_neighbours
from audit.verification import Around, Verification, verify_around, verify_chain

ACTION_NAME = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
# Appends take this transaction-scoped advisory lock (in audit_append), so concurrent writers queue and the
# chain never forks.
CHAIN_LOCK = 0x5742_4155
# audit_append's arguments after the four parts of the canonical JSON, the payload following as jsonb.
_APPEND_ARGUMENTS = (
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "matter_id",
    "source_ip",
    "request_id",
)
# Payloads describe what happened, never what a document says: these keys would carry text.
FORBIDDEN_PAYLOAD_KEYS = frozenset({"text", "content", "prompt", "completion", "document_text", "body"})


def _check_payload(value: Any) -> None:
    if isinstance(value, dict):
        leaked = FORBIDDEN_PAYLOAD_KEYS.intersection(value)
        if leaked:
            raise ValueError(f"audit payload may not carry document text (keys: {sorted(leaked)})")
        for item in value.values():
            _check_payload(item)
    elif isinstance(value, list):
        for item in value:
            _check_payload(item)


def _wait_for_flush() -> None:
    """Return only once the transaction that wrote events is on disk.

    audit_append commits without waiting for the flush, so the chain lock is free sooner. Committing a
    transaction that has an id, with the default synchronous_commit, waits for the WAL up to its own commit
    record, which lies after the one we wrote: our commit is durable when this returns. Concurrent writers'
    waits share one flush (group commit), which is what lets appends outrun the disk's flush time. It runs
    after the commit, in autocommit: the statement is that transaction, one round trip.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")


def record_event(
    *,
    action: str,
    actor: Any = None,
    system: str = "",
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    matter_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event, inside the caller's transaction so it commits or rolls back with the change.

    The actor is `actor` when given, else the signed-in user of the current request, else `system` (the
    worker task or subsystem that acted). `target` is the object acted on (its type and id are copied; its
    matter too when it has one).
    """
    if not ACTION_NAME.match(action):
        raise ValueError(f"audit action must be a namespaced name such as 'review.submitted', not {action!r}")
    payload = payload or {}
    _check_payload(payload)
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or target.pk
        if matter_id is None:
            matter_id = getattr(target, "matter_id", None) or (
                target.pk if object_type == "matters.matter" else None
            )
    request = current_request.get()
    if actor is None and request is not None:
        actor = request.user
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_label = actor.pk, actor.get_username()
    else:
        actor_id, actor_label = None, f"system:{system}" if system else "anonymous"
    fields = {
        "actor_id": actor_id,
        "actor": actor_label[:150],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "matter_id": matter_id,
        "source_ip": request.source_ip if request else None,
        "request_id": request.request_id if request else "",
        "payload": normalise_payload(payload),
    }
    if settings.AUDIT_SYSLOG_ADDRESS and not connection.in_atomic_block:
        with transaction.atomic():  # the outbox row commits with its event
            return _append(fields)
    # Inside a caller's transaction the append commits with it. Alone, its one statement is a transaction
    # of its own, committed by the server as it ends: the chain lock never waits on a round trip to us.
    return _append(fields)


def _append(fields: dict[str, Any]) -> AuditEvent:
    with connection.cursor() as cursor:
        # One round trip under the chain lock: the database stamps the time, links, hashes and inserts.
        cursor.execute(
            "SELECT new_seq, new_occurred_at, new_prev_hash, new_hash FROM audit_append("
            "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::inet, %s, %s::jsonb)",
            [CHAIN_LOCK, *link_parts(fields),
             *(fields[name] for name in _APPEND_ARGUMENTS), json.dumps(fields["payload"])],
        )  # fmt: skip
        seq, occurred_at, prev_hash, hash_ = cursor.fetchone()
    event = AuditEvent(seq=seq, occurred_at=occurred_at, prev_hash=prev_hash, hash=hash_, **fields)
    event._state.adding, event._state.db = False, connection.alias
    # Outside a transaction on_commit runs at once: the append has committed already.
    if settings.AUDIT_SYNCHRONOUS_COMMIT and not any(
        callback is _wait_for_flush for _, callback, _ in connection.run_on_commit
    ):
        transaction.on_commit(_wait_for_flush)
    if settings.AUDIT_SYSLOG_ADDRESS:
        # Same transaction as the event: forwarded if and only if it was recorded, even if syslog is down now.
        SyslogOutbox.objects.create(event_seq=seq, message=syslog_message(event_record(event)))
    return event


def verify_from_ui(*, seq: int, actor: Any) -> tuple[AuditEvent, Around, Verification]:
    """The explorer's verify button: the event in place, then the whole stored chain up to it; audited."""
    event, previous, following = event_with_neighbours(seq)
    around = verify_around(event, previous, following)
    chain = verify_chain(until=seq)
    record_event(
        action="audit.verified", actor=actor, object_type="audit.auditevent", object_id=seq,
        payload={"seq": seq, "intact": around.intact and chain.intact, "checked": chain.checked,
                 "broken_seq": chain.broken_seq if not chain.intact else (None if around.intact else seq)},
    )  # fmt: skip
    return event, around, chain
