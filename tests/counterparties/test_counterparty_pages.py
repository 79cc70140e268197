"""Counterparties in matters: services, pages and API with contract-like permissions, ratings, re-screening."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from reviews.counterparties import lists, runs, services
from reviews.counterparties.models import Counterparty, CounterpartyReview, JurisdictionRisk
from reviews.counterparties.screening import screen_counterparty
from tests.counterparties.lists_data import OFAC_SMALL_NEXT
from tests.factories import MatterFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer(client):
    user = UserFactory(role=Role.LAWYER)
    client.force_login(user)
    return user


@pytest.fixture
def matter(lawyer):
    matter = MatterFactory(owner=UserFactory(email="owner@example.test"))
    grant(lawyer, matter, "view_matter")
    grant(lawyer, matter, "change_matter")
    return matter


def test_create_with_related_people_validates_and_audits(lawyer, matter):
    counterparty = services.create_counterparty(
        actor=lawyer, matter=matter, name="Ayman al-Zawahiri", kind="person", aliases=["Dr. Ayman", " "],
        country="Egypt", date="1951-06-19", identifiers=["Passport 1084010"],
    )  # fmt: skip
    services.add_related_person(actor=lawyer, counterparty=counterparty, name="Jane Roe", role="director",
                                date_of_birth="1970", nationality="gb")  # fmt: skip

    assert (counterparty.country, counterparty.aliases) == ("EG", ["Dr. Ayman"])
    assert counterparty.related_people.get().nationality == "GB"
    assert AuditEvent.objects.filter(action="counterparty.created", matter_id=matter.pk).count() == 1
    with pytest.raises(ValidationError):
        services.create_counterparty(actor=lawyer, matter=matter, name="X", kind="person", country="Atlantis")
    with pytest.raises(ValidationError):
        services.create_counterparty(actor=lawyer, matter=matter, name="X", kind="person", date="51/06/19")
    assert Counterparty.objects.count() == 1


def test_seeing_a_matter_is_not_enough_to_add_counterparties(lawyer):
    matter = MatterFactory()
    grant(lawyer, matter, "view_matter")
    with pytest.raises(PermissionDenied):
        services.create_counterparty(actor=lawyer, matter=matter, name="X", kind="organisation")


def test_other_matters_counterparties_are_404_in_pages_and_api(client, lawyer):
    other_matter, colleague = MatterFactory(), UserFactory()
    grant(colleague, other_matter, "change_matter")
    hidden = services.create_counterparty(actor=colleague, matter=other_matter, name="Hidden Ltd", kind="organisation")
    review = CounterpartyReview.objects.create(counterparty=hidden, requested_by=hidden.created_by)

    for url in (reverse("counterparties:detail", args=[hidden.pk]),
                reverse("counterparties:review-detail", args=[review.pk]),
                reverse("counterparty-detail", args=[hidden.pk]),
                reverse("counterparty-review-detail", args=[review.pk])):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("counterparty-list")).json()["results"] == []
    assert "Hidden Ltd" not in client.get(reverse("counterparties:list")).content.decode()
    response = client.post(
        reverse("counterparty-review-list"), {"counterparty": hidden.pk}, content_type="application/json"
    )
    assert response.status_code == 404


def test_api_creates_a_counterparty_in_a_granted_matter(client, lawyer, matter):
    response = client.post(reverse("counterparty-list"), {
        "matter": matter.pk, "name": "Banco Nacional de Cuba", "kind": "organisation", "aliases": ["BNC"],
        "country": "CU",
    }, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["aliases"] == ["BNC"]
    bad = client.post(reverse("counterparty-list"), {"matter": matter.pk, "name": "X", "kind": "person",
                                                      "date": "1999-13-01"}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "date" in bad.json()
    assert Counterparty.objects.count() == 1


def test_review_screens_names_aliases_and_people_then_the_reviewer_rates(client, lawyer, matter, small_lists):
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Acme Trading FZE",
                                                kind="organisation", aliases=["Banco Nacional de Cuba"])  # fmt: skip
    services.add_related_person(actor=lawyer, counterparty=counterparty, name="Ayman al-Zawahiri", role="owner",
                                date_of_birth="1951")  # fmt: skip
    review = services.submit_counterparty_review(actor=lawyer, counterparty=counterparty,
                                                 answers={"cash_intensive": True})  # fmt: skip

    assert runs.run_counterparty_review(review.pk, task_id="test") == "done"
    assert runs.run_counterparty_review(review.pk, task_id="other") == "not claimed"

    review.refresh_from_db()
    screening = review.screenings.get()
    assert set(screening.list_versions.all()) == set(small_lists)
    hits = {(h.subject_role, h.entry_id) for h in screening.hits.all()}
    assert {("alias", "306"), ("owner", "2676")} <= hits
    assert screening.decision == "match" and review.proposed_rating == "prohibited"
    page = client.get(review.get_absolute_url()).content.decode()
    assert "AL ZAWAHIRI, Dr. Ayman" in page and "Name pair" in page

    with pytest.raises(ValidationError):
        services.rate_counterparty(actor=lawyer, review=review, rating="high", reason="  ")
    response = client.post(review.get_absolute_url(), {"rating": "high", "reason": "A namesake: born 1975."})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.state, review.rating, review.rated_by) == ("rated", "high", lawyer)
    event = AuditEvent.objects.get(action="counterparty.rated")
    assert event.payload["proposed"] == "prohibited" and event.payload["rating"] == "high"
    assert "Rated, awaiting approval" in client.get(review.get_absolute_url()).content.decode()


def test_jurisdiction_floor_applies_to_a_clear_screening(lawyer, matter, small_lists):
    JurisdictionRisk.objects.update_or_create(country="NG", defaults={"level": "medium"})
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Lagos Widgets Limited",
                                                kind="organisation", country="Nigeria")  # fmt: skip
    review = services.submit_counterparty_review(actor=lawyer, counterparty=counterparty)
    runs.run_counterparty_review(review.pk, task_id="test")
    review.refresh_from_db()
    assert (review.screenings.get().decision, review.proposed_rating) == ("clear", "medium")
    assert review.rating_basis == ["jurisdiction NG: medium"]


def test_reimport_rescreens_and_flags_new_hits_to_the_owner(client, lawyer, matter, small_lists,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Ivan Petrovsky", kind="person",
                                                date="1970-03-02", country="RU")  # fmt: skip
    first = screen_counterparty(counterparty)
    assert first.decision == "clear"
    assert runs.rescreen_counterparties() == 0  # nothing changed since

    lists.import_file("ofac-sdn-csv", OFAC_SMALL_NEXT, published=dt.date(2024, 6, 30), system="tests")
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.rescreen_counterparties() == 1

    counterparty.refresh_from_db()
    latest = counterparty.screenings.first()
    assert counterparty.new_hits and latest.new_hit_count == 1
    assert latest.hits.get().entry_id == "9001"
    assert AuditEvent.objects.get(action="counterparty.new_hits").payload["new_hits"] == 1
    assert [m.to for m in mail.outbox] == [["owner@example.test"]]
    assert "Ivan" not in mail.outbox[0].body  # the mail points to the page, it names nobody
    assert "found new hits" in client.get(counterparty.get_absolute_url()).content.decode()
    assert runs.rescreen_counterparties() == 0


def test_jurisdiction_page_is_for_compliance_officers(client, lawyer):
    assert client.get(reverse("counterparties:jurisdictions")).status_code == 403
    assert (
        client.post(reverse("counterparties:jurisdictions"), {"country": "FR", "level": "high"}).status_code
        == 403
    )
    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    client.force_login(officer)
    response = client.post(reverse("counterparties:jurisdictions"),
                           {"country": "Myanmar", "level": "prohibited", "source": "policy 2026-11"})  # fmt: skip
    assert response.status_code == 302
    assert JurisdictionRisk.objects.get(country="MM").level == "prohibited"
    assert AuditEvent.objects.get(action="jurisdiction_risk.changed").payload["level"] == "prohibited"


def test_lists_page_shows_versions_and_only_compliance_may_import(client, lawyer, small_lists):
    page = client.get(reverse("counterparties:lists")).content.decode()
    assert "OFAC SDN" in page and "UN Consolidated" in page
    assert client.post(reverse("counterparties:lists"), {"file_format": "un-xml"}).status_code == 403


def test_api_review_and_rating(client, lawyer, matter, small_lists):
    counterparty = services.create_counterparty(actor=lawyer, matter=matter, name="Boutique la Maison",
                                                kind="organisation")  # fmt: skip
    response = client.post(reverse("counterparty-review-list"), {"counterparty": counterparty.pk,
                           "answers": {"cash_intensive": True}}, content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    review_id = response.json()["id"]
    runs.run_counterparty_review(review_id, task_id="test")

    body = client.get(reverse("counterparty-review-detail", args=[review_id])).json()
    assert body["state"] == "done" and body["proposed_rating"] == "prohibited"
    assert body["screening"]["hits"][0]["entry_id"] == "424"
    rate = reverse("counterparty-review-rate", args=[review_id])
    assert (
        client.post(rate, {"rating": "severe", "reason": "x"}, content_type="application/json").status_code
        == 400
    )
    rated = client.post(
        rate, {"rating": "prohibited", "reason": "Listed entity."}, content_type="application/json"
    )
    assert rated.status_code == 200 and rated.json()["state"] == "rated"


def test_ui_import_job_reports_progress_and_ends_done(client, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from reviews.counterparties.lists import progress_key
    from reviews.counterparties.models import SanctionsImport
    from tests.counterparties.lists_data import OFAC_SMALL

    officer = UserFactory(role=Role.COMPLIANCE_OFFICER)
    client.force_login(officer)
    job = services.request_sanctions_import(actor=officer, file_format="ofac-sdn-csv", name="sdn.csv",
                                            data=OFAC_SMALL, published=dt.date(2024, 5, 31))  # fmt: skip
    SanctionsImport.objects.filter(pk=job.pk).update(state="running")
    cache.set(progress_key(job.pk), 64)
    assert b'value="64"' in client.get(reverse("counterparties:lists")).content
    SanctionsImport.objects.filter(pk=job.pk).update(state="queued")

    assert runs.run_sanctions_import(job.pk) == "done"
    job.refresh_from_db()
    assert (job.state, job.version.entry_count, job.version.imported_by) == ("done", 300, officer)
    with pytest.raises(ValidationError):
        services.request_sanctions_import(
            actor=officer, file_format="ofac-sdn-csv", name="x.csv", data=OFAC_SMALL
        )


def test_page_forms_add_a_counterparty_a_person_and_start_a_review(client, lawyer, matter, small_lists):
    other = MatterFactory()
    refused = client.post(reverse("counterparties:list"), {"matter": other.pk, "name": "X", "kind": "person"})
    assert (
        refused.status_code == 200 and not Counterparty.objects.exists()
    )  # not a matter the user may choose
    bad_date = client.post(reverse("counterparties:list"), {"matter": matter.pk, "name": "X", "kind": "person",
                                                            "date": "13/01/1970"})  # fmt: skip
    assert (
        "“13/01/1970” is not a date: write it as 1969, 1969-07-16" in bad_date.content.decode()
        and not Counterparty.objects.exists()
    )

    created = client.post(reverse("counterparties:list"), {"matter": matter.pk, "name": "Cimex Iberica",
                                                           "kind": "organisation", "aliases": "Cimex\nCIMEX SA"})  # fmt: skip
    counterparty = Counterparty.objects.get()
    assert created.url == counterparty.get_absolute_url() and counterparty.aliases == ["Cimex", "CIMEX SA"]
    client.post(counterparty.get_absolute_url(), {"add_person": "1", "name": "Jane Roe", "role": "owner"})
    assert counterparty.related_people.get().role == "owner"

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "news.txt", b"Cimex Iberica was named in a 2023 press report on trade with Cuba."
    )
    started = client.post(counterparty.get_absolute_url(), {"documents": [upload], "q_cash_intensive": "on"})
    review = CounterpartyReview.objects.get()
    assert started.url == review.get_absolute_url()
    assert review.answers["cash_intensive"] and review.documents.get().name == "news.txt"
    assert review.documents.get().matter == matter
