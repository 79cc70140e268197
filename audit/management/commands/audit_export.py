from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from audit.export import FORMATS, export_events


def parse_bound(text: str | None, *, end: bool) -> datetime | None:
    """An ISO date or date-time (UTC unless it says otherwise); a bare --until date includes that whole day."""
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(
                f"{text!r} is not an ISO date (2026-11-28) or date-time (2026-11-28T09:30:00Z)"
            )
        moment = datetime.combine(day + timedelta(days=1) if end else day, time())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Export audit events of a time range for a SIEM, as JSON lines or CEF; the export is itself audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="jsonl")
        parser.add_argument("--since", help="From this ISO date or date-time (inclusive).")
        parser.add_argument("--until", help="Up to this ISO date-time (exclusive) or through this date.")
        parser.add_argument("--out", required=True, help="File to write.")

    def handle(self, *args, format, since, until, out, **options):
        since_at, until_at = parse_bound(since, end=False), parse_bound(until, end=True)
        if since_at and until_at and since_at >= until_at:
            raise CommandError("--since must be before --until")
        result = export_events(
            fmt=format, since=since_at, until=until_at, out=Path(out), system="audit_export"
        )
        self.stdout.write(f"exported {result.count} events to {out} (sha256 {result.sha256})")
