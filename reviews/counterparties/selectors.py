"""Reads of the counterparty review; everything in a matter the user may not see is a 404."""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404

from reviews.counterparties.lists import progress_key
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    HitDecision,
    ListVersion,
    SanctionsImport,
    Screening,
    ScreeningHit,
)
from reviews.matters.selectors import matters_for_user


def counterparties_for_user(user) -> QuerySet[Counterparty]:
    return Counterparty.objects.filter(matter__in=matters_for_user(user)).select_related("matter")


# A hit's decision is the latest one on its fingerprint (the entry against the same subject data).
_LATEST_DECISION = HitDecision.objects.filter(
    counterparty=OuterRef("screening__counterparty"), fingerprint=OuterRef("fingerprint")
).order_by("-decided_at", "-id")
_LATEST_SCREENING = Screening.objects.filter(counterparty=OuterRef("screening__counterparty")).order_by(
    "-created_at", "-id"
)
# Open: at review or match, and no decision that closes it (needs more information, or a cleared match that a
# second person has not confirmed yet, leave it open).
_OPEN = Q(decision__in=["review", "match"]) & (
    Q(decided_outcome__isnull=True)
    | Q(decided_outcome=HitDecision.Outcome.NEEDS_INFORMATION)
    | Q(decided_pending=True, decided_confirmed__isnull=True)
)


def current_hits() -> QuerySet[ScreeningHit]:
    """Hits of each counterparty's latest screening, with their decision's outcome and whether it awaits a
    second person."""
    latest = _LATEST_DECISION
    return ScreeningHit.objects.filter(screening=Subquery(_LATEST_SCREENING.values("pk")[:1])).annotate(
        decided_outcome=Subquery(latest.values("outcome")[:1]),
        decided_pending=Subquery(latest.values("needs_confirmation")[:1]),
        decided_confirmed=Subquery(latest.values("confirmed_by")[:1]),
    )  # fmt: skip


def open_hits_for_user(user) -> QuerySet[ScreeningHit]:
    """The queue: open hits across the matters the user may see, oldest screening first."""
    return (
        current_hits()
        .filter(_OPEN, screening__counterparty__matter__in=matters_for_user(user))
        .select_related("screening__counterparty__matter")
        .order_by("screening__created_at", "pk")
    )


def with_screening_state(counterparties: QuerySet[Counterparty]) -> QuerySet[Counterparty]:
    """Each counterparty with its open hits, true matches and rating (the reviewer's, else the proposed one)."""
    hits = current_hits().filter(screening__counterparty=OuterRef("pk")).order_by().values("screening__counterparty")
    reviews = CounterpartyReview.objects.filter(counterparty=OuterRef("pk")).order_by("-created_at")
    return counterparties.annotate(
        open_hits=Coalesce(Subquery(hits.filter(_OPEN).annotate(n=Count("pk")).values("n")), 0),
        true_matches=Coalesce(
            Subquery(hits.filter(decided_outcome=HitDecision.Outcome.TRUE_MATCH).annotate(n=Count("pk")).values("n")), 0
        ),
        screened=Exists(Screening.objects.filter(counterparty=OuterRef("pk"))),
        latest_rating=Subquery(reviews.annotate(shown=Coalesce(NullIf("rating", Value("")), NullIf("proposed_rating", Value(""))))
                               .values("shown")[:1]),
    )  # fmt: skip


def hits_with_decisions(screening: Screening) -> list[ScreeningHit]:
    """The screening's hits, each with `decided` (its decision in force or awaiting a second person, or None) and
    `open`."""
    decisions: dict[str, HitDecision] = {}
    for decision in screening.counterparty.hit_decisions.select_related("decided_by", "confirmed_by"):
        decisions.setdefault(decision.fingerprint, decision)  # newest first
    hits = list(screening.hits.all())
    for hit in hits:
        hit.decided = decisions.get(hit.fingerprint)
        hit.open = hit.decision in {"review", "match"} and not (hit.decided and hit.decided.closes_the_hit)
    return hits


def hit_for_user(user, pk: int) -> ScreeningHit:
    return get_object_or_404(
        ScreeningHit.objects.filter(screening__counterparty__matter__in=matters_for_user(user)).select_related(
            "screening__counterparty__matter"
        ),
        pk=pk,
    )


def decision_for_user(user, pk: int) -> HitDecision:
    return get_object_or_404(
        HitDecision.objects.filter(counterparty__matter__in=matters_for_user(user)).select_related("counterparty"),
        pk=pk,
    )


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
