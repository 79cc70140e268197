"""The one way to write to the audit trail."""

import re
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import GENESIS_HASH, event_hash, normalise_payload
from audit.context import current_request
from audit.models import AuditEvent

ACTION_NAME = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
# Appends take this transaction-scoped advisory lock, so concurrent writers queue and the chain never forks.
CHAIN_LOCK = 0x5742_4155
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


@transaction.atomic
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
            matter_id = getattr(target, "matter_id", None) or (target.pk if object_type == "reviews.matter" else None)
    request = current_request.get()
    if actor is None and request is not None:
        actor = request.user
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_id, actor_label = actor.pk, actor.get_username()
    else:
        actor_id, actor_label = None, f"system:{system}" if system else "anonymous"

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
    fields = {
        "seq": seq,
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor": actor_label[:150],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "matter_id": matter_id,
        "source_ip": request.source_ip if request else None,
        "request_id": request.request_id if request else "",
        "payload": normalise_payload(payload),
        "prev_hash": prev_hash,
    }
    return AuditEvent.objects.create(**fields, hash=event_hash(fields))
