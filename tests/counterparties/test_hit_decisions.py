"""Screening decisions hit by hit: who decides, four eyes to clear a match, decisions remembered across re-screens
until the entry or the data changes, the queue of open hits, and editing that screens again."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from reviews.counterparties import runs, selectors, services
from reviews.counterparties.models import Counterparty, HitDecision
from reviews.counterparties.screening import screen_counterparty
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter():
    return MatterFactory()


def _person(role: str, matter, *rights: str):
    user = UserFactory(role=role)
    for right in rights or ("view_matter",):
        grant(user, matter, right)
    return user


@pytest.fixture
def officer(matter):
    return _person(Role.COMPLIANCE_OFFICER, matter)


@pytest.fixture
def lawyer(matter):
    return _person(Role.LAWYER, matter, "view_matter", "change_matter")


@pytest.fixture
def zawahiri(small_lists, lawyer, matter):
    """A person screened as a `match` of OFAC 2676 by name, and as a hit to `review` by an alias spelled apart."""
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Ayman al-Zawahiri", kind="person",
                                                aliases=["Ayman Zawahri"], country="EG", date="1951-06-19")  # fmt: skip
    screen_counterparty(counterparty)
    return counterparty


def _hit(counterparty: Counterparty, level: str = "match"):
    screening = selectors.latest_screening(counterparty)
    return next(hit for hit in selectors.hits_with_decisions(screening) if hit.decision == level)


def test_a_true_match_is_recorded_with_its_reason_and_closes_the_hit(zawahiri, officer):
    hit = _hit(zawahiri)
    decision = services.decide_hit(actor=officer, hit=hit, outcome="true_match", reason="DOB and passport agree")

    assert decision.in_force and not _hit(zawahiri).open
    event = AuditEvent.objects.get(action="screening.hit_decided")
    assert (event.payload["outcome"], event.payload["entry_id"], event.matter_id) == ("true_match", "2676",
                                                                                      zawahiri.matter_id)  # fmt: skip
    state = selectors.with_screening_state(Counterparty.objects.filter(pk=zawahiri.pk)).get()
    assert state.true_matches >= 1


def test_clearing_a_match_takes_a_second_person(zawahiri, officer, matter):
    hit = _hit(zawahiri)
    decision = services.decide_hit(actor=officer, hit=hit, outcome="false_positive", reason="another person")
    assert decision.needs_confirmation and _hit(zawahiri).open, "one person alone does not clear a match"

    with pytest.raises(ValidationError, match="second person"):
        services.confirm_decision(actor=officer, decision=decision)
    second = _person(Role.RISK_OFFICER, matter)
    services.confirm_decision(actor=second, decision=decision)

    assert not _hit(zawahiri).open
    confirmed = AuditEvent.objects.get(action="screening.clearance_confirmed")
    assert confirmed.actor == second.get_username() and confirmed.payload["decided_by"] == officer.pk


def test_only_compliance_and_risk_officers_with_the_matter_decide(zawahiri, lawyer, matter):
    hit = _hit(zawahiri)
    with pytest.raises(PermissionDenied):
        services.decide_hit(actor=lawyer, hit=hit, outcome="true_match", reason="x")
    stranger = UserFactory(role=Role.COMPLIANCE_OFFICER)  # no grant on the matter
    with pytest.raises(PermissionDenied):
        services.decide_hit(actor=stranger, hit=hit, outcome="true_match", reason="x")
    officer = _person(Role.COMPLIANCE_OFFICER, matter)
    with pytest.raises(ValidationError):
        services.decide_hit(actor=officer, hit=hit, outcome="true_match", reason="  ")
    assert not HitDecision.objects.exists()


def test_a_decision_holds_across_a_re_screen_until_the_data_changes(zawahiri, officer, lawyer, django_capture_on_commit_callbacks):
    review_hit = _hit(zawahiri, "review")
    services.decide_hit(actor=officer, hit=review_hit, outcome="false_positive", reason="different person")
    assert not _hit(zawahiri, "review").open

    screen_counterparty(zawahiri)  # the same data against the same lists: not asked again
    again = [h for h in selectors.hits_with_decisions(selectors.latest_screening(zawahiri)) if h.entry_id == review_hit.entry_id
             and h.subject == review_hit.subject]  # fmt: skip
    assert again and all(not h.open and h.decided.outcome == "false_positive" for h in again)

    with django_capture_on_commit_callbacks() as queued:  # a corrected date of birth
        services.update_counterparty(actor=lawyer, counterparty=zawahiri, name=zawahiri.name, aliases=zawahiri.aliases,
                                     country="EG", date="1951-07-19")  # fmt: skip
    assert len(queued) == 1
    runs.rescreen_counterparty(zawahiri.pk)  # what the queued task runs
    assert AuditEvent.objects.filter(action="counterparty.updated", payload__fields=["date"]).exists()
    changed = [h for h in selectors.hits_with_decisions(selectors.latest_screening(zawahiri))
               if h.entry_id == review_hit.entry_id and h.subject == review_hit.subject]  # fmt: skip
    assert changed and all(h.open and h.decided is None for h in changed), "asked again after the data changed"
    assert zawahiri.screenings.count() == 3


def test_the_queue_lists_open_hits_of_visible_matters_oldest_first_with_filters(zawahiri, officer, client):
    client.force_login(officer)
    page = client.get(reverse("counterparties:hit-queue")).content.decode()
    open_hits = [h for h in selectors.hits_with_decisions(selectors.latest_screening(zawahiri)) if h.open]
    assert page.count('data-testid="queued-hit"') == len(open_hits) > 0

    only_matches = client.get(reverse("counterparties:hit-queue"), {"decision": "match"}).content.decode()
    assert only_matches.count('data-testid="queued-hit"') == sum(h.decision == "match" for h in open_hits)

    services.decide_hit(actor=officer, hit=_hit(zawahiri), outcome="true_match", reason="confirmed")
    after = client.get(reverse("counterparties:hit-queue")).content.decode()
    assert after.count('data-testid="queued-hit"') == len(open_hits) - sum(
        h.fingerprint == _hit(zawahiri).fingerprint for h in open_hits
    )
    outsider = UserFactory(role=Role.COMPLIANCE_OFFICER)
    client.force_login(outsider)
    assert 'data-testid="queued-hit"' not in client.get(reverse("counterparties:hit-queue")).content.decode()


def test_deciding_through_the_page_and_the_list_showing_state_and_rating(zawahiri, officer, lawyer, client):
    client.force_login(officer)
    hit = _hit(zawahiri)
    response = client.post(reverse("counterparties:hit-decide", args=[hit.pk]),
                           {"outcome": "true_match", "reason": "passport agrees", "next": zawahiri.get_absolute_url()})  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith(f"#hit-{hit.pk}")
    assert HitDecision.objects.get().outcome == "true_match"

    client.force_login(lawyer)  # a lawyer sees the decision, but gets no form to make one
    detail = client.get(zawahiri.get_absolute_url()).content.decode()
    assert 'data-testid="hit-decision"' in detail and 'data-testid="decide-form"' not in detail
    refused = client.post(reverse("counterparties:hit-decide", args=[hit.pk]), {"outcome": "false_positive", "reason": "x"})
    assert refused.status_code == 302 and HitDecision.objects.count() == 1
    listing = client.get(reverse("counterparties:list")).content.decode()
    assert "true match" in listing


def test_adding_a_related_person_screens_again(zawahiri, lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        services.add_related_person(actor=lawyer, counterparty=zawahiri, name="Ri Won Ho", role="director",
                                    date_of_birth="1964-07-17", nationality="KP")  # fmt: skip
    assert len(queued) == 1
    runs.rescreen_counterparty(zawahiri.pk)
    assert zawahiri.screenings.count() == 2
    assert selectors.latest_screening(zawahiri).hits.filter(subject="Ri Won Ho").exists()


def test_a_rescreen_without_lists_changes_nothing(lawyer, matter):
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Nobody", kind="person")
    assert runs.rescreen_counterparty(counterparty.pk) == "no list loaded"


def test_the_api_lists_the_queue_decides_and_confirms_with_four_eyes(zawahiri, officer, matter, client):
    client.force_login(officer)
    queue = client.get(reverse("screening-hit-list"), {"decision": "match"}).json()
    rows = queue["results"] if isinstance(queue, dict) else queue
    match = next(row for row in rows if row["entry_id"] == "2676" and row["subject"] == zawahiri.name)

    decided = client.post(reverse("screening-hit-decide", args=[match["id"]]),
                          {"outcome": "false_positive", "reason": "another Ayman"}, content_type="application/json")  # fmt: skip
    assert decided.status_code == 201 and decided.json()["needs_confirmation"] and not decided.json()["in_force"]
    alone = client.post(reverse("hit-decision-confirm", args=[decided.json()["id"]]))
    assert alone.status_code == 400

    client.force_login(_person(Role.RISK_OFFICER, matter))
    confirmed = client.post(reverse("hit-decision-confirm", args=[decided.json()["id"]]))
    assert confirmed.status_code == 200 and confirmed.json()["in_force"]
    after = client.get(reverse("screening-hit-list"), {"decision": "match"}).json()
    assert match["id"] not in {row["id"] for row in (after["results"] if isinstance(after, dict) else after)}


def test_the_api_corrects_a_counterparty_and_screens_it_again(zawahiri, lawyer, client, django_capture_on_commit_callbacks):
    client.force_login(lawyer)
    with django_capture_on_commit_callbacks() as queued:
        response = client.patch(reverse("counterparty-detail", args=[zawahiri.pk]), {"date": "1951年7月19日"},
                                content_type="application/json")  # fmt: skip
    assert response.status_code == 200 and response.json()["date"] == "1951-07-19"
    assert response.json()["aliases"] == ["Ayman Zawahri"], "what the request leaves out stays as it was"
    assert len(queued) == 1


def test_a_closed_matter_takes_no_decision(zawahiri, officer, matter):
    matter.closed_at = timezone.now()
    matter.save()
    zawahiri.matter.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.decide_hit(actor=officer, hit=_hit(zawahiri), outcome="true_match", reason="x")
    assert not HitDecision.objects.exists()


def test_hit_levels_read_in_japanese(zawahiri, officer, client):
    client.force_login(officer)
    page = client.get(zawahiri.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<span class="badge">一致</span>' in page and '<span class="badge">要確認</span>' in page
