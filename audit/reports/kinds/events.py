"""Audit events as report rows (shared by every kind that lists events)."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from audit.models import AuditEvent


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def payload_text(payload: dict) -> str:
    """key=value pairs in key order: shorter to read than JSON, and quote-free (the JSONL export keeps the JSON)."""
    return ", ".join(f"{key}={_value(value)}" for key, value in sorted(payload.items()))


def event_rows(events: Iterable[AuditEvent]) -> Iterator[dict]:
    for event in events:
        yield {
            "seq": event.seq,
            "occurred_at": event.occurred_at,
            "actor": event.actor,
            "action": event.action,
            "object": f"{event.object_type} {event.object_id}".strip(),
            "matter_id": event.matter_id,
            "payload": payload_text(event.payload),
            "hash": event.hash,
        }
