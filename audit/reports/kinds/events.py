"""Audit events as report rows (shared by every kind that lists events)."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def payload_text(payload: dict) -> str:
    """key=value pairs in key order: shorter to read than JSON, and quote-free (the JSONL export keeps the JSON)."""
    return ", ".join(f"{key}={_value(value)}" for key, value in sorted(payload.items()))


def event_rows(events: Iterable[AuditEvent], *, show_matter: bool = False) -> Iterator[dict]:
    """One row per event, its line of text joined here: in the template it took a twentieth of a long audit log's
    export."""
    matter = _("matter")
    for event in events:
        parts = [f"#{event.seq}", timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                 event.actor, event.action]  # fmt: skip
        if event.object_type or event.object_id:
            parts.append(f"{event.object_type} {event.object_id}".strip())
        if show_matter and event.matter_id:
            parts.append(f"{matter} {event.matter_id}")
        line = " · ".join(parts)
        yield {"seq": event.seq, "hash": event.hash, "line": line, "payload": payload_text(event.payload)}
