"""Events as the outside world reads them: JSON lines, ArcSight CEF and RFC 5424 syslog messages.

Every format starts from `event_record`: the chained fields in their canonical values plus the hash, so
an exported or archived line can be re-hashed by anyone (SHA-256 of the canonical JSON without "hash").
"""

import json
import socket
from datetime import UTC, datetime
from typing import Any

from audit.chain import CHAINED_FIELDS, canonical_fields, dumps_canonical
from audit.models import AuditEvent

# Outcomes a SIEM should look at first.
_ALERTING_SUFFIXES = (".login_failed", ".locked_out", ".denied", ".broken", ".refused")
_SYSLOG_FACILITY_AUDIT = 13  # "log audit" in RFC 5424's facility table
_SYSLOG_APP = "workbench"
_SD_ID = "audit@32473"  # 32473 is the enterprise number RFC 5612 reserves for documentation and examples


def event_record(event: AuditEvent) -> dict[str, Any]:
    fields = {name: getattr(event, name) for name in CHAINED_FIELDS}
    if fields["source_ip"] is not None:
        fields["source_ip"] = str(fields["source_ip"])
    return {**canonical_fields(fields), "hash": event.hash}


def is_alerting(action: str, payload: dict[str, Any]) -> bool:
    return action.endswith(_ALERTING_SUFFIXES) or payload.get("intact") is False


def jsonl_line(record: dict[str, Any]) -> str:
    return dumps_canonical(record) + "\n"


def _cef_header(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _cef_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n", "\\n")


def _epoch_millis(canonical_time: str) -> int:
    """CEF's rt wants milliseconds since the epoch (or its own date format), not ISO 8601."""
    moment = datetime.strptime(canonical_time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def cef_line(record: dict[str, Any]) -> str:
    """`CEF:0|Workbench|Workbench|0.1|<action>|<action>|<severity>|<extension>`, one line per event."""
    action = record["action"]
    severity = 7 if is_alerting(action, record["payload"]) else 3
    extension = [
        ("rt", _epoch_millis(record["occurred_at"])),
        ("externalId", record["seq"]),
        ("act", action),
        ("suser", record["actor"]),
        ("suid", record["actor_id"]),
        ("src", record["source_ip"]),
        ("cs1Label", "hash"), ("cs1", record["hash"]),
        ("cs2Label", "prevHash"), ("cs2", record["prev_hash"]),
        ("cs3Label", "objectType"), ("cs3", record["object_type"]),
        ("cs4Label", "objectId"), ("cs4", record["object_id"]),
        ("cs5Label", "requestId"), ("cs5", record["request_id"]),
        ("cn1Label", "matterId"), ("cn1", record["matter_id"]),
        ("msg", record["payload"]),
    ]  # fmt: skip
    pairs = " ".join(f"{key}={_cef_value(value)}" for key, value in extension if value not in (None, "", {}))
    header = "|".join(_cef_header(part) for part in ("Workbench", "Workbench", "0.1", action, action))
    return f"CEF:0|{header}|{severity}|{pairs}\n"


def _sd_value(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("]", "\\]")


def syslog_message(record: dict[str, Any], *, hostname: str | None = None) -> str:
    """One RFC 5424 message: the chain position in structured data, the whole record as JSON in MSG.

    MSG is plain ASCII JSON (non-ASCII escaped), so it needs no byte-order mark.
    """
    severity = 4 if is_alerting(record["action"], record["payload"]) else 5  # warning / notice
    host = (hostname or socket.gethostname() or "-")[:255].replace(" ", "-")
    params = {
        "seq": record["seq"],
        "hash": record["hash"],
        "prevHash": record["prev_hash"],
        "actor": record["actor"],
    }
    data = " ".join(f'{name}="{_sd_value(value)}"' for name, value in params.items())
    body = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return (
        f"<{_SYSLOG_FACILITY_AUDIT * 8 + severity}>1 {record['occurred_at']} {host} {_SYSLOG_APP} - "
        f"{record['action'][:32]} [{_SD_ID} {data}] {body}"
    )


def octet_counted(message: str) -> bytes:
    """RFC 6587 octet-counting framing for syslog over TCP: "<length> <message>"."""
    encoded = message.encode()
    return f"{len(encoded)} ".encode() + encoded
