"""Reads of the counterparty review; everything in a matter the user may not see is a 404."""

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reviews.counterparties.lists import progress_key
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    ListVersion,
    SanctionsImport,
    Screening,
)
from reviews.matters.selectors import matters_for_user


def counterparties_for_user(user) -> QuerySet[Counterparty]:
    return Counterparty.objects.filter(matter__in=matters_for_user(user)).select_related("matter")


def counterparty_for_user(user, pk: int) -> Counterparty:
    return get_object_or_404(counterparties_for_user(user), pk=pk)


def counterparty_reviews_for_user(user) -> QuerySet[CounterpartyReview]:
    return CounterpartyReview.objects.filter(counterparty__matter__in=matters_for_user(user)).select_related(
        "counterparty__matter", "requested_by", "rated_by"
    )


def counterparty_review_for_user(user, pk: int) -> CounterpartyReview:
    return get_object_or_404(counterparty_reviews_for_user(user), pk=pk)


def latest_screening(counterparty: Counterparty) -> Screening | None:
    return counterparty.screenings.prefetch_related("hits", "list_versions__sanctions_list").first()


def review_screening(review: CounterpartyReview) -> Screening | None:
    return review.screenings.prefetch_related("hits", "list_versions__sanctions_list").first()


def list_versions() -> QuerySet[ListVersion]:
    """Every imported version, current or kept for the audit trail (lists are public data: no matter filter)."""
    versions = ListVersion.objects.select_related("sanctions_list", "imported_by")
    return versions.order_by("sanctions_list__name", "-imported_at")


def recent_imports_of(user, limit: int = 10) -> list[SanctionsImport]:
    """The user's latest imports; a running one shows the progress its worker reports through the cache."""
    jobs = list(SanctionsImport.objects.filter(requested_by=user).defer("data")[:limit])
    running = [job for job in jobs if job.state == SanctionsImport.State.RUNNING]
    reported = cache.get_many([progress_key(job.pk) for job in running])
    for job in running:
        job.progress = max(job.progress, reported.get(progress_key(job.pk), 0))
    return jobs
