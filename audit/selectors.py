"""Reads for the audit explorer: keyset pages over seq, so page 1,000 costs what page 1 costs."""

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from audit import object_types
from audit.models import AuditEvent

PAGE_SIZE = 50
FULLTEXT_WINDOW = 10_000
_INDEXED_FILTERS = ("since", "until", "actor", "action", "matter", "object_type")
# Must stay the expression of the audit_fulltext_idx index (migration 0004), or the index is not used.
_FULLTEXT = (
    "to_tsvector('simple'::regconfig, translate(action || ' ' || payload::text, '._', '  '))"
    " @@ websearch_to_tsquery('simple'::regconfig, translate(%s, '._', '  '))"
)


@dataclass(frozen=True)
class EventPage:
    events: list[AuditEvent]
    older_than: int | None  # the `before` of the next (older) page, None on the last page


def _in_time_range(events: QuerySet[AuditEvent], since, until) -> QuerySet[AuditEvent]:
    """Times grow with positions (audit_append), so a time range is a range of seq: bound both.

    The seq bounds come from the occurred_at index in two single-row lookups; without them the planner may
    walk the primary key back from the newest event, past every event younger than the range.
    """
    if since:
        first = AuditEvent.objects.filter(occurred_at__gte=since).order_by("occurred_at", "seq")
        events = events.filter(
            occurred_at__gte=since, seq__gte=first.values_list("seq", flat=True).first() or 0
        )
    if until:
        last = AuditEvent.objects.filter(occurred_at__lt=until).order_by("-occurred_at", "-seq")
        events = events.filter(
            occurred_at__lt=until, seq__lte=last.values_list("seq", flat=True).first() or 0
        )
    return events


# Reading is recorded too (who saw which findings, which summary, what was exported); these are its actions.
READ_SUFFIXES = (".viewed", ".downloaded", ".exported")


def filtered_events(filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    events = _in_time_range(AuditEvent.objects.order_by("-seq"), filters.get("since"), filters.get("until"))
    if filters.get("actor"):
        events = events.filter(actor=filters["actor"])
    if action := filters.get("action"):
        events = (
            events.filter(action__startswith=action) if action.endswith(".") else events.filter(action=action)
        )
    if filters.get("matter"):
        events = events.filter(matter_id=filters["matter"])
    if filters.get("object_type"):
        events = events.filter(object_type__in=object_types.labels(filters["object_type"]))
        if filters.get("object_id"):
            events = events.filter(object_id=filters["object_id"])
    if filters.get("q"):
        events = events.filter(RawSQL(_FULLTEXT, [filters["q"]], output_field=BooleanField()))
    if filters.get("hide_reads"):
        for suffix in READ_SUFFIXES:
            events = events.exclude(action__endswith=suffix)
    return events


def events_page(filters: dict[str, Any], *, before: int | None = None, size: int = PAGE_SIZE) -> EventPage:
    events = filtered_events(filters)
    if before:
        events = events.filter(seq__lt=before)
    if filters.get("q") and not any(filters.get(name) for name in _INDEXED_FILTERS):
        rows = _full_text_rows(events, filters["q"], before, size + 1)
    else:  # another filter's index leads, and the words are checked on its (fewer) events
        rows = list(events[: size + 1])
    return EventPage(rows[:size], rows[size - 1].seq if len(rows) > size else None)


def _full_text_rows(
    events: QuerySet[AuditEvent], query: str, before: int | None, limit: int
) -> list[AuditEvent]:
    """A common word fills the page from the newest events; a rare one is looked up in the GIN index.

    Left alone, the planner walks the primary key back and tests every event when a word is rare (it
    cannot tell rare from absent), seconds over a million events. So: first the newest FULLTEXT_WINDOW
    positions, then, if the page is not full, the older matches found through the index (OFFSET 0 keeps
    the subquery from being folded back into the walk).
    """
    top = before or (AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    floor = top - FULLTEXT_WINDOW
    rows = list(events.filter(seq__gte=floor)[:limit])
    if len(rows) < limit:
        matches = RawSQL(
            f"SELECT seq FROM audit_auditevent WHERE {_FULLTEXT} AND seq < %s OFFSET 0", [query, floor]
        )
        rows += list(events.filter(seq__in=matches)[: limit - len(rows)])
    return rows


def event_with_neighbours(seq: int) -> tuple[AuditEvent, AuditEvent | None, AuditEvent | None]:
    """The event (404 via DoesNotExist) and the stored events just before and after it in the chain."""
    event = AuditEvent.objects.get(seq=seq)
    previous = AuditEvent.objects.filter(seq__lt=seq).order_by("-seq").first()
    following = AuditEvent.objects.filter(seq__gt=seq).order_by("seq").first()
    return event, previous, following
