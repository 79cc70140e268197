"""Writes of the counterparty review: each a transaction with its audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.roles import Role, has_role
from audit.services import record_event
from reviews.counterparties.lists import FORMATS
from reviews.counterparties.models import (
    Counterparty,
    CounterpartyReview,
    HitDecision,
    JurisdictionRisk,
    RelatedPerson,
    SanctionsImport,
    ScreeningHit,
)
from reviews.counterparties.rating import LEVELS, QUESTIONS
from reviews.matters import access
from reviews.matters.models import Matter
from reviews.matters.services import require_open, require_work_access, store_document
from worker.sanctions.countries import to_iso2
from worker.sanctions.dates import DateError, read_date


def is_compliance(user) -> bool:
    return has_role(user, Role.COMPLIANCE_OFFICER)


def _require_compliance(actor) -> None:
    if not is_compliance(actor):
        raise PermissionDenied("Only compliance officers may do this.")


def _country(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    code = to_iso2(value)
    if code is None:
        raise ValidationError({field: _("%(value)s is not a country code or name.") % {"value": value[:40]}})
    return code


TYPED_DATE_LENGTH = 40  # "September 16th, 1969" as typed; stored as "1969-09-16"


def _date(value: str, field: str) -> str:
    """The date as typed ("16 July 1969", "1969年7月16日"), stored as "1969", "1969-07" or "1969-07-16"."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return read_date(value).isoformat()
    except DateError as error:
        raise ValidationError({field: _(error.template) % error.params}) from error


def _names(values: list[str]) -> list[str]:
    return [v.strip()[:300] for v in values if v and v.strip()]


@transaction.atomic
def create_counterparty(*, actor, matter: Matter, name: str, kind: str, aliases: list[str] = (), country: str = "",
                        date: str = "", identifiers: list[str] = ()) -> Counterparty:  # fmt: skip
    require_work_access(actor, matter)
    if not name.strip():
        raise ValidationError({"name": _("Give the counterparty's name.")})
    if kind not in Counterparty.Kind.values:
        raise ValidationError({"kind": _("Choose person or organisation.")})
    counterparty = Counterparty.objects.create(
        matter=matter, name=name.strip()[:300], kind=kind, aliases=_names(list(aliases)),
        country=_country(country, "country"), date=_date(date, "date"),
        identifiers=_names(list(identifiers)), created_by=actor,
    )  # fmt: skip
    record_event(action="counterparty.created", actor=actor, target=counterparty,
                 matter_id=matter.pk, payload={"kind": kind, "aliases": len(counterparty.aliases)})  # fmt: skip
    return counterparty


@transaction.atomic
def add_related_person(*, actor, counterparty: Counterparty, name: str, role: str, date_of_birth: str = "",
                       nationality: str = "") -> RelatedPerson:  # fmt: skip
    require_work_access(actor, counterparty.matter)
    if not name.strip() or not role.strip():
        raise ValidationError(_("Give the person's name and role."))
    person = RelatedPerson.objects.create(
        counterparty=counterparty, name=name.strip()[:300], role=role.strip()[:100],
        date_of_birth=_date(date_of_birth, "date_of_birth"), nationality=_country(nationality, "nationality"),
    )  # fmt: skip
    record_event(action="counterparty.related_person_added", actor=actor, target=counterparty,
                 matter_id=counterparty.matter_id, payload={"related_person_id": person.pk, "role": person.role})  # fmt: skip
    _screen_again_after_commit(counterparty)
    return person


@transaction.atomic
def update_counterparty(*, actor, counterparty: Counterparty, name: str, aliases: list[str] = (), country: str = "",
                        date: str = "", identifiers: list[str] = ()) -> Counterparty:  # fmt: skip
    """Correct what is known of the counterparty; it is screened again once the change is committed."""
    require_work_access(actor, counterparty.matter)
    if not name.strip():
        raise ValidationError({"name": _("Give the counterparty's name.")})
    fields = {"name": name.strip()[:300], "aliases": _names(list(aliases)), "country": _country(country, "country"),
              "date": _date(date, "date"), "identifiers": _names(list(identifiers))}  # fmt: skip
    changed = sorted(field for field, value in fields.items() if getattr(counterparty, field) != value)
    if not changed:
        return counterparty
    for field, value in fields.items():
        setattr(counterparty, field, value)
    counterparty.save(update_fields=changed)
    record_event(action="counterparty.updated", actor=actor, target=counterparty, matter_id=counterparty.matter_id,
                 payload={"fields": changed})  # fmt: skip
    _screen_again_after_commit(counterparty)
    return counterparty


def _screen_again_after_commit(counterparty: Counterparty) -> None:
    """A counterparty screened before is screened again when what is known of it changes."""
    from reviews.counterparties.tasks import rescreen_counterparty

    if counterparty.screenings.exists():
        transaction.on_commit(lambda: rescreen_counterparty.delay(counterparty.pk))


def may_decide_hits(user) -> bool:
    return has_role(user, Role.COMPLIANCE_OFFICER) or has_role(user, Role.RISK_OFFICER)


@transaction.atomic
def decide_hit(*, actor, hit: ScreeningHit, outcome: str, reason: str) -> HitDecision:
    """A decision on one hit, for every later screening of the same entry against the same subject data.

    Clearing a `match` as a false positive holds only once a second officer confirms it (confirm_decision).
    """
    counterparty = hit.screening.counterparty
    if not may_decide_hits(actor) or not access.may_see(actor, counterparty.matter):
        raise PermissionDenied("Only compliance and risk officers with access to the matter decide on hits.")
    require_open(counterparty.matter)
    if outcome not in HitDecision.Outcome.values:
        raise ValidationError({"outcome": _("Choose a decision.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    clears_match = hit.decision == "match" and outcome == HitDecision.Outcome.FALSE_POSITIVE
    decision = HitDecision.objects.create(
        counterparty=counterparty, fingerprint=hit.fingerprint, hit=hit, outcome=outcome, reason=reason[:4000],
        decided_by=actor, needs_confirmation=clears_match,
    )  # fmt: skip
    record_event(action="screening.hit_decided", actor=actor, target=counterparty, matter_id=counterparty.matter_id,
                 payload={"hit_id": hit.pk, "list": hit.list_name, "entry_id": hit.entry_id, "level": hit.decision,
                          "outcome": outcome, "decision_id": decision.pk, "needs_confirmation": clears_match})  # fmt: skip
    return decision


@transaction.atomic
def confirm_decision(*, actor, decision: HitDecision) -> HitDecision:
    """The second person's confirmation of a match cleared as a false positive."""
    decision = HitDecision.objects.select_for_update().select_related("counterparty__matter").get(pk=decision.pk)
    if not may_decide_hits(actor) or not access.may_see(actor, decision.counterparty.matter):
        raise PermissionDenied("Only compliance and risk officers with access to the matter confirm decisions.")
    require_open(decision.counterparty.matter)
    if not decision.needs_confirmation or decision.confirmed_by_id:
        raise ValidationError(_("This decision needs no confirmation."), code="not_pending")
    if decision.decided_by_id == actor.pk:
        raise ValidationError(_("Clearing a match takes a second person: someone else must confirm it."),
                              code="four_eyes")  # fmt: skip
    decision.confirmed_by, decision.confirmed_at = actor, timezone.now()
    decision.save(update_fields=["confirmed_by", "confirmed_at"])
    record_event(action="screening.clearance_confirmed", actor=actor, target=decision.counterparty,
                 matter_id=decision.counterparty.matter_id,
                 payload={"decision_id": decision.pk, "decided_by": decision.decided_by_id})  # fmt: skip
    return decision


@transaction.atomic
def submit_counterparty_review(*, actor, counterparty: Counterparty, documents: list[tuple[str, bytes]] = (),
                               answers: dict[str, bool] | None = None) -> CounterpartyReview:  # fmt: skip
    """Store the documents (checked by content, like contracts), queue the review, run it after commit."""
    from reviews.counterparties.tasks import run_counterparty_review

    require_work_access(actor, counterparty.matter)
    answers = {key: bool(value) for key, value in (answers or {}).items()}
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        raise ValidationError(_("Unknown questions: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    stored = [store_document(actor=actor, matter=counterparty.matter, name=name, data=data)[0]
              for name, data in documents]  # fmt: skip
    review = CounterpartyReview.objects.create(counterparty=counterparty, answers=answers, requested_by=actor,
                                               stage=gettext_noop("queued"))  # fmt: skip
    review.documents.set(stored)
    record_event(action="counterparty_review.submitted", actor=actor, target=review,
                 matter_id=counterparty.matter_id,
                 payload={"counterparty_id": counterparty.pk, "documents": [d.sha256 for d in stored],
                          "answers": answers})  # fmt: skip
    transaction.on_commit(lambda: run_counterparty_review.delay(review.pk))
    return review


@transaction.atomic
def rate_counterparty(*, actor, review: CounterpartyReview, rating: str, reason: str) -> CounterpartyReview:
    """The reviewer's final rating; it then awaits approval (the approval trail is a later issue)."""
    review = CounterpartyReview.objects.select_for_update().select_related("counterparty").get(pk=review.pk)
    require_work_access(actor, review.counterparty.matter)
    if review.state not in {CounterpartyReview.State.DONE, CounterpartyReview.State.RATED}:
        raise ValidationError(_("Only a screened review can be rated."), code="not_screened")
    if rating not in LEVELS:
        raise ValidationError(_("Choose a rating."), code="bad_rating")
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why you chose this rating."), code="reason_required")
    previous = review.rating
    review.rating, review.rating_reason, review.rated_by, review.rated_at = (
        rating,
        reason[:4000],
        actor,
        timezone.now(),
    )
    review.state = CounterpartyReview.State.RATED
    review.save(update_fields=["rating", "rating_reason", "rated_by", "rated_at", "state"])
    Counterparty.objects.filter(pk=review.counterparty_id).update(new_hits=False)
    record_event(action="counterparty.rated", actor=actor, target=review, matter_id=review.counterparty.matter_id,
                 payload={"counterparty_id": review.counterparty_id, "proposed": review.proposed_rating,
                          "rating": rating, "previous": previous})  # fmt: skip
    return review


@transaction.atomic
def set_jurisdiction_risk(
    *, actor, country: str, level: str, source: str = "", note: str = ""
) -> JurisdictionRisk:
    _require_compliance(actor)
    code = _country(country, "country")
    if not code:
        raise ValidationError({"country": _("Give a country.")})
    if level not in JurisdictionRisk.Level.values:
        raise ValidationError({"level": _("Choose a level.")})
    risk, created = JurisdictionRisk.objects.get_or_create(country=code, defaults={"level": level})
    before = None if created else risk.level
    risk.level, risk.source, risk.note = level, source.strip()[:200], note.strip()[:2000]
    risk.save()
    record_event(action="jurisdiction_risk.changed", actor=actor, target=risk,
                 payload={"country": code, "level": level, "previous": before, "source": risk.source})  # fmt: skip
    return risk


@transaction.atomic
def request_sanctions_import(*, actor, file_format: str, name: str, data: bytes,
                             published: dt.date | None = None) -> SanctionsImport:  # fmt: skip
    """Queue an import from the UI; a worker parses and stores it (see reviews.counterparties.runs)."""
    from reviews.counterparties.tasks import import_sanctions_list

    _require_compliance(actor)
    if file_format not in FORMATS:
        raise ValidationError({"file_format": _("Choose a list format.")})
    if file_format == "ofac-sdn-csv" and published is None:
        raise ValidationError(
            {"published": _("The OFAC SDN CSV carries no date: give its publication date.")}
        )
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    job = SanctionsImport.objects.create(file_format=file_format, file_name=name[:255], data=data,
                                         published=published, requested_by=actor, stage=gettext_noop("queued"))  # fmt: skip
    record_event(action="sanctions.import_requested", actor=actor, target=job,
                 payload={"format": file_format, "size": len(data)})  # fmt: skip
    transaction.on_commit(lambda: import_sanctions_list.delay(job.pk))
    return job
