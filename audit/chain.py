"""The hash chain: canonical JSON of an event and the SHA-256 that links it to the one before.

The canonical form must come out the same from the values written and from the values read back from
PostgreSQL (jsonb normalises numbers), so numbers get one fixed format: integral values as integers,
others with six decimals.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "matter_id",
    "source_ip",
    "request_id",
    "payload",
    "prev_hash",
)


def _canonical_value(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else f"{value:.6f}"
    if isinstance(value, dict):
        return {str(k): _canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(v) for v in value]
    if isinstance(value, datetime):
        return format_time(value)
    raise TypeError(f"audit payloads hold JSON values only, not {type(value).__name__}")


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(fields: dict[str, Any]) -> str:
    return json.dumps(
        {name: _canonical_value(fields[name]) for name in CHAINED_FIELDS},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from the database, so the stored hash verifies later."""
    return json.loads(json.dumps(_canonical_value(payload)))
