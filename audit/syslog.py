"""Forward recorded events to a syslog server (RFC 5424 over TCP, octet-counting framing) from the outbox.

The outbox row is written in the event's own transaction (audit.services.record_event), so an event is
forwarded if and only if it was recorded. Draining sends rows in id order and marks them sent only after
the server accepted the bytes; when the server is down nothing is marked and the next drain sends them.
Signed checkpoints (audit.checkpoints) travel the same way, so the SIEM holds a copy out of the database's reach.
"""

import json
import socket
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.formats import _SD_ID, _SYSLOG_APP, _SYSLOG_FACILITY_AUDIT, _sd_value, octet_counted
from audit.models import SyslogOutbox

DRAIN_LOCK = 0x5742_534C  # one drainer at a time keeps the order
BATCH = 500


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"AUDIT_SYSLOG_ADDRESS must be host:port, not {address!r}")
    return host.strip("[]"), int(port)


def checkpoint_message(checkpoint: dict[str, Any]) -> str:
    """A checkpoint as one RFC 5424 message (MSGID audit.checkpoint): no "seq" parameter, so a SIEM that
    dedups events on seq keeps it apart from the event it covers."""
    host = (socket.gethostname() or "-")[:255].replace(" ", "-")
    params = {"checkpoint": checkpoint["number"], "headSeq": checkpoint["seq"], "key": checkpoint["key"]}
    data = " ".join(f'{name}="{_sd_value(value)}"' for name, value in params.items())
    body = json.dumps(checkpoint, sort_keys=True, separators=(",", ":"))
    return (f"<{_SYSLOG_FACILITY_AUDIT * 8 + 5}>1 {checkpoint['at']} {host} {_SYSLOG_APP} - audit.checkpoint "
            f"[{_SD_ID} {data}] {body}")  # fmt: skip


def drain_outbox(*, address: str = "", timeout: float = 5.0) -> int:
    """Send every unsent message; returns how many were sent. Raises OSError when the server is unreachable."""
    address = address or settings.AUDIT_SYSLOG_ADDRESS
    if not address:
        return 0
    sent = 0
    sock: socket.socket | None = None
    try:
        while True:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [DRAIN_LOCK])
                    if not cursor.fetchone()[0]:
                        return sent  # another drainer is at work
                rows = list(
                    SyslogOutbox.objects.filter(sent_at__isnull=True)
                    .order_by("id")
                    .values_list("id", "message")[:BATCH]
                )
                if not rows:
                    return sent
                if sock is None:
                    sock = socket.create_connection(parse_address(address), timeout=timeout)
                sock.sendall(b"".join(octet_counted(message) for _, message in rows))
                SyslogOutbox.objects.filter(id__in=[row_id for row_id, _ in rows]).update(
                    sent_at=timezone.now()
                )
                sent += len(rows)
    finally:
        if sock is not None:
            sock.close()
