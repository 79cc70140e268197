"""SIEM exports (JSON lines, CEF) over a time range, and signed archives of events.

Every export is itself an event (`audit.exported`), recorded by `export_events` and `start_download`.
"""

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from django.db.models import QuerySet

from audit.chain import format_time
from audit.checkpoints import mac
from audit.formats import cef_line, event_record, jsonl_line
from audit.models import AuditEvent
from audit.services import record_event

FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {"jsonl": jsonl_line, "cef": cef_line}
CHUNK = 5_000


@dataclass(frozen=True)
class ExportResult:
    count: int
    sha256: str


def events_between(since: datetime | None, until: datetime | None) -> QuerySet[AuditEvent]:
    """Events with since <= occurred_at < until, in chain order."""
    events = AuditEvent.objects.order_by("seq")
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    if until is not None:
        events = events.filter(occurred_at__lt=until)
    return events


def export_lines(events: QuerySet[AuditEvent], fmt: str) -> Iterator[str]:
    line = FORMATS[fmt]
    for event in events.iterator(chunk_size=CHUNK):
        yield line(event_record(event))


def write_lines(lines: Iterator[str], out: TextIO) -> ExportResult:
    digest, count = hashlib.sha256(), 0
    for line in lines:
        out.write(line)
        digest.update(line.encode())
        count += 1
    return ExportResult(count, digest.hexdigest())


def _range_payload(fmt: str, since: datetime | None, until: datetime | None) -> dict[str, Any]:
    return {
        "format": fmt,
        "since": format_time(since) if since else None,
        "until": format_time(until) if until else None,
    }


def export_events(
    *,
    fmt: str,
    since: datetime | None,
    until: datetime | None,
    out: Path,
    actor: Any = None,
    system: str = "",
) -> ExportResult:
    """Write the events of the range to `out` in `fmt`, then record `audit.exported` with count and digest."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {sorted(FORMATS)}")
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        result = write_lines(export_lines(events_between(since, until), fmt), stream)
    record_event(
        action="audit.exported", actor=actor, system=system,
        payload={**_range_payload(fmt, since, until), "count": result.count, "sha256": result.sha256, "file": out.name},
    )  # fmt: skip
    return result


def start_download(*, fmt: str, since: datetime | None, until: datetime | None, actor: Any) -> Iterator[str]:
    """Record the export (with the number of events it holds), then hand back its lines to stream."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {sorted(FORMATS)}")
    events = events_between(since, until)
    record_event(action="audit.exported", actor=actor, payload={**_range_payload(fmt, since, until),
                                                                "count": events.count(), "download": True})  # fmt: skip
    return export_lines(events, fmt)


def archive_mac(name: str, sha256: str, first_seq: int, last_seq: int, last_hash: str) -> str:
    return mac(f"archive:{name}:{sha256}:{first_seq}:{last_seq}:{last_hash}")


def write_signed_archive(
    path: Path, events: QuerySet[AuditEvent], last_seq: int, last_hash: str
) -> ExportResult:
    """JSON lines of `events` at `path` plus `path.sig`, a JSON signature (HMAC with the checkpoint key).

    Written under temporary names and renamed, so a crash never leaves a half archive under the final name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as stream:
        result = write_lines(export_lines(events, "jsonl"), stream)
        stream.flush()
        os.fsync(stream.fileno())
    first_seq = last_seq - result.count + 1
    signature = {
        "file": path.name, "sha256": result.sha256, "count": result.count, "first_seq": first_seq,
        "last_seq": last_seq, "last_hash": last_hash,
        "mac": archive_mac(path.name, result.sha256, first_seq, last_seq, last_hash),
    }  # fmt: skip
    path.with_name(path.name + ".sig").write_text(
        json.dumps(signature, sort_keys=True) + "\n", encoding="utf-8"
    )
    partial.replace(path)
    return result
