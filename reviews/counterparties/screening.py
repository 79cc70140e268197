"""Screening a counterparty: its name, aliases and related people against every current list entry."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction

from reviews.counterparties.matcher_cache import current_matcher
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    SanctionsEntry,
    Screening,
    ScreeningHit,
)
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
    found = [(subject, hit) for subject, result in zip(people, results) for hit in result.matches]
    entries = _entry_data(loaded.versions, {(hit.list, hit.entry_id) for _subject, hit in found})
    hits = [
        ScreeningHit(
            screening=screening, subject=subject.name[:300], subject_role=subject.role[:100], list_name=hit.list,
            entry_id=hit.entry_id, name=hit.name[:500], score=hit.score, why=hit.why,
            decision="match" if hit.score >= loaded.matcher.thresholds.match or hit.why.get("identifier") else "review",
            fingerprint=_fingerprint(subject, entries.get((hit.list, hit.entry_id), {})),
        )
        for subject, hit in found
    ]  # fmt: skip
    ScreeningHit.objects.bulk_create(hits)
    if before is not None:
        screening.new_hit_count = len({(h.list_name, h.entry_id) for h in hits} - before)
        screening.save(update_fields=["new_hit_count"])
    return screening


def _entry_data(versions, keys: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The listed name and data of each hit entry, as the list versions screened hold them."""
    rows = SanctionsEntry.objects.filter(version__in=versions, entry_id__in={entry_id for _list, entry_id in keys})
    return {
        (row.version.sanctions_list.name, row.entry_id): {"name": row.name, "type": row.type, "data": row.data}
        for row in rows.select_related("version__sanctions_list")
    }


def _fingerprint(subject: Subject, entry: dict) -> str:
    """What a decision on the hit is about: the subject as screened and the entry as listed."""
    query = subject.query
    facts = {
        "subject": [subject.name, subject.role, query.date_of_birth, query.nationality, list(query.identifiers),
                    query.type],
        "entry": entry,
    }  # fmt: skip
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
