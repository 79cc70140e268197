"""Audit log report: the events of a period, and whether the chain holding them verifies.

Compliance officers only (audit.view_auditevent), as for the audit explorer.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.checkpoints import read_checkpoints
from audit.models import AuditEvent
from audit.reports.base import BadTarget, Progress, ReportBuilder, ReportContent, Section
from audit.reports.kinds.events import event_rows
from audit.verification import verify_chain

PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """From the start of `first` up to (not including) the start of `end`; both None for the whole trail."""

    first: dt.date | None = None
    end: dt.date | None = None

    def __str__(self) -> str:
        return f"{self.first}..{self.end}" if self.first else "all"

    def bounds(self) -> tuple[dt.datetime, dt.datetime] | None:
        if self.first is None:
            return None
        zone = timezone.get_default_timezone()
        return (timezone.make_aware(dt.datetime.combine(self.first, dt.time.min), zone),
                timezone.make_aware(dt.datetime.combine(self.end, dt.time.min), zone))  # fmt: skip


class AuditLogReport(ReportBuilder):
    kind = "audit-log"
    label = gettext_lazy("Audit log")
    which_help = gettext_lazy("all, or a period such as 2026-01-01..2026-02-01 (end day excluded)")

    def parse(self, which: str) -> Period:
        if which == "all":
            return Period()
        match = PERIOD.match(which)
        try:
            first, end = (
                (dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])) if match else (None, None)
            )
        except ValueError:
            first = end = None
        if first is None or end is None or first >= end:
            raise BadTarget(_("An audit log report covers all or a period FIRST..END with FIRST before END, "
                              "such as 2026-01-01..2026-02-01."))  # fmt: skip
        return Period(first, end)

    def check_access(self, user, target: Period) -> None:
        if not user.has_perm("audit.view_auditevent"):
            raise PermissionDenied(_("Only compliance officers may export the audit log."))

    def build(self, target: Period, *, user, progress: Progress) -> ReportContent:
        events = AuditEvent.objects.order_by("seq")
        bounds = target.bounds()
        if bounds:
            events = events.filter(occurred_at__gte=bounds[0], occurred_at__lt=bounds[1])
        total = events.count()
        if total > settings.REPORTS_MAX_AUDIT_EVENTS:
            raise BadTarget(_("%(count)s events are more than a PDF report holds (%(max)s): choose a shorter "
                              "period, or use the JSONL export.")
                            % {"count": total, "max": settings.REPORTS_MAX_AUDIT_EVENTS})  # fmt: skip
        rows = []
        for row in event_rows(events.iterator(chunk_size=2000), show_matter=True):
            rows.append(row)
            if len(rows) % 2000 == 0:
                progress(_("reading events"), 10 + 40 * len(rows) // total)
        progress(_("verifying the chain"), 50)
        last_seq = rows[-1]["seq"] if rows else None
        verification = verify_chain(until=last_seq) if bounds and last_seq else verify_chain()
        checkpoint = next((c for c in read_checkpoints() if c.seq == verification.checkpoint_seq), None)
        progress(_("laying out"), 60)
        scope = _("All events") if bounds is None else _("Events from %(first)s up to %(end)s (excluded)") % {
            "first": target.first, "end": target.end}  # fmt: skip
        return ReportContent(
            title=_("Audit log report"),
            scope=scope,
            sections=[
                Section("verification", _("Chain verification"), "reports/pdf/audit_verification.html",
                        {"verification": verification, "checkpoint": checkpoint, "count": total,
                         "first": rows[0] if rows else None, "last": rows[-1] if rows else None}),
                Section("events", _("Events"), "reports/pdf/events.html", {"events": rows}),
            ],
        )  # fmt: skip
