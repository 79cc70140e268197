"""Screening a counterparty: its name, aliases and related people against every current list entry."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from reviews.counterparties.matcher_cache import current_matcher
from reviews.counterparties.models import Counterparty, CounterpartyReview, Screening, ScreeningHit
from worker.sanctions import Query

_SEVERITY = {"clear": 0, "review": 1, "match": 2}


@dataclass(frozen=True)
class Subject:
    name: str
    role: str  # "name", "alias", or a related person's role
    query: Query


def subjects(counterparty: Counterparty) -> list[Subject]:
    entity = counterparty.kind == Counterparty.Kind.ORGANISATION
    common = {
        "date_of_birth": None if entity else (counterparty.date or None),
        "nationality": counterparty.country or None,
        "identifiers": tuple(counterparty.identifiers),
        "type": "entity" if entity else "individual",
    }
    found = [Subject(counterparty.name, "name", Query(counterparty.name, **common))]
    found += [Subject(alias, "alias", Query(alias, **common)) for alias in counterparty.aliases]
    for person in counterparty.related_people.all():
        query = Query(person.name, date_of_birth=person.date_of_birth or None,
                      nationality=person.nationality or None, type="individual")  # fmt: skip
        found.append(Subject(person.name, person.role, query))
    return found


def previous_hit_keys(counterparty: Counterparty) -> set[tuple[str, str]] | None:
    """(list, entry id) of the latest screening's hits; None when it was never screened."""
    latest = counterparty.screenings.first()
    if latest is None:
        return None
    return set(latest.hits.values_list("list_name", "entry_id"))


@transaction.atomic
def screen_counterparty(counterparty: Counterparty, *, review: CounterpartyReview | None = None) -> Screening:
    """Store one screening with its hits; `new_hit_count` counts entries the previous screening lacked."""
    loaded = current_matcher()
    people = subjects(counterparty)
    results = loaded.matcher.screen_many([s.query for s in people])
    before = previous_hit_keys(counterparty)
    decision = max((r.decision for r in results), key=_SEVERITY.__getitem__)
    screening = Screening.objects.create(
        counterparty=counterparty, review=review, decision=decision,
        best_score=max(r.best_score for r in results),
        thresholds={"match": loaded.matcher.thresholds.match, "review": loaded.matcher.thresholds.review},
    )  # fmt: skip
    screening.list_versions.set(loaded.versions)
    hits = [
        ScreeningHit(
            screening=screening, subject=subject.name[:300], subject_role=subject.role[:100], list_name=hit.list,
            entry_id=hit.entry_id, name=hit.name[:500], score=hit.score, why=hit.why,
            decision="match" if hit.score >= loaded.matcher.thresholds.match or hit.why.get("identifier") else "review",
        )
        for subject, result in zip(people, results)
        for hit in result.matches
    ]  # fmt: skip
    ScreeningHit.objects.bulk_create(hits)
    if before is not None:
        screening.new_hit_count = len({(h.list_name, h.entry_id) for h in hits} - before)
        screening.save(update_fields=["new_hit_count"])
    return screening
