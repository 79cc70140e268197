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


def canonical_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The chained fields in their canonical JSON values (what is hashed, exported and archived)."""
    return {name: _canonical_value(fields[name]) for name in CHAINED_FIELDS}


def canonical_number(text: str) -> int | str:
    """A JSON number read back from text, in canonical form (json.loads' parse_float hook)."""
    return _canonical_value(float(text))


def dumps_canonical(values: Any) -> str:
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(fields: dict[str, Any]) -> str:
    return dumps_canonical(canonical_fields(fields))


def link_parts(fields: dict[str, Any]) -> tuple[str, str, str, str]:
    """The canonical JSON of an event, cut where the appender fills in occurred_at, prev_hash and seq.

    canonical_json(fields) == a + format_time(occurred_at) + b + prev_hash + c + str(seq) + d, because the
    keys are sorted: everything up to "object_type", then occurred_at, payload, prev_hash, request_id, seq,
    source_ip (see the audit_append function, migration 0005).
    """
    values = canonical_fields(
        {**fields, "occurred_at": "", "prev_hash": "", "seq": 0}
    )  # placeholders, cut out
    leading = ("action", "actor", "actor_id", "matter_id", "object_id", "object_type")
    a = dumps_canonical({name: values[name] for name in leading})[:-1] + ',"occurred_at":"'
    b = '","payload":' + dumps_canonical(values["payload"]) + ',"prev_hash":"'
    c = '","request_id":' + dumps_canonical(values["request_id"]) + ',"seq":'
    d = ',"source_ip":' + dumps_canonical(values["source_ip"]) + "}"
    return a, b, c, d


def event_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def normalise_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from the database, so the stored hash verifies later."""
    return json.loads(json.dumps(_canonical_value(payload)))
